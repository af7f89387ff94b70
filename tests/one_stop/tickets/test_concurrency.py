"""Parallel kiosks and counters on real connections: no repeated or skipped number, no number called twice."""

import threading

import pytest
from django.db import connection

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.tickets.models import QueueTicket, TicketState
from one_stop.tickets.services import ticket_call_next, ticket_issue
from tests.factories import UserFactory
from tests.one_stop.tickets.conftest import make_counter

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_threads(count: int, work) -> list:
    """Start `count` threads that wait at a barrier, then each run work(index) on its own connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as exc:  # collected and asserted by the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_parallel_kiosks_take_consecutive_numbers_without_repeats_or_gaps(area_a):
    results = run_in_threads(12, lambda _i: ticket_issue(area=area_a).number)

    assert sorted(results) == list(range(1, 13))


def test_parallel_counters_never_call_the_same_number(centre, area_a):
    for _ in range(6):
        ticket_issue(area=area_a)
    clerks = [UserFactory(agency=centre, roles=[Role.ONE_STOP_CLERK]) for _ in range(8)]
    counters = [make_counter(centre, n, area_a) for n in range(1, 9)]

    results = run_in_threads(8, lambda i: ticket_call_next(counter=counters[i], clerk=clerks[i]).pk)

    called = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(called) == 6 and len(set(called)) == 6
    assert len(refused) == 2 and all(e.code == "queue_empty" for e in refused)
    assert QueueTicket.objects.filter(state=TicketState.CALLED).count() == 6
    assert QueueTicket.objects.values("counter").distinct().count() == 6


def test_two_clerks_at_one_counter_call_one_number(centre, area_a, counter):
    for _ in range(3):
        ticket_issue(area=area_a)
    clerks = [UserFactory(agency=centre, roles=[Role.ONE_STOP_CLERK]) for _ in range(2)]

    results = run_in_threads(2, lambda i: ticket_call_next(counter=counter, clerk=clerks[i]).pk)

    assert sum(isinstance(r, int) for r in results) == 1
    assert [r.code for r in results if isinstance(r, ApplicationError)] == ["counter_busy"]
