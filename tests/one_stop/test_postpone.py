"""A late dossier: apology and new return date (form 04), at least a working day ahead, once only."""

from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.notifications.models import Notification
from one_stop.services.dossiers import dossier_act, dossier_postpone
from tests.one_stop.factories import at_local, pdf_fetch, pdf_text, receive_at_counter

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # due Monday 9 March 17:00
    return dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")


def _postpone(dossier, user, when, new_due, reason="Chờ kết quả xác minh của cơ quan liên quan"):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return dossier_postpone(dossier=dossier, user=user, new_due_at=new_due, reason=reason)


def test_the_apology_moves_the_date_once_and_tells_the_applicant(dossier, staff, django_capture_on_commit_callbacks):
    type(dossier).objects.filter(pk=dossier.pk).update(applicant_email="cong@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        moved = _postpone(dossier, staff[Role.LEADER], at_local(2026, 3, 5, 10, 0), at_local(2026, 3, 12, 17, 0))
    assert timezone.localtime(moved.due_at) == at_local(2026, 3, 12, 17, 0)
    assert timezone.localtime(moved.original_due_at) == at_local(2026, 3, 9, 17, 0)
    assert Notification.objects.filter(channel="sms", address="0912345678").exists()
    assert "12/03/2026" in mail.outbox[0].body and dossier.code in mail.outbox[0].subject
    with pytest.raises(ApplicationError) as info:
        _postpone(moved, staff[Role.LEADER], at_local(2026, 3, 6, 10, 0), at_local(2026, 3, 19, 17, 0))
    assert info.value.code == "already_postponed"


def test_the_apology_reaches_the_citizens_portal_account_as_every_other_change_does(dossier, staff,
                                                                                   django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    citizen = UserFactory(citizen=True)
    type(dossier).objects.filter(pk=dossier.pk).update(citizen=citizen)
    dossier.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        _postpone(dossier, staff[Role.LEADER], at_local(2026, 3, 5, 10, 0), at_local(2026, 3, 12, 17, 0))

    in_app = Notification.objects.get(channel="in_app", recipient=citizen)
    assert dossier.code in in_app.subject and "12/03/2026" in in_app.body
    assert Notification.objects.filter(channel="sms", address="0912345678").exists()  # and still by SMS


def test_the_apology_must_come_a_working_day_before_the_due_date(dossier, staff):
    with pytest.raises(ApplicationError) as info:
        _postpone(dossier, staff[Role.LEADER], at_local(2026, 3, 9, 8, 0), at_local(2026, 3, 12, 17, 0))  # due day itself
    assert info.value.code == "too_late"


def test_only_the_handling_agency_may_postpone_and_to_a_later_date(dossier, staff):
    with pytest.raises(ApplicationError) as info:
        _postpone(dossier, staff[Role.ONE_STOP_CLERK], at_local(2026, 3, 5, 10, 0), at_local(2026, 3, 12, 17, 0))
    assert info.value.status == 403
    with pytest.raises(ApplicationError) as info:
        _postpone(dossier, staff[Role.LEADER], at_local(2026, 3, 5, 10, 0), at_local(2026, 3, 6, 17, 0))
    assert info.value.code == "invalid_date"


def test_form_04_states_the_old_and_new_dates(client, dossier, staff, tmp_path):
    _postpone(dossier, staff[Role.LEADER], at_local(2026, 3, 5, 10, 0), at_local(2026, 3, 12, 17, 0))
    client.force_login(staff[Role.HEAD_OF_DIVISION])
    text = pdf_text(pdf_fetch(client, f"/mot-cua/ho-so/{dossier.code}/phieu-xin-loi.pdf", tmp_path, "form04.pdf"))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "ngày 09/03/2026" in text and "ngày 12/03/2026" in text and dossier.code in text


def test_the_apology_moves_the_open_steps_deadlines_up_to_the_new_date(staff, procedure):
    # QA's case: due 17:00 10/12, moved to 16:30 15/12; the steps were due 09/12 and 10/12.
    dossier = receive_at_counter(staff, procedure, at_local(2026, 12, 3, 9, 0))  # Thursday, five working days
    dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    assert [timezone.localtime(s.due_at) for s in dossier.steps.order_by("order")][1:3] == [
        at_local(2026, 12, 9, 17, 0), at_local(2026, 12, 10, 17, 0)]
    _postpone(dossier, staff[Role.LEADER], at_local(2026, 12, 7, 10, 0), at_local(2026, 12, 15, 16, 30))
    steps = list(dossier.steps.order_by("order"))
    assert steps[0].due_at == at_local(2026, 12, 3, 17, 0)  # receipt: done, as it was
    # Examination keeps its four fifths of the eight working days from 03/12 to 15/12; approval and the return
    # fall on the new date itself.
    assert [timezone.localtime(s.due_at) for s in steps[1:]] == [
        at_local(2026, 12, 14, 17, 0), at_local(2026, 12, 15, 16, 30), at_local(2026, 12, 15, 16, 30)]


def test_the_apology_leaves_completed_steps_as_they_were(staff, procedure):
    from one_stop.services.process import dossier_step_complete

    dossier = receive_at_counter(staff, procedure, at_local(2026, 12, 3, 9, 0))
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 12, 4, 10, 0)):
        dossier_step_complete(dossier=dossier, user=staff[Role.SPECIALIST])
    _postpone(dossier, staff[Role.LEADER], at_local(2026, 12, 7, 10, 0), at_local(2026, 12, 15, 16, 30))
    examined = dossier.steps.get(order=2)
    assert examined.due_at == at_local(2026, 12, 9, 17, 0) and examined.completed_at == at_local(2026, 12, 4, 10, 0)
    assert dossier.steps.get(order=3).due_at == at_local(2026, 12, 15, 16, 30)


@pytest.mark.parametrize("new_due", [at_local(2026, 3, 15, 10, 0), at_local(2026, 4, 30, 10, 0)])  # a Sunday, a holiday
def test_the_new_date_is_a_working_day(dossier, staff, new_due):
    """Found by exploratory testing: a Sunday was accepted, and the applicant told to come that day."""
    with pytest.raises(ApplicationError) as info:
        _postpone(dossier, staff[Role.LEADER], at_local(2026, 3, 5, 10, 0), new_due)
    assert info.value.code == "invalid_date" and "new_due_at" in info.value.fields
    dossier.refresh_from_db()
    assert dossier.postponed_at is None


def test_an_empty_apology_form_names_each_missing_field(client, dossier, staff):
    from django.urls import reverse
    from django_otp.plugins.otp_static.models import StaticDevice

    leader = staff[Role.LEADER]
    StaticDevice.objects.create(user=leader, name="backup").token_set.create(token="backup01")
    client.force_login(leader)
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    response = client.post(reverse("one_stop_staff:postpone", args=[dossier.code]), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ngày hẹn trả mới: " in page and "Lý do chậm trả kết quả: " in page
