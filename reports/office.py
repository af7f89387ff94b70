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

Three aggregate queries (conditional Count) and two for the drill-down list, whatever the number of rows.
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import metrics

OVERDUE_LIMIT = 50


def _today(now) -> date:
    return timezone.localdate(now) if now is not None else timezone.localdate()


def _scoped(queryset, agency_ids):
    return queryset if agency_ids is None else queryset.filter(agency_id__in=agency_ids)


def office_figures(*, start: date, end: date, agency_ids: list[int] | None, now=None) -> dict:
    """The eOffice counts and shares of the period for these agencies (None = the whole province)."""
    from docs_office.constants import OutgoingState
    from docs_office.models import Delivery, IncomingDocument, OutgoingDocument, OutgoingEvent, Task
    from docs_office.models.incoming import OPEN_STATES
    from signatures.constants import SignatureState

    lo, hi = metrics.day_bounds(start, end)
    today = _today(now)
    issued = _scoped(OutgoingDocument.objects, agency_ids).filter(
        issued_at__gte=lo, issued_at__lt=hi, state__in=[OutgoingState.ISSUED, OutgoingState.RECALLED])
    exchanged = Exists(Delivery.objects.filter(document=OuterRef("pk")))
    edxml = Exists(OutgoingEvent.objects.filter(document=OuterRef("pk"), action="export_edxml"))
    signed = Q(leader_signature__state=SignatureState.SIGNED, agency_signature__state=SignatureState.SIGNED)
    out = issued.order_by().aggregate(issued=Count("id"), exchanged=Count("id", filter=Q(exchanged)),
                                      edxml=Count("id", filter=Q(edxml)), signed=Count("id", filter=signed))

    received = Q(received_at__gte=lo, received_at__lt=hi)
    from_exchange = Q(source_delivery__isnull=False)
    from_edxml = Q(source_delivery__isnull=True) & ~Q(external_id="")
    incoming = _scoped(IncomingDocument.objects, agency_ids).order_by().aggregate(
        received=Count("id", filter=received),
        received_exchange=Count("id", filter=received & from_exchange),
        received_edxml=Count("id", filter=received & from_edxml),
        overdue_documents=Count("id", filter=Q(state__in=OPEN_STATES, deadline__lt=today)),
    )
    tasks = _scoped(Task.objects, agency_ids).order_by().aggregate(
        overdue_tasks=Count("id", filter=Q(completed_at__isnull=True, deadline__lt=today)))

    electronic = incoming["received_exchange"] + incoming["received_edxml"]
    # Paper: everything else received, i.e. registered by a records clerk from a scan. A document that
    # arrived electronically and is still waiting for its clerk (state received) counts as electronic.
    paper = incoming["received"] - electronic
    return {
        "issued": out["issued"], "issued_exchanged": out["exchanged"], "issued_edxml": out["edxml"],
        "issued_signed": out["signed"],
        "exchanged_pct": metrics.ratio(out["exchanged"], out["issued"]),
        "edxml_pct": metrics.ratio(out["edxml"], out["issued"]),
        "signed_pct": metrics.ratio(out["signed"], out["issued"]),
        "received": incoming["received"], "received_exchange": incoming["received_exchange"],
        "received_edxml": incoming["received_edxml"], "received_electronic": electronic, "received_paper": paper,
        "received_electronic_pct": metrics.ratio(electronic, incoming["received"]),
        "overdue_documents": incoming["overdue_documents"], "overdue_tasks": tasks["overdue_tasks"],
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
