"""Writes of the reports app: the daily roll-up and the monthly report of an agency."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from reports.metrics import live_counts
from reports.models import COUNTERS, DossierDailyStat, RollupDay

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
    from egov.core.pdf import render_pdf
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send
    from reports.models import MonthlyReport
    from reports.selectors import monthly_report_context

    month = month.replace(day=1)
    existing = MonthlyReport.objects.filter(agency=agency, month=month).first()
    if existing is not None:
        return existing
    pdf = render_pdf("reports/pdf/monthly.html", monthly_report_context(agency=agency, month=month))
    with transaction.atomic():
        report = MonthlyReport(agency=agency, month=month)
        report.file.save(f"{agency.pk}.pdf", ContentFile(pdf), save=False)
        report.save()
        link = reverse("reports_staff:monthly_report", kwargs={"report_id": report.pk})
        leaders = User.objects.filter(agency=agency, is_active=True, groups__name=Role.LEADER).distinct()
        for leader in leaders:
            notification_send(template="message", channel=Channel.IN_APP, recipient=leader, payload={
                "subject": _("Báo cáo tình hình giải quyết hồ sơ tháng %(month)s") % {"month": f"{month:%m/%Y}"},
                "text": _("Báo cáo tháng %(month)s của %(agency)s đã sẵn sàng: %(link)s")
                % {"month": f"{month:%m/%Y}", "agency": agency.name, "link": link},
                "link": link,
            })
    return report
