"""The open queue is kept until its version changes (one_stop.models.queue): a dossier of it changing, a
procedure renamed, a row turning due soon. These tests commit (transaction=True): versions are transaction
ids, and a writer's own uncommitted change never lets a page be kept."""

from datetime import timedelta
from unittest import mock

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egov.accounts.roles import Role
from one_stop.models import Dossier, Procedure, QueueChange
from one_stop.selectors import QUEUE_VERSION_FACT, QueueRow, queue_seconds_kept
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import APPLICANT

pytestmark = pytest.mark.django_db(transaction=True)
QUEUE = "/mot-cua/ho-so/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _view(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _receive(clerk, procedure) -> Dossier:
    from one_stop.services.dossiers import dossier_receive_at_counter

    return dossier_receive_at_counter(clerk=clerk, procedure=procedure, applicant=APPLICANT)


def test_the_open_queue_is_kept_until_a_dossier_of_it_changes(staff, procedure):
    clerk = staff[Role.ONE_STOP_CLERK]
    client = _client(clerk)
    first = _receive(clerk, procedure)
    _settled(clerk)
    page, _ = _view(client)
    assert first.code in page
    page, queries = _view(client)
    assert first.code in page and queries == 1  # the session with its user; no queue statement
    second = _receive(clerk, procedure)
    page, queries = _view(client)
    assert second.code in page and queries == 3  # the user, the page, the tabs' counts
    Dossier.objects.filter(pk=first.pk).update(applicant_name="Tên đã sửa")
    assert "Tên đã sửa" in _view(client)[0]


def test_a_dossier_handed_over_moves_between_the_agencies_kept_queues(staff, procedure):
    from one_stop.services.dossiers import dossier_forward

    other, third = AgencyFactory(), AgencyFactory()
    other_head = UserFactory(agency=other, roles=[Role.HEAD_OF_DIVISION])
    dossier = _receive(staff[Role.ONE_STOP_CLERK], procedure)
    client = _client(other_head)
    assert dossier.code not in _view(client)[0]
    assert dossier.code not in _view(client)[0]  # kept
    dossier_forward(dossier=dossier, user=staff[Role.LEADER], to_agency=other)
    assert dossier.code in _view(client)[0]
    assert dossier.code in _view(client)[0]  # kept
    dossier_forward(dossier=Dossier.objects.get(pk=dossier.pk), user=other_head, to_agency=third)
    assert dossier.code not in _view(client)[0]


def test_a_renamed_procedure_shows_on_every_queue(staff, procedure):
    clerk = staff[Role.ONE_STOP_CLERK]
    client = _client(clerk)
    _receive(clerk, procedure)
    assert procedure.name in _view(client)[0]
    _view(client)
    Procedure.objects.filter(pk=procedure.pk).update(name="Thủ tục đổi tên")
    assert "Thủ tục đổi tên" in _view(client)[0]


def test_a_row_turning_due_soon_renders_the_page_again(staff, procedure):
    import time

    from one_stop.selectors import _working_days_ahead
    from tests.one_stop.factories import at_local

    clerk = staff[Role.ONE_STOP_CLERK]
    client = _client(clerk)
    dossier = _receive(clerk, procedure)
    monday = at_local(2026, 3, 2, 10, 0)  # due soon: due by the end of Wednesday
    Dossier.objects.filter(pk=dossier.pk).update(due_at=at_local(2026, 3, 5, 17, 0))  # Thursday
    with mock.patch("django.utils.timezone.now", return_value=monday):
        assert "row-on_time" in _view(client)[0]
    _working_days_ahead.cache_clear()  # as in a worker seeing Tuesday for the first time
    # Just past midnight the horizon reaches Thursday: the kept page has run out.
    tuesday, monotonic = at_local(2026, 3, 3, 0, 0, 1), time.monotonic() + 14 * 3600 + 1
    with mock.patch("django.utils.timezone.now", return_value=tuesday), \
            mock.patch("egov.core.staff_pages.time.monotonic", return_value=monotonic):
        page, queries = _view(client)
    # The user, the calendar (once per worker and day), the page, the tabs' counts.
    assert "row-due_soon" in page and queries == 4


def test_no_page_is_kept_while_an_older_writer_may_still_commit(staff, procedure, settings):
    """Transaction ids are taken at the first write, not at commit: a change committed under an older id
    than the version must still show, so while such a writer runs nothing is kept."""
    clerk = staff[Role.ONE_STOP_CLERK]
    dossier = _receive(clerk, procedure)
    database = settings.DATABASES["default"]
    older = psycopg2.connect(dbname=connection.settings_dict["NAME"], user=database["USER"],
                             host=database["HOST"], port=database["PORT"], password=database["PASSWORD"])
    try:
        with older.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()")  # takes its transaction id now
        _receive(clerk, procedure)  # a newer transaction: the version
        client = _client(clerk)
        _view(client)
        assert _view(client)[1] == 3  # not kept: the older writer is still running (the user, the page, the counts)
        with older.cursor() as cursor:
            cursor.execute("UPDATE one_stop_dossier SET applicant_name = 'Người nộp mới' WHERE id = %s", [dossier.pk])
        older.commit()
        _settled(clerk)
        page, queries = _view(client)
        assert "Người nộp mới" in page
        assert _view(client)[1] == 1  # every writer finished: kept again
    finally:
        older.close()


def test_pruning_keeps_every_version(staff, procedure):
    from egov.accounts.backends import IdentifierBackend
    from one_stop.services.queue_changes import queue_changes_prune

    clerk = staff[Role.ONE_STOP_CLERK]
    for _ in range(3):
        _receive(clerk, procedure)
    Procedure.objects.filter(pk=procedure.pk).update(name="Tên mới")
    Procedure.objects.filter(pk=procedure.pk).update(name="Tên mới hơn")
    _settled(clerk)
    version = IdentifierBackend().get_user(clerk.pk).signed_in_facts[QUEUE_VERSION_FACT]
    assert version is not None and QueueChange.objects.count() > 2
    assert queue_changes_prune() > 0
    assert IdentifierBackend().get_user(clerk.pk).signed_in_facts[QUEUE_VERSION_FACT] == version
    # One row per scope: the agency (receiving and handling) and every queue.
    assert QueueChange.objects.count() == 2


def test_a_kept_queue_lasts_until_its_first_row_changes_colour():
    from one_stop.selectors import DueHorizons
    from tests.one_stop.factories import at_local

    now = at_local(2026, 3, 2, 10, 0)  # Monday: due soon is due by the end of Wednesday
    horizons = DueHorizons(now=now, apology_from=at_local(2026, 3, 3, 0, 0), at_risk_until=at_local(2026, 3, 4, 0, 0),
                           due_soon_until=at_local(2026, 3, 5, 0, 0))

    def row(state, due_at):
        return QueueRow(code="X", state=state, due_at=due_at, applicant_name="", procedure_code="", procedure_name="",
                        due_status="on_time")

    friday, overdue = row("in_progress", at_local(2026, 3, 6, 17, 0)), row("received", now - timedelta(hours=1))
    # Due Friday: due soon from the morning the horizon reaches it, so at the latest the page is drawn again at midnight.
    assert queue_seconds_kept(mock.Mock(dossiers=[friday, overdue]), horizons=horizons) == 14 * 3600
    # A row due in two hours turns overdue first.
    page = mock.Mock(dossiers=[friday, row("received", now + timedelta(hours=2)), overdue, row("in_progress", None)])
    assert queue_seconds_kept(page, horizons=horizons) == 2 * 3600
    assert queue_seconds_kept(mock.Mock(dossiers=[overdue]), horizons=horizons) is None


def test_the_nightly_cleanups_are_scheduled_tasks(settings):
    from egov.celery import app

    app.loader.import_default_modules()
    for entry in ("accounts-clear-expired-sessions", "one-stop-prune-queue-changes"):
        assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks


def _settled(user, seconds: float = 20) -> None:
    """Wait until the user's queue version may be trusted: every transaction older than its newest change has ended.
    Other sessions of the same PostgreSQL server (another test run) hold transaction ids too, and while one older
    than the version runs no page is kept — right in production, a coin toss in a shared test server."""
    import time

    from egov.accounts.backends import IdentifierBackend

    until = time.monotonic() + seconds
    while IdentifierBackend().get_user(user.pk).signed_in_facts[QUEUE_VERSION_FACT] is None and time.monotonic() < until:
        time.sleep(0.2)


def _tab(page: str, label: str) -> str:
    import re

    return re.search(rf'>{label} <span class="tab-count">\((\d+\+?)\)</span>', page)[1]


def test_a_kept_queue_s_tab_counts_change_when_a_dossier_turns_overdue(staff, procedure, monkeypatch):
    """The second page's row changes colour only at midnight, yet the overdue tab's count changes when the first
    page's dossier turns overdue: the kept page lasts until then."""
    import time
    from contextlib import ExitStack

    from tests.one_stop.factories import at_local

    monkeypatch.setattr("one_stop.selectors.QUEUE_PAGE_SIZE", 1)
    clerk = staff[Role.ONE_STOP_CLERK]
    client = _client(clerk)
    soon, later = _receive(clerk, procedure), _receive(clerk, procedure)
    Dossier.objects.filter(pk=soon.pk).update(due_at=at_local(2026, 3, 2, 12, 0))  # Monday noon
    Dossier.objects.filter(pk=later.pk).update(due_at=at_local(2026, 3, 6, 17, 0))  # Friday
    monday = at_local(2026, 3, 2, 10, 0)
    _settled(clerk)

    def view(now, monotonic=None):
        with ExitStack() as stack:
            stack.enter_context(mock.patch("django.utils.timezone.now", return_value=now))
            if monotonic is not None:
                stack.enter_context(mock.patch("egov.core.staff_pages.time.monotonic", return_value=monotonic))
            queries = stack.enter_context(CaptureQueriesContext(connection))
            page = client.get(QUEUE, {"trang": "2"}).content.decode()
        return page, len(queries.captured_queries)

    page, _ = view(monday)
    assert later.code in page and soon.code not in page
    assert _tab(page, "Quá hạn") == "0" and _tab(page, "Sắp đến hạn") == "1"
    page, queries = view(monday)
    assert _tab(page, "Quá hạn") == "0" and queries == 1  # kept
    page, queries = view(at_local(2026, 3, 2, 12, 1), time.monotonic() + 2 * 3600 + 61)
    assert _tab(page, "Quá hạn") == "1" and _tab(page, "Sắp đến hạn") == "0" and queries > 1


def test_a_step_completed_changes_the_kept_my_work_count_of_the_next_handler(staff, procedure, settings):
    """Completing the examination changes nothing of the dossier itself (still being handled, same agency): the step
    is what moves the queue's version (migration 0104), so the leader's kept page counts it at once."""
    from one_stop.services.dossiers import dossier_act
    from one_stop.services.process import dossier_step_complete

    settings.EGOV_TWO_FACTOR_ROLES = []
    dossier = dossier_act(dossier=_receive(staff[Role.ONE_STOP_CLERK], procedure), user=staff[Role.SPECIALIST],
                          action="start")
    client = _client(staff[Role.LEADER])
    _settled(staff[Role.LEADER])
    assert _tab(_view(client)[0], "Việc của tôi") == "0"
    page, queries = _view(client)
    assert _tab(page, "Việc của tôi") == "0" and queries == 1  # kept

    dossier_step_complete(dossier=dossier, user=staff[Role.SPECIALIST])
    _settled(staff[Role.LEADER])

    assert Dossier.objects.get(pk=dossier.pk).state == "in_progress"
    assert _tab(_view(client)[0], "Việc của tôi") == "1"


def test_a_supplement_sent_back_changes_the_clerks_kept_my_work_count(staff, procedure):
    from one_stop.services.dossiers import dossier_act

    clerk = staff[Role.ONE_STOP_CLERK]
    dossier = dossier_act(dossier=_receive(clerk, procedure), user=clerk, action="request_supplement", note="Thiếu giấy")
    client = _client(clerk)
    _settled(clerk)
    assert _tab(_view(client)[0], "Việc của tôi") == "0"
    assert _view(client)[1] == 1  # kept
    # What the citizen's online supplement sets (services.dossiers), the state unchanged.
    from django.utils import timezone

    Dossier.objects.filter(pk=dossier.pk).update(supplement_submitted_at=timezone.now())
    _settled(clerk)
    assert _tab(_view(client)[0], "Việc của tôi") == "1"


def test_a_search_links_the_tabs_back_without_counting_them(staff, procedure):
    """A search lists matches of every state: its tabs are links back to the queue, and no search counts the queue."""
    clerk = staff[Role.ONE_STOP_CLERK]
    client = _client(clerk)
    _receive(clerk, procedure)
    _settled(clerk)
    assert _tab(_view(client)[0], "Tất cả") == "1"  # the open queue: its page and the counts
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(QUEUE, {"q": "dang van cong"}).content.decode()
        assert len(queries.captured_queries) == 2  # the user, the search
        assert 'class="tab-count"' not in page and "?nhom=" in page
        _receive(clerk, procedure)  # a new version changes nothing for a search
        _settled(clerk)
