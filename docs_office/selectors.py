"""Read side of docs_office: who sees which documents, with the joins each screen needs."""

import re
from datetime import timedelta

from django.db.models import Case, DateField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from docs_office.constants import AssignmentRole, Confidentiality, IncomingState, OutgoingState
from docs_office.models import IncomingAssignment, IncomingDocument, OutgoingDocument
from egov.accounts.roles import Role
from egov.core.text import fold_vietnamese

# Roles that see every (non-secret) document of their agency; the others see what is assigned to them.
WHOLE_AGENCY_ROLES = {Role.LEADER, Role.RECORDS_CLERK}
DUE_SOON_DAYS = 3
# Word searches rank the newest matches this many at most: lists show 100, the API pages by date.
RANK_WINDOW = 500
# A word search first counts matches among the agency's newest PROBE_ROWS documents: from DENSE_MATCHES on,
# a page of 50 is found by walking at most ~PROBE_ROWS * 50 / DENSE_MATCHES rows of the date index.
PROBE_ROWS = 2000
DENSE_MATCHES = 25
# "15/QĐ-UBND", "QĐ-UBND", "UBND-VP": a number and/or symbol, not words of a summary.
SYMBOL_QUERY = re.compile(r"^(?:(?P<number>\d+)\s*/\s*)?(?P<symbol>[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)+)$")


def text_search(documents: QuerySet, *, query: str, agency_id: int | None, ranked: bool = True) -> QuerySet:
    """Search a typed query: a number and/or symbol by exact match, anything else as words (any order, the
    last one as a prefix) over the stored vector of the folded copies. Both use indexes: no scan of the table.

    The word query also asks for the agency's lexeme (docs_office/search.py), so the GIN index returns only
    that agency's matches and the visibility filters then look at those rows alone. `ranked` orders by
    ts_rank, computed over the newest RANK_WINDOW matches only (a bounded cost however common the words);
    callers that impose their own order (the API's cursor) pass ranked=False and rank nothing."""
    from django.contrib.postgres.search import SearchRank

    from docs_office.search import LexemeQuery, agency_lexeme, matches_among_newest, walked_match

    query = (query or "").strip()
    symbol = SYMBOL_QUERY.match(query)
    if symbol or query.isdigit():
        number = symbol.group("number") if symbol else query
        if symbol:
            documents = documents.filter(symbol__iexact=symbol.group("symbol"))
        if number:
            # Incoming numbers are the issuer's text ("15"); outgoing ones are integers.
            is_text = documents.model._meta.get_field("number").get_internal_type() == "CharField"
            documents = documents.filter(number=number if is_text else int(number))
        return documents
    words = re.findall(r"[a-z0-9]+", fold_vietnamese(query))
    if not words:
        return documents
    if agency_id is None:  # documents are only ever searched within one agency
        return documents.none()
    # Only [a-z0-9] reach the tsquery: nothing a user types can break its syntax or name an agency.
    terms = " & ".join(words[:-1] + [f"{words[-1]}:*"])
    lexemes = f"'{agency_lexeme(agency_id)}' & {terms}"
    # The planner multiplies word frequencies as if independent and so badly underestimates phrases
    # ("giay phep xay dung"); a bounded probe of the newest documents measures the density instead.
    # Dense: walk the (agency, date) index testing each row. Sparse: one GIN lookup of words and agency.
    model = documents.model
    if matches_among_newest(model, agency_id=agency_id, lexemes=lexemes, newest=PROBE_ROWS) >= DENSE_MATCHES:
        documents = documents.filter(walked_match(lexemes))
    else:
        documents = documents.filter(search_vector=LexemeQuery(lexemes))
    if not ranked:
        return documents
    ordering = documents.query.order_by or documents.model._meta.ordering
    window = documents.order_by(*ordering).values("pk")[:RANK_WINDOW]
    words_only = LexemeQuery(terms)
    return documents.filter(pk__in=window).annotate(rank=SearchRank(F("search_vector"), words_only)).order_by(
        "-rank", *ordering)


def _assigned_to(user) -> Exists:
    return Exists(IncomingAssignment.objects.filter(
        Q(user=user) | Q(division__members=user), document=OuterRef("pk")))


def incoming_visible_to(*, user) -> QuerySet[IncomingDocument]:
    """Staff see only their own agency's documents; a specialist or head only what is assigned to them or
    their unit; a secret document only its named readers."""
    if not user.is_authenticated or user.agency_id is None or not user.is_agency_staff:
        return IncomingDocument.objects.none()
    documents = IncomingDocument.objects.filter(agency_id=user.agency_id)
    if user.role_names() & WHOLE_AGENCY_ROLES:
        ordinary = Q(confidentiality=Confidentiality.NORMAL)
    else:
        ordinary = Q(confidentiality=Confidentiality.NORMAL) & Q(_assigned_to(user))
    secret = ~Q(confidentiality=Confidentiality.NORMAL) & Q(Exists(
        IncomingDocument.readers.through.objects.filter(incomingdocument_id=OuterRef("pk"), user_id=user.pk)))
    return documents.filter(ordinary | secret).select_related("document_type", "register")


def incoming_search(*, user, query: str = "", state: str = "", document_type: str = "", date_from=None,
                    date_to=None, ranked: bool = True) -> QuerySet[IncomingDocument]:
    """Search by symbol, summary or issuer, without diacritics (folded copies: no unaccent extension)."""
    documents = text_search(incoming_visible_to(user=user), query=query, agency_id=getattr(user, "agency_id", None),
                            ranked=ranked)
    if state:
        documents = documents.filter(state=state)
    if document_type:
        documents = documents.filter(document_type__code=document_type)
    if date_from:
        documents = documents.filter(issued_on__gte=date_from)
    if date_to:
        documents = documents.filter(issued_on__lte=date_to)
    return documents


def incoming_detail_for(*, user, pk: int) -> IncomingDocument | None:
    return incoming_visible_to(user=user).select_related("issuer_agency", "registered_by", "source_delivery").filter(
        pk=pk).first()


def outgoing_visible_to(*, user) -> QuerySet[OutgoingDocument]:
    """Leaders, records clerks and heads of division see the agency's documents; a specialist sees what
    they drafted and their unit's; a secret one only its readers."""
    if not user.is_authenticated or user.agency_id is None or not user.is_agency_staff:
        return OutgoingDocument.objects.none()
    documents = OutgoingDocument.objects.filter(agency_id=user.agency_id)
    if user.role_names() & (WHOLE_AGENCY_ROLES | {Role.HEAD_OF_DIVISION}):
        ordinary = Q(confidentiality=Confidentiality.NORMAL)
    else:
        ordinary = Q(confidentiality=Confidentiality.NORMAL) & (Q(drafter=user) | Q(division__members=user))
    secret = ~Q(confidentiality=Confidentiality.NORMAL) & Q(Exists(
        OutgoingDocument.readers.through.objects.filter(outgoingdocument_id=OuterRef("pk"), user_id=user.pk)))
    return documents.filter(ordinary | secret).distinct().select_related("document_type", "drafter", "division")


def outgoing_search(*, user, query: str = "", state: str = "", ranked: bool = True) -> QuerySet[OutgoingDocument]:
    documents = text_search(outgoing_visible_to(user=user), query=query, agency_id=getattr(user, "agency_id", None),
                            ranked=ranked)
    if state:
        documents = documents.filter(state=state)
    return documents


def outgoing_detail_for(*, user, pk: int) -> OutgoingDocument | None:
    return outgoing_visible_to(user=user).select_related("agency", "signer", "register", "issued_by").filter(
        pk=pk).first()


def assignments_to_handle(*, user) -> QuerySet[IncomingAssignment]:
    """The dashboard "văn bản cần xử lý": open assignments of the user or their units, lead and support,
    with the effective deadline (the assignment's, else the document's) and overdue / due-soon flags as SQL."""
    today = timezone.localdate()
    deadline = Coalesce(F("deadline"), F("document__deadline"), output_field=DateField())
    visible = incoming_visible_to(user=user).values("pk")
    return (IncomingAssignment.objects
            .filter(Q(user=user) | Q(division__members=user), document__in=visible,
                    document__state__in=[IncomingState.ASSIGNED, IncomingState.IN_PROGRESS],
                    role__in=[AssignmentRole.LEAD, AssignmentRole.SUPPORT])
            .annotate(effective_deadline=deadline,
                      urgency_rank=Case(When(effective_deadline__lt=today, then=Value(0)),
                                        When(effective_deadline__lte=today + timedelta(days=DUE_SOON_DAYS),
                                             then=Value(1)), default=Value(2)))
            .select_related("document", "document__document_type", "user", "division")
            .distinct()
            .order_by("urgency_rank", F("effective_deadline").asc(nulls_last=True), "id"))


def outgoing_to_act_on(*, user) -> QuerySet[OutgoingDocument]:
    """Outgoing documents waiting for this user's step: review, signature or issue."""
    documents = outgoing_visible_to(user=user)
    waiting = Q(state=OutgoingState.DRAFT, drafter=user)
    if user.has_role(Role.HEAD_OF_DIVISION):
        waiting |= Q(state=OutgoingState.HEAD_REVIEW)
    if user.has_role(Role.LEADER):
        waiting |= Q(state=OutgoingState.LEADER_REVIEW) | Q(state=OutgoingState.APPROVED, signer=user)
    if user.has_role(Role.RECORDS_CLERK):
        waiting |= Q(state=OutgoingState.SIGNED)
    return documents.filter(waiting)


def open_work_by_unit(*, user) -> list[dict]:
    """For a leader: per unit (and per person assigned directly), the open lead assignments, how many are
    overdue and how many fall due within 3 days. One query, grouped in SQL."""
    from django.db.models import Count

    if not user.has_role(Role.LEADER) or user.agency_id is None:
        return []
    today = timezone.localdate()
    deadline = Coalesce(F("deadline"), F("document__deadline"), output_field=DateField())
    rows = (IncomingAssignment.objects
            .filter(document__agency_id=user.agency_id, role=AssignmentRole.LEAD,
                    document__state__in=[IncomingState.ASSIGNED, IncomingState.IN_PROGRESS])
            .annotate(effective_deadline=deadline)
            .values("division__name", "user__full_name")
            .annotate(open=Count("id"), overdue=Count("id", filter=Q(effective_deadline__lt=today)),
                      due_soon=Count("id", filter=Q(effective_deadline__gte=today,
                                                    effective_deadline__lte=today + timedelta(days=DUE_SOON_DAYS))))
            .order_by("-overdue", "-open"))
    return [{"name": r["division__name"] or r["user__full_name"], "open": r["open"], "overdue": r["overdue"],
             "due_soon": r["due_soon"]} for r in rows]


def tasks_visible_to(*, user):
    """A leader sees the agency's tasks; others those of the units they belong to."""
    from docs_office.models import Task

    if not user.is_authenticated or user.agency_id is None or not user.is_agency_staff:
        return Task.objects.none()
    tasks = Task.objects.filter(agency_id=user.agency_id).select_related("division")
    if not user.has_role(Role.LEADER):
        tasks = tasks.filter(division__members=user)
    return tasks.order_by("completed_at", "deadline", "id")


def task_completion_by_unit(*, user) -> list[dict]:
    """For a leader: per unit, tasks given, completed, the completion rate and the overdue ones (one query)."""
    from django.db.models import Count

    from docs_office.models import Task

    if not user.has_role(Role.LEADER) or user.agency_id is None:
        return []
    today = timezone.localdate()
    rows = (Task.objects.filter(agency_id=user.agency_id).values("division__name")
            .annotate(total=Count("id"), done=Count("id", filter=Q(completed_at__isnull=False)),
                      overdue=Count("id", filter=Q(completed_at__isnull=True, deadline__lt=today)))
            .order_by("division__name"))
    return [{"name": r["division__name"], "total": r["total"], "done": r["done"], "overdue": r["overdue"],
             "rate": round(100 * r["done"] / r["total"]) if r["total"] else 0} for r in rows]
