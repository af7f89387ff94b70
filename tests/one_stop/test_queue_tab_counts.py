"""Every tab of the staff queue shows how many dossiers it lists — counted in one statement for all of them, capped
like the queue's own count, within what the user may see — and the dossier list API takes the same filters."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.accounts.roles import Role
from one_stop.selectors import QueueFilters, dossiers_queue_tab_counts, due_horizons, queue_tab_targets
from one_stop.services.dossiers import dossier_act
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, receive_at_counter
from tests.one_stop.test_queue_filters import QUEUE, ROW, _login, at, desk  # noqa: F401 (desk: a fixture)

pytestmark = pytest.mark.django_db
TAB = re.compile(r'<a href="\?([^"]*)"[^>]*>([^<]+) <span class="tab-count">\((\d+\+?)\)</span></a>')
WEDNESDAY = at_local(2026, 3, 4, 9, 0)


@pytest.fixture(autouse=True)
def _leaders_without_second_factor(settings):
    settings.EGOV_TWO_FACTOR_ROLES = []


def _tabs(client, params=None, *, now=WEDNESDAY) -> list[tuple[dict, str, str]]:
    with at(now):
        page = client.get(QUEUE, params or {}).content.decode()
    return [(dict(parse_qsl(html.unescape(query))), label, count) for query, label, count in TAB.findall(page)]


@pytest.mark.parametrize("role", [Role.ONE_STOP_CLERK, Role.SPECIALIST, Role.LEADER])
@pytest.mark.parametrize("params", [{}, {"han": "qua-han"}, {"nhom": "dang-xu-ly", "cua-toi": "1"}])
def test_each_tab_counts_the_dossiers_its_page_lists(client, staff, procedure, desk, role, params):  # noqa: F811
    overdue = receive_at_counter(staff, procedure, at_local(2026, 2, 23, 9, 0))  # due Monday 2 March: overdue
    dossier_act(dossier=overdue, user=staff[Role.SPECIALIST], action="start")
    client = _login(client, staff[role])

    tabs = _tabs(client, params)

    assert len(tabs) == 5 + 3 + (role != Role.ONE_STOP_CLERK) + 2  # states, due dates (apology: handlers), scope
    for query, label, count in tabs:
        with at(WEDNESDAY):
            listed = len(ROW.findall(client.get(QUEUE, query).content.decode()))
        assert count == str(listed), (query, label)
    assert {label: count for _, label, count in tabs}["Quá hạn"] == ("1" if params.get("nhom") != "dang-xu-ly"
                                                                      or role == Role.SPECIALIST else "0")


def test_a_tab_past_the_queues_cap_shows_the_cap_and_a_plus(client, staff, procedure, monkeypatch):
    monkeypatch.setattr("one_stop.selectors.QUEUE_COUNT_CAP", 2)
    for minute in range(3):
        receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, minute))
    tabs = {label: count for _, label, count in _tabs(_login(client, staff[Role.ONE_STOP_CLERK]))}
    assert tabs["Tất cả"] == "2+" and tabs["Đang xử lý"] == "2+" and tabs["Chờ bổ sung"] == "0"


def test_tabs_never_count_another_agencys_dossiers(client, staff, desk):  # noqa: F811
    other = UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK, Role.SPECIALIST])
    assert {count for _, _, count in _tabs(_login(client, other))} == {"0"}


@pytest.mark.parametrize("role", [Role.ONE_STOP_CLERK, Role.LEADER])
def test_every_tab_is_counted_in_one_statement_whatever_the_queue_holds(staff, procedure, role):
    user = staff[role]
    targets = queue_tab_targets(QueueFilters(due="overdue", mine=True), is_handler=role == Role.LEADER)
    horizons = due_horizons(now=WEDNESDAY)

    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            dossiers_queue_tab_counts(user=user, targets=targets, horizons=horizons)
        return len(captured.captured_queries)

    receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    user.role_names()  # a signed-in user comes with their roles
    assert statements() == 1
    for minute in range(5):
        receive_at_counter(staff, procedure, at_local(2026, 3, 2, 10, minute))
    assert statements() == 1


def test_the_counts_say_when_the_time_alone_changes_them(staff, procedure):
    dossier = dossier_act(dossier=receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0)),
                          user=staff[Role.SPECIALIST], action="start")  # due Monday 9 March 17:00
    leader = staff[Role.LEADER]
    targets = queue_tab_targets(QueueFilters(), is_handler=True)

    # Monday morning: the examination step falls due first (Friday 6 March 17:00) and puts the dossier at risk.
    examination = dossier.steps.get(role=Role.SPECIALIST)
    tabs = dossiers_queue_tab_counts(user=leader, targets=targets, horizons=due_horizons(now=at_local(2026, 3, 2, 10, 0)))
    assert tabs.next_change == at_local(2026, 3, 3, 0, 0)  # the next midnight comes before either
    tabs = dossiers_queue_tab_counts(user=leader, targets=targets, horizons=due_horizons(now=at_local(2026, 3, 6, 10, 0)))
    assert tabs.next_change == examination.due_at == at_local(2026, 3, 6, 17, 0)
    # Monday 9 March at noon: the dossier turns overdue at 17:00.
    tabs = dossiers_queue_tab_counts(user=leader, targets=targets, horizons=due_horizons(now=at_local(2026, 3, 9, 12, 0)))
    assert tabs.next_change == dossier.due_at
    assert tabs.count(QueueFilters(due="overdue")) == 0 and tabs.count(QueueFilters(due="due_soon")) == 1


# --- the dossier list API takes the same filters ------------------------------------------------------------------

@pytest.mark.parametrize(("params", "queue_params"), [
    ({"group": "in_progress"}, {"nhom": "dang-xu-ly"}), ({"group": "submitted"}, {"nhom": "cho-tiep-nhan"}),
    ({"due": "overdue"}, {"han": "qua-han"}), ({"mine": "true"}, {"cua-toi": "1"}),
    ({"group": "resolved", "mine": "1"}, {"nhom": "cho-tra-ket-qua", "cua-toi": "1"}),
    ({"due": "at_risk"}, {"han": "can-xin-loi"}), ({"mine": "false"}, {}),
])
@pytest.mark.parametrize("role", [Role.ONE_STOP_CLERK, Role.LEADER])
def test_the_dossier_list_api_filters_as_the_queues_tabs(client, staff, procedure, desk, params, queue_params,  # noqa: F811
                                                         role):
    overdue = receive_at_counter(staff, procedure, at_local(2026, 2, 23, 9, 0))
    dossier_act(dossier=overdue, user=staff[Role.SPECIALIST], action="start")
    client = _login(client, staff[role])
    with at(WEDNESDAY):
        listed = {row["code"] for row in client.get("/api/v1/dossiers/", params).json()["results"]}
        queued = {code for _, code in ROW.findall(client.get(QUEUE, queue_params).content.decode())}
    assert listed == queued


@pytest.mark.parametrize(("params", "field"), [({"group": "dang-xu-ly"}, "group"), ({"due": "late"}, "due"),
                                               ({"mine": "yes"}, "mine")])
def test_the_dossier_list_api_refuses_an_unknown_filter_in_vietnamese(client, staff, params, field):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.get("/api/v1/dossiers/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_filter" and list(error["fields"]) == [field]
    assert "không hợp lệ" in error["message"]


def test_the_dossier_list_api_filters_in_the_same_queries_for_1_and_several_dossiers(
        client, staff, procedure, django_assert_num_queries):
    client.force_login(staff[Role.SPECIALIST])
    params = {"group": "in_progress", "due": "due_soon", "mine": "true"}

    def add(count):
        for minute in range(count):
            dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0) + timedelta(minutes=minute))
            dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")

    add(1)
    friday = at_local(2026, 3, 6, 9, 0)
    with at(friday):
        client.get("/api/v1/dossiers/", params)
        with CaptureQueriesContext(connection) as one:
            assert len(client.get("/api/v1/dossiers/", params).json()["results"]) == 1
    add(5)
    with at(friday), django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get("/api/v1/dossiers/", params).json()["results"]) == 6


def test_the_schema_documents_the_dossier_lists_filters(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/dossiers/"]["get"]["parameters"]}
    assert sorted(parameters["group"]["schema"]["enum"]) == ["in_progress", "resolved", "submitted", "supplement"]
    assert sorted(parameters["due"]["schema"]["enum"]) == ["at_risk", "due_soon", "overdue"]
    assert all(parameters[name]["description"] for name in ("group", "due", "mine"))
    assert {"mine", "q"} <= set(parameters)
