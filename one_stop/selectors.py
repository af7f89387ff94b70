"""Reads of the one-stop app: the visibility and query-count rules live here."""

import re
from dataclasses import dataclass

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from egov.core.text import fold_vietnamese
from one_stop.models import Procedure, ProcedureVersion
from one_stop.models.dossier import QUEUE_OPEN_STATES


def procedure_version_current(*, procedure: Procedure, at=None) -> ProcedureVersion | None:
    """The version in force at `at` (default now): the latest that took effect by then."""
    return procedure.versions.filter(effective_from__lte=at or timezone.now()).order_by("-effective_from", "-number").first()


def procedures_search(*, query: str = "", field: str = "", online_level: str = "", level: str = "") -> QuerySet[Procedure]:
    """Active procedures matching every word of `query`, ignoring diacritics and case.

    A match in the code or name ranks before a match in the field, agency, result or legal basis;
    the current version's time limit and fee come along in the same query.
    """
    procedures = Procedure.objects.filter(is_active=True)
    if field:
        procedures = procedures.filter(field=field)
    if online_level:
        procedures = procedures.filter(online_level=online_level)
    if level:
        procedures = procedures.filter(levels__contains=[level])
    words = fold_vietnamese(query).split()
    for word in words:
        procedures = procedures.filter(Q(name_folded__contains=word) | Q(body_folded__contains=word))
    if words:
        phrase = " ".join(words)
        in_name = Q(*[Q(name_folded__contains=w) for w in words])
        procedures = procedures.annotate(rank=Case(
            When(name_folded__contains=phrase, then=Value(0)),
            When(in_name, then=Value(1)),
            default=Value(2), output_field=IntegerField(),
        )).order_by("rank", "code")
    else:
        procedures = procedures.order_by("code")
    current = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), effective_from__lte=timezone.now()).order_by(
        "-effective_from", "-number")
    return procedures.annotate(
        current_processing_days=Subquery(current.values("processing_days")[:1]),
        current_fee_vnd=Subquery(current.values("fee_vnd")[:1]),
    )


def procedure_fields() -> list[str]:
    return list(Procedure.objects.filter(is_active=True).exclude(field="").order_by("field")
                .values_list("field", flat=True).distinct())


def dossiers_visible_to(*, user) -> QuerySet:
    """Staff see their agency's dossiers (received there or handled there); a citizen only their own."""
    from one_stop.models import Dossier

    dossiers = Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency", "handling_agency")
    if user.is_superuser:
        return dossiers
    visible = Q(citizen=user)
    if user.agency_id is not None and user.is_agency_staff:
        visible |= Q(receiving_agency_id=user.agency_id) | Q(handling_agency_id=user.agency_id)
    return dossiers.filter(visible)


# A dossier is "due soon" within this many hours of its due time (two working days are at most
# four calendar days across a weekend; the list then shows what needs attention this week).
DUE_SOON = 48
OPEN_STATES = ("received", "in_progress", "resolved")


def dossiers_with_due_status(queryset: QuerySet, *, now=None) -> QuerySet:
    """Annotate `due_status` (on_time / due_soon / overdue) in SQL, so lists filter and count on it.

    A dossier waiting for a supplement has its clock stopped and is never overdue; closed dossiers
    (returned, refused, withdrawn) are on time by definition here — lateness of returned dossiers is
    a statistic (returned_at > due_at), not a status.
    """
    from datetime import timedelta

    from django.db.models import CharField

    now = now or timezone.now()
    return queryset.annotate(due_status=Case(
        When(Q(state__in=OPEN_STATES) & Q(due_at__lt=now), then=Value("overdue")),
        When(Q(state__in=OPEN_STATES) & Q(due_at__lt=now + timedelta(hours=DUE_SOON)), then=Value("due_soon")),
        default=Value("on_time"), output_field=CharField(),
    ))


def dossier_public_lookup(*, code: str):
    """What anyone may see of a dossier by its code: never the applicant's personal data."""
    from one_stop.models import Dossier

    return (Dossier.objects.select_related("procedure", "handling_agency", "receiving_agency")
            .only("code", "state", "received_at", "due_at", "returned_at", "procedure__code", "procedure__name",
                  "handling_agency__name", "receiving_agency__name")
            .filter(code=code.strip()).first())


QUEUE_PAGE_SIZE = 50
# Counting a big agency's whole queue would cost more than the page itself: past this, "more than".
QUEUE_COUNT_CAP = 1000
_CODE_TAIL = re.compile(r"(\d{6})-(\d{1,4})")


def dossier_search_filter(search: str) -> Q:
    """Code (whole, its start, or the part after the agency: 260302-0001), ID number, or applicant name.

    Every condition can use an index (`one_stop/migrations/0090_bench_indexes.py`), so a search stays
    fast at millions of dossiers: the name matches when every word typed (diacritics and case ignored)
    is a word of the name, the last one possibly unfinished ("cong dang van" and "dang van c" find
    Đặng Văn Công), through a full-text index — the embedded PostgreSQL has no pg_trgm for substrings.
    """
    from django.contrib.postgres.search import SearchQuery

    term = search.strip()
    condition = Q(code__startswith=term.upper()) | Q(applicant_id_number=term)
    tail = _CODE_TAIL.fullmatch(term)
    if tail:
        condition |= Q(code_tail=f"{tail[1]}-{int(tail[2]):04d}")
    words = re.findall(r"[a-z0-9]+", fold_vietnamese(term))
    if any(not word.isdigit() for word in words):
        # Whole words, the last one possibly still being typed: a prefix on every word would make
        # PostgreSQL merge every name starting with "v" or "h" (ten times slower at a million rows).
        query = " & ".join(words[:-1] + [f"{words[-1]}:*"])
        condition |= Q(name_vector=SearchQuery(query, search_type="raw", config="simple"))
    return condition


def _searchable(queryset: QuerySet) -> QuerySet:
    from django.contrib.postgres.search import SearchVector
    from django.db.models.functions import Right

    # The same expressions as the indexes of 0090_bench_indexes, or PostgreSQL cannot use them.
    return queryset.alias(code_tail=Right("code", 11), name_vector=SearchVector("applicant_name_folded", config="simple"))


def dossiers_search(queryset: QuerySet, *, search: str) -> QuerySet:
    """`queryset` narrowed to the dossiers matching `search` (dossier_search_filter)."""
    return _searchable(queryset).filter(dossier_search_filter(search))


def dossiers_queue_for(*, user, now=None, search: str = "") -> QuerySet:
    """A staff member's working list: open dossiers of their agency, the most urgent first.

    With `search`, every dossier of the agency (closed ones too) whose code, applicant ID number or
    applicant name (diacritics and case ignored) matches. Pages use `dossiers_queue_page`, which
    reads the same rows through the indexes.
    """
    visible = dossiers_visible_to(user=user)
    if search.strip():
        queue = dossiers_search(visible, search=search)
    else:
        queue = visible.filter(state__in=QUEUE_OPEN_STATES)
    return dossiers_with_due_status(queue.order_by("due_at", "code"), now=now)


@dataclass(frozen=True)
class QueuePage:
    dossiers: list
    number: int
    has_next: bool
    count: int  # at most QUEUE_COUNT_CAP + 1
    count_capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _queue_branches(*, user, search: str) -> list[QuerySet]:
    """The queue as a union of parts that each read one index in order (an OR across the receiving
    agency, the handling agency and the citizen would make PostgreSQL sort the agency's whole queue)."""
    from one_stop.models import Dossier

    if search.strip():
        plain = dossiers_visible_to(user=user).select_related(None)
        return [dossiers_search(plain, search=search)]
    open_dossiers = Dossier.objects.filter(state__in=QUEUE_OPEN_STATES)
    if user.is_superuser:
        return [open_dossiers]
    branches = [open_dossiers.filter(citizen=user)]
    if user.agency_id is not None and user.is_agency_staff:
        branches += [open_dossiers.filter(receiving_agency_id=user.agency_id),
                     open_dossiers.filter(handling_agency_id=user.agency_id)]
    return branches


def dossiers_queue_page(*, user, search: str = "", page: int = 1, now=None) -> QueuePage:
    """One page of `dossiers_queue_for`, most urgent first, in two queries whatever the queue's size."""
    from one_stop.models import Dossier

    page = max(1, page)
    offset = (page - 1) * QUEUE_PAGE_SIZE
    wanted = offset + QUEUE_PAGE_SIZE + 1
    branches = _queue_branches(user=user, search=search)
    ordered = [b.order_by("due_at", "code").values("pk") for b in branches]
    ids = ordered[0][:wanted] if len(ordered) == 1 else ordered[0][:wanted].union(*[o[:wanted] for o in ordered[1:]])
    rows = list(dossiers_with_due_status(
        Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency", "handling_agency")
        .filter(pk__in=ids).order_by("due_at", "code"), now=now)[offset:offset + QUEUE_PAGE_SIZE + 1])
    plain = [b.order_by().values("pk")[:QUEUE_COUNT_CAP + 1] for b in branches]
    counted = plain[0] if len(plain) == 1 else plain[0].union(*plain[1:])
    count = counted.count()
    return QueuePage(dossiers=rows[:QUEUE_PAGE_SIZE], number=page, has_next=len(rows) > QUEUE_PAGE_SIZE,
                     count=min(count, QUEUE_COUNT_CAP), count_capped=count > QUEUE_COUNT_CAP)
