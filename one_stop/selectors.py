"""Reads of the one-stop app: the visibility and query-count rules live here."""

import re
from dataclasses import dataclass

from django.db import connection
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


QUEUE_PAGE_SIZE = 25
QUEUE_FIELDS = ("code", "state", "due_at", "applicant_name", "receiving_agency_id", "handling_agency_id",
                "procedure__code", "procedure__name")
# Counting a big agency's whole queue would cost more than the page itself: past this, "more than".
QUEUE_COUNT_CAP = 1000
_CODE_TAIL = re.compile(r"(\d{6})-(\d{1,4})")


def dossier_search_filter(search: str) -> Q:
    """Code (whole, its start, or the part after the agency: 260302-0001), ID number, or applicant name.

    The name matches when it starts with what was typed, with or without the family name, diacritics
    and case ignored: "dang van cong", "Đặng Văn" and "van cong" find Đặng Văn Công. Every condition
    reads a btree index (0090_bench_indexes), so a search stays fast at millions of dossiers.
    """
    term = search.strip()
    condition = Q(code__startswith=term.upper()) | Q(applicant_id_number=term)
    tail = _CODE_TAIL.fullmatch(term)
    if tail:
        condition |= Q(code_tail=f"{tail[1]}-{int(tail[2]):04d}")
    folded = fold_vietnamese(term)
    if any(c.isalpha() for c in folded):
        condition |= Q(applicant_name_folded__startswith=folded) | Q(name_without_family__startswith=folded)
    return condition


def _searchable(queryset: QuerySet) -> QuerySet:
    from django.db.models.functions import Right

    from one_stop.models.dossier import NAME_WITHOUT_FAMILY

    # The same expressions as the indexes of 0090_bench_indexes, or PostgreSQL cannot use them.
    return queryset.alias(code_tail=Right("code", 11), name_without_family=NAME_WITHOUT_FAMILY)


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


def dossiers_online_inbox_for(*, user) -> QuerySet:
    """The desk's online inbox: dossiers submitted online to this desk, and supplements sent back online,
    oldest first."""
    from one_stop.models import Dossier

    if user.agency_id is None:
        return Dossier.objects.none()
    return (Dossier.objects.select_related("procedure", "handling_agency")
            .filter(receiving_agency_id=user.agency_id)
            .filter(Q(state="submitted") | Q(state="supplement_requested", supplement_submitted_at__isnull=False))
            .order_by("submitted_at", "code"))


def dossier_document_visible(*, user, code: str, document_id: int):
    """A file of a dossier the user may see (staff of its agencies, or its owner); None otherwise."""
    from one_stop.models import DossierDocument

    dossiers = dossiers_visible_to(user=user).filter(code=code).values("pk")
    return DossierDocument.objects.filter(pk=document_id, dossier__in=dossiers).first()
@dataclass(frozen=True)
class QueuePage:
    dossiers: list
    number: int
    has_next: bool
    count: int  # at most QUEUE_COUNT_CAP (count_capped says there are more)
    count_capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _open_queue_ids_and_count(*, user, offset: int, limit: int) -> tuple[list[int], int]:
    """One page of ids of the open queue, most urgent first, and its count up to QUEUE_COUNT_CAP + 1.

    One statement: a UNION of parts that each read one partial index in order (dossier_queue_*_idx),
    because an OR across the receiving agency, the handling agency and the citizen would make
    PostgreSQL sort the agency's whole queue. Written in SQL as the ORM would spend longer composing
    the two unions than PostgreSQL takes to answer them.
    """
    from one_stop.models import Dossier

    if user.is_superuser:
        sides = [("TRUE", [])]
    else:
        sides = [("citizen_id = %s", [user.pk])]
        if user.agency_id is not None and user.is_agency_staff:
            sides += [("receiving_agency_id = %s", [user.agency_id]), ("handling_agency_id = %s", [user.agency_id])]
    # Only constant SQL is composed here (the table name and the conditions above); values are parameters.
    table, states = Dossier._meta.db_table, list(QUEUE_OPEN_STATES)
    page_parts, page_params, count_parts, count_params = [], [], [], []
    for condition, values in sides:
        page_parts.append(f"(SELECT id, due_at, code FROM {table} WHERE state = ANY(%s) AND {condition} "  # noqa: S608
                          "ORDER BY due_at, code LIMIT %s)")
        page_params += [states, *values, offset + limit]
        count_parts.append(f"(SELECT code FROM {table} WHERE state = ANY(%s) AND {condition} LIMIT %s)")  # noqa: S608
        count_params += [states, *values, QUEUE_COUNT_CAP + 1]
    sql = (f"SELECT ARRAY(SELECT q.id FROM ({' UNION '.join(page_parts)}) AS q ORDER BY q.due_at, q.code "  # noqa: S608
           f"OFFSET %s LIMIT %s), (SELECT count(*) FROM ({' UNION '.join(count_parts)}) AS c)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*page_params, offset, limit, *count_params])
        ids, count = cursor.fetchone()
    return ids, count


def dossiers_queue_page(*, user, search: str = "", page: int = 1, now=None) -> QueuePage:
    """One page of `dossiers_queue_for`, most urgent first, in at most two queries whatever the queue's size.

    The count stops at QUEUE_COUNT_CAP ("more than 1,000"), and so do the pages (40 of 25) and a
    search's matches: type more of the name or the code to narrow it.
    """
    from django.db.models import Count, Window

    from one_stop.models import Dossier

    # Pages stop where the count does: past a thousand dossiers, narrow the search instead.
    page = max(1, min(page, QUEUE_COUNT_CAP // QUEUE_PAGE_SIZE))
    offset = (page - 1) * QUEUE_PAGE_SIZE
    # Only what the queue shows: the procedure's raw catalogue page and the version's documents are
    # kilobytes of JSON per row.
    shown = Dossier.objects.select_related("procedure").only(*QUEUE_FIELDS)
    if search.strip():
        # The matches are read once through the search indexes: the page and its count in one query.
        matches = dossiers_search(dossiers_visible_to(user=user).select_related(None), search=search)
        ids = matches.order_by("due_at", "code").values("pk")[:QUEUE_COUNT_CAP + 1]
        rows = list(dossiers_with_due_status(shown.filter(pk__in=ids).annotate(queue_total=Window(Count("*")))
                                             .order_by("due_at", "code"), now=now)[offset:offset + QUEUE_PAGE_SIZE + 1])
        count = rows[0].queue_total if rows else 0
    else:
        ids, count = _open_queue_ids_and_count(user=user, offset=offset, limit=QUEUE_PAGE_SIZE + 1)
        rows = list(dossiers_with_due_status(shown.filter(pk__in=ids).order_by("due_at", "code"), now=now))
    return QueuePage(dossiers=rows[:QUEUE_PAGE_SIZE], number=page, has_next=len(rows) > QUEUE_PAGE_SIZE,
                     count=min(count, QUEUE_COUNT_CAP), count_capped=count > QUEUE_COUNT_CAP)


def signed_result_by_token(*, token: str):
    """The signed result a verification QR code names, with only what the public page may show."""
    from one_stop.models import DossierDocument

    return (DossierDocument.objects.select_related("dossier", "dossier__procedure", "dossier__handling_agency")
            .only("file", "sha256", "signed", "verification_token", "dossier__code", "dossier__procedure__code",
                  "dossier__procedure__name", "dossier__handling_agency__name")
            .filter(verification_token=token, signed=True, kind="result").first())
