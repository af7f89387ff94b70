from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.workdays.models import CalendarDay, DayKind
from egov.workdays.services import add_working_days, count_working_days, is_working_day

pytestmark = pytest.mark.django_db

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=60)
hypothesis_settings = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_five_working_days_from_friday_before_tet_lands_on_the_friday_after():
    # Received Friday 13 Feb 2026; Tết closes 16–20 Feb; the weekend closes 14–15 and 21–22.
    assert add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)


def test_a_datetime_keeps_its_time_of_day():
    received = timezone.make_aware(datetime(2026, 2, 13, 9, 30))
    due = add_working_days(received, 5)
    assert timezone.localtime(due).date() == date(2026, 2, 27)
    assert timezone.localtime(due).time() == received.time()


def test_weekends_and_national_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 2, 14))  # Saturday
    assert not is_working_day(date(2026, 9, 2))  # National Day
    assert is_working_day(date(2026, 2, 23))


def test_an_admin_day_off_pushes_the_deadline():
    CalendarDay.objects.create(date=date(2026, 2, 23), kind=DayKind.DAY_OFF, note="nghỉ bù")
    assert add_working_days(date(2026, 2, 13), 5) == date(2026, 3, 2)


def test_a_saturday_made_a_working_day_counts():
    CalendarDay.objects.create(date=date(2026, 2, 21), kind=DayKind.WORKING_DAY, note="làm bù")
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 21)
    assert count_working_days(date(2026, 2, 13), date(2026, 2, 23)) == 2


def test_zero_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(date(2026, 3, 4), 0) == date(2026, 3, 4)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 4), -1)


def test_deadlines_over_a_year_away_cross_the_lookup_window():
    due = add_working_days(date(2026, 1, 2), 400)
    assert count_working_days(date(2026, 1, 2), due) == 400
    assert is_working_day(due)


@hypothesis_settings
@given(start=days, n=counts)
def test_adding_never_lands_on_a_non_working_day(start, n):
    due = add_working_days(start, n)
    assert n == 0 or is_working_day(due)


@hypothesis_settings
@given(start=days, n=counts)
def test_counting_is_the_inverse_of_adding(start, n):
    assert count_working_days(start, add_working_days(start, n)) == n


@hypothesis_settings
@given(start=days, n=counts, extra=st.integers(min_value=0, max_value=20))
def test_more_days_never_give_an_earlier_deadline(start, n, extra):
    assert add_working_days(start, n + extra) >= add_working_days(start, n)


@hypothesis_settings
@given(start=days, span=st.integers(min_value=0, max_value=90))
def test_a_span_never_holds_more_working_days_than_calendar_days(start, span):
    assert 0 <= count_working_days(start, start + timedelta(days=span)) <= span
