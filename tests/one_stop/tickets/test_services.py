"""Issuing and calling numbers: daily series, call order, recall/skip/serve rules, who may call, history."""

from datetime import datetime
from unittest import mock

import pytest
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.tickets.models import QueueTicket, QueueTicketEvent, TicketState
from one_stop.tickets.services import (
    MAX_RECALLS,
    ticket_call_next,
    ticket_issue,
    ticket_recall,
    ticket_serve,
    ticket_skip,
)
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.tickets.conftest import make_counter

pytestmark = pytest.mark.django_db


def at_local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def frozen(when):
    return mock.patch("django.utils.timezone.now", return_value=when)


def test_numbers_of_an_area_count_up_from_one_with_the_prefix(area_a):
    labels = [ticket_issue(area=area_a).label for _ in range(3)]

    assert labels == ["A-001", "A-002", "A-003"]


def test_each_area_has_its_own_series(area_a, area_b):
    ticket_issue(area=area_a)

    assert ticket_issue(area=area_b).label == "B-001"


def test_numbers_restart_at_one_the_next_local_day(area_a):
    with frozen(at_local(2026, 3, 2, 16, 59)):
        ticket_issue(area=area_a)
        late = ticket_issue(area=area_a)
    # 00:30 in Hà Nội is still the previous day in UTC: the local day decides.
    with frozen(at_local(2026, 3, 3, 0, 30)):
        morning = ticket_issue(area=area_a)

    assert (late.number, late.day.isoformat()) == (2, "2026-03-02")
    assert (morning.number, morning.label, morning.day.isoformat()) == (1, "A-001", "2026-03-03")


def test_a_closed_area_issues_no_number(area_a):
    area_a.is_active = False
    area_a.save()

    with pytest.raises(ApplicationError) as error:
        ticket_issue(area=area_a)

    assert error.value.status == 409 and not QueueTicket.objects.exists()


def test_call_next_takes_the_oldest_waiting_number_among_the_counters_areas(area_a, area_b, counter, clerk):
    with frozen(at_local(2026, 3, 2, 8, 0)):
        first_b = ticket_issue(area=area_b)
    with frozen(at_local(2026, 3, 2, 8, 1)):
        ticket_issue(area=area_a)

    with frozen(at_local(2026, 3, 2, 8, 5)):
        called = ticket_call_next(counter=counter, clerk=clerk)

    assert called.pk == first_b.pk
    assert (called.state, called.counter, called.called_by, called.called_at) == (
        TicketState.CALLED, counter, clerk, at_local(2026, 3, 2, 8, 5))


def test_call_next_ignores_areas_the_counter_does_not_serve(centre, area_a, area_b, clerk):
    only_a = make_counter(centre, 2, area_a)
    ticket_issue(area=area_b)

    with pytest.raises(ApplicationError) as error:
        ticket_call_next(counter=only_a, clerk=clerk)

    assert error.value.code == "queue_empty" and error.value.status == 409


def test_yesterdays_waiting_numbers_are_not_called_today(area_a, counter, clerk):
    with frozen(at_local(2026, 3, 2, 16, 0)):
        ticket_issue(area=area_a)

    with frozen(at_local(2026, 3, 3, 8, 0)), pytest.raises(ApplicationError) as error:
        ticket_call_next(counter=counter, clerk=clerk)

    assert error.value.code == "queue_empty"


def test_a_counter_must_finish_its_number_before_calling_the_next(area_a, counter, clerk):
    ticket_issue(area=area_a)
    ticket_issue(area=area_a)
    first = ticket_call_next(counter=counter, clerk=clerk)

    with pytest.raises(ApplicationError) as error:
        ticket_call_next(counter=counter, clerk=clerk)

    assert error.value.code == "counter_busy" and first.label in error.value.message
    ticket_serve(ticket=first, clerk=clerk)
    assert ticket_call_next(counter=counter, clerk=clerk).label == "A-002"


def test_an_inactive_counter_cannot_call(area_a, counter, clerk):
    ticket_issue(area=area_a)
    counter.is_active = False
    counter.save()

    with pytest.raises(ApplicationError) as error:
        ticket_call_next(counter=counter, clerk=clerk)

    assert error.value.status == 409


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEADER, Role.CITIZEN, Role.RECORDS_CLERK])
def test_only_one_stop_clerks_may_call(centre, area_a, counter, role):
    ticket_issue(area=area_a)
    user = UserFactory(agency=centre, roles=[role])

    with pytest.raises(ApplicationError) as error:
        ticket_call_next(counter=counter, clerk=user)

    assert error.value.status == 403
    assert QueueTicket.objects.get().state == TicketState.WAITING


def test_a_clerk_of_another_agency_may_not_call_or_act(area_a, counter, clerk):
    stranger = UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK])
    ticket_issue(area=area_a)

    with pytest.raises(ApplicationError) as error:
        ticket_call_next(counter=counter, clerk=stranger)
    assert error.value.status == 403

    called = ticket_call_next(counter=counter, clerk=clerk)
    for action in (ticket_recall, ticket_skip, ticket_serve):
        with pytest.raises(ApplicationError) as error:
            action(ticket=called, clerk=stranger)
        assert error.value.status == 403
    called.refresh_from_db()
    assert (called.state, called.recall_count) == (TicketState.CALLED, 0)


def test_recall_counts_and_is_limited(area_a, counter, clerk):
    ticket_issue(area=area_a)
    ticket = ticket_call_next(counter=counter, clerk=clerk)

    for _ in range(MAX_RECALLS):
        with frozen(at_local(2026, 3, 2, 9, 0)):
            ticket = ticket_recall(ticket=ticket, clerk=clerk)
    with pytest.raises(ApplicationError) as error:
        ticket_recall(ticket=ticket, clerk=clerk)

    ticket.refresh_from_db()
    assert ticket.recall_count == MAX_RECALLS and ticket.state == TicketState.CALLED
    assert ticket.last_called_at == at_local(2026, 3, 2, 9, 0) and ticket.called_at != ticket.last_called_at
    assert error.value.code == "too_many_recalls" and error.value.status == 409


@pytest.mark.parametrize("finish", [ticket_skip, ticket_serve])
@pytest.mark.parametrize("then", [ticket_recall, ticket_skip, ticket_serve])
def test_a_finished_number_cannot_be_recalled_skipped_or_served_again(area_a, counter, clerk, finish, then):
    ticket_issue(area=area_a)
    ticket = finish(ticket=ticket_call_next(counter=counter, clerk=clerk), clerk=clerk)

    with pytest.raises(ApplicationError) as error:
        then(ticket=ticket, clerk=clerk)

    assert error.value.code == "ticket_not_called" and error.value.status == 409
    assert "A-001" in error.value.message


@pytest.mark.parametrize("action", [ticket_recall, ticket_skip, ticket_serve])
def test_a_waiting_number_must_be_called_first(area_a, clerk, action):
    ticket = ticket_issue(area=area_a)

    with pytest.raises(ApplicationError) as error:
        action(ticket=ticket, clerk=clerk)

    assert error.value.status == 409


def test_skip_and_serve_close_the_number(area_a, counter, clerk):
    ticket_issue(area=area_a)
    ticket_issue(area=area_a)
    skipped = ticket_skip(ticket=ticket_call_next(counter=counter, clerk=clerk), clerk=clerk)
    served = ticket_serve(ticket=ticket_call_next(counter=counter, clerk=clerk), clerk=clerk)

    assert (skipped.state, served.state) == (TicketState.SKIPPED, TicketState.SERVED)
    assert skipped.finished_at and served.finished_at


def test_every_state_change_is_recorded_with_who_when_from_and_to(area_a, counter, clerk):
    with frozen(at_local(2026, 3, 2, 8, 0)):
        ticket = ticket_issue(area=area_a)
    with frozen(at_local(2026, 3, 2, 8, 10)):
        ticket = ticket_call_next(counter=counter, clerk=clerk)
    with frozen(at_local(2026, 3, 2, 8, 11)):
        ticket = ticket_recall(ticket=ticket, clerk=clerk)
    with frozen(at_local(2026, 3, 2, 8, 20)):
        ticket_serve(ticket=ticket, clerk=clerk)

    events = list(QueueTicketEvent.objects.filter(ticket=ticket).values_list(
        "action", "from_state", "to_state", "actor", "counter", "at"))
    assert events == [
        ("issue", "", "waiting", None, None, at_local(2026, 3, 2, 8, 0)),
        ("call", "waiting", "called", clerk.pk, counter.pk, at_local(2026, 3, 2, 8, 10)),
        ("recall", "called", "called", clerk.pk, counter.pk, at_local(2026, 3, 2, 8, 11)),
        ("serve", "called", "served", clerk.pk, counter.pk, at_local(2026, 3, 2, 8, 20)),
    ]


def test_a_refused_action_records_no_event(area_a, counter, clerk):
    ticket = ticket_issue(area=area_a)

    with pytest.raises(ApplicationError):
        ticket_serve(ticket=ticket, clerk=clerk)

    assert list(QueueTicketEvent.objects.values_list("action", flat=True)) == ["issue"]
