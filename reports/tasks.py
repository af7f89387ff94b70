"""Beat tasks of the reports: the nightly roll-up and the monthly report of each agency."""

from egov.core.tasks import egov_task


@egov_task(name="reports.rollup_recent", max_retries=2)
def reports_rollup_recent_task(days: int = 2) -> int:
    """Roll up the last `days` days before today (idempotent: a rerun rewrites the same rows).

    Two days, not one: a payment gateway's late IPN or a control-sheet entry near midnight may land
    after the first run.
    """
    from datetime import timedelta

    from reports.selectors import today
    from reports.services import rollup_days

    end = today() - timedelta(days=1)
    return rollup_days(start=end - timedelta(days=days - 1), end=end)


@egov_task(name="reports.monthly_reports_dispatch", max_retries=0)
def reports_monthly_dispatch_task() -> int:
    """On the 1st: one PDF task per active agency that has leaders, for the month just ended."""
    from datetime import timedelta

    from egov.accounts.roles import Role
    from egov.agencies.models import Agency
    from egov.core.outbox import outbox_enqueue
    from reports.selectors import today

    month = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    agency_ids = list(Agency.objects.filter(is_active=True, staff__groups__name=Role.LEADER)
                      .values_list("id", flat=True).distinct())
    for agency_id in agency_ids:
        outbox_enqueue(reports_monthly_report_task, agency_id, month.isoformat())
    return len(agency_ids)


@egov_task(name="pdf.reports_monthly_report", time_limit=600, soft_time_limit=540)
def reports_monthly_report_task(agency_id: int, month: str) -> int:
    from datetime import date

    from egov.agencies.models import Agency
    from reports.services import monthly_report_create

    report = monthly_report_create(agency=Agency.objects.get(pk=agency_id), month=date.fromisoformat(month))
    return report.pk
