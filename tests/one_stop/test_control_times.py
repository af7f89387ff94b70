"""The control sheet (phiếu kiểm soát quá trình, form 05) gives each step of the process its time in (handed to it)
and time out (handed on), on the dossier page and in the PDF; migration 0101 fills them in for existing dossiers."""

import importlib
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from egov.accounts.roles import Role
from one_stop.models import Dossier, DossierStep
from one_stop.services.dossiers import dossier_act, dossier_forward
from one_stop.services.process import dossier_step_complete
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, pdf_fetch, pdf_text, receive_at_counter

pytestmark = pytest.mark.django_db


def at(when):
    return mock.patch("django.utils.timezone.now", return_value=when)


def _times(dossier):
    return [(step.started_at, step.completed_at) for step in dossier.steps.order_by("order")]


@pytest.fixture
def handled(staff, procedure):
    """Received Monday 9:00, examined Wednesday 10:00, approved Thursday 11:00, returned Friday 8:30."""
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with at(at_local(2026, 3, 4, 10, 0)):
        dossier_step_complete(dossier=dossier, user=staff[Role.SPECIALIST], note="Đủ điều kiện")
    with at(at_local(2026, 3, 5, 11, 0)):
        dossier_act(dossier=Dossier.objects.get(pk=dossier.pk), user=staff[Role.LEADER], action="resolve")
    with at(at_local(2026, 3, 6, 8, 30)):
        dossier_act(dossier=Dossier.objects.get(pk=dossier.pk), user=staff[Role.ONE_STOP_CLERK], action="return_result")
    return dossier


def test_each_step_comes_in_when_the_one_before_hands_it_on(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    received = _times(dossier)
    with at(at_local(2026, 3, 4, 10, 0)):
        dossier_step_complete(dossier=dossier, user=staff[Role.SPECIALIST])

    nine, ten = at_local(2026, 3, 2, 9, 0), at_local(2026, 3, 4, 10, 0)
    assert received == [(nine, nine), (nine, None), (None, None), (None, None)]
    assert _times(dossier) == [(nine, nine), (nine, ten), (ten, None), (None, None)]


def test_approving_and_returning_close_the_last_steps_with_their_times(handled):
    nine, ten = at_local(2026, 3, 2, 9, 0), at_local(2026, 3, 4, 10, 0)
    eleven, returned = at_local(2026, 3, 5, 11, 0), at_local(2026, 3, 6, 8, 30)

    assert _times(handled) == [(nine, nine), (nine, ten), (ten, eleven), (eleven, returned)]


def test_an_online_dossiers_first_step_comes_in_when_it_was_submitted(staff, procedure, agency):
    from one_stop.services.dossiers import dossier_submit_online

    citizen = UserFactory(citizen=True)
    with at(at_local(2026, 3, 7, 20, 0)):  # Saturday evening
        dossier = dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=agency)
    with at(at_local(2026, 3, 9, 8, 30)):
        dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="receive")

    submitted, received = at_local(2026, 3, 7, 20, 0), at_local(2026, 3, 9, 8, 30)
    assert _times(dossier)[:2] == [(submitted, received), (received, None)]


def test_a_step_forwarded_to_another_agency_comes_in_there_when_forwarded(staff, procedure):
    department = AgencyFactory(name="Sở Tư pháp", exchange_code="000.00.03.H41")
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with at(at_local(2026, 3, 3, 14, 0)):
        dossier_forward(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], to_agency=department)

    step = dossier.steps.get(order=2)
    assert (step.agency, step.started_at, step.completed_at) == (department, at_local(2026, 3, 3, 14, 0), None)
    assert dossier.steps.get(order=3).started_at is None


def test_the_dossier_page_shows_each_steps_time_in_time_out_and_handler(client, staff, handled):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    page = client.get(reverse("one_stop_staff:dossier", args=[handled.code])).content.decode()

    assert "Nhận lúc" in page and "Hoàn thành, chuyển tiếp lúc" in page
    row = page[page.index("Phê duyệt kết quả"):]
    row = row[:row.index("</tr>")]
    assert "10:00 04/03/2026" in row and "11:00 05/03/2026" in row and staff[Role.LEADER].full_name in row


def _pdf_text(client, url, tmp_path) -> str:
    return pdf_text(pdf_fetch(client, url, tmp_path, "control.pdf"))


def test_form_05_gives_each_step_its_time_in_time_out_and_result(client, staff, handled, tmp_path):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    client.cookies["django_language"] = "en"  # the form stays Vietnamese

    text = _pdf_text(client, reverse("one_stop_staff:control_slip", args=[handled.code]), tmp_path)

    assert "Quá trình giao, nhận hồ sơ" in text and "Nhận lúc" in text and "Giao lúc" in text
    for moment in ("09:00 02/03/2026", "10:00 04/03/2026", "11:00 05/03/2026", "08:30 06/03/2026"):
        assert moment in text
    assert "Thẩm định, giải quyết" in text and "Trước hạn" in text and "Đúng hạn" in text  # receipt: on its due day
    assert "Review" not in text


def test_a_step_done_after_its_deadline_reads_late():
    from one_stop.pdf.control import step_timeliness

    due = at_local(2026, 3, 6, 17, 0)
    assert [step_timeliness(DossierStep(due_at=due, completed_at=done)) for done in (
        at_local(2026, 3, 5, 9, 0), at_local(2026, 3, 6, 16, 0), at_local(2026, 3, 6, 17, 1))] == ["before", "on_time", "late"]
    assert step_timeliness(DossierStep(due_at=due), now=at_local(2026, 3, 9, 8, 0)) == "late"
    assert step_timeliness(DossierStep(due_at=due), now=at_local(2026, 3, 5, 8, 0)) == ""


def test_the_migration_fills_in_the_times_the_services_now_record(staff, procedure, handled):
    department = AgencyFactory(name="Sở Tư pháp", exchange_code="000.00.03.H41")
    forwarded = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 30))
    with at(at_local(2026, 3, 3, 14, 0)):
        dossier_forward(dossier=forwarded, user=staff[Role.ONE_STOP_CLERK], to_agency=department)
    recorded = {step.pk: step.started_at for step in DossierStep.objects.all()}
    DossierStep.objects.update(started_at=None)
    migration = importlib.import_module("one_stop.migrations.0102_dossier_step_started_at")

    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL_FROM_STEPS)
        cursor.execute(migration.BACKFILL_FROM_FORWARDS)

    assert {step.pk: step.started_at for step in DossierStep.objects.all()} == recorded
