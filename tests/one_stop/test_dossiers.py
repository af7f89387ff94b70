import itertools
import json
import threading
from datetime import datetime
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from egov.accounts.roles import Role
from egov.audit.models import LegalEvent
from egov.core.errors import ApplicationError
from one_stop.constants import DossierState
from one_stop.models import Dossier
from one_stop.services.dossiers import dossier_act
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, receive_at_counter

S = DossierState


@pytest.mark.django_db
def test_a_dossier_received_before_tet_is_due_after_it(staff, procedure):
    # Friday 13 Feb 2026, 10:15: five working days skip the weekend and Tết (16–20 Feb).
    dossier = receive_at_counter(staff, procedure, at_local(2026, 2, 13, 10, 15, 42))
    assert dossier.code == "000.00.00.H41-260213-0001"
    assert dossier.state == S.RECEIVED
    assert timezone.localtime(dossier.received_at) == at_local(2026, 2, 13, 10, 15)  # to the minute
    assert timezone.localtime(dossier.due_at) == at_local(2026, 2, 27, 17, 0)
    assert dossier.applicant_phone == "0912345678"
    assert [(e.action, e.from_state, e.to_state) for e in dossier.events.all()] == [("receive", S.SUBMITTED, S.RECEIVED)]
    assert LegalEvent.objects.filter(action="dossier.received", object_id=str(dossier.pk)).exists()


@pytest.mark.django_db
def test_a_dossier_received_after_three_pm_counts_from_the_next_working_day(staff, procedure):
    before = receive_at_counter(staff, procedure, at_local(2026, 3, 4, 14, 59))  # Wednesday
    after = receive_at_counter(staff, procedure, at_local(2026, 3, 4, 15, 1))
    assert timezone.localtime(before.due_at).date() == datetime(2026, 3, 11).date()
    assert timezone.localtime(after.due_at).date() == datetime(2026, 3, 12).date()
    assert after.code.endswith("-260304-0002")


@pytest.mark.django_db
def test_the_clock_restarts_in_full_when_the_supplemented_dossier_comes_back(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # Monday, due Monday 9 March
    clerk = staff[Role.ONE_STOP_CLERK]
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 5, 10, 0)):
        dossier = dossier_act(dossier=dossier, user=clerk, action="request_supplement",
                              note="Bổ sung giấy chứng sinh bản chính")
    assert dossier.state == S.SUPPLEMENT_REQUESTED and dossier.paused_at is not None
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 10, 9, 0)):  # Tuesday
        dossier = dossier_act(dossier=dossier, user=clerk, action="resume")
    assert dossier.state == S.IN_PROGRESS
    assert timezone.localtime(dossier.due_at) == at_local(2026, 3, 17, 17, 0)  # five full working days again


OWNER, STRANGER = "owner", "stranger"  # the citizen who submitted the dossier online, and another citizen
# (action, state it is taken from, who) that the one-stop rules allow; every other combination is refused.
ALLOWED = {
    ("receive", S.SUBMITTED, Role.ONE_STOP_CLERK),
    ("start", S.RECEIVED, Role.SPECIALIST), ("start", S.RECEIVED, Role.HEAD_OF_DIVISION),
    ("start", S.RECEIVED, Role.LEADER),
    *{("request_supplement", state, role) for state in (S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS)
      for role in (Role.ONE_STOP_CLERK, Role.SPECIALIST)},
    ("resume", S.SUPPLEMENT_REQUESTED, Role.ONE_STOP_CLERK),
    ("resolve", S.IN_PROGRESS, Role.HEAD_OF_DIVISION), ("resolve", S.IN_PROGRESS, Role.LEADER),
    ("return_result", S.RESOLVED, Role.ONE_STOP_CLERK),
    *{("refuse", state, role) for state in (S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS)
      for role in (Role.ONE_STOP_CLERK, Role.LEADER)},
    *{("withdraw", state, who) for state in (S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED)
      for who in (Role.ONE_STOP_CLERK, OWNER)},
}
# How to bring a dossier just submitted online to each state (as the clerk, specialist and leader would).
PATHS = {
    S.SUBMITTED: [],
    S.RECEIVED: [("receive", Role.ONE_STOP_CLERK)],
    S.IN_PROGRESS: [("receive", Role.ONE_STOP_CLERK), ("start", Role.SPECIALIST)],
    S.SUPPLEMENT_REQUESTED: [("receive", Role.ONE_STOP_CLERK), ("request_supplement", Role.ONE_STOP_CLERK)],
    S.RESOLVED: [("receive", Role.ONE_STOP_CLERK), ("start", Role.SPECIALIST), ("resolve", Role.LEADER)],
    S.RETURNED: [("receive", Role.ONE_STOP_CLERK), ("start", Role.SPECIALIST), ("resolve", Role.LEADER),
                 ("return_result", Role.ONE_STOP_CLERK)],
    S.REFUSED: [("receive", Role.ONE_STOP_CLERK), ("refuse", Role.ONE_STOP_CLERK)],
    S.WITHDRAWN: [("withdraw", OWNER)],
}
WHO = (Role.ONE_STOP_CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER, Role.RECORDS_CLERK, OWNER, STRANGER)
ACTIONS = ("receive", "start", "request_supplement", "resume", "resolve", "return_result", "refuse", "withdraw")


def _online_dossier(staff, procedure, agency):
    from one_stop.services.dossiers import dossier_submit_online

    people = {**staff, OWNER: UserFactory(citizen=True, full_name="Đặng Văn Công"), STRANGER: UserFactory(citizen=True)}
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 2, 9, 0)):
        return dossier_submit_online(citizen=people[OWNER], procedure=procedure, handling_agency=agency), people


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "action", "who"), list(itertools.product(PATHS, ACTIONS, WHO)))
def test_the_transition_table(staff, procedure, agency, state, action, who):
    from django_fsm import has_transition_perm

    dossier, people = _online_dossier(staff, procedure, agency)
    for step, by in PATHS[state]:
        dossier = dossier_act(dossier=dossier, user=people[by], action=step, note="lý do")
    assert dossier.state == state
    events_before = dossier.events.count()
    allowed = (action, state, who) in ALLOWED
    # The transition itself carries who may take it: what the pages ask agrees with the services.
    assert has_transition_perm(getattr(dossier, action), people[who]) is allowed
    if allowed:
        assert dossier_act(dossier=dossier, user=people[who], action=action, note="lý do").state != state
        assert dossier.events.count() == events_before + 1
        event = dossier.events.order_by("-pk").first()
        assert (event.action, event.from_state, event.actor_id) == (action, state, people[who].pk)
    else:
        with pytest.raises(ApplicationError) as info:
            dossier_act(dossier=dossier, user=people[who], action=action, note="lý do")
        assert info.value.status in (403, 409)
        assert Dossier.objects.get(pk=dossier.pk).state == state  # nothing changed
        assert dossier.events.count() == events_before


# Each action of the desk, from a state that allows it, as the clerk of the dossier's desk would take it.
DESK_ACTIONS = [("receive", S.SUBMITTED), ("request_supplement", S.RECEIVED), ("resume", S.SUPPLEMENT_REQUESTED),
                ("return_result", S.RESOLVED), ("refuse", S.RECEIVED), ("withdraw", S.RECEIVED)]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "state"), DESK_ACTIONS)
def test_a_clerk_of_another_agency_cannot_act_on_the_dossier(staff, procedure, agency, action, state):
    dossier, people = _online_dossier(staff, procedure, agency)
    for step, by in PATHS[state]:
        dossier = dossier_act(dossier=dossier, user=people[by], action=step, note="lý do")
    outsider = UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK])
    with pytest.raises(ApplicationError) as info:
        dossier_act(dossier=dossier, user=outsider, action=action, note="lý do")
    assert info.value.status == 403 and "không có quyền" in info.value.message
    assert Dossier.objects.get(pk=dossier.pk).state == state
    assert dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action=action, note="lý do").state != state


@pytest.mark.django_db
def test_a_forbidden_transition_answers_409_in_vietnamese(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with pytest.raises(ApplicationError) as info:
        dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="return_result")
    assert info.value.status == 409
    assert info.value.message == "Không thể trả kết quả hồ sơ đang ở trạng thái “Đã tiếp nhận”."


@pytest.mark.django_db
def test_a_refusal_needs_a_reason(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with pytest.raises(ApplicationError) as info:
        dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="refuse", note=" ")
    assert info.value.code == "reason_required"


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_receipts_get_fifty_consecutive_codes(procedure):
    """Fifty clerks' receipts at the same minute, each on its own connection: the whole receipt (code, due date,
    steps, control sheet), not the counter alone."""
    from django.db import connections

    from one_stop.services.dossiers import dossier_receive_at_counter
    from tests.one_stop.factories import APPLICANT

    agency = AgencyFactory(exchange_code="000.00.31.H41")
    clerks = [UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK]) for _ in range(5)]
    codes, errors = [], []
    barrier = threading.Barrier(50)

    def take(clerk):
        try:
            barrier.wait(timeout=30)
            codes.append(dossier_receive_at_counter(clerk=clerk, procedure=procedure, applicant=APPLICANT).code)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(clerks[n % 5],)) for n in range(50)]
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 11, 23, 9, 0)):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    expected = [f"000.00.31.H41-261123-{n:04d}" for n in range(1, 51)]
    assert sorted(codes) == expected
    assert sorted(Dossier.objects.filter(receiving_agency=agency).values_list("code", flat=True)) == expected
    assert Dossier.objects.filter(receiving_agency=agency, events__action="receive").count() == 50
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_a_clerk_receives_through_the_api_with_a_token_and_a_specialist_acts_on_it(client, staff, procedure):
    from egov.accounts.roles import Role as R
    from tests.factories import PASSWORD

    clerk = staff[R.ONE_STOP_CLERK]
    token = client.post("/api/v1/auth/token/", {"username": clerk.username, "password": PASSWORD}).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    created = client.post("/api/v1/dossiers/", {
        "procedure": "1.001193", "channel": "counter",
        "applicant": {"full_name": "Đặng Văn Công", "id_number": "020095001234", "phone": "0912345678",
                      "address": "Lạng Sơn"}}, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "received" and body["code"].startswith("000.00.00.H41-")
    assert body["due_at"].endswith("+07:00") and body["history"][0]["action"] == "receive"
    assert [step["name"] for step in body["steps"]][:2] == ["Tiếp nhận hồ sơ", "Thẩm định, giải quyết"]
    assert body["steps"][0]["completed_at"] is not None and body["documents"] == []
    client.force_login(staff[R.SPECIALIST])
    started = client.post(f"/api/v1/dossiers/{body['code']}/actions/start/", {}, content_type="application/json")
    assert started.status_code == 200 and started.json()["state"] == "in_progress"
    refused = client.post(f"/api/v1/dossiers/{body['code']}/actions/return_result/", {},
                          content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


@pytest.mark.django_db
def test_a_forbidden_transition_through_the_api_is_a_409_in_vietnamese_that_changes_nothing(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.post(f"/api/v1/dossiers/{dossier.code}/actions/return_result/", {"note": "x"},
                           content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"] == {"code": "invalid_transition", "fields": {},
                                        "message": "Không thể trả kết quả hồ sơ đang ở trạng thái “Đã tiếp nhận”."}
    assert Dossier.objects.get(pk=dossier.pk).state == S.RECEIVED and dossier.events.count() == 1
    # The same refusal from the dossier page's form: the message shown, nothing changed.
    page = client.post(f"/mot-cua/ho-so/{dossier.code}/thao-tac/return_result/", {}, follow=True)
    assert "Không thể trả kết quả hồ sơ đang ở trạng thái “Đã tiếp nhận”." in page.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == S.RECEIVED and dossier.events.count() == 1


@pytest.mark.django_db
def test_bad_applicant_data_gets_field_errors_and_nothing_is_saved(client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.post("/api/v1/dossiers/", {"procedure": "1.001193", "applicant": {
        "full_name": "", "id_number": "020095001234", "phone": "123"}}, content_type="application/json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]["applicant"]
    assert set(fields) == {"full_name", "phone"}
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_staff_of_another_agency_and_other_citizens_cannot_read_a_dossier(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    for outsider in (UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK]), UserFactory(citizen=True)):
        client.force_login(outsider)
        assert client.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 404
    client.force_login(staff[Role.HEAD_OF_DIVISION])
    assert client.get(f"/api/v1/dossiers/{dossier.code}/").json()["code"] == dossier.code


@pytest.mark.django_db
def test_a_leader_without_two_factor_gets_a_json_refusal_from_the_api(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    client.force_login(staff[Role.LEADER])
    response = client.get(f"/api/v1/dossiers/{dossier.code}/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "two_factor_required"


@pytest.mark.django_db
def test_the_public_lookup_shows_state_and_dates_but_never_the_applicant(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    api = client.get(f"/api/v1/lookup/{dossier.code}/")
    assert api.status_code == 200
    body = api.json()
    assert body["state"] == "received" and body["due_at"].startswith("2026-03-09T17:00")
    text = api.content.decode() + client.get(f"/tra-cuu-ho-so/{dossier.code}/").content.decode()
    for private in ("Đặng Văn Công", "020095001234", "0912345678", "Phường Đông Kinh"):
        assert private not in text
    page = client.get("/tra-cuu-ho-so/", {"ma": dossier.code}, follow=True)
    assert "Đã tiếp nhận" in page.content.decode() and "09/03/2026" in page.content.decode()
    missing = client.get("/api/v1/lookup/000.00.00.H41-990101-0001/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/tra-cuu-ho-so/000.00.00.H41-990101-0001/").status_code == 404


@pytest.mark.django_db
def test_the_public_lookup_shows_the_steps_of_the_process_as_the_database_holds_them(client, staff, procedure):
    from django.utils import timezone

    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    steps = list(dossier.steps.select_related("agency").order_by("order"))
    assert steps, "a received dossier has its process laid out"
    body = client.get(f"/api/v1/lookup/{dossier.code}/").json()
    assert [(s["name"], s["agency"]) for s in body["steps"]] == [(s.name, s.agency.name) for s in steps]
    for shown, step in zip(body["steps"], steps, strict=True):
        assert shown["due_at"] == (timezone.localtime(step.due_at).isoformat() if step.due_at else None)
        assert (shown["completed_at"] is None) == (step.completed_at is None)
    # The API's hand-written representation is exactly what the documented serializer gives.
    from one_stop.api.serializers import PublicLookupSerializer
    from one_stop.selectors import dossier_public_lookup

    public = dossier_public_lookup(code=dossier.code)
    assert body == dict(PublicLookupSerializer(public).data) == json.loads(json.dumps(PublicLookupSerializer(public).data))
    page = client.get(f"/tra-cuu-ho-so/{dossier.code}/").content.decode()
    assert "Các bước xử lý" in page
    for step in steps:
        assert step.name in page
        if step.due_at:
            assert timezone.localtime(step.due_at).strftime("%H:%M %d/%m/%Y") in page


@pytest.mark.django_db
def test_the_public_lookup_runs_a_fixed_number_of_queries(client, staff, procedure, django_assert_num_queries):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with django_assert_num_queries(1):
        assert client.get(f"/api/v1/lookup/{dossier.code}/").status_code == 200


@pytest.mark.django_db
def test_due_status_is_computed_in_sql_and_a_paused_dossier_is_never_overdue(staff, procedure):
    from one_stop.selectors import dossiers_with_due_status

    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # due Monday 9 March 17:00
    paused = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 5))
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 3, 9, 0)):
        dossier_act(dossier=paused, user=staff[Role.ONE_STOP_CLERK], action="request_supplement", note="Bổ sung")

    def status_at(now):
        return dict(dossiers_with_due_status(Dossier.objects.all(), now=now).values_list("code", "due_status"))

    # Due soon from the morning the reminder lists it: due by the end of the second working day after today.
    assert status_at(at_local(2026, 3, 4, 23, 59))[dossier.code] == "on_time"  # Wednesday: Thursday and Friday
    assert status_at(at_local(2026, 3, 5, 0, 0))[dossier.code] == "due_soon"  # Thursday: Friday and Monday
    later = status_at(at_local(2026, 3, 9, 17, 1))
    assert later[dossier.code] == "overdue" and later[paused.code] == "on_time"
    overdue = dossiers_with_due_status(Dossier.objects.all(), now=at_local(2026, 3, 10, 8, 0)).filter(due_status="overdue")
    assert list(overdue.values_list("code", flat=True)) == [dossier.code]


@pytest.mark.django_db
def test_an_online_dossier_waits_at_the_desk_and_its_clock_starts_on_receipt(staff, procedure, agency):
    from one_stop.services.dossiers import dossier_submit_online

    citizen = UserFactory(citizen=True, full_name="Đặng Văn Công")
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 7, 20, 0)):  # Saturday evening
        dossier = dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=agency)
    assert dossier.state == S.SUBMITTED and dossier.due_at is None
    assert dossier.code.endswith("-260307-0001") and dossier.applicant_id_number == citizen.national_id
    with pytest.raises(ApplicationError):
        dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="receive")
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 9, 8, 30)):  # Monday morning
        dossier = dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="receive")
    assert dossier.state == S.RECEIVED
    assert timezone.localtime(dossier.due_at) == at_local(2026, 3, 16, 17, 0)
    assert [e.action for e in dossier.events.all()] == ["submit", "receive"]


@pytest.mark.django_db
def test_the_citizen_may_withdraw_their_own_dossier_but_not_anothers(staff, procedure, agency):
    from one_stop.services.dossiers import dossier_submit_online

    owner, other = UserFactory(citizen=True), UserFactory(citizen=True)
    dossier = dossier_submit_online(citizen=owner, procedure=procedure, handling_agency=agency)
    with pytest.raises(ApplicationError) as info:
        dossier_act(dossier=dossier, user=other, action="withdraw", note="Không cần nữa")
    assert info.value.status == 403
    assert dossier_act(dossier=dossier, user=owner, action="withdraw", note="Không cần nữa").state == S.WITHDRAWN


@pytest.mark.django_db
def test_a_staff_member_cannot_submit_online(staff, procedure, agency):
    from one_stop.services.dossiers import dossier_submit_online

    with pytest.raises(ApplicationError) as info:
        dossier_submit_online(citizen=staff[Role.ONE_STOP_CLERK], procedure=procedure, handling_agency=agency)
    assert info.value.code == "not_a_citizen"


@pytest.mark.django_db
def test_the_queue_shows_the_agencys_open_dossiers_most_urgent_first_in_constant_queries(client, staff, procedure):
    from django.test.utils import CaptureQueriesContext

    clerk = staff[Role.ONE_STOP_CLERK]
    client.force_login(clerk)
    client.get("/mot-cua/ho-so/")  # the staff menu is cached after the first page: measure warm pages
    counts = []
    for total in (1, 8):
        while Dossier.objects.count() < total:
            receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, Dossier.objects.count()))
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/mot-cua/ho-so/")
        counts.append(len(queries))
    assert counts[0] == counts[1]
    text = page.content.decode()
    codes = list(Dossier.objects.order_by("due_at", "code").values_list("code", flat=True))
    assert all(code in text for code in codes) and "Quá hạn" in text  # due 9 March 2026, long past
    client.force_login(UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK]))
    assert codes[0] not in client.get("/mot-cua/ho-so/").content.decode()


@pytest.mark.django_db
def test_a_clerk_receives_at_the_counter_page_and_the_specialist_starts_it_from_the_dossier_page(
        client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    bad = client.post("/mot-cua/tiep-nhan/", {"procedure": "9.999999", "full_name": "", "id_number": "1",
                                              "phone": "123"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Không có thủ tục đang áp dụng với mã này." in text and "Số điện thoại không hợp lệ" in text
    assert not Dossier.objects.exists()
    response = client.post("/mot-cua/tiep-nhan/", {"procedure": "1.001193", "full_name": "Đặng Văn Công",
                                                   "id_number": "020095001234", "phone": "0912345678"})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mot-cua/ho-so/{dossier.code}/"
    client.force_login(staff[Role.SPECIALIST])
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert 'data-action="start"' in page and 'data-action="resolve"' not in page
    client.post(f"/mot-cua/ho-so/{dossier.code}/thao-tac/start/", {"note": "Giao chuyên viên"})
    assert Dossier.objects.get().state == S.IN_PROGRESS
    refused = client.post(f"/mot-cua/ho-so/{dossier.code}/thao-tac/resolve/", {"note": ""}, follow=True)
    assert "không có quyền" in refused.content.decode()
    assert Dossier.objects.get().state == S.IN_PROGRESS


@pytest.mark.django_db
def test_a_commune_dossier_goes_to_a_department_and_comes_back_for_return(client, staff, procedure, agency):
    department = AgencyFactory(name="Sở Tư pháp", exchange_code="000.00.03.H41")
    dept_specialist = UserFactory(agency=department, roles=[Role.SPECIALIST])
    dept_head = UserFactory(agency=department, roles=[Role.HEAD_OF_DIVISION])
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    moved = client.post(f"/api/v1/dossiers/{dossier.code}/forward/", {"agency": "000.00.03.H41", "note": "Thẩm quyền Sở"},
                        content_type="application/json")
    assert moved.status_code == 200 and moved.json()["handling_agency"] == "Sở Tư pháp"
    assert moved.json()["code"] == dossier.code  # the code stays with the dossier
    client.force_login(dept_specialist)
    assert client.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 200  # the department sees it now
    dossier_act(dossier=dossier, user=dept_specialist, action="start")
    dossier_act(dossier=dossier, user=dept_head, action="resolve")
    with pytest.raises(ApplicationError):  # the department does not return it: the receiving desk does
        dossier_act(dossier=dossier, user=UserFactory(agency=department, roles=[Role.ONE_STOP_CLERK]),
                    action="return_result")
    returned = dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="return_result")
    assert returned.state == S.RETURNED
    assert "forward" in [e.action for e in returned.events.all()]
    bad = client.post(f"/api/v1/dossiers/{dossier.code}/forward/", {"agency": "999.99.99.X00"},
                      content_type="application/json")
    assert bad.status_code in (400, 409)


@pytest.mark.django_db
def test_staff_find_dossiers_by_code_id_number_or_name_without_diacritics(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="refuse", note="Sai thẩm quyền")
    client.force_login(staff[Role.ONE_STOP_CLERK])
    assert dossier.code not in client.get("/mot-cua/ho-so/").content.decode()  # closed: not in the working list
    for query in ("dang van cong", "020095001234", dossier.code[-11:]):
        assert dossier.code in client.get("/mot-cua/ho-so/", {"q": query}).content.decode(), query
    assert dossier.code not in client.get("/mot-cua/ho-so/", {"q": "nguyen thi"}).content.decode()


@pytest.mark.django_db
def test_the_applicant_rates_the_service_once_after_the_return(client, staff, procedure):
    from one_stop.models import DossierRating

    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    url = f"/api/v1/lookup/{dossier.code}/rating/"
    early = client.post(url, {"id_number": "020095001234", "level": "satisfied"}, content_type="application/json")
    assert early.status_code == 409
    for action, role in (("start", Role.SPECIALIST), ("resolve", Role.LEADER), ("return_result", Role.ONE_STOP_CLERK)):
        dossier = dossier_act(dossier=dossier, user=staff[role], action=action)
    stranger = client.post(url, {"id_number": "001099000001", "level": "unsatisfied"}, content_type="application/json")
    assert stranger.status_code == 403
    rated = client.post(url, {"id_number": "020095001234", "level": "satisfied", "comment": "Nhanh, chu đáo"},
                        content_type="application/json")
    assert rated.status_code == 201
    again = client.post(url, {"id_number": "020095001234", "level": "unsatisfied"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_rated"
    assert DossierRating.objects.get().level == "satisfied"


@pytest.mark.django_db
def test_options_on_the_dossier_api_describes_it_instead_of_failing(client, staff):
    # Found by tests/test_api_fuzz.py: the viewset had no serializer for DRF's metadata (a 500).
    client.force_login(staff[Role.ONE_STOP_CLERK])

    response = client.options("/api/v1/dossiers/")

    assert response.status_code == 200
    assert response.json()["name"]


@pytest.mark.django_db
def test_a_typed_lookup_code_with_a_slash_answers_not_found_instead_of_failing(client):
    # Found by tests/test_page_fuzz.py: the redirect to the code's own URL cannot hold a "/" (a 500).
    response = client.get("/tra-cuu-ho-so/", {"ma": "12/2026"})

    assert response.status_code == 404
    assert "12/2026" in response.content.decode()


@pytest.mark.django_db
def test_the_public_lookup_finds_a_code_typed_in_lower_case_with_spaces(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    typed = f" {dossier.code.lower()} "

    page = client.get("/tra-cuu-ho-so/", {"ma": typed}, follow=True)
    api = client.get(f"/api/v1/lookup/{dossier.code.lower()}/")

    assert page.status_code == 200 and dossier.code in page.content.decode()
    assert api.status_code == 200 and api.json()["code"] == dossier.code


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["received", "rated"])
def test_a_refused_rating_answers_the_same_whether_or_not_the_id_number_is_the_applicants(client, staff, procedure,
                                                                                         stage):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    url = f"/api/v1/lookup/{dossier.code}/rating/"
    if stage == "rated":
        for action, role in (("start", Role.SPECIALIST), ("resolve", Role.LEADER),
                             ("return_result", Role.ONE_STOP_CLERK)):
            dossier = dossier_act(dossier=dossier, user=staff[role], action=action)
        client.post(url, {"id_number": "020095001234", "level": "satisfied"}, content_type="application/json")

    answers = [client.post(url, {"id_number": id_number, "level": "satisfied"}, content_type="application/json")
               for id_number in ("020095001234", "001099000001")]

    assert answers[0].status_code == answers[1].status_code == 409
    assert answers[0].json() == answers[1].json()
