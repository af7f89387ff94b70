"""The queue's tabs: groups of states (online inbox, being handled, results to return, supplements), due statuses
counted in working days as the morning reminder counts them, the user's own work, and the dossiers that need an
apology (form 04) — each in a constant number of queries."""

import html
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egov.accounts.roles import Role
from egov.notifications.models import Notification
from egov.workdays.models import CalendarDay, DayKind
from egov.workdays.services import is_working_day
from one_stop.models import Dossier
from one_stop.selectors import (
    QueueFilters,
    dossiers_at_risk,
    dossiers_queue_for,
    dossiers_with_due_status,
    due_horizons,
)
from one_stop.services.dossiers import dossier_act, dossier_postpone, dossier_submit_online
from one_stop.services.process import dossier_step_complete
from one_stop.services.reminders import dossiers_remind_due
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db
QUEUE = "/mot-cua/ho-so/"
ROW = re.compile(r'<tr class="row-(\w+)"><td[^>]*><a href="[^"]+">([^<]+)</a>')


@pytest.fixture(autouse=True)
def _leaders_without_second_factor(settings):
    # Leaders open these pages too; their second factor is tested with the accounts.
    settings.EGOV_TWO_FACTOR_ROLES = []


def at(when):
    return mock.patch("django.utils.timezone.now", return_value=when)


def _rows(client, params=None, *, now=None) -> dict[str, str]:
    """The queue page's rows: code -> due status (the row's class)."""
    with at(now or timezone.now()):
        response = client.get(QUEUE, params or {})
    assert response.status_code == 200
    return {code: status for status, code in ROW.findall(response.content.decode())}


def _due(dossier, when) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(due_at=when)
    return Dossier.objects.get(pk=dossier.pk)


def _statuses(now) -> dict[str, str]:
    return dict(dossiers_with_due_status(Dossier.objects.all(), now=now).values_list("code", "due_status"))


@pytest.fixture
def desk(staff, procedure, agency):
    """One dossier in each state of the queue, received on Monday 2 March 2026 (due Monday 9 March 17:00)."""
    citizen = UserFactory(citizen=True)
    with at(at_local(2026, 3, 2, 8, 0)):
        submitted = dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=agency)
    received = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    in_progress = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 5))
    resolved = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 10))
    supplement = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 15))
    with at(at_local(2026, 3, 3, 9, 0)):
        in_progress = dossier_act(dossier=in_progress, user=staff[Role.SPECIALIST], action="start")
        dossier_step_complete(dossier=resolved, user=staff[Role.SPECIALIST])
        resolved = dossier_act(dossier=Dossier.objects.get(pk=resolved.pk), user=staff[Role.LEADER], action="resolve")
        supplement = dossier_act(dossier=supplement, user=staff[Role.ONE_STOP_CLERK], action="request_supplement",
                                 note="Thiếu bản sao giấy chứng sinh")
    return {"submitted": submitted, "received": received, "in_progress": in_progress, "resolved": resolved,
            "supplement": supplement}


def _login(client, user):
    client.force_login(user)
    return client


# --- due soon counts working days, as the morning reminder does ---------------------------------------------------

def test_on_a_friday_a_dossier_due_monday_is_due_soon_on_the_queue_and_in_the_reminder(
        client, staff, procedure, django_capture_on_commit_callbacks):
    monday = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # due Monday 9 March 17:00
    tuesday = receive_at_counter(staff, procedure, at_local(2026, 3, 3, 9, 0))  # due Tuesday 10 March
    wednesday = receive_at_counter(staff, procedure, at_local(2026, 3, 4, 9, 0))  # due Wednesday 11 March
    friday = at_local(2026, 3, 6, 7, 0)

    assert _statuses(friday) == {monday.code: "due_soon", tuesday.code: "due_soon", wednesday.code: "on_time"}
    rows = _rows(_login(client, staff[Role.SPECIALIST]), now=friday)
    assert rows == {monday.code: "due_soon", tuesday.code: "due_soon", wednesday.code: "on_time"}
    with django_capture_on_commit_callbacks(execute=True), at(friday):
        dossiers_remind_due()
    body = Notification.objects.filter(recipient=staff[Role.SPECIALIST]).get().body
    assert monday.code in body and tuesday.code in body and wednesday.code not in body


def test_public_holidays_and_the_admins_days_off_push_the_horizon_back(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 4, 20, 9, 0))
    dossier = _due(dossier, at_local(2026, 5, 5, 17, 0))  # Tuesday after the 30 April and 1 May holidays
    later = _due(receive_at_counter(staff, procedure, at_local(2026, 4, 20, 9, 5)), at_local(2026, 5, 6, 17, 0))
    wednesday = at_local(2026, 4, 29, 9, 0)  # the next two working days: Monday 4 and Tuesday 5 May
    assert _statuses(wednesday) == {dossier.code: "due_soon", later.code: "on_time"}

    client = _login(client, staff[Role.SPECIALIST])
    assert _rows(client, now=wednesday)[later.code] == "on_time"
    # The province gives Monday 4 May off: the page read the calendar's version with the user, so it shows at once.
    CalendarDay.objects.create(date=at_local(2026, 5, 4, 0, 0).date(), kind=DayKind.DAY_OFF)
    assert _statuses(wednesday)[later.code] == "due_soon"
    assert _rows(client, now=wednesday)[later.code] == "due_soon"


def test_the_due_date_horizons_cost_no_query_on_a_signed_in_page(client, staff, procedure, django_assert_num_queries):
    receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    client = _login(client, staff[Role.SPECIALIST])
    client.get(QUEUE)
    with django_assert_num_queries(3):  # the user (with the calendar's version), the page and the tabs' counts
        client.get(QUEUE)


# --- groups of states, due statuses, the user's own work -----------------------------------------------------

@pytest.mark.parametrize(("slug", "expected"), [
    ("cho-tiep-nhan", {"submitted"}), ("dang-xu-ly", {"received", "in_progress"}), ("cho-tra-ket-qua", {"resolved"}),
    ("bo-sung", {"supplement"}), ("", {"submitted", "received", "in_progress", "resolved", "supplement"}),
    ("khong-co", {"submitted", "received", "in_progress", "resolved", "supplement"}),  # unknown: no filter
])
def test_each_state_tab_lists_its_dossiers(client, staff, desk, slug, expected):
    rows = _rows(_login(client, staff[Role.ONE_STOP_CLERK]), {"nhom": slug}, now=at_local(2026, 3, 4, 9, 0))
    assert set(rows) == {desk[name].code for name in expected}


def test_the_due_tabs_list_the_overdue_and_the_due_soon(client, staff, procedure):
    overdue = _due(receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0)), at_local(2026, 3, 4, 17, 0))
    soon = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 5))  # due Monday 9 March
    later = receive_at_counter(staff, procedure, at_local(2026, 3, 4, 9, 0))  # due Wednesday 11 March
    paused = _due(receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 10)), at_local(2026, 3, 4, 17, 0))
    dossier_act(dossier=paused, user=staff[Role.ONE_STOP_CLERK], action="request_supplement", note="Bổ sung")
    client = _login(client, staff[Role.SPECIALIST])
    friday = at_local(2026, 3, 6, 9, 0)

    assert _rows(client, {"han": "qua-han"}, now=friday) == {overdue.code: "overdue"}
    assert _rows(client, {"han": "sap-den-han"}, now=friday) == {soon.code: "due_soon"}
    assert set(_rows(client, {"han": "sap-den-han", "nhom": "cho-tra-ket-qua"}, now=friday)) == set()
    assert later.code in _rows(client, now=friday)


def test_my_work_is_the_dossiers_whose_current_step_is_for_my_role(client, staff, desk):
    wednesday = at_local(2026, 3, 4, 9, 0)
    mine = {"cua-toi": "1"}
    # At the specialist's examination: the agency's list shows them to the leader, "my work" does not.
    assert desk["received"].code in _rows(_login(client, staff[Role.LEADER]), now=wednesday)
    assert _rows(client, mine, now=wednesday) == {}
    assert set(_rows(_login(client, staff[Role.SPECIALIST]), mine, now=wednesday)) == {
        desk["received"].code, desk["in_progress"].code}
    # The desk: the online submission to receive and the result to return.
    assert set(_rows(_login(client, staff[Role.ONE_STOP_CLERK]), mine, now=wednesday)) == {
        desk["submitted"].code, desk["resolved"].code}
    # The specialist hands one over: now it is the leader's.
    with at(wednesday):
        dossier_step_complete(dossier=desk["in_progress"], user=staff[Role.SPECIALIST])
    assert set(_rows(_login(client, staff[Role.LEADER]), mine, now=wednesday)) == {desk["in_progress"].code}


def test_my_work_never_shows_another_agencys_dossiers(staff, desk):
    other = UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST, Role.ONE_STOP_CLERK])
    assert list(dossiers_queue_for(user=other, filters=QueueFilters(mine=True))) == []


@pytest.mark.parametrize("params", [{"nhom": "cho-tra-ket-qua"}, {"han": "qua-han"}, {"cua-toi": "1"},
                                    {"han": "can-xin-loi"}, {"nhom": "dang-xu-ly", "han": "sap-den-han", "cua-toi": "1"}])
def test_a_filtered_queue_runs_the_same_queries_for_1_and_several_dossiers(client, staff, procedure, params,
                                                                            django_assert_num_queries):
    def add(count):
        for minute in range(count):
            dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0) + timedelta(minutes=minute))
            dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
            if params.get("nhom") == "cho-tra-ket-qua":
                dossier_act(dossier=dossier, user=staff[Role.LEADER], action="resolve")

    client = _login(client, staff[Role.LEADER] if params.get("nhom") == "cho-tra-ket-qua" else staff[Role.SPECIALIST])
    add(1)
    now = at_local(2026, 3, 6, 9, 0) if params.get("han") != "qua-han" else at_local(2026, 3, 10, 9, 0)
    with at(now):
        client.get(QUEUE, params)  # prepared statements, caches
        with CaptureQueriesContext(connection) as one:
            first = client.get(QUEUE, params).content.decode()
    add(6)
    with at(now), django_assert_num_queries(len(one.captured_queries)):
        page = client.get(QUEUE, params).content.decode()
    assert len(ROW.findall(first)) == 1 and len(ROW.findall(page)) == 7
    assert len(one.captured_queries) <= 3  # the user, the page, the tabs' counts


def test_the_tabs_keep_the_other_filters_and_the_pages_keep_all_of_them(client, staff, procedure, monkeypatch):
    monkeypatch.setattr("one_stop.selectors.QUEUE_PAGE_SIZE", 2)
    for minute in range(3):
        receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, minute))
    client = _login(client, staff[Role.LEADER])
    page = client.get(QUEUE, {"nhom": "dang-xu-ly", "han": "sap-den-han"}).content.decode()
    assert 'href="?nhom=dang-xu-ly&amp;han=sap-den-han&amp;cua-toi=1"' in page
    assert 'href="?han=sap-den-han" aria-current' not in page and 'href="?nhom=dang-xu-ly"' in page
    assert re.search(r'href="\?nhom=dang-xu-ly&amp;han=sap-den-han" aria-current="page">Sắp đến hạn', page)
    with at(at_local(2026, 3, 6, 9, 0)):
        page = client.get(QUEUE, {"nhom": "dang-xu-ly", "han": "sap-den-han"}).content.decode()
        assert 'href="?nhom=dang-xu-ly&amp;han=sap-den-han&amp;trang=2" rel="next"' in page
        response = client.get(QUEUE, {"nhom": "dang-xu-ly", "trang": "9"})
    assert response["Location"] == "/mot-cua/ho-so/?nhom=dang-xu-ly&trang=2"


def test_the_apology_tab_is_offered_to_the_handlers_only(client, staff):
    assert "can-xin-loi" in _login(client, staff[Role.LEADER]).get(QUEUE).content.decode()
    assert "can-xin-loi" not in _login(client, staff[Role.ONE_STOP_CLERK]).get(QUEUE).content.decode()


# --- dossiers at risk: the apology (form 04) drafted ---------------------------------------------------------

def test_dossiers_at_risk_are_those_an_apology_may_still_move(staff, procedure, agency):
    def received(day, minute=0):
        dossier = receive_at_counter(staff, procedure, at_local(2026, 3, day, 9, minute))
        return dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")

    due_monday = received(2)  # due Monday 9 March: Friday is the last working day to apologise
    due_today = _due(received(2, 1), at_local(2026, 3, 6, 17, 0))  # too late for an apology: the overdue tab's
    step_late = received(3)  # due Tuesday 10 March; its examination was due Friday 17:00
    step_late.steps.filter(order=2).update(due_at=at_local(2026, 3, 5, 17, 0))
    on_track = received(4)  # due Wednesday 11 March, steps on time
    postponed = received(2, 2)
    with at(at_local(2026, 3, 4, 10, 0)):
        dossier_postpone(dossier=postponed, user=staff[Role.LEADER], new_due_at=at_local(2026, 3, 16, 17, 0),
                         reason="Chờ xác minh")
    elsewhere = received(2, 3)
    Dossier.objects.filter(pk=elsewhere.pk).update(handling_agency=AgencyFactory())

    horizons = due_horizons(now=at_local(2026, 3, 6, 8, 0))  # Friday morning
    at_risk = dossiers_at_risk(agency_id=agency.pk, horizons=horizons)
    assert [d.code for d in at_risk] == [due_monday.code, step_late.code]
    assert {due_today.code, on_track.code, postponed.code} & {d.code for d in dossiers_at_risk(horizons=horizons)} == set()


def test_the_apology_tab_and_the_morning_reminder_name_the_dossiers_at_risk(
        client, staff, procedure, django_capture_on_commit_callbacks):
    dossier = dossier_act(dossier=receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0)),
                          user=staff[Role.SPECIALIST], action="start")
    later = receive_at_counter(staff, procedure, at_local(2026, 3, 4, 9, 0))
    friday = at_local(2026, 3, 6, 7, 0)
    assert set(_rows(_login(client, staff[Role.LEADER]), {"han": "can-xin-loi"}, now=friday)) == {dossier.code}
    with django_capture_on_commit_callbacks(execute=True), at(friday):
        dossiers_remind_due()
    line = next(line for line in Notification.objects.filter(recipient=staff[Role.LEADER]).get().body.splitlines()
                if dossier.code in line)
    assert "cần xin lỗi, hẹn lại ngày trả kết quả (mẫu 04) hôm nay" in line
    assert later.code not in Notification.objects.filter(recipient=staff[Role.LEADER]).get().body


def test_the_dossier_page_drafts_the_apology_and_the_draft_can_be_sent_once(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # due Monday 9 March 17:00
    dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    client = _login(client, staff[Role.LEADER])
    with at(at_local(2026, 3, 6, 8, 0)):  # Friday: the last working day to apologise; examination (4 days) is open
        page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "Hồ sơ có nguy cơ trễ hạn" in page and "<details open>" in page
    # The due date plus the current step's working days: Monday 9 March + 4 = Friday 13 March, same time.
    new_due = re.search(r'name="new_due_at" value="([^"]+)"', page)[1]
    assert new_due == "2026-03-13T17:00"
    reason = html.unescape(re.search(r'<textarea name="reason"[^>]*>\s*([^<]+)</textarea>', page)[1])
    assert "Thẩm định, giải quyết" in reason and "09/03/2026" in reason

    with at(at_local(2026, 3, 6, 8, 5)):
        response = client.post(f"/mot-cua/ho-so/{dossier.code}/hen-lai/", {"new_due_at": new_due, "reason": reason})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert timezone.localtime(dossier.due_at) == at_local(2026, 3, 13, 17, 0) and dossier.postpone_reason == reason.strip()
    with at(at_local(2026, 3, 6, 8, 10)):
        page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert 'name="new_due_at"' not in page  # a second postponement is not offered (and refused by the service)


def test_a_late_step_is_named_in_the_drafted_reason(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    with at(at_local(2026, 3, 6, 18, 0)):  # Friday evening: examination was due at 17:00
        page = _login(client, staff[Role.HEAD_OF_DIVISION]).get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "đã quá hạn của bước (17:00 06/03/2026)" in page


def test_every_morning_the_queue_s_due_soon_and_overdue_are_what_the_reminder_lists(
        staff, procedure, django_capture_on_commit_callbacks):
    """Around the 30 April / 1 May holidays and two weekends: one dossier due each day at 17:00."""
    first = at_local(2026, 4, 22, 17, 0)
    dossiers = [_due(dossier_act(dossier=receive_at_counter(staff, procedure, at_local(2026, 4, 1, 9, minute)),
                                 user=staff[Role.SPECIALIST], action="start"), first + timedelta(days=minute))
                for minute in range(18)]
    for dossier in dossiers:  # steps on time: only the due date puts a dossier at risk here
        dossier.steps.update(due_at=dossier.due_at)
    for offset in range(16):
        morning = at_local(2026, 4, 21, 7, 0) + timedelta(days=offset)
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True), at(morning):
            dossiers_remind_due()
        note = Notification.objects.filter(recipient=staff[Role.SPECIALIST]).first()
        reminded = {d.code for d in dossiers if note is not None and d.code in note.body}
        flagged = {code for code, status in _statuses(morning).items() if status in ("due_soon", "overdue")}
        # The reminder sends on working days only (found in review): on 25-27/04 and 30/04-03/05 it says nothing.
        assert reminded == (flagged if is_working_day(morning) else set()), morning
        assert {d.code for d in dossiers_at_risk(horizons=due_horizons(now=morning))} <= flagged


@pytest.mark.parametrize("params", [{}, {"han": "qua-han"}, {"cua-toi": "1"}, {"nhom": "dang-xu-ly"}, {"q": "Nguyễn"}])
def test_a_staff_member_without_an_agency_gets_an_empty_queue_not_an_error(client, params):
    """A role given before the agency (an administrator's half-made account): the queue of their own dossiers only."""
    client.force_login(UserFactory(agency=None, roles=[Role.SPECIALIST]))
    response = client.get("/mot-cua/ho-so/", params)
    assert response.status_code == 200
    assert "Không có hồ sơ nào cần xử lý." in response.content.decode()
