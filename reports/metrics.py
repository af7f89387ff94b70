"""The counts behind every table and chart, computed by the database (GROUP BY), never by a loop over rows.

One set of definitions serves the daily roll-up (reports.services.rollup_days), the live figures for the
days not rolled up yet (normally today) and the current snapshot (in progress, overdue). See
reports.models for the definitions in words.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from reports.models import COUNTERS, AgencyDailyStat, DossierDailyStat, ProcedureMonthlyStat, RollupDay

# Extra counters derived from the channel dimension (stored rows keep the channel as a column).
CHANNEL_COUNTERS = ("received_counter", "received_online", "received_post")
ALL_COUNTERS = (*COUNTERS, *CHANNEL_COUNTERS)
DIMENSIONS = ("day", "month", "agency", "procedure", "channel")

# Still being handled (đang giải quyết): received and without a result; a dossier waiting for a
# supplement is counted here but never overdue, its clock being stopped (one-stop rules).
IN_PROGRESS_STATES = ("received", "in_progress", "supplement_requested")
RUNNING_STATES = ("received", "in_progress")


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[local midnight of start, local midnight after end): days are the province's calendar days."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


def deadline_expression():
    """The date a dossier is judged against: the first promised date — an apology's new date does not make a late
    dossier on time (766/QĐ-TTg) — unless the clock restarted in full after the apology (a supplement came back: a
    `resume` event after `postponed_at`), when the promise of the restarted clock, `due_at`, is the one that holds.
    The event is looked up only for a postponed dossier (CASE stops at the first branch that holds)."""
    from one_stop.models import DossierEvent

    restarted = Exists(DossierEvent.objects.filter(dossier_id=OuterRef("pk"), action="resume",
                                                   at__gt=OuterRef("postponed_at")))
    return Case(When(original_due_at__isnull=True, then=F("due_at")), When(restarted, then=F("due_at")),
                default=F("original_due_at"))


def _dimension_expressions(group: Sequence[str], *, prefix: str, time_field: str) -> dict:
    tz = timezone.get_current_timezone()
    known = {
        "day": lambda: TruncDate(time_field, tzinfo=tz),
        "month": lambda: TruncMonth(time_field, tzinfo=tz),
        "agency": lambda: F(f"{prefix}handling_agency_id"),
        "procedure": lambda: F(f"{prefix}procedure_id"),
        "channel": lambda: F(f"{prefix}channel"),
    }
    return {f"dim_{name}": known[name]() for name in group}


def _key(row: dict, group: Sequence[str]) -> tuple:
    values = []
    for name in group:
        value = row[f"dim_{name}"]
        if isinstance(value, datetime):
            value = timezone.localtime(value).date()
        values.append(value)
    return tuple(values)


def _group_rows(queryset, dims: dict, aggregates: dict) -> list[dict]:
    """GROUP BY the dimensions; with none, one aggregate row (values() without fields would group by row)."""
    if not dims:
        return [queryset.order_by().aggregate(**aggregates)]
    return list(queryset.order_by().annotate(**dims).values(*dims).annotate(**aggregates))


def _grouped(queryset, group, *, prefix: str, time_field: str, aggregates: dict) -> Iterable[tuple[tuple, dict]]:
    dims = _dimension_expressions(group, prefix=prefix, time_field=time_field)
    for row in _group_rows(queryset, dims, aggregates):
        yield _key(row, group), {name: row[name] for name in aggregates}


def live_counts(*, start: date, end: date, group: Sequence[str], agency_ids: Sequence[int] | None = None) -> dict:
    """Counts of the days start..end (inclusive) straight from the dossier tables: six GROUP BY queries."""
    from one_stop.constants import DocumentKind, DossierChannel, OnlineLevel, RatingLevel
    from one_stop.models import Dossier, DossierDocument, DossierEvent, DossierRating
    from public_services.payments.constants import PaymentState
    from public_services.payments.models import Payment

    lo, hi = day_bounds(start, end)
    result: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(ALL_COUNTERS, 0))

    def scope(queryset, prefix=""):
        if agency_ids is not None:
            queryset = queryset.filter(**{f"{prefix}handling_agency_id__in": list(agency_ids)})
        return queryset

    def add(pairs):
        for key, counts in pairs:
            target = result[key]
            for name, value in counts.items():
                target[name] += value or 0

    digitised = DossierDocument.objects.filter(dossier=OuterRef("pk"),
                                               kind__in=[DocumentKind.SUBMITTED, DocumentKind.SUPPLEMENT])
    e_result = DossierDocument.objects.filter(dossier=OuterRef("pk"), kind=DocumentKind.RESULT)
    add(_grouped(scope(Dossier.objects.filter(received_at__gte=lo, received_at__lt=hi)), group, prefix="",
                 time_field="received_at", aggregates={
                     "received": Count("id"),
                     "received_counter": Count("id", filter=Q(channel=DossierChannel.COUNTER)),
                     "received_online": Count("id", filter=Q(channel=DossierChannel.ONLINE)),
                     "received_post": Count("id", filter=Q(channel=DossierChannel.POST)),
                     "received_fully_online": Count("id", filter=Q(channel=DossierChannel.ONLINE,
                                                                   procedure__online_level=OnlineLevel.FULL)),
                     "received_with_fee": Count("id", filter=Q(fee_vnd__gt=0)),
                     "received_digitised": Count("id", filter=Q(Exists(digitised))),
                 }))
    resolved = scope(Dossier.objects.filter(resolved_at__gte=lo, resolved_at__lt=hi)).annotate(
        deadline=deadline_expression())
    on_time = Q(deadline__isnull=True) | Q(resolved_at__lte=F("deadline"))
    add(_grouped(resolved, group, prefix="", time_field="resolved_at", aggregates={
        "resolved_on_time": Count("id", filter=on_time),
        "resolved_late": Count("id", filter=~on_time),
        "resolved_e_result": Count("id", filter=Q(Exists(e_result))),
    }))
    add(_grouped(scope(Dossier.objects.filter(returned_at__gte=lo, returned_at__lt=hi)), group, prefix="",
                 time_field="returned_at", aggregates={"returned": Count("id")}))
    # Refusal and withdrawal leave no timestamp on the dossier: the control sheet's event has it.
    closing = DossierEvent.objects.filter(at__gte=lo, at__lt=hi, to_state__in=["refused", "withdrawn"])
    add(_grouped(scope(closing, "dossier__"), group, prefix="dossier__", time_field="at", aggregates={
        "refused": Count("dossier_id", distinct=True, filter=Q(to_state="refused")),
        "withdrawn": Count("dossier_id", distinct=True, filter=Q(to_state="withdrawn")),
    }))
    paid = Payment.objects.filter(state=PaymentState.PAID, paid_at__gte=lo, paid_at__lt=hi)
    add(_grouped(scope(paid, "dossier__"), group, prefix="dossier__", time_field="paid_at",
                 aggregates={"paid_online": Count("dossier_id", distinct=True)}))
    ratings = DossierRating.objects.filter(created_at__gte=lo, created_at__lt=hi)
    add(_grouped(scope(ratings, "dossier__"), group, prefix="dossier__", time_field="created_at", aggregates={
        "rating_satisfied": Count("id", filter=Q(level=RatingLevel.SATISFIED)),
        "rating_acceptable": Count("id", filter=Q(level=RatingLevel.ACCEPTABLE)),
        "rating_unsatisfied": Count("id", filter=Q(level=RatingLevel.UNSATISFIED)),
    }))
    return dict(result)


def _sum_rows(rows, *, group: Sequence[str], day_field: str, channel_columns: bool) -> dict:
    stored = {"day": F(day_field), "month": TruncMonth(day_field), "agency": F("agency_id"),
              "procedure": F("procedure_id"), "channel": F("channel")}
    dims = {f"dim_{name}": stored[name] for name in group}
    # Aliased apart from the columns they sum: aggregate() refuses an alias equal to a field's name.
    aggregates = {f"sum_{name}": Sum(name) for name in COUNTERS}
    for name in CHANNEL_COUNTERS:
        aggregates[f"sum_{name}"] = (Sum(name) if channel_columns
                                     else Sum("received", filter=Q(channel=name.removeprefix("received_"))))
    result = {}
    for row in _group_rows(rows, dims, aggregates):
        if not group and not any(row.values()):
            continue
        result[_key(row, group)] = {name: row[f"sum_{name}"] or 0 for name in ALL_COUNTERS}
    return result


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last day of the whole calendar months inside start..end, or None."""
    first = start if start.day == 1 else (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    after = end + timedelta(days=1)
    last = end if after.day == 1 else end.replace(day=1) - timedelta(days=1)
    return (first, last) if first <= last else None


def rollup_counts(*, start: date, end: date, group: Sequence[str], agency_ids: Sequence[int] | None = None) -> dict:
    """The same counts summed from the roll-ups, the coarsest that has the dimensions asked for.

    By agency, month, day or in total: AgencyDailyStat (a row per agency and day, one query). By procedure:
    ProcedureMonthlyStat for the whole months of the range, the detailed rows for the days around them (one
    or two queries more). By channel: the detailed DossierDailyStat rows.
    """
    def scoped(rows):
        return rows if agency_ids is None else rows.filter(agency_id__in=list(agency_ids))

    dims = set(group)
    if dims <= {"day", "month", "agency"}:
        return _sum_rows(scoped(AgencyDailyStat.objects.filter(day__gte=start, day__lte=end)), group=group,
                         day_field="day", channel_columns=True)

    def detailed(lo: date, hi: date) -> dict:
        return _sum_rows(scoped(DossierDailyStat.objects.filter(day__gte=lo, day__lte=hi)), group=group,
                         day_field="day", channel_columns=False)

    months = _whole_months(start, end) if dims <= {"month", "agency", "procedure"} else None
    if months is None:
        return detailed(start, end)
    parts = [_sum_rows(scoped(ProcedureMonthlyStat.objects.filter(month__gte=months[0], month__lte=months[1])),
                       group=group, day_field="month", channel_columns=True)]
    if start < months[0]:
        parts.append(detailed(start, months[0] - timedelta(days=1)))
    if months[1] < end:
        parts.append(detailed(months[1] + timedelta(days=1), end))
    return merge(*parts) if len(parts) > 1 else parts[0]


def rolled_range(*, start: date, end: date) -> date | None:
    """The last day of start..end up to which every day is rolled up (contiguously from start), or None."""
    from django.db.models import Max, Min

    marks = RollupDay.objects.filter(day__gte=start, day__lte=end).aggregate(n=Count("id"), first=Min("day"),
                                                                            last=Max("day"))
    if not marks["n"] or marks["first"] != start or (marks["last"] - start).days + 1 != marks["n"]:
        return None
    return marks["last"]


def period_counts(*, start: date, end: date, group: Sequence[str], agency_ids: Sequence[int] | None = None) -> dict:
    """Counts of start..end: rolled-up days from the roll-up, the rest (normally today) live."""
    last = rolled_range(start=start, end=end)
    parts = []
    if last is not None:
        parts.append(rollup_counts(start=start, end=last, group=group, agency_ids=agency_ids))
        if last < end:
            parts.append(live_counts(start=last + timedelta(days=1), end=end, group=group, agency_ids=agency_ids))
    else:
        parts.append(live_counts(start=start, end=end, group=group, agency_ids=agency_ids))
    return merge(*parts)


def merge(*parts: dict) -> dict:
    result: dict[tuple, dict] = {}
    for part in parts:
        for key, counts in part.items():
            target = result.setdefault(key, dict.fromkeys(ALL_COUNTERS, 0))
            for name in ALL_COUNTERS:
                target[name] += counts.get(name, 0) or 0
    return result


def total(counts: dict) -> dict:
    """All groups added up (the 'Tổng cộng' row)."""
    return merge({(): dict.fromkeys(ALL_COUNTERS, 0)}, *({(): c} for c in counts.values()))[()]


def snapshot_counts(*, group: Sequence[str], agency_ids: Sequence[int] | None = None, now=None) -> dict:
    """Right now: dossiers in progress, and those past their first promised date (one query)."""
    from one_stop.models import Dossier

    now = now or timezone.now()
    dossiers = Dossier.objects.filter(state__in=IN_PROGRESS_STATES)
    if agency_ids is not None:
        dossiers = dossiers.filter(handling_agency_id__in=list(agency_ids))
    dims = {f"dim_{name}": F({"agency": "handling_agency_id", "procedure": "procedure_id",
                              "channel": "channel"}[name]) for name in group}
    rows = _group_rows(dossiers.annotate(deadline=deadline_expression()), dims, {
        "in_progress": Count("id"), "overdue": Count("id", filter=Q(state__in=RUNNING_STATES, deadline__lt=now))})
    return {_key(row, group): {"in_progress": row["in_progress"], "overdue": row["overdue"]} for row in rows}


def ratio(numerator: int, denominator: int) -> float | None:
    """A share in percent; None when there is nothing to divide by (pages show "—", never 0 % or 100 %)."""
    if not denominator:
        return None
    return 100.0 * numerator / denominator


def derive(counts: dict, snapshot: dict | None = None) -> dict:
    """The figures a person reads: totals and shares, from the raw counts of one row."""
    c = dict(counts)
    c["resolved"] = c["resolved_on_time"] + c["resolved_late"]
    c["rated"] = c["rating_satisfied"] + c["rating_acceptable"] + c["rating_unsatisfied"]
    c["on_time_pct"] = ratio(c["resolved_on_time"], c["resolved"])
    c["late_pct"] = ratio(c["resolved_late"], c["resolved"])
    c["online_pct"] = ratio(c["received_online"], c["received"])
    c["fully_online_pct"] = ratio(c["received_fully_online"], c["received"])
    c["paid_online_pct"] = ratio(c["paid_online"], c["received_with_fee"])
    c["digitised_pct"] = ratio(c["received_digitised"], c["received"])
    c["e_result_pct"] = ratio(c["resolved_e_result"], c["resolved"])
    c["satisfied_pct"] = ratio(c["rated"] - c["rating_unsatisfied"], c["rated"])
    # Average on a three-step scale: satisfied 3, acceptable 2, unsatisfied 1.
    c["rating_avg"] = (None if not c["rated"] else
                       (3 * c["rating_satisfied"] + 2 * c["rating_acceptable"] + c["rating_unsatisfied"]) / c["rated"])
    snapshot = snapshot or {}
    c["in_progress"] = snapshot.get("in_progress", 0)
    c["overdue"] = snapshot.get("overdue", 0)
    return c


# What a row of the public statistics says about ratings beyond their number.
RATING_FIGURES = ("rating_satisfied", "rating_acceptable", "rating_unsatisfied", "satisfied_pct", "rating_avg")


def hide_few_ratings(rows: list[dict], total: dict, *, minimum: int) -> bool:
    """Blank (None) the rating figures of each row, and of the total, with fewer than `minimum` ratings; True if any.

    A period can be one day and a dossier's lookup page shows whether it was rated, so a cell of one rating is
    that applicant's rating. Hiding the small cells alone is not enough: the total minus the rows shown gives back
    what a hidden row held. So while the hidden rows hold fewer than `minimum` ratings together, the row with the
    fewest ratings among the shown is hidden too; if none is left, the total has fewer than `minimum` itself and
    is hidden by the first rule. The number of ratings (`rated`) stays: it tells that someone rated, not how.
    """
    hidden = [row for row in rows if 0 < row["rated"] < minimum]
    if hidden:
        shown = sorted((row for row in rows if row["rated"] >= minimum), key=lambda row: row["rated"])
        while shown and sum(row["rated"] for row in hidden) < minimum:
            hidden.append(shown.pop(0))
    if 0 < total["rated"] < minimum:
        hidden.append(total)
    for row in hidden:
        row.update(dict.fromkeys(RATING_FIGURES))
    return bool(hidden)
