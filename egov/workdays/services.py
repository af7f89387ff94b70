"""The working-day calendar: deadlines count working days, not calendar days.

A day is a working day when it is Monday to Friday and not a Vietnamese public holiday (the
`holidays` package, VN, Tết included), or a weekend day the Government made a working day in exchange for a
day off (the package's `weekend_workdays`: Sat 26/04/2025 worked for Fri 02/05/2025 off) — unless an admin's
CalendarDay says otherwise (a compensatory day off, or a Saturday worked in exchange). Both halves of an
official swap are taken, or a deadline across it would come out a working day late.

`add_working_days(start, n)`: the n-th working day after `start` (the day of receipt never counts).
`count_working_days(start, end)`: working days in (start, end]. The two are inverses:
count_working_days(s, add_working_days(s, n)) == n.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

from egov.workdays.models import CalendarDay, DayKind

# add_working_days looks at most this far ahead in one query; a longer span is fetched again.
_WINDOW_DAYS = 400


@lru_cache(maxsize=64)
def _national_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The `holidays` package's days off and weekend days worked in `year`, kept per process (static data).

    A swap may cross New Year (Mon 31/12/2018 off for Sat 05/01/2019 worked; Fri 02/01/2015 off for Sat 27/12/2014
    worked) and the package files the worked Saturday under the day off's year: the neighbouring years are built
    too, and both sets are cut to `year`. `expand=False`: a look-up never adds years behind our back."""
    national = holidays.country_holidays("VN", years=(year - 1, year, year + 1), expand=False)
    days_off = frozenset(day for day in national.keys() if day.year == year)
    worked = frozenset(day for day in national.weekend_workdays if day.year == year)
    return days_off, worked


class WorkingCalendar:
    """The calendar for a span of dates, with the admin's overrides loaded in one query."""

    def __init__(self, first: date, last: date):
        self.first, self.last = first, last
        self.overrides = dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind"))

    def is_working_day(self, day: date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override == DayKind.WORKING_DAY
        days_off, weekend_workdays = _national_calendar(day.year)
        if day in weekend_workdays:
            return True
        return day.weekday() < 5 and day not in days_off


def is_working_day(day: date | datetime) -> bool:
    day = _as_date(day)
    return WorkingCalendar(day, day).is_working_day(day)


def add_working_days(start: date | datetime, days: int) -> date | datetime:
    """The `days`-th working day after `start`; a datetime keeps its time of day."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = _as_date(start)
    remaining = days
    while remaining:
        calendar = WorkingCalendar(current + timedelta(days=1), current + timedelta(days=_WINDOW_DAYS))
        while remaining and current < calendar.last:
            current += timedelta(days=1)
            if calendar.is_working_day(current):
                remaining -= 1
    if isinstance(start, datetime):
        local = _local(start)
        return local + timedelta(days=(current - local.date()).days)
    return current


def count_working_days(start: date | datetime, end: date | datetime) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    first, last = _as_date(start) + timedelta(days=1), _as_date(end)
    if last < first:
        return 0
    calendar = WorkingCalendar(first, last)
    return sum(1 for offset in range((last - first).days + 1) if calendar.is_working_day(first + timedelta(days=offset)))


def next_working_day(day: date | datetime) -> date | datetime:
    return add_working_days(day, 1)


def working_days_after(day: date, count: int) -> tuple[date, ...]:
    """The first `count` working days after `day`, in one query (a span that needs more is read again)."""
    days, current = [], day
    while len(days) < count:
        calendar = WorkingCalendar(current + timedelta(days=1), current + timedelta(days=_WINDOW_DAYS))
        while len(days) < count and current < calendar.last:
            current += timedelta(days=1)
            if calendar.is_working_day(current):
                days.append(current)
    return tuple(days)


def calendar_version_sql() -> str:
    """SQL of one text value that changes whenever the admin's overrides change (their dates and kinds, hashed):
    what a result computed from the calendar may be kept by (a signed-in user fact). The content itself, not a
    counter, so a change still being committed can never be missed; the table holds a few rows a year, and all of
    them are hashed so the value depends on no clock."""
    from django.db import connection

    table = connection.ops.quote_name(CalendarDay._meta.db_table)
    day, kind = (connection.ops.quote_name(CalendarDay._meta.get_field(name).column) for name in ("date", "kind"))
    return (f"SELECT md5(COALESCE(string_agg({day}::text || {kind}, ',' ORDER BY {day}), '')) "  # noqa: S608  (names from the model)
            f"FROM {table}")


def _local(value: datetime) -> datetime:
    # A deadline is a day in Vietnam, whatever time zone the caller's datetime carries.
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return _local(value).date()
    return value
