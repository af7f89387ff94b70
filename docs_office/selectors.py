"""Read side of docs_office: who sees which documents, with the joins each screen needs."""

import functools
import re
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Case, DateField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from docs_office.constants import AssignmentRole, Confidentiality, IncomingState, OutgoingState, Urgency
from docs_office.filters import ListFilters
from docs_office.models import IncomingAssignment, IncomingDocument, OutgoingDocument
from egov.accounts.roles import Role
from egov.core.text import fold_vietnamese

# Roles that see every (non-secret) document of their agency; the others see what is assigned to them.
NO_FILTERS = ListFilters()
WHOLE_AGENCY_ROLES = {Role.LEADER, Role.RECORDS_CLERK}
DUE_SOON_DAYS = 3
# Word searches rank the newest matches this many at most: lists show 100, the API pages by date.
RANK_WINDOW = 500
# A word search first probes the agency's newest PROBE_ROWS documents: with m matches there, n rows need
# about n * PROBE_ROWS / m rows of the date index walked. The walk is taken when that stays within
# WALK_BUDGET rows; otherwise the GIN index, whose lookup reads the agency's own posting lists (search.py).
PROBE_ROWS = 1000
WALK_BUDGET = 25_000
# What "every match" (a list not cut) counts as when deciding to walk: more than an agency's documents.
UNBOUNDED = 10**6
# What a search reads of a query: the list pages' search box holds no more (maxlength), the API refuses more, and
# a longer word would exceed what PostgreSQL accepts in a tsquery (an error, not "no match").
SEARCH_MAX_LENGTH = 200
# "15/QĐ-UBND", "QĐ-UBND", "UBND-VP": a number and/or symbol, not words of a summary; or the start of one, up to a
# dash at least ("QĐ-UB", "45/BNV-V", "QĐ-"). Any case, any diacritics: the symbol is compared folded (search.SymbolKey).
SYMBOL_QUERY = re.compile(r"^(?:(?P<number>\d+)\s*/\s*)?(?P<symbol>[^\W\d_][^\W_]*(?:(?:-[^\W_]+)+-?|-))$")


class WordSearch:
    """A word search as one SQL statement: two branches over the same visible documents, UNION ALL, of which
    exactly one returns rows. A bounded probe (matches among the agency's PROBE_ROWS newest documents) gates
    them; it has no reference to the outer rows, so PostgreSQL evaluates it as an InitPlan before the rows, and
    a branch whose gate is false is never executed (a "One-Time Filter"). Dense: walk the (agency, date)
    index testing each row, stopping at the page's end. Sparse: one GIN lookup of the agency's own words.

    It answers what the views and DRF's cursor pagination ask of a queryset — filter, exclude, order_by,
    slicing, iteration, len, count, exists, `.query` —: filters apply to every branch, ordering and limits
    to each branch and to the union, which is built last (the walk's threshold depends on the rows asked)."""

    def __init__(self, documents, *, agency_id: int, words: list[str], ordering, ranked: bool, window=None):
        self.model = documents.model
        self._documents = documents
        self._agency_id = agency_id
        self._words = words
        self._ordering = tuple(ordering)
        self._ranked = ranked
        self._window = window
        self._result = None

    def _fields(self) -> dict:
        return {"documents": self._documents, "agency_id": self._agency_id, "words": self._words,
                "ordering": self._ordering, "ranked": self._ranked, "window": self._window}

    def _clone(self, **changes):
        return type(self)(**{**self._fields(), **changes})

    def filter(self, *args, **kwargs):
        return self._clone(documents=self._documents.filter(*args, **kwargs))

    def exclude(self, *args, **kwargs):
        return self._clone(documents=self._documents.exclude(*args, **kwargs))

    def select_related(self, *fields):
        return self._clone(documents=self._documents.select_related(*fields))

    def values(self, *fields):
        return self._clone(documents=self._documents.values(*fields))

    def order_by(self, *fields):
        """An explicit order replaces the ranking (the API's cursor orders by date)."""
        return self._clone(ordering=fields, ranked=False, window=None)

    def _branches(self, need: int) -> list[QuerySet]:
        from django.db.models import BooleanField
        from django.db.models.expressions import RawSQL

        from docs_office.search import LexemeQuery, agency_terms, newest_matches_sql, walked_match

        lexemes = agency_terms(self._agency_id, self._words)
        probe, params = newest_matches_sql(self.model, agency_id=self._agency_id, newest=PROBE_ROWS, lexemes=[lexemes])
        walk_from = need * PROBE_ROWS // WALK_BUDGET

        def gate(condition: str) -> RawSQL:
            # The probe's SQL names only the model's table and columns; every value is a parameter.
            sql = f"(SELECT counts[1] {condition} %s FROM ({probe}) AS probe(counts))"  # noqa: S608
            return RawSQL(sql, [walk_from, *params], output_field=BooleanField())  # noqa: S611

        documents = self._documents
        return [documents.filter(gate(">="), walked_match(lexemes)),
                documents.filter(gate("<"), search_vector=LexemeQuery(lexemes))]

    def _need(self, stop: int | None) -> int | None:
        """The rows each branch reads: a ranked search ranks its window of newest matches, whatever the page."""
        return self._window if self._ranked else stop

    def _rank(self, branch: int):
        """The rank of the rows of branch number `branch`: ts_rank of the words, the same in both branches."""
        from django.contrib.postgres.search import SearchRank

        from docs_office.search import LexemeQuery, agency_terms

        return SearchRank(F("search_vector"), LexemeQuery(agency_terms(self._agency_id, self._words)))

    def union_queryset(self, stop: int | None = None) -> QuerySet:
        """The statement: each branch ordered and cut (at `stop`, or the rank window), then united."""
        need = self._need(stop)
        branches = []
        for number, branch in enumerate(self._branches(need or UNBOUNDED)):
            if self._ranked:
                branch = branch.annotate(rank=self._rank(number))
            branch = branch.order_by(*self._ordering)
            branches.append(branch[:need] if need else branch)
        union = branches[0].union(*branches[1:], all=True)
        return union.order_by("-rank", *self._ordering) if self._ranked else union.order_by(*self._ordering)

    @property
    def query(self):
        return self.union_queryset().query

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop is not None and index.stop < 0):
                raise ValueError("WordSearch slices go forward, without a step")
            return self.union_queryset(stop=index.stop)[index]
        return self.union_queryset(stop=index + 1)[index]

    def _rows(self) -> list:
        if self._result is None:
            self._result = list(self.union_queryset())
        return self._result

    def __iter__(self):
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self._rows())

    def __bool__(self) -> bool:
        return bool(self._rows())

    def count(self) -> int:
        return len(self._rows()) if self._result is not None else self.union_queryset().count()

    def exists(self) -> bool:
        return bool(self._rows()) if self._result is not None else self.union_queryset(stop=1).exists()


class SymbolSearch(WordSearch):
    """A symbol typed whole or in part ("QĐ-UBND", "QĐ-UB", "45/BNV-V"), ranked: the documents whose folded symbol
    is what was typed first, then those whose symbol only starts with it, each newest first — one statement, a UNION
    ALL of two branches on the folded-symbol index: the exact branch is the equality it always was (free to walk
    the date index when the symbol is common), the other the byte range just above it (search.SymbolPrefix), so
    neither reads the other's rows. The same queryset answers as WordSearch's (filters apply to both branches)."""

    def __init__(self, documents, *, key: str, ordering, ranked: bool, window=None, agency_id=None, words=()):
        super().__init__(documents, agency_id=agency_id, words=list(words), ordering=ordering, ranked=ranked,
                         window=window)
        self._key = key

    def _fields(self) -> dict:
        return {**super()._fields(), "key": self._key}

    def _branches(self, need: int) -> list[QuerySet]:
        from docs_office.search import SymbolPrefix, symbol_key_bytes

        key = symbol_key_bytes()
        return [self._documents.alias(symbol_key=key).filter(symbol_key=self._key),
                self._documents.filter(SymbolPrefix(key, self._key, strict=True))]

    def _need(self, stop: int | None) -> int | None:
        # Every row of a branch has its rank: the page's first rows of each, by date, are the page's candidates.
        return stop

    def _rank(self, branch: int):
        from django.db.models import FloatField

        return Value(1.0 if branch == 0 else 0.0, output_field=FloatField())


def text_search(documents: QuerySet, *, query: str, agency_id: int | None, ranked: bool = True):
    """Search a typed query: a number and/or symbol — the number exactly, the symbol whole or its start ("QĐ-UB"
    finds QĐ-UBND; ranked, exact symbols first: SymbolSearch) —, anything else as words (any order, the last one as
    a prefix) over the stored vector of the folded copies. Both use indexes: no scan of the table.

    The words are looked up as the agency's own lexemes (docs_office/search.py), so the GIN index returns only
    that agency's matches and the visibility filters then look at those rows alone. A word search is a
    WordSearch: one statement, whichever plan the probe picks. `ranked` orders by ts_rank, computed over the
    newest RANK_WINDOW matches only (a bounded cost however common the words); callers that impose their own
    order (the API's cursor) pass ranked=False and rank nothing."""
    query = (query or "")[:SEARCH_MAX_LENGTH].strip()
    symbol = SYMBOL_QUERY.match(query)
    if symbol or (query.isascii() and query.isdigit()):
        number = symbol.group("number") if symbol else query
        if number:
            # Incoming numbers are the issuer's text ("15"); outgoing ones are integers.
            is_text = documents.model._meta.get_field("number").get_internal_type() == "CharField"
            documents = documents.filter(number=number if is_text else int(number))
        if not symbol:
            return documents
        from docs_office.search import SymbolPrefix, symbol_key, symbol_key_bytes

        key = symbol_key(symbol.group("symbol"))
        if not ranked:  # the caller's order (the API's cursor: by date), exact and longer symbols alike
            return documents.filter(SymbolPrefix(symbol_key_bytes(), key))
        ordering = documents.query.order_by or documents.model._meta.ordering
        return SymbolSearch(documents, key=key, ordering=ordering, ranked=True)
    words = re.findall(r"[a-z0-9]+", fold_vietnamese(query))
    if not words:
        return documents
    if agency_id is None:  # documents are only ever searched within one agency
        return documents.none()
    ordering = documents.query.order_by or documents.model._meta.ordering
    return WordSearch(documents, agency_id=agency_id, words=words, ordering=ordering, ranked=ranked,
                      window=RANK_WINDOW if ranked else None)


# What a list row shows (the page's table, the API's list items): read as plain values, no model instances.
INCOMING_ROW_FIELDS = ("id", "arrival_number", "arrival_year", "received_at", "number", "symbol", "issuer_name",
                       "issued_on", "document_type__name", "summary", "urgency", "confidentiality", "deadline", "state")


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


def outgoing_search(*, user, query: str = "", state: str = "", ranked: bool = True,
                    filters: ListFilters = NO_FILTERS) -> QuerySet[OutgoingDocument]:
    """Search by symbol or summary, and filter by type and by the date issued (drafts have none yet)."""
    documents = text_search(outgoing_visible_to(user=user), query=query, agency_id=getattr(user, "agency_id", None),
                            ranked=ranked)
    if state:
        documents = documents.filter(state=state)
    if filters.document_type:
        documents = documents.filter(document_type__code=filters.document_type)
    if filters.date_from:
        documents = documents.filter(issued_at__date__gte=filters.date_from)
    if filters.date_to:
        documents = documents.filter(issued_at__date__lte=filters.date_to)
    return documents


def outgoing_detail_for(*, user, pk: int) -> OutgoingDocument | None:
    return outgoing_visible_to(user=user).select_related("agency", "signer", "register", "issued_by").filter(
        pk=pk).first()


# The close form's picker of answers: a few lines to choose from, narrowed by a search.
ANSWER_CHOICES = 20


def outgoing_answer_choices(*, user, document: IncomingDocument, query: str = "",
                            selected: int | None = None) -> list[OutgoingDocument]:
    """The issued outgoing documents `user` may link as the answer when closing `document`: those drafted as its
    answer (and the one already chosen) first, then what a search by number, symbol or words finds, or else the
    newest issued. Two queries, whatever the agency holds."""
    issued = outgoing_visible_to(user=user).filter(state=OutgoingState.ISSUED)
    first = list(issued.filter(Q(answers=document) | Q(pk=selected or 0)).order_by("-issued_at", "-id")[:ANSWER_CHOICES])
    found = outgoing_search(user=user, query=query, state=OutgoingState.ISSUED) if query.strip() else \
        issued.order_by("-issued_at", "-id")
    seen = {d.pk for d in first}
    return first + [d for d in found[:ANSWER_CHOICES] if d.pk not in seen][:ANSWER_CHOICES - len(first)]


# How a document's assignments are listed: the lead, then supporters, then those assigned for information (the role's
# code would sort them "info", "lead", "support": found by exploratory testing), each group in the order given.
ASSIGNMENT_ROLE_ORDER = (AssignmentRole.LEAD, AssignmentRole.SUPPORT, AssignmentRole.INFO)


def assignments_in_role_order() -> QuerySet[IncomingAssignment]:
    """The assignments to prefetch for a document's detail (page, API), with their assignees, lead first."""
    rank = Case(*(When(role=role, then=Value(index)) for index, role in enumerate(ASSIGNMENT_ROLE_ORDER)),
                default=Value(len(ASSIGNMENT_ROLE_ORDER)), output_field=IntegerField())
    return IncomingAssignment.objects.select_related("user", "division").order_by(rank, "id")


class HistoryRow(NamedTuple):
    """A line of a document's history table: an event of its flow, or an opinion or progress report read as one."""

    at: object
    action: str
    action_label: str
    actor: object
    from_state_label: str
    to_state_label: str
    note: str


def incoming_history(document: IncomingDocument) -> list[HistoryRow]:
    """Every step of the document, oldest first: its events and, between them, the handlers' opinions and progress
    reports (kept once, as opinions: read here, not recorded again as events). From the document's prefetched
    `events` (with their actors) and `opinions` (with their authors): no query of its own."""
    from django.utils.translation import gettext as _

    rows = [HistoryRow(e.at, e.action, e.action_label, e.actor, e.from_state_label, e.to_state_label, e.note)
            for e in document.events.all()]
    for opinion in document.opinions.all():
        if opinion.progress is None:
            action, label, note = "opinion", _("Cho ý kiến xử lý"), opinion.text
        else:
            action, label = "progress", _("Báo cáo tiến độ")
            note = _("%(t)s (tiến độ %(p)s%%)") % {"t": opinion.text, "p": opinion.progress}
        rows.append(HistoryRow(opinion.created_at, action, label, opinion.author, "", "", note))
    return sorted(rows, key=lambda row: row.at)  # stable: an event and an opinion of one instant keep this order


def incoming_answered_by(*, user, document: OutgoingDocument) -> list[IncomingDocument]:
    """The incoming documents `user` may see that were closed with `document` as their answer."""
    return list(incoming_visible_to(user=user).filter(answered_by=document).order_by("-received_at", "-id"))


def incoming_replies_to(*, user, document: OutgoingDocument) -> list[IncomingDocument]:
    """The incoming documents `user` may see that answer `document` (their sender's ResponseFor), oldest first."""
    return list(incoming_visible_to(user=user).filter(in_reply_to=document).order_by("received_at", "id"))


def assignments_to_handle(*, user) -> QuerySet[IncomingAssignment]:
    """The dashboard "văn bản cần xử lý": open assignments of the user or their units, lead and support,
    with the effective deadline (the assignment's, else the document's), overdue / due-soon flags and the
    document's latest reported progress (%, None before any) as SQL."""
    from django.db.models import Subquery

    from docs_office.models import IncomingOpinion

    today = timezone.localdate()
    deadline = Coalesce(F("deadline"), F("document__deadline"), output_field=DateField())
    visible = incoming_visible_to(user=user).values("pk")
    progress = (IncomingOpinion.objects.filter(document=OuterRef("document"), progress__isnull=False)
                .order_by("-created_at", "-id").values("progress")[:1])
    mine = Q(user=user) | Q(division__members=user)
    handling = [AssignmentRole.LEAD, AssignmentRole.SUPPORT]
    # One line per document: a person leading it who also supports it through their unit (or supports it through two
    # units) is listed once, in the stronger role.
    better = (IncomingAssignment.objects.filter(mine, document=OuterRef("document"), role__in=handling)
              .filter(Q(role=AssignmentRole.LEAD) & ~Q(role=OuterRef("role")) | Q(role=OuterRef("role"), pk__lt=OuterRef("pk"))))
    return (IncomingAssignment.objects
            .filter(mine, document__in=visible, document__state__in=[IncomingState.ASSIGNED, IncomingState.IN_PROGRESS],
                    role__in=handling)
            .filter(~Exists(better))
            .annotate(effective_deadline=deadline,
                      urgency_rank=Case(When(effective_deadline__lt=today, then=Value(0)),
                                        When(effective_deadline__lte=today + timedelta(days=DUE_SOON_DAYS),
                                             then=Value(1)), default=Value(2)),
                      latest_progress=Subquery(progress))
            .select_related("document", "document__document_type", "user", "division")
            .distinct()
            .order_by("urgency_rank", F("effective_deadline").asc(nulls_last=True), "id"))


def due_rank(deadline: str = "deadline") -> Case:
    """How near the date in `deadline` is, as SQL, the dashboard's "Tình trạng hạn": 0 overdue, 1 due within
    DUE_SOON_DAYS, 2 on time, NULL without a deadline."""
    today = timezone.localdate()
    return Case(When(**{f"{deadline}__lt": today}, then=Value(0)),
                When(**{f"{deadline}__lte": today + timedelta(days=DUE_SOON_DAYS)}, then=Value(1)),
                When(**{f"{deadline}__isnull": False}, then=Value(2)), default=None, output_field=IntegerField())


def incoming_to_register(*, user) -> QuerySet[IncomingDocument]:
    """For a records clerk: the incoming documents waiting to be registered (arrived from another agency of the
    system, or imported from an edXML package), oldest first, each with its `due_rank`; nothing for anyone else."""
    if not user.is_authenticated or not user.has_role(Role.RECORDS_CLERK):
        return IncomingDocument.objects.none()
    return (incoming_visible_to(user=user).filter(state=IncomingState.RECEIVED).annotate(due_rank=due_rank())
            .order_by("received_at", "id"))


def incoming_to_assign(*, user) -> QuerySet[IncomingDocument]:
    """For a leader: the registered documents of their agency waiting for an assignment, the most urgent first (hỏa
    tốc before thường, then the nearest deadline, then the longest waiting), each with its `due_rank` (overdue, due
    soon, on time, as the assignments show theirs); nothing for anyone else."""
    if not user.is_authenticated or not user.has_role(Role.LEADER):
        return IncomingDocument.objects.none()
    return (incoming_visible_to(user=user).filter(state=IncomingState.REGISTERED).annotate(due_rank=due_rank())
            .order_by(*incoming_to_assign_order()))


def incoming_to_assign_order() -> tuple:
    """Most urgent first: hỏa tốc, thượng khẩn, khẩn, thường; then the nearest deadline, then the longest waiting."""
    urgency = Case(*(When(urgency=value, then=Value(rank)) for rank, value in enumerate(
        (Urgency.FLASH, Urgency.VERY_URGENT, Urgency.URGENT))), default=Value(3))
    return urgency, F("deadline").asc(nulls_last=True), "received_at", "id"


def _headed_by(user) -> Q:
    """Drafts whose review falls to `user` as a head of division (services.outgoing.heads_drafting_unit, in SQL):
    their division is one of the user's; without a division, the drafter shares a division with the user or
    belongs to none."""
    from docs_office.models import Division

    memberships = Division.members.through.objects
    of_drafter = memberships.filter(user_id=OuterRef("drafter_id"), division__agency_id=OuterRef("agency_id"))
    return (Q(Exists(memberships.filter(division_id=OuterRef("division_id"), user_id=user.pk)))
            | Q(division__isnull=True) & (Q(Exists(of_drafter.filter(division__members=user.pk)))
                                          | ~Q(Exists(of_drafter))))


def outgoing_to_act_on(*, user) -> QuerySet[OutgoingDocument]:
    """Outgoing documents waiting for this user's step: review, signature or issue."""
    documents = outgoing_visible_to(user=user)
    waiting = Q(state=OutgoingState.DRAFT, drafter=user)
    if user.has_role(Role.HEAD_OF_DIVISION):
        waiting |= Q(state=OutgoingState.HEAD_REVIEW) & _headed_by(user)
    if user.has_role(Role.LEADER):
        waiting |= Q(state=OutgoingState.LEADER_REVIEW) | Q(state=OutgoingState.APPROVED, signer=user)
    if user.has_role(Role.RECORDS_CLERK):
        waiting |= Q(state=OutgoingState.SIGNED)
    return documents.filter(waiting)


def open_work_by_unit(*, user) -> list[dict]:
    """For a leader: per unit (and per person assigned directly), the open lead assignments, how many are
    overdue and how many fall due within 3 days — of the documents the leader may read (a secret one counts only for
    its named readers: a count and a name beside it tell that it exists). One query, grouped in SQL."""
    from django.db.models import Count

    if not user.has_role(Role.LEADER) or user.agency_id is None:
        return []
    today = timezone.localdate()
    deadline = Coalesce(F("deadline"), F("document__deadline"), output_field=DateField())
    rows = (IncomingAssignment.objects
            .filter(document__agency_id=user.agency_id, role=AssignmentRole.LEAD,
                    document__state__in=[IncomingState.ASSIGNED, IncomingState.IN_PROGRESS])
            .filter(Q(document__confidentiality=Confidentiality.NORMAL) | Q(Exists(
                IncomingDocument.readers.through.objects.filter(incomingdocument_id=OuterRef("document_id"),
                                                                user_id=user.pk))))
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


def task_directives_attach(*, user, tasks: list) -> list:
    """Set `directive` (the document a task was given from) and `directive_url` on each task, only where `user`
    may read that document: a unit member is shown a secret directive's number or summary by no task. Two queries
    whatever the number of tasks."""
    from django.urls import reverse

    incoming = {d.pk: d for d in incoming_visible_to(user=user).filter(
        pk__in={t.directive_incoming_id for t in tasks if t.directive_incoming_id}).select_related(None)
        .only("pk", "number", "symbol", "summary")}
    outgoing = {d.pk: d for d in outgoing_visible_to(user=user).filter(
        pk__in={t.directive_outgoing_id for t in tasks if t.directive_outgoing_id}).select_related(None)
        .only("pk", "number", "symbol", "summary")}
    for task in tasks:
        task.directive, task.directive_url = None, ""
        if task.directive_incoming_id in incoming:
            task.directive = incoming[task.directive_incoming_id]
            task.directive_url = reverse("docs_office:incoming_detail", args=[task.directive.pk])
        elif task.directive_outgoing_id in outgoing:
            task.directive = outgoing[task.directive_outgoing_id]
            task.directive_url = reverse("docs_office:outgoing_detail", args=[task.directive.pk])
    return tasks


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


class RegisterLink(NamedTuple):
    """An active incoming register of the agency, as the list's links to print it show it, with the years it has
    numbered documents in (newest first): the years its book can be printed for."""

    pk: int
    name: str
    years: tuple[int, ...] = ()


def _registers_sql(agency: str) -> str:
    """Three arrays of the agency's active incoming registers by name (`agency`: its SQL): ids, names, and the
    years each has numbered in ("2026,2025": its counter rows that took a number; counters change with the
    documents, so the agency's version covers them)."""
    from docs_office.constants import RegisterKind
    from docs_office.models import Register, RegisterCounter

    table, counters = Register._meta.db_table, RegisterCounter._meta.db_table
    where = f"r.agency_id = {agency} AND r.kind = '{RegisterKind.INCOMING}' AND r.is_active"
    years = (f"array_to_string(ARRAY(SELECT c.year FROM {counters} c WHERE c.register_id = r.id AND c.last > 0 "  # noqa: S608
             "ORDER BY c.year DESC), ',')")
    return (f"ARRAY(SELECT r.id FROM {table} r WHERE {where} ORDER BY r.name), "  # noqa: S608  (names and constants of ours)
            f"ARRAY(SELECT r.name FROM {table} r WHERE {where} ORDER BY r.name), "
            f"ARRAY(SELECT {years} FROM {table} r WHERE {where} ORDER BY r.name)")


def _registers_from(ids, names, years) -> list[RegisterLink]:
    return [RegisterLink(pk, name, tuple(int(y) for y in (numbered or "").split(",") if y))
            for pk, name, numbered in zip(ids or (), names or (), years or (), strict=True)]


def register_years(registers, *, today: date | None = None) -> list[int]:
    """The years a register list can print: those any of `registers` numbered in, and the current one."""
    years = {(today or timezone.localdate()).year}
    for register in registers:
        years.update(register.years)
    return sorted(years, reverse=True)


def outgoing_register_links(*, user) -> list[RegisterLink]:
    """The agency's active outgoing registers with their years, for records clerks and leaders (one query)."""
    from django.contrib.postgres.aggregates import ArrayAgg

    from docs_office.constants import RegisterKind
    from docs_office.models import Register

    if not user.role_names() & {Role.RECORDS_CLERK, Role.LEADER} or user.agency_id is None:
        return []
    rows = (Register.objects.filter(agency_id=user.agency_id, kind=RegisterKind.OUTGOING, is_active=True)
            .annotate(years=ArrayAgg("counters__year", filter=Q(counters__last__gt=0), default=[],
                                     order_by="-counters__year"))
            .order_by("name").values_list("pk", "name", "years"))
    return [RegisterLink(pk, name, tuple(years)) for pk, name, years in rows]


def incoming_version_sql(agency: str) -> str:
    """SQL of the version of an agency's incoming documents (`agency`: its SQL): the newest transaction that
    changed them or every agency's (docs_office.models.changes), NULL while it may not be trusted
    (egov.core.versions)."""
    from docs_office.models import IncomingChange
    from egov.core.versions import newest_change_sql

    return newest_change_sql(IncomingChange._meta.db_table, [f"c.agency_id = {agency}", "c.agency_id IS NULL"])


def _row_columns(alias: str, types: str) -> str:
    """INCOMING_ROW_FIELDS as columns of the documents `alias` and their types `types`."""
    from docs_office.models import DocumentType

    meta = IncomingDocument._meta
    return ", ".join(f"{types}.{DocumentType._meta.get_field('name').column}" if field == "document_type__name"
                     else f"{alias}.{meta.get_field(field).column}" for field in INCOMING_ROW_FIELDS)


@functools.cache
def _newest_sql(with_state: bool) -> str:
    """The newest page of a whole-agency reader's list, gated by the version they keep (see incoming_newest)."""
    from docs_office.models import DocumentType

    documents, types = IncomingDocument._meta.db_table, DocumentType._meta.db_table
    readers = IncomingDocument.readers.through._meta.db_table
    state = "AND d.state = %s " if with_state else ""
    # A plain SELECT (no WITH): pghistory's wrapper leaves statements that start with SELECT alone. Parameters:
    # the agency (version, registers, rows), [the state], the user (secret documents they read), the version
    # kept, the rows wanted.
    return (
        f"SELECT v.version, {_registers_sql('%s')}, page.* FROM ({incoming_version_sql('%s')}) AS v(version) "  # noqa: S608
        f"LEFT JOIN LATERAL (SELECT {_row_columns('d', 't')} FROM {documents} d JOIN {types} t ON t.id = d.document_type_id "
        f"WHERE d.agency_id = %s {state}AND (d.confidentiality = '{Confidentiality.NORMAL}' OR EXISTS "
        f"(SELECT 1 FROM {readers} x WHERE x.incomingdocument_id = d.id AND x.user_id = %s)) "
        "AND (v.version IS NULL OR v.version IS DISTINCT FROM %s::bigint) "
        "ORDER BY d.received_at DESC, d.id DESC LIMIT %s) AS page ON TRUE "
        "ORDER BY page.received_at DESC, page.id DESC"
    )


# Per worker: (user, agency, state, limit) -> (version, registers, rows) of the last newest page read.
_newest: dict[tuple, tuple] = {}
_NEWEST_LIMIT = 2000


def reads_whole_agency(user) -> bool:
    """Whether the user's list is the agency's documents (and their secret ones): what incoming_newest serves."""
    return bool(user.is_authenticated and user.agency_id is not None and user.is_agency_staff
                and user.role_names() & WHOLE_AGENCY_ROLES)


def incoming_newest(*, user, state: str = "", limit: int) -> tuple[list[RegisterLink], tuple]:
    """The agency's active incoming registers and its `limit` newest documents visible to `user` (who
    reads_whole_agency), as rows of INCOMING_ROW_FIELDS' values: one prepared statement, whatever the size.

    The rows are kept in this worker with the agency's version (docs_office.models.changes); the statement reads
    the version and reads the rows only when it is not the kept one — so the same list again reads no document,
    and any change to the agency's documents, readers, registers or document types is seen at the next visit."""
    from egov.core.sql import fetchall_prepared

    key = (user.pk, user.agency_id, state, limit)
    kept = _newest.get(key)
    params = [user.agency_id] * 5 + ([state] if state else []) + [user.pk, kept[0] if kept else None, limit]
    result = fetchall_prepared(_newest_sql(bool(state)), params)
    version, register_ids, register_names, register_years = result[0][:4]
    rows = tuple(row[4:] for row in result if row[4] is not None)
    if kept is not None and version is not None and version == kept[0]:
        return kept[1], kept[2]
    registers = _registers_from(register_ids, register_names, register_years)
    if version is not None:
        if len(_newest) >= _NEWEST_LIMIT:
            _newest.clear()
        _newest[key] = (version, registers, rows)
    return registers, rows


# Values that stand for the request's own while a search's statement is written (see _search_statement): none
# of them is a value a search or a visibility rule could hold.
_AGENCY, _USER, _STATE = -7_000_000_001, -7_000_000_002, "sentinel-state-7e1"
_NUMBER, _SYMBOL, _WORD = "7000000003", "ZZQ-SENTINELSYMBOL", "zzsentinelword"
_TYPE, _FROM, _TO = "sentinel-type-7e1", date(1001, 1, 1), date(1002, 2, 2)
_statements: dict[tuple, tuple[str, tuple]] = {}


def _search_shape(query: str) -> tuple[str, str, dict]:
    """What kind of search `query` is (its statement's shape), a query of the same shape made of sentinels, and
    the sentinel values of the query with what stands in their place for this one."""
    from docs_office.search import symbol_key

    query = query[:SEARCH_MAX_LENGTH].strip()
    symbol = SYMBOL_QUERY.match(query)
    if symbol:
        if symbol.group("number"):
            return "number/symbol", f"{_NUMBER}/{_SYMBOL}", {_NUMBER: symbol.group("number"),
                                                              _SYMBOL: symbol_key(symbol.group("symbol"))}
        return "symbol", _SYMBOL, {_SYMBOL: symbol_key(symbol.group("symbol"))}
    if query.isascii() and query.isdigit():  # not '²', which int() refuses
        return "number", _NUMBER, {_NUMBER: query}
    words = re.findall(r"[a-z0-9]+", fold_vietnamese(query))
    if not words:
        return "all", "", {}
    return "words", _WORD, {"words": words}


def _search_statement(*, user, kind: str, sentinel_query: str, state: bool, limit: int, ranked: bool,
                      registers: bool, filters: tuple[bool, bool, bool] = (False, False, False)) -> tuple[str, tuple]:
    """The statement of a search's shape for users like `user` (their roles), written by the ORM once per worker
    and shape, with sentinels where the request's values go: (SQL, what each parameter is — a constant, or the
    name of the request's value).

    Sound only while what a user may see depends on them through their id, agency and roles alone (the key):
    incoming_visible_to's rules today. A rule reading another of the user's attributes in Python would be
    written into the statement and served to others — tests hold every user's rows equal to the selector's."""
    import copy

    from django.db import connection

    key = (frozenset(user.role_names()), user.is_agency_staff, kind, state, limit, ranked, registers, filters)
    statement = _statements.get(key)
    if statement is not None:
        return statement
    stand_in = copy.copy(user)  # the same roles, sentinel ids
    stand_in.pk, stand_in.agency_id = _USER, _AGENCY
    by_type, by_from, by_to = filters
    documents = incoming_search(user=stand_in, query=sentinel_query, state=_STATE if state else "", ranked=ranked,
                                document_type=_TYPE if by_type else "", date_from=_FROM if by_from else None,
                                date_to=_TO if by_to else None)
    sql, params = documents.values(*INCOMING_ROW_FIELDS)[:limit].query.sql_with_params()
    from docs_office.search import agency_terms

    if kind == "words":
        sql, params = _probe_once(sql, list(params))

    names = {_AGENCY: "agency", _USER: "user", _STATE: "state", _NUMBER: _NUMBER, _SYMBOL: _SYMBOL,
             agency_terms(_AGENCY, [_WORD]): "terms", _TYPE: "document_type", _FROM: "date_from", _TO: "date_to"}
    slots = tuple(("value", names[p]) if isinstance(p, int | str | date) and p in names else ("constant", p)
                  for p in params)
    columns = ", ".join(f"s.{connection.ops.quote_name(field)}" for field in INCOMING_ROW_FIELDS)
    # The search's own order is kept: one row on the left, the search's rows read in order on the right.
    wanted = _registers_sql("%s") if registers else "NULL::bigint[], NULL::text[], NULL::text[]"
    sql = f"SELECT {wanted}, {columns} FROM (SELECT 1) AS one LEFT JOIN ({sql}) AS s ON TRUE"  # noqa: S608
    slots = ((("value", "agency"),) * 3 if registers else ()) + slots
    if len(_statements) >= _NEWEST_LIMIT:
        _statements.clear()
    _statements[key] = (sql, slots)
    return sql, slots


def _probe_once(sql: str, params: list) -> tuple[str, list]:
    """A word search's statement with its probe (WordSearch) read once, as a materialized CTE, rather than once per
    branch's gate: two InitPlans walking the same 1,000 rows. Unchanged when the probe is not found twice."""
    from docs_office.search import agency_terms, newest_matches_sql

    probe, probe_params = newest_matches_sql(IncomingDocument, agency_id=_AGENCY, newest=PROBE_ROWS,
                                             lexemes=[agency_terms(_AGENCY, [_WORD])])
    needle = f"FROM ({probe}) AS probe(counts)"
    pieces = sql.split(needle)
    if len(pieces) != 3 or probe.count("%s") != len(probe_params):
        return sql, params
    kept, taken = [], 0
    for number, piece in enumerate(pieces):
        count = piece.count("%s")
        kept += params[taken:taken + count]
        taken += count
        if number < len(pieces) - 1:
            if params[taken:taken + len(probe_params)] != probe_params:
                return sql, params
            taken += len(probe_params)
    return f"WITH probe AS MATERIALIZED ({probe}) " + "FROM probe AS probe(counts)".join(pieces), [*probe_params, *kept]


def incoming_search_rows(*, user, query: str = "", state: str = "", limit: int, ranked: bool = True,
                         registers: bool = False, filters: ListFilters = NO_FILTERS) -> tuple[list[RegisterLink], tuple]:
    """`limit` rows of INCOMING_ROW_FIELDS' values of incoming_search (in its order: best first when `ranked`,
    else newest first) and, when asked, the agency's active incoming registers (a whole-agency reader's list
    links them): one statement.

    Its SQL is the ORM's, written once per worker and shape of search (words, number and/or symbol, a state or
    not, the user's roles) and reused with this request's values: composing and compiling the two-branch union
    with its visibility rules cost more CPU than PostgreSQL spends on the search. Planned for its values, not
    prepared: a generic plan cannot tell rare words from common ones, and picked the walk of the date index for
    every search (180 ms instead of 10 on 1,000,000 documents)."""
    from django.db import connection

    from docs_office.search import agency_terms
    from egov.core.sql import fetchall_prepared

    registers = registers and reads_whole_agency(user)
    kind, sentinel_query, values = _search_shape(query)
    if user.agency_id is None or not user.is_authenticated or not user.is_agency_staff:
        return [], ()
    sql, slots = _search_statement(user=user, kind=kind, sentinel_query=sentinel_query, state=bool(state), limit=limit,
                                   ranked=ranked, registers=registers,
                                   filters=(bool(filters.document_type), bool(filters.date_from), bool(filters.date_to)))
    values.update(agency=user.agency_id, user=user.pk, state=state, document_type=filters.document_type,
                  date_from=filters.date_from, date_to=filters.date_to)
    if kind == "words":
        values["terms"] = agency_terms(user.agency_id, values["words"])
    params = [values[slot] if how == "value" else slot for how, slot in slots]
    if kind == "words":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            result = cursor.fetchall()
    else:
        # A number and/or symbol reads the folded-symbol index by equality and by range whatever the values: one
        # generic plan suits them all, so the statement is prepared once per connection — planning its two parts
        # (exact symbols, then longer ones) cost PostgreSQL more than running them.
        result = fetchall_prepared(sql, params)
    rows = tuple(row[3:] for row in result if row[3] is not None)
    return _registers_from(*result[0][:3]) if registers else [], rows
