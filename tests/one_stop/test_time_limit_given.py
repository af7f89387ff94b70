"""A procedure whose catalogue entry states no time limit (43 % of the national catalogue's): the desk gives one at
receipt — counter, API or the online inbox — and every deadline of the dossier follows it; it is never "same day"."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.catalogue.data import ProcedureData
from one_stop.constants import DossierState
from one_stop.ledger import due_ledger
from one_stop.models import Dossier
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.dossiers import dossier_act, dossier_receive_at_counter, dossier_submit_online
from tests.factories import UserFactory
from tests.one_stop.factories import APPLICANT, at_local

pytestmark = pytest.mark.django_db


@pytest.fixture
def unstated(db):
    """Cấp Phiếu Lý lịch tư pháp, as the national portal lists it: "10 Ngày", not said to be working days."""
    return procedure_upsert(data=ProcedureData(code="3.000333", name="Cấp Phiếu Lý lịch tư pháp", field="Lý lịch tư pháp",
                                               processing_days=None, processing_text="10 Ngày"),
                            effective_from=at_local(2025, 7, 1, 0, 0))[0]


def _receive(clerk, procedure, when, **kwargs):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return dossier_receive_at_counter(clerk=clerk, procedure=procedure, applicant=APPLICANT, **kwargs)


def test_the_counter_asks_for_the_time_limit_the_catalogue_does_not_state(staff, unstated):
    clerk = staff[Role.ONE_STOP_CLERK]
    with pytest.raises(ApplicationError) as refused:
        _receive(clerk, unstated, at_local(2026, 3, 2, 9, 0))
    assert refused.value.code == "time_limit_required" and "processing_days" in refused.value.fields
    for wrong in (-1, 366, "2.3", "NaN", "Infinity", "mười"):
        with pytest.raises(ApplicationError) as invalid:
            _receive(clerk, unstated, at_local(2026, 3, 2, 9, 0), processing_days=wrong)
        assert invalid.value.code == "time_limit_invalid"

    dossier = _receive(clerk, unstated, at_local(2026, 3, 2, 9, 0), processing_days=10)  # Monday
    assert dossier.processing_days == 10
    assert timezone.localtime(dossier.due_at) == at_local(2026, 3, 16, 17, 0)  # ten working days, not the same day
    with translation.override("vi"):
        ledger = " ".join(line.text for line in due_ledger(dossier=dossier, events=list(dossier.events.all())))
    assert "10 ngày làm việc (do Bộ phận Một cửa ghi khi tiếp nhận" in ledger


def test_a_time_limit_the_catalogue_states_is_the_one_applied(staff, procedure):
    dossier = _receive(staff[Role.ONE_STOP_CLERK], procedure, at_local(2026, 3, 2, 9, 0), processing_days=20)
    assert dossier.processing_days is None  # the version's five days apply
    assert timezone.localtime(dossier.due_at) == at_local(2026, 3, 9, 17, 0)


def test_the_supplement_restart_counts_the_given_time_limit_again(staff, unstated):
    clerk = staff[Role.ONE_STOP_CLERK]
    dossier = _receive(clerk, unstated, at_local(2026, 3, 2, 9, 0), processing_days=3)
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 3, 10, 0)):
        dossier = dossier_act(dossier=dossier, user=clerk, action="request_supplement", note="Bổ sung tờ khai")
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 10, 9, 0)):  # Tuesday
        dossier = dossier_act(dossier=dossier, user=clerk, action="resume")
    assert timezone.localtime(dossier.due_at) == at_local(2026, 3, 13, 17, 0)  # three full working days again


def test_the_online_inbox_gives_it_when_receiving(client, staff, unstated, agency):
    citizen = UserFactory(citizen=True)
    clerk = staff[Role.ONE_STOP_CLERK]
    submitted = dossier_submit_online(citizen=citizen, procedure=unstated, handling_agency=agency)
    client.force_login(clerk)
    page = client.get(f"/mot-cua/ho-so/{submitted.code}/").content.decode()
    assert 'name="processing_days"' in page
    assert "Danh mục ghi thời hạn giải quyết “10 Ngày”, không nêu là ngày làm việc" in page
    with pytest.raises(ApplicationError) as refused:
        dossier_act(dossier=submitted, user=clerk, action="receive")
    assert refused.value.code == "time_limit_required"
    submitted.refresh_from_db()
    assert submitted.state == DossierState.SUBMITTED  # nothing changed
    # The dossier page's receive form, as the clerk sends it.
    from django.urls import reverse

    client.post(reverse("one_stop_staff:dossier_action", args=[submitted.code, "receive"]), {"processing_days": "5"})
    received = Dossier.objects.get(pk=submitted.pk)
    assert received.state == DossierState.RECEIVED and received.processing_days == 5
    assert received.due_at > received.received_at + timezone.timedelta(days=4)


def test_the_api_and_the_counter_page_say_what_is_missing(client, staff, unstated):
    clerk = staff[Role.ONE_STOP_CLERK]
    client.force_login(clerk)
    body = {"procedure": "3.000333", "channel": "counter",
            "applicant": {"full_name": "Đặng Văn Công", "id_number": "020095001234", "phone": "0912345678"}}
    missing = client.post("/api/v1/dossiers/", body, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "time_limit_required"
    assert "processing_days" in missing.json()["error"]["fields"]
    created = client.post("/api/v1/dossiers/", {**body, "processing_days": "10"}, content_type="application/json")
    assert created.status_code == 201, created.content

    form = {"procedure": "3.000333", "full_name": "Lương Thị Dung", "id_number": "020195004444", "checklist_shown": "1"}
    page = client.post("/mot-cua/tiep-nhan/", form)
    assert page.status_code == 400
    assert "Danh mục ghi thời hạn giải quyết “10 Ngày”" in page.content.decode()
    received = client.post("/mot-cua/tiep-nhan/", {**form, "processing_days": "10"})
    assert received.status_code == 302


def test_the_benchmark_s_counter_form_receives_with_and_without_a_stated_time_limit(client, staff, procedure, unstated):
    """bench/desk.py's receive path sends what a clerk sends: it failed for every procedure without a stated limit."""
    import random
    from urllib.parse import urlencode

    from bench.desk import counter_form

    client.force_login(staff[Role.ONE_STOP_CLERK])
    for chosen in (procedure, unstated):
        form = counter_form(random.Random(2), procedure=chosen.code, name="Lê Thị Hoa")
        response = client.post("/mot-cua/tiep-nhan/", urlencode(form), content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302, response.content[:300]
    assert Dossier.objects.get(procedure=unstated).processing_days == 15
    assert Dossier.objects.get(procedure=procedure).processing_days is None


@pytest.mark.parametrize(("days", "english"), [(1, "1 working day "), (3, "3 working days "), ("0.5", "0.5 working days ")])
def test_the_ledger_names_the_time_limit_in_the_readers_language_and_number(staff, unstated, days, english):
    dossier = _receive(staff[Role.ONE_STOP_CLERK], unstated, at_local(2026, 3, 2, 9, 0), processing_days=days)
    with translation.override("en"):
        ledger = " ".join(line.text for line in due_ledger(dossier=dossier, events=list(dossier.events.all())))
    assert english in ledger
    with translation.override("vi"):
        ledger = " ".join(line.text for line in due_ledger(dossier=dossier, events=list(dossier.events.all())))
    assert f"{str(days).replace('.', ',')} ngày làm việc " in ledger  # a decimal comma


def test_the_counter_says_the_time_limit_as_soon_as_the_procedure_is_picked(client, staff, unstated, procedure):
    """Before the clerk receives: the catalogue's working days, or its own words and what to do when it gives none."""
    client.force_login(staff[Role.ONE_STOP_CLERK])
    with translation.override("vi"):
        stated = client.get(reverse("one_stop_staff:counter_checklist"), {"procedure": procedure.code}).content.decode()
        given = client.get(reverse("one_stop_staff:counter_checklist"), {"procedure": unstated.code}).content.decode()
    assert "Thời hạn giải quyết theo danh mục: 5 ngày làm việc." in stated
    assert "nguyên văn: “10 Ngày”" in given and "ghi số ngày làm việc hẹn trả" in given
    assert "theo danh mục:" not in given


def test_the_counter_quotes_the_catalogue_s_time_limit_and_asks_to_confirm_the_working_days(client, staff, db):
    """Found by exploratory testing: receiving 3.000333 without a day count said the catalogue gave no time limit, while
    it gives "10 Ngày (…)" and form 01 quotes it."""
    procedure_upsert(data=ProcedureData(code="3.000334", name="Cấp Phiếu Lý lịch tư pháp số 2", processing_days=None,
                                        processing_text="10 Ngày (Trực tuyến, Dịch vụ bưu chính, Trực tiếp)"),
                     effective_from=at_local(2025, 7, 1, 0, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    form = {"procedure": "3.000334", "full_name": "Lương Thị Dung", "id_number": "020195004444", "checklist_shown": "1"}

    with translation.override("vi"):
        page = client.post("/mot-cua/tiep-nhan/", form).content.decode()

    assert "Danh mục ghi thời hạn giải quyết “10 Ngày (Trực tuyến, Dịch vụ bưu chính, Trực tiếp)”, không nêu là ngày " \
           "làm việc: xác nhận số ngày làm việc hẹn trả kết quả." in page
    assert "Danh mục chưa nêu thời hạn giải quyết" not in page


def test_without_any_words_in_the_catalogue_the_counter_still_says_none_is_stated(staff, db):
    procedure = procedure_upsert(data=ProcedureData(code="3.000335", name="Thủ tục chưa có thời hạn"),
                                 effective_from=at_local(2025, 7, 1, 0, 0))[0]
    with translation.override("vi"), pytest.raises(ApplicationError) as refused:
        _receive(staff[Role.ONE_STOP_CLERK], procedure, at_local(2026, 3, 2, 9, 0))
    assert refused.value.message.startswith("Danh mục chưa nêu thời hạn giải quyết của thủ tục này")
