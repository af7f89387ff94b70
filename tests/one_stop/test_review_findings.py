"""Defects a review of the desk found, each proved by its test: a step closed apart from the transition that closes it,
an apology's date centuries ahead, a postponed dossier judged by a promise its restarted clock replaced, the import
ended by an impossible number, a double click receiving a dossier twice."""

import json
import threading
from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.models import Dossier, Procedure
from one_stop.services.dossiers import dossier_act, dossier_postpone
from one_stop.services.process import dossier_step_complete
from tests.one_stop.factories import at_local, receive_at_counter


def _at(when, fn, **kwargs):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return fn(**kwargs)


def _signed_in(client, user):
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="backup01")
    client.force_login(user)
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    return client


@pytest.mark.django_db
def test_the_approval_and_the_return_steps_close_only_by_their_transitions(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    dossier_step_complete(dossier=dossier, user=staff[Role.SPECIALIST])  # the examination: a step of its own
    _signed_in(client, staff[Role.LEADER])
    assert client.get(reverse("one_stop_staff:dossier", args=[dossier.code])).context["may_complete_step"] is False
    response = client.post(reverse("one_stop_staff:step_done", args=[dossier.code]))
    assert response.status_code == 409 and "Duyệt kết quả" in response.content.decode()
    assert dossier.steps.get(order=3).completed_at is None
    dossier = dossier_act(dossier=dossier, user=staff[Role.LEADER], action="resolve")  # closes the approval
    assert dossier.steps.get(order=3).completed_at is not None
    with pytest.raises(ApplicationError) as refused:  # the desk's return: closed by returning the result
        dossier_step_complete(dossier=dossier, user=staff[Role.ONE_STOP_CLERK])
    assert refused.value.status == 409 or refused.value.code == "invalid_transition"


@pytest.mark.django_db
def test_an_apology_cannot_set_a_date_more_than_a_year_ahead(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    _signed_in(client, staff[Role.LEADER])
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 4, 9, 0)):
        response = client.post(reverse("one_stop_staff:postpone", args=[dossier.code]),
                               {"new_due_at": "9999-12-31T17:00", "reason": "Chờ xác minh"})
    dossier.refresh_from_db()
    assert response.status_code == 400 and dossier.postponed_at is None
    page = response.content.decode()
    assert "không được quá 365 ngày" in page and "Chờ xác minh" in page  # the reason typed is kept
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 4, 9, 0)):
        dossier = dossier_postpone(dossier=dossier, user=staff[Role.LEADER], new_due_at=at_local(2027, 3, 1, 17, 0),
                                   reason="Chờ kết quả giám định")
    assert dossier.due_at == at_local(2027, 3, 1, 17, 0)  # within the year: given


@pytest.mark.django_db
def test_a_postponed_dossier_is_judged_by_its_restarted_clock_after_a_supplement(staff, procedure):
    from reports import metrics

    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # due 9 March
    dossier = _at(at_local(2026, 3, 2, 10, 0), dossier_act, dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    dossier = _at(at_local(2026, 3, 4, 9, 0), dossier_postpone, dossier=dossier, user=staff[Role.LEADER],
                  new_due_at=at_local(2026, 3, 11, 17, 0), reason="Chờ xác minh")
    dossier = _at(at_local(2026, 3, 5, 9, 0), dossier_act, dossier=dossier, user=staff[Role.SPECIALIST],
                  action="request_supplement", note="Thiếu bản sao giấy chứng sinh")
    dossier = _at(at_local(2026, 3, 16, 9, 0), dossier_act, dossier=dossier, user=staff[Role.ONE_STOP_CLERK],
                  action="resume")
    assert dossier.due_at == at_local(2026, 3, 23, 17, 0)  # the clock restarted in full
    dossier = _at(at_local(2026, 3, 20, 9, 0), dossier_act, dossier=dossier, user=staff[Role.LEADER], action="resolve")
    counts = metrics.live_counts(start=date(2026, 3, 1), end=date(2026, 3, 31), group=())[()]
    assert (counts["resolved_on_time"], counts["resolved_late"]) == (1, 0)


@pytest.mark.django_db
def test_a_postponed_dossier_without_a_restart_still_counts_as_late(staff, procedure):
    from reports import metrics

    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # due 9 March
    dossier = _at(at_local(2026, 3, 2, 10, 0), dossier_act, dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    dossier = _at(at_local(2026, 3, 4, 9, 0), dossier_postpone, dossier=dossier, user=staff[Role.LEADER],
                  new_due_at=at_local(2026, 3, 11, 17, 0), reason="Chờ xác minh")
    _at(at_local(2026, 3, 10, 9, 0), dossier_act, dossier=dossier, user=staff[Role.LEADER], action="resolve")
    counts = metrics.live_counts(start=date(2026, 3, 1), end=date(2026, 3, 31), group=())[()]
    assert (counts["resolved_on_time"], counts["resolved_late"]) == (0, 1)  # 766/QĐ-TTg: the first promise


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "message"), [
    ("processing_days", "NaN", "không phải là số"), ("processing_days", "Infinity", "không phải là số"),
    ("processing_days", 1000000, "tối đa 365"), ("fee_vnd", "99999999999999999999", "tối đa 1.000.000.000.000")])
def test_an_impossible_number_refuses_its_row_and_the_rest_imports(tmp_path, capsys, field, value, message):
    path = tmp_path / "procedures.json"
    path.write_text(json.dumps([{"code": "9.000001", "name": "Thủ tục hỏng", "processing_days": 5, field: value},
                                {"code": "9.000002", "name": "Thủ tục tốt", "processing_days": 5}]), encoding="utf-8")
    call_command("import_procedures", str(path))
    assert list(Procedure.objects.values_list("code", flat=True)) == ["9.000002"]
    report = capsys.readouterr()
    assert f"dòng 1, trường “{field}”: " in report.out and message in report.out  # the row and field named


@pytest.mark.django_db
def test_any_source_with_an_impossible_time_limit_is_refused_by_its_code():
    from one_stop.catalogue.data import ProcedureData
    from one_stop.services.catalogue import procedures_import

    report = procedures_import(items=[ProcedureData(code="9.000003", name="Trang cổng hỏng", processing_days=float("inf")),
                                      ProcedureData(code="9.000004", name="Thủ tục tốt", processing_days=5)])
    assert [line.split(":")[0] for line in report.rejected] == ["9.000003"]
    assert list(Procedure.objects.values_list("code", flat=True)) == ["9.000004"]


COUNTER_FORM = {"full_name": "Đặng Văn Công", "id_number": "020095001234", "channel": "counter",
                "applicant_kind": "person", "checklist_shown": "1"}


@pytest.mark.django_db
def test_a_double_click_on_receive_makes_one_dossier(client, staff, procedure):
    import re

    client.force_login(staff[Role.ONE_STOP_CLERK])
    page = client.get(reverse("one_stop_staff:counter")).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page)[1]
    data = {**COUNTER_FORM, "procedure": procedure.code, "submission_key": key}
    first = client.post(reverse("one_stop_staff:counter"), data)
    second = client.post(reverse("one_stop_staff:counter"), data, follow=True)
    dossier = Dossier.objects.get()
    assert first.status_code == 302 and second.redirect_chain[0][0].endswith(f"/{dossier.code}/")
    assert "đã được tiếp nhận ở lần bấm trước" in second.content.decode()
    another = re.search(r'name="submission_key" value="([^"]+)"',
                        client.get(reverse("one_stop_staff:counter")).content.decode())[1]
    assert another != key  # the next form is another receipt
    client.post(reverse("one_stop_staff:counter"), {**data, "submission_key": another})
    assert Dossier.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_receipts_with_one_key_at_once_make_one_dossier():
    """The two clicks arrive together: the second waits for the first's transaction, then finds its dossier."""
    from one_stop.catalogue.data import ProcedureData
    from one_stop.services.catalogue import procedure_upsert
    from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter
    from tests.factories import AgencyFactory, UserFactory

    agency = AgencyFactory(exchange_code="000.00.00.H41", commune=True)
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    procedure = procedure_upsert(data=ProcedureData(code="1.001193", name="Đăng ký khai sinh", processing_days=5),
                                 effective_from=at_local(2025, 7, 1, 0, 0))[0]
    applicant = ApplicantData(full_name="Đặng Văn Công", id_number="020095001234", phone="", address="")
    codes, start = [], threading.Barrier(2)

    def receive():
        try:
            start.wait(5)
            codes.append(dossier_receive_at_counter(clerk=clerk, procedure=procedure, applicant=applicant,
                                                    submission_key="k-1").code)
        finally:
            connection.close()

    threads = [threading.Thread(target=receive) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(codes) == 2 and codes[0] == codes[1] and Dossier.objects.count() == 1


@pytest.mark.django_db
def test_the_api_takes_an_idempotency_key(staff, procedure):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(staff[Role.ONE_STOP_CLERK])
    body = {"procedure": procedure.code, "channel": "counter",
            "applicant": {"full_name": "Đặng Văn Công", "id_number": "020095001234", "phone": "0912345678",
                          "address": "Lạng Sơn"}}
    first = client.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-7")
    again = client.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-7")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["code"] == again.json()["code"]
    assert client.post("/api/v1/dossiers/", body, format="json").status_code == 201  # no key: a new dossier each time
    assert client.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="x" * 65).status_code == 400
    assert Dossier.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("number", "accepted"), [
    ("123", False), ("02009500123", False), ("0200950012345", False), ("AB", False), ("B1234567!", False),
    ("020095001234", True), ("020095001", True), ("B1234567", True), ("C01234567", True), ("X1234567890123456789", True)])
def test_a_persons_id_number_is_refused_only_when_plainly_impossible(client, staff, procedure, number, accepted):
    """Found by exploratory testing: the counter received a dossier for "123"."""
    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.post(reverse("one_stop_staff:counter"), {**COUNTER_FORM, "procedure": procedure.code,
                                                               "id_number": number})
    assert (response.status_code == 302) is accepted
    assert Dossier.objects.filter(applicant_id_number=number).exists() is accepted
    if not accepted:
        assert "Số định danh cá nhân gồm 12 chữ số" in response.content.decode()


@pytest.mark.django_db
def test_staff_filing_a_dossier_elsewhere_read_it_as_its_applicant(client, staff, procedure, agency):
    """Found in review: being staff anywhere made the API (and the staff page) show another agency's staff names,
    working notes and internal files on a dossier the staff member had filed as a citizen there."""
    from one_stop.services.dossiers import dossier_submit_online
    from tests.factories import AgencyFactory, UserFactory

    applicant = UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST, Role.CITIZEN], citizen=True,
                            full_name="Trần Thị Mai")
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 2, 9, 0)):
        dossier = dossier_submit_online(citizen=applicant, procedure=procedure, handling_agency=agency)
        dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="receive", note="Ghi chú nội bộ của bộ phận")
    client.force_login(applicant)
    history = client.get(f"/api/v1/dossiers/{dossier.code}/").json()["history"]
    received = next(event for event in history if event["action"] == "receive")
    assert received["actor"] == "" and "Ghi chú nội bộ" not in json.dumps(history, ensure_ascii=False)
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/").status_code == 404
    # The desk that handles it still reads it as staff.
    client.force_login(staff[Role.ONE_STOP_CLERK])
    history = client.get(f"/api/v1/dossiers/{dossier.code}/").json()["history"]
    assert next(event for event in history if event["action"] == "receive")["actor"] == staff[Role.ONE_STOP_CLERK].full_name
