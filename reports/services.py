"""Writes of the reports app: the daily roll-up and the monthly report of an agency."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from reports.metrics import CHANNEL_COUNTERS, live_counts
from reports.models import (
    COUNTERS,
    OFFICE_COUNTERS,
    AgencyDailyStat,
    DossierDailyStat,
    OfficeDailyStat,
    ProcedureMonthlyStat,
    RollupDay,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def rollup_days(*, start: date, end: date) -> int:
    """Recompute the roll-up rows of the days start..end (inclusive) from the dossier tables.

    Idempotent: the days' rows are deleted and written again in one transaction, so a rerun after
    new activity (a late IPN, a rating) simply brings them up to date. Returns the rows written.
    """
    if end < start:
        return 0
    counts = live_counts(start=start, end=end, group=("day", "agency", "procedure", "channel"))
    rows = [
        DossierDailyStat(day=day, agency_id=agency_id, procedure_id=procedure_id, channel=channel,
                         **{name: values[name] for name in COUNTERS})
        for (day, agency_id, procedure_id, channel), values in counts.items()
        if any(values[name] for name in COUNTERS)
    ]
    DossierDailyStat.objects.filter(day__gte=start, day__lte=end).delete()
    DossierDailyStat.objects.bulk_create(rows, batch_size=2000)
    _rollup_coarse(start=start, end=end)
    office_rollup_days(start=start, end=end)
    now = timezone.now()
    per_day: dict[date, int] = {}
    for row in rows:
        per_day[row.day] = per_day.get(row.day, 0) + 1
    RollupDay.objects.filter(day__gte=start, day__lte=end).delete()
    RollupDay.objects.bulk_create([RollupDay(day=start + timedelta(days=i), computed_at=now,
                                             rows=per_day.get(start + timedelta(days=i), 0))
                                   for i in range((end - start).days + 1)])
    logger.info("rolled up %s..%s: %s rows", start, end, len(rows))
    return len(rows)


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _rollup_coarse(*, start: date, end: date) -> None:
    """Rewrite the coarser roll-ups from the detailed rows, in SQL: the agency rows of the days start..end
    and the procedure rows of every month those days touch (each month summed whole from its days)."""
    from django.db import connection

    detailed = DossierDailyStat._meta.db_table
    sums = ", ".join(f"COALESCE(SUM({name}), 0)" for name in COUNTERS)
    channels = ", ".join(f"COALESCE(SUM(received) FILTER (WHERE channel = '{name.removeprefix('received_')}'), 0)"
                         for name in CHANNEL_COUNTERS)
    columns = ", ".join((*COUNTERS, *CHANNEL_COUNTERS))
    AgencyDailyStat.objects.filter(day__gte=start, day__lte=end).delete()
    first, _last = _month_bounds(start)
    _first, last = _month_bounds(end)
    ProcedureMonthlyStat.objects.filter(month__gte=first, month__lte=last).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {AgencyDailyStat._meta.db_table} (day, agency_id, {columns}) "  # noqa: S608 (names of our own)
                       f"SELECT day, agency_id, {sums}, {channels} FROM {detailed} "
                       "WHERE day >= %s AND day <= %s GROUP BY day, agency_id", [start, end])
        cursor.execute(f"INSERT INTO {ProcedureMonthlyStat._meta.db_table} (month, agency_id, procedure_id, {columns}) "  # noqa: S608
                       f"SELECT date_trunc('month', day)::date, agency_id, procedure_id, {sums}, {channels} "
                       f"FROM {detailed} WHERE day >= %s AND day <= %s "
                       "GROUP BY date_trunc('month', day), agency_id, procedure_id", [first, last])


def office_rollup_days(*, start: date, end: date) -> int:
    """Recompute the eOffice roll-up rows of the days start..end (inclusive), and of the days whose issued
    documents were exported as edXML in those days (an export may come days after the issue)."""
    from reports.office import office_counts, office_export_days

    days = {start + timedelta(days=i) for i in range((end - start).days + 1)}
    late = sorted(office_export_days(start=start, end=end) - days)
    counts = office_counts(start=start, end=end, group=("day", "agency"))
    for day in late:
        counts.update(office_counts(start=day, end=day, group=("day", "agency")))
    OfficeDailyStat.objects.filter(day__gte=start, day__lte=end).delete()
    OfficeDailyStat.objects.filter(day__in=late).delete()
    rows = [OfficeDailyStat(day=day, agency_id=agency_id, **{name: values[name] for name in OFFICE_COUNTERS})
            for (day, agency_id), values in counts.items() if any(values[name] for name in OFFICE_COUNTERS)]
    OfficeDailyStat.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def rollup_backfill(*, start: date, end: date, chunk_days: int = 31) -> int:
    """Roll up a long range a month at a time (each chunk its own transaction, bounded memory)."""
    written, cursor = 0, start
    while cursor <= end:
        chunk_end = min(end, cursor + timedelta(days=chunk_days - 1))
        written += rollup_days(start=cursor, end=chunk_end)
        cursor = chunk_end + timedelta(days=1)
    return written


def monthly_report_create(*, agency, month: date):
    """Render the month's PDF for an agency, store it privately and tell the agency's leaders in-app.

    Idempotent per (agency, month): a second run keeps the stored report and sends nothing again.
    """
    from django.core.files.base import ContentFile
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from egov.accounts.models import User
    from egov.accounts.roles import Role
    from egov.core.pdf import pdf_language, render_pdf
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send, recipient_language
    from reports.models import MonthlyReport
    from reports.selectors import monthly_report_context

    month = month.replace(day=1)
    existing = MonthlyReport.objects.filter(agency=agency, month=month).first()
    if existing is not None:
        return existing
    with pdf_language():  # the period's and rows' labels made by the context are the report's, in Vietnamese
        context = monthly_report_context(agency=agency, month=month)
    pdf = render_pdf("reports/pdf/monthly.html", context)
    with transaction.atomic():
        report = MonthlyReport(agency=agency, month=month)
        report.file.save(f"{agency.pk}.pdf", ContentFile(pdf), save=False)
        report.save()
        link = reverse("reports_staff:monthly_report", kwargs={"report_id": report.pk})
        leaders = User.objects.filter(agency=agency, is_active=True, groups__name=Role.LEADER).distinct()
        with recipient_language():
            for leader in leaders:
                notification_send(template="message", channel=Channel.IN_APP, recipient=leader, payload={
                    "subject": _("Báo cáo tình hình giải quyết hồ sơ tháng %(month)s") % {"month": f"{month:%m/%Y}"},
                    "text": _("Báo cáo tháng %(month)s của %(agency)s đã sẵn sàng: %(link)s")
                    % {"month": f"{month:%m/%Y}", "agency": agency.name, "link": link},
                    "link": link,
                })
    return report
