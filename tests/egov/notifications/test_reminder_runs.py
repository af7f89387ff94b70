"""The morning reminders' claim of their day (found in review): once a day, on working days only."""

from datetime import date
from unittest import mock

import pytest
from django.db import connection, transaction

from egov.notifications.models import ReminderRun
from egov.notifications.services import reminder_run_claim
from egov.workdays.models import CalendarDay, DayKind

pytestmark = pytest.mark.django_db


def test_a_day_is_claimed_once_per_reminder():
    assert reminder_run_claim(reminder="a", day=date(2026, 3, 5))
    assert not reminder_run_claim(reminder="a", day=date(2026, 3, 5))
    assert reminder_run_claim(reminder="b", day=date(2026, 3, 5))
    assert reminder_run_claim(reminder="a", day=date(2026, 3, 6))
    assert ReminderRun.objects.count() == 3


def test_a_run_that_rolls_back_leaves_the_day_to_the_next():
    class Failed(Exception):
        pass

    with pytest.raises(Failed), transaction.atomic():
        assert reminder_run_claim(reminder="a", day=date(2026, 3, 5))
        raise Failed  # e.g. the notifications could not be written
    assert reminder_run_claim(reminder="a", day=date(2026, 3, 5))


def test_days_off_are_never_claimed_and_working_weekend_days_are():
    CalendarDay.objects.create(date=date(2026, 3, 5), kind=DayKind.DAY_OFF, note="nghỉ bù")
    CalendarDay.objects.create(date=date(2026, 3, 8), kind=DayKind.WORKING_DAY, note="làm bù")  # a Sunday
    assert not reminder_run_claim(reminder="a", day=date(2026, 3, 5))  # the admin's day off
    assert not reminder_run_claim(reminder="a", day=date(2026, 3, 7))  # an ordinary Saturday
    assert not reminder_run_claim(reminder="a", day=date(2026, 9, 2))  # National Day
    assert reminder_run_claim(reminder="a", day=date(2025, 4, 26))  # the Saturday worked for Friday 02/05/2025
    assert reminder_run_claim(reminder="a", day=date(2026, 3, 8))
    assert not ReminderRun.objects.filter(day__in=[date(2026, 3, 5), date(2026, 3, 7), date(2026, 9, 2)]).exists()


def test_a_claim_outside_a_transaction_is_refused():
    # Outside the notifications' transaction the claim would commit alone: a run failing after it would lose the day.
    with mock.patch.object(connection, "in_atomic_block", False), pytest.raises(RuntimeError):
        reminder_run_claim(reminder="a", day=date(2026, 3, 5))
