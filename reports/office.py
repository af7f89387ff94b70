"""eOffice figures of the leaders' dashboard: documents issued and received, how electronically, and what is late.

Not part of the 766 index: its digitisation group measures the dossiers of administrative procedures
(electronic results, digitised at reception, reuse of digitised data), not the agencies' correspondence,
so these figures are a section of their own.

Definitions (the period is the province's calendar days, as everywhere in reports):
- issued: outgoing documents with `issued_at` in the period that went out (issued, or issued and later recalled);
  of them "exchanged" have at least one delivery to an agency of the system, "edXML" had their package
  exported at least once (event `export_edxml`), "signed" carry both the leader's and the agency's
  digital signatures completed;
- received: incoming documents with `received_at` in the period; "exchange" came from an agency of the
  system, "edXML" were imported from a package, "paper" were registered from a scan;
- overdue now: incoming documents still being handled (registered, assigned, in progress) whose deadline
  has passed, and tasks not completed whose deadline has passed (days before today).

The counts of the period come from the nightly eOffice roll-up (reports.models.OfficeDailyStat, a row per
agency and day) for the days rolled up, and live (two GROUP BY queries on indexed timestamps) for the rest,
normally today; the overdue counts are two counts on partial indexes (reports migration 0003). Six queries
in all, two more for the drill-down list, whatever the number of documents.
"""

from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import metrics
from reports.models import OFFICE_COUNTERS

OVERDUE_LIMIT = 50


def _today(now) -> date:
    return timezone.localdate(now) if now is not None else timezone.localdate()


def _scoped(queryset, agency_ids):
    return queryset if agency_ids is None else queryset.filter(agency_id__in=agency_ids)


def _issued(start: date, end: date):
    from docs_office.constants import OutgoingState
    from docs_office.models import OutgoingDocument

    lo, hi = metrics.day_bounds(start, end)
    return OutgoingDocument.objects.filter(issued_at__gte=lo, issued_at__lt=hi,
                                           state__in=[OutgoingState.ISSUED, OutgoingState.RECALLED])


def _grouped(queryset, group: tuple[str, ...], time_field: str, aggregates: dict) -> dict[tuple, dict]:
    tz = timezone.get_current_timezone()
    known = {"day": lambda: TruncDate(time_field, tzinfo=tz), "agency": lambda: F("agency_id")}
    dims = {f"dim_{name}": known[name]() for name in group}
    if not dims:
        return {(): queryset.order_by().aggregate(**aggregates)}
    rows = queryset.order_by().annotate(**dims).values(*dims).annotate(**aggregates)
    return {tuple(row[f"dim_{name}"] for name in group): {k: row[k] for k in aggregates} for row in rows}


def office_counts(*, start: date, end: date, group: tuple[str, ...] = (),
                  agency_ids: list[int] | None = None) -> dict[tuple, dict]:
    """The eOffice counters of the days start..end straight from the document tables (two GROUP BY queries):
    what the nightly roll-up stores per day and agency, and the live part of a period (normally today)."""
    from docs_office.models import Delivery, IncomingDocument, OutgoingEvent
    from signatures.constants import SignatureState

    exchanged = Exists(Delivery.objects.filter(document=OuterRef("pk"), channel="system"))  # edXML ones: below
    edxml = Exists(OutgoingEvent.objects.filter(document=OuterRef("pk"), action="export_edxml"))
    signed = Q(leader_signature__state=SignatureState.SIGNED, agency_signature__state=SignatureState.SIGNED)
    out = _grouped(_scoped(_issued(start, end), agency_ids), group, "issued_at", {
        "issued": Count("id"), "issued_exchanged": Count("id", filter=Q(exchanged)),
        "issued_edxml": Count("id", filter=Q(edxml)), "issued_signed": Count("id", filter=signed)})
    lo, hi = metrics.day_bounds(start, end)
    incoming = _grouped(_scoped(IncomingDocument.objects.filter(received_at__gte=lo, received_at__lt=hi), agency_ids),
                        group, "received_at", {
                            "received": Count("id"),
                            "received_exchange": Count("id", filter=Q(source_delivery__isnull=False)),
                            "received_edxml": Count("id", filter=Q(source_delivery__isnull=True) & ~Q(external_id=""))})
    result: dict[tuple, dict] = {}
    for part in (out, incoming):
        for key, values in part.items():
            target = result.setdefault(key, dict.fromkeys(OFFICE_COUNTERS, 0))
            for name, value in values.items():
                target[name] += value or 0
    return result


def office_export_days(*, start: date, end: date) -> set[date]:
    """Issue days of the documents exported as edXML during start..end (their day's "edXML" count moved)."""
    from docs_office.models import OutgoingEvent

    lo, hi = metrics.day_bounds(start, end)
    tz = timezone.get_current_timezone()
    return set(OutgoingEvent.objects.filter(action="export_edxml", at__gte=lo, at__lt=hi,
                                            document__issued_at__isnull=False)
               .annotate(issue_day=TruncDate("document__issued_at", tzinfo=tz))
               .values_list("issue_day", flat=True).distinct())


def _period_counts(*, start: date, end: date, agency_ids) -> dict:
    """Rolled-up days from the eOffice roll-up (one query), the rest (normally today) live."""
    from reports.models import OfficeDailyStat

    last = metrics.rolled_range(start=start, end=end)
    total = dict.fromkeys(OFFICE_COUNTERS, 0)
    parts = []
    if last is not None:
        rows = OfficeDailyStat.objects.filter(day__gte=start, day__lte=last)
        if agency_ids is not None:
            rows = rows.filter(agency_id__in=list(agency_ids))
        parts.append(rows.aggregate(**{name: Sum(name) for name in OFFICE_COUNTERS}))
        if last < end:
            parts.append(office_counts(start=last + timedelta(days=1), end=end, agency_ids=agency_ids)[()])
    else:
        parts.append(office_counts(start=start, end=end, agency_ids=agency_ids)[()])
    for part in parts:
        for name in OFFICE_COUNTERS:
            total[name] += part.get(name) or 0
    return total


def office_figures(*, start: date, end: date, agency_ids: list[int] | None, now=None) -> dict:
    """The eOffice counts and shares of the period for these agencies (None = the whole province)."""
    from docs_office.models import IncomingDocument, Task
    from docs_office.models.incoming import OPEN_STATES

    today = _today(now)
    c = _period_counts(start=start, end=end, agency_ids=agency_ids)
    overdue_documents = _scoped(IncomingDocument.objects, agency_ids).filter(
        state__in=OPEN_STATES, deadline__lt=today).count()
    overdue_tasks = _scoped(Task.objects, agency_ids).filter(completed_at__isnull=True, deadline__lt=today).count()

    electronic = c["received_exchange"] + c["received_edxml"]
    # Paper: everything else received, i.e. registered by a records clerk from a scan. A document that
    # arrived electronically and is still waiting for its clerk (state received) counts as electronic.
    paper = c["received"] - electronic
    return {
        "issued": c["issued"], "issued_exchanged": c["issued_exchanged"], "issued_edxml": c["issued_edxml"],
        "issued_signed": c["issued_signed"],
        "exchanged_pct": metrics.ratio(c["issued_exchanged"], c["issued"]),
        "edxml_pct": metrics.ratio(c["issued_edxml"], c["issued"]),
        "signed_pct": metrics.ratio(c["issued_signed"], c["issued"]),
        "received": c["received"], "received_exchange": c["received_exchange"],
        "received_edxml": c["received_edxml"], "received_electronic": electronic, "received_paper": paper,
        "received_electronic_pct": metrics.ratio(electronic, c["received"]),
        "overdue_documents": overdue_documents, "overdue_tasks": overdue_tasks,
    }


def office_overdue(*, agency_ids: list[int] | None, now=None, limit: int = OVERDUE_LIMIT) -> list[dict]:
    """Drill-down: overdue incoming documents being handled and overdue tasks, most overdue first (at most
    `limit` rows; two queries). A secret document shows no summary: the dashboard is not its reader list."""
    from docs_office.models import IncomingDocument, Task
    from docs_office.models.incoming import OPEN_STATES

    today = _today(now)
    documents = (_scoped(IncomingDocument.objects, agency_ids)
                 .filter(state__in=OPEN_STATES, deadline__lt=today).select_related("agency")
                 .only("number", "symbol", "summary", "confidentiality", "deadline", "state", "agency__name")
                 .order_by("deadline", "id")[:limit])
    tasks = (_scoped(Task.objects, agency_ids).filter(completed_at__isnull=True, deadline__lt=today)
             .select_related("agency", "division").only("title", "deadline", "progress", "agency__name", "division__name")
             .order_by("deadline", "id")[:limit])
    rows = [{"kind": _("Văn bản đến"), "reference": d.number_symbol or "—",
             "summary": _("(Văn bản mật)") if d.is_secret else d.summary, "agency": d.agency.name,
             "handler": str(d.get_state_display()), "deadline": d.deadline, "days_late": (today - d.deadline).days,
             "url": reverse("docs_office:incoming_detail", args=[d.pk])} for d in documents]
    rows += [{"kind": _("Nhiệm vụ"), "reference": "—", "summary": t.title, "agency": t.agency.name,
              "handler": _("%(unit)s, tiến độ %(p)s%%") % {"unit": t.division.name, "p": t.progress},
              "deadline": t.deadline, "days_late": (today - t.deadline).days,
              "url": reverse("docs_office:tasks") + f"#nhiem-vu-{t.pk}"} for t in tasks]
    rows.sort(key=lambda r: (r["deadline"], r["kind"]))
    return rows[:limit]
