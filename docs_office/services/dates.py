"""The range a document's dates may fall in: one rule for the registration page, the API and the edXML import.

A document of the state's administration is dated from 02/09/1945 on (the founding of the Democratic Republic of
Viet Nam): an earlier date is a typo (0001-01-01, 1900-01-01), and the spreadsheet registers cannot even write the
oldest of them as dates. A deadline falls at most DEADLINE_YEARS_AHEAD years ahead (9999-12-31 is a typo too).
That a document is not dated after it arrived is checked where the day of arrival is known (services.incoming).
"""

from datetime import date

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EARLIEST_DOCUMENT_DATE = date(1945, 9, 2)
DEADLINE_YEARS_AHEAD = 10


def _today() -> date:
    # The agency's day, whatever zone the request runs in.
    return timezone.localdate(timezone=timezone.get_default_timezone())


def latest_deadline(today: date | None = None) -> date:
    today = today or _today()
    try:
        return today.replace(year=today.year + DEADLINE_YEARS_AHEAD)
    except ValueError:  # 29 February, ten years on a common year
        return today.replace(year=today.year + DEADLINE_YEARS_AHEAD, day=28)


def _too_early(value: date, label: str) -> str | None:
    if value < EARLIEST_DOCUMENT_DATE:
        return _("%(f)s không thể trước ngày %(d)s.") % {"f": capfirst(label),
                                                          "d": EARLIEST_DOCUMENT_DATE.strftime("%d/%m/%Y")}
    return None


def document_date_problem(value: date | None, *, label: str | None = None) -> str | None:
    """What is wrong with a document's date (ngày văn bản, ngày ban hành), or None."""
    if value is None:
        return None
    return _too_early(value, label or _("ngày văn bản"))


def deadline_problem(value: date | None, *, label: str | None = None, today: date | None = None) -> str | None:
    """What is wrong with a deadline (hạn xử lý), or None: not before the earliest document date, not more than
    DEADLINE_YEARS_AHEAD years ahead."""
    if value is None:
        return None
    label = label or _("hạn xử lý")
    if problem := _too_early(value, label):
        return problem
    latest = latest_deadline(today)
    if value > latest:
        return _("%(f)s không thể sau ngày %(d)s (quá %(n)s năm tới).") % {
            "f": capfirst(label), "d": latest.strftime("%d/%m/%Y"), "n": DEADLINE_YEARS_AHEAD}
    return None
