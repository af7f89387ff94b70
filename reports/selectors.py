"""Reads of the reports app: periods, who sees which agencies, and the figures of each page.

Every page runs a constant number of queries: the counts come grouped from the database (see
reports.metrics), the names of the agencies and procedures in one query each.
"""

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import metrics, office
from reports.index import index_score


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    kind: str


def period_month(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), _("Tháng %(m)02d/%(y)s") % {"m": month, "y": year},
                  "month")


def period_quarter(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    last = calendar.monthrange(year, first + 2)[1]
    return Period(date(year, first, 1), date(year, first + 2, last),
                  _("Quý %(q)s/%(y)s") % {"q": quarter, "y": year}, "quarter")


def period_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), _("Năm %(y)s") % {"y": year}, "year")


def period_custom(start: date, end: date) -> Period:
    return Period(start, end, _("Từ %(a)s đến %(b)s") % {"a": f"{start:%d/%m/%Y}", "b": f"{end:%d/%m/%Y}"}, "custom")


def today() -> date:
    return timezone.localdate()


# --- who sees what -------------------------------------------------------------------------------


def dashboard_allowed(user) -> bool:
    """Leaders (of an agency or of a division) and system administrators see the dashboard."""
    from egov.accounts.roles import Role

    if not user.is_authenticated:
        return False
    return user.is_superuser or user.has_role(Role.SYSTEM_ADMIN) or (
        user.agency_id is not None and (user.has_role(Role.LEADER) or user.has_role(Role.HEAD_OF_DIVISION)))


def dashboard_agency_ids(user) -> list[int] | None:
    """None = every agency (province leaders, administrators); else the leader's agency and its subtree."""
    from egov.accounts.roles import Role
    from egov.agencies.models import AgencyKind
    from egov.agencies.selectors import agency_subtree_ids

    if user.is_superuser or user.has_role(Role.SYSTEM_ADMIN):
        return None
    agency = user.agency
    if agency.parent_id is None and agency.kind == AgencyKind.PROVINCIAL_COMMITTEE:
        return None
    return agency_subtree_ids(agency=agency)


# --- figures -------------------------------------------------------------------------------------


def _cached(key_parts: tuple, compute):
    seconds = settings.EGOV_REPORTS_CACHE_SECONDS
    if not seconds:
        return compute()
    digest = hashlib.sha256(repr((settings.DATABASES["default"]["NAME"], *key_parts)).encode()).hexdigest()
    key = f"reports:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _counts_and_snapshot(*, period: Period, group: tuple[str, ...], agency_ids, now) -> tuple[dict, dict]:
    def compute():
        counts = metrics.period_counts(start=period.start, end=period.end, group=group, agency_ids=agency_ids)
        snap_group = tuple(g for g in group if g in ("agency", "procedure", "channel"))
        snapshot = (metrics.snapshot_counts(group=snap_group, agency_ids=agency_ids, now=now)
                    if snap_group == group else {})
        return counts, snapshot

    return _cached(("by", period.start, period.end, group, tuple(agency_ids or ()), agency_ids is None,
                    now is None), compute)


def figures_by(*, period: Period, group: tuple[str, ...], agency_ids: list[int] | None, now=None,
               computed: tuple[dict, dict] | None = None) -> dict:
    """Derived figures per group key of the period, plus the current snapshot where it applies."""
    counts, snapshot = computed or _counts_and_snapshot(period=period, group=group, agency_ids=agency_ids, now=now)
    zero = dict.fromkeys(metrics.ALL_COUNTERS, 0)
    return {key: metrics.derive(counts.get(key, zero), snapshot.get(key)) for key in set(counts) | set(snapshot)}


def figures_total(*, period: Period, agency_ids: list[int] | None, now=None,
                  computed: tuple[dict, dict] | None = None) -> dict:
    """The whole scope: the per-agency counts added up (no second pass over the dossiers)."""
    counts, snapshot = computed or _counts_and_snapshot(period=period, group=("agency",), agency_ids=agency_ids,
                                                        now=now)
    total = metrics.total(counts)
    return metrics.derive(total, {"in_progress": sum(s["in_progress"] for s in snapshot.values()),
                                  "overdue": sum(s["overdue"] for s in snapshot.values())})


def catalogue_figures() -> dict:
    """Province-wide facts of the catalogue: procedures published in full, offered online (one query)."""
    from one_stop.models import Procedure, ProcedureVersion

    current = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), effective_from__lte=timezone.now(),
                                              processing_days__isnull=False).exclude(required_documents=[])
    row = Procedure.objects.filter(is_active=True).aggregate(
        n=Count("id"), online=Count("id", filter=Q(online_level__in=["full", "partial"])),
        published=Count("id", filter=Q(Exists(current))))
    return {"procedures": row["n"], "procedures_online": row["online"], "procedures_published": row["published"],
            "published_pct": metrics.ratio(row["published"], row["n"]),
            "procedures_online_pct": metrics.ratio(row["online"], row["n"])}


def with_index(figures: dict, catalogue: dict) -> dict:
    f = {**catalogue, **figures}
    # Every dossier of the system has a code and a public lookup page from the moment it is received.
    f["lookup_pct"] = metrics.ratio(f["received"], f["received"])
    running = f["in_progress"]
    f["running_in_time_pct"] = metrics.ratio(running - f["overdue"], running)
    f["index"] = index_score(f)
    return f


def agency_names(ids) -> dict[int, str]:
    from egov.agencies.models import Agency

    return dict(Agency.objects.filter(pk__in=list(ids)).values_list("id", "name"))


def public_statistics(*, period: Period) -> dict:
    """The public page: per agency and in total; counts only, never a person's data."""
    computed = _counts_and_snapshot(period=period, group=("agency",), agency_ids=None, now=None)
    by_agency = figures_by(period=period, group=("agency",), agency_ids=None, computed=computed)
    names = agency_names(k[0] for k in by_agency)
    rows = sorted(({"agency_id": k[0], "agency": names.get(k[0], "—"), **v} for k, v in by_agency.items()),
                  key=lambda r: r["agency"])
    total = figures_total(period=period, agency_ids=None, computed=computed)
    # Anyone can ask for one day: a cell of few ratings would show single applicants' ratings (page, API, exports).
    minimum = settings.EGOV_STATS_MIN_RATINGS
    ratings_hidden = metrics.hide_few_ratings(rows, total, minimum=minimum)
    return {"rows": rows, "total": total, "trend": trend(end=period.end, agency_ids=None),
            "ratings_hidden": ratings_hidden, "min_ratings": minimum}


def trend(*, end: date, agency_ids: list[int] | None, months: int = 12) -> list[dict]:
    """Month by month up to the month of `end`: received, resolved on time and late."""
    first = date(end.year, end.month, 1)
    for _i in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    last = date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])
    by_month = figures_by(period=period_custom(first, last), group=("month",), agency_ids=agency_ids)
    result, cursor = [], first
    while cursor <= last:
        f = by_month.get((cursor,)) or metrics.derive(dict.fromkeys(metrics.ALL_COUNTERS, 0))
        result.append({"month": cursor, **f})
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return result


def dashboard(*, user, period: Period, now=None) -> dict:
    """The leaders' dashboard of the user's scope: the index overall, by unit and by procedure, the trend."""
    agency_ids = dashboard_agency_ids(user)
    catalogue = catalogue_figures()
    computed = _counts_and_snapshot(period=period, group=("agency",), agency_ids=agency_ids, now=now)
    overall = with_index(figures_total(period=period, agency_ids=agency_ids, computed=computed), catalogue)
    by_agency = figures_by(period=period, group=("agency",), agency_ids=agency_ids, computed=computed)
    names = agency_names(k[0] for k in by_agency)
    units = sorted(({"agency_id": k[0], "agency": names.get(k[0], "—"), **with_index(v, catalogue)}
                    for k, v in by_agency.items()), key=lambda r: r["agency"])
    by_procedure = figures_by(period=period, group=("procedure",), agency_ids=agency_ids, now=now)
    top = sorted(by_procedure.items(), key=lambda kv: (-kv[1]["received"], -kv[1]["in_progress"]))[:50]
    published = ProcedureQueries.facts([k[0] for k, _v in top])
    procedures = []
    for (procedure_id,), values in top:
        facts = published.get(procedure_id, {})
        own = {"published_pct": 100.0 if facts.get("published") else 0.0,
               "procedures_online_pct": 100.0 if facts.get("online") else 0.0}
        procedures.append({"procedure_id": procedure_id, "code": facts.get("code", ""), "name": facts.get("name", ""),
                           **with_index(values, own)})
    return {"overall": overall, "units": units, "procedures": procedures, "catalogue": catalogue,
            "trend": trend(end=period.end, agency_ids=agency_ids), "agency_ids": agency_ids,
            "late": late_dossiers(period=period, agency_ids=agency_ids, now=now),
            "feedback_overdue": feedback_overdue_count(agency_ids=agency_ids, now=now),
            "office": office.office_figures(start=period.start, end=period.end, agency_ids=agency_ids, now=now),
            "office_overdue": office.office_overdue(agency_ids=agency_ids, now=now)}


class ProcedureQueries:
    @staticmethod
    def facts(ids: list[int]) -> dict[int, dict]:
        from one_stop.models import Procedure, ProcedureVersion

        current = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), effective_from__lte=timezone.now(),
                                                  processing_days__isnull=False).exclude(required_documents=[])
        rows = Procedure.objects.filter(pk__in=ids).annotate(published=Exists(current)).values(
            "id", "code", "name", "online_level", "published")
        return {r["id"]: {**r, "online": r["online_level"] in ("full", "partial")} for r in rows}


LATE_LIMIT = 200


def late_dossiers(*, period: Period, agency_ids: list[int] | None, now=None):
    """Drill-down: dossiers resolved late in the period, and those overdue now (most overdue first)."""
    from one_stop.models import Dossier

    now = now or timezone.now()
    lo, hi = metrics.day_bounds(period.start, period.end)
    dossiers = Dossier.objects.annotate(deadline=metrics.deadline_expression())
    if agency_ids is not None:
        dossiers = dossiers.filter(handling_agency_id__in=agency_ids)
    late = (Q(resolved_at__gte=lo, resolved_at__lt=hi, resolved_at__gt=F("deadline"))
            | Q(state__in=metrics.RUNNING_STATES, deadline__lt=now))
    return list(dossiers.filter(late).select_related("procedure", "handling_agency")
                .only("code", "state", "due_at", "original_due_at", "resolved_at", "received_at", "channel",
                      "procedure__code", "procedure__name", "handling_agency__name")
                .order_by("deadline", "code")[:LATE_LIMIT])


def feedback_overdue_count(*, agency_ids, now=None) -> int:
    """Overdue answers to feedback (phản ánh, kiến nghị) of these agencies (None = the whole province);
    the portal app owns feedback and its deadline rule."""
    from portal.selectors import feedback_overdue

    result = feedback_overdue(now=now)
    if agency_ids is not None:
        result = result.filter(agency_id__in=agency_ids)
    return result.count()


def monthly_report_context(*, agency, month: date) -> dict:
    from egov.agencies.selectors import agency_subtree_ids

    period = period_month(month.year, month.month)
    agency_ids = agency_subtree_ids(agency=agency)
    catalogue = catalogue_figures()
    computed = _counts_and_snapshot(period=period, group=("agency",), agency_ids=agency_ids, now=None)
    overall = with_index(figures_total(period=period, agency_ids=agency_ids, computed=computed), catalogue)
    by_agency = figures_by(period=period, group=("agency",), agency_ids=agency_ids, computed=computed)
    names = agency_names(k[0] for k in by_agency)
    units = sorted(({"agency": names.get(k[0], "—"), **v} for k, v in by_agency.items()), key=lambda r: r["agency"])
    # The eOffice section of the dashboard, for the same agencies and month; overdue as of now.
    figures = office.office_figures(start=period.start, end=period.end, agency_ids=agency_ids)
    return {"agency": agency, "period": period, "overall": overall, "units": units, "office": figures,
            "generated_at": timezone.localtime()}
