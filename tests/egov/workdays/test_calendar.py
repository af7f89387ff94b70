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


# Official swaps (found in review): the `holidays` package gives the day off ("substituted from …") and, in
# `weekend_workdays`, the Saturday worked for it; the calendar took the first half only, a day late across each swap.


def test_the_saturday_worked_for_the_2_may_2025_day_off_is_a_working_day():
    # Thông báo 6150/TB-BLĐTBXH: Fri 02/05/2025 off, worked on Sat 26/04/2025.
    assert not is_working_day(date(2025, 5, 2))
    assert is_working_day(date(2025, 4, 26))
    assert is_working_day(date(2024, 5, 4))  # Thu 02/05/2024's day off
    assert is_working_day(date(2026, 8, 22))  # Mon 31/08/2026's day off
    assert not is_working_day(date(2025, 4, 19))  # an ordinary Saturday stays off


def test_a_deadline_across_the_2025_swap_is_not_a_day_late():
    # Received Fri 25/04/2025, 1 working day: Sat 26/04 (made a working day).
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    # 25, 26 (Sat), 28, 29, then 30/4, 1/5, 2/5 off and the weekend: Mon 05/05.
    assert count_working_days(date(2025, 4, 24), date(2025, 5, 5)) == 5
    assert add_working_days(date(2025, 4, 24), 5) == date(2025, 5, 5)


def test_a_swap_across_new_year_is_taken_on_both_sides():
    # Mon 31/12/2018 off for Sat 05/01/2019 worked; Fri 02/01/2015 off for Sat 27/12/2014 worked.
    assert not is_working_day(date(2018, 12, 31))
    assert is_working_day(date(2019, 1, 5))
    assert add_working_days(date(2018, 12, 28), 1) == date(2019, 1, 2)
    assert add_working_days(date(2019, 1, 4), 1) == date(2019, 1, 5)
    assert is_working_day(date(2014, 12, 27))
    assert not is_working_day(date(2015, 1, 2))
    assert count_working_days(date(2014, 12, 26), date(2015, 1, 5)) == 5  # 27/12, 29, 30, 31/12, 05/01


def test_an_admin_override_still_wins_over_a_make_up_saturday():
    CalendarDay.objects.create(date=date(2025, 4, 26), kind=DayKind.DAY_OFF, note="không làm bù")
    assert not is_working_day(date(2025, 4, 26))
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 28)
