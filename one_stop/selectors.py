"""Reads of the one-stop app: the visibility and query-count rules live here."""

import functools
import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat, Length, Lower
from django.utils import timezone

from egov.core.sql import fetchall_prepared
from egov.core.text import fold_vietnamese
from one_stop.constants import DRAFT_CODE_PREFIX, DossierState
from one_stop.models import Procedure, ProcedureFormTemplate, ProcedureVersion
from one_stop.models.dossier import QUEUE_OPEN_STATES


def procedure_version_current(*, procedure: Procedure, at=None) -> ProcedureVersion | None:
    """The version in force at `at` (default now): the latest that took effect by then."""
    return procedure.versions.filter(effective_from__lte=at or timezone.now()).order_by("-effective_from", "-number").first()


def form_template_url(template: ProcedureFormTemplate, *, code: str) -> str:
    """Where anyone downloads a blank form: under the public catalogue's page of the procedure."""
    from django.urls import reverse

    return reverse("public_services:form_template", kwargs={"code": code, "template_id": template.pk})


def required_documents_with_templates(*, procedure: Procedure, version: ProcedureVersion | None) -> list[dict]:
    """The version's required documents, each with `template` (the blank form published under its `form` name, or
    None) and `template_url`; one query for any number of documents and templates."""
    documents = list(version.required_documents if version else [])
    names = {d.get("form") for d in documents if isinstance(d, dict) and d.get("form")}
    templates = {}
    if names:
        templates = {t.name: t for t in ProcedureFormTemplate.objects.filter(procedure=procedure, name__in=names)
                     .only("id", "name", "original_name", "content_type", "size", "uploaded_at")}
    result = []
    for document in documents:
        template = templates.get(document.get("form")) if isinstance(document, dict) else None
        result.append({**document, "template": template,
                       "template_url": form_template_url(template, code=procedure.code) if template else None})
    return result


def procedure_form_template_public(*, code: str, template_id: int) -> ProcedureFormTemplate | None:
    """A published blank form of an active procedure; None for an unknown one (or one of a withdrawn procedure)."""
    if "\x00" in code:
        return None
    return (ProcedureFormTemplate.objects.filter(pk=template_id, procedure__code=code, procedure__is_active=True)
            .only("id", "name", "file", "original_name", "content_type", "sha256", "uploaded_at").first())


# What separates words in a folded text (fold_vietnamese): anything but an unmarked letter or a digit.
_NOT_WORD = "[^a-z0-9]"


def word_pattern(word: str, *, whole: bool) -> str:
    """A PostgreSQL regular expression of `word` (folded) at the start of a word of a folded text, and with `whole`
    at its end too. The word's own punctuation ("1.001193") is matched literally."""
    escaped = re.escape(word)
    return f"(^|{_NOT_WORD}){escaped}" + (f"($|{_NOT_WORD})" if whole else "")


def procedures_search(*, query: str = "", field: str = "", online_level: str = "", level: str = "") -> QuerySet[Procedure]:
    """Active procedures matching every word of `query`, ignoring diacritics and case.

    A match in the code or name ranks before a match in the field, agency, result or legal basis;
    the current version's time limit and fee come along in the same query.
    """
    procedures = Procedure.objects.filter(is_active=True)
    if field:
        procedures = procedures.filter(field__iexact=field)  # every spelling of it (spellings_merged)
    if online_level:
        procedures = procedures.filter(online_level=online_level)
    if level:
        procedures = procedures.filter(levels__contains=[level])
    words = fold_vietnamese(query).split()
    for position, word in enumerate(words, start=1):
        # Each word where a word of the text starts, the last one as a prefix (still being typed), the others whole:
        # a substring test found "kết hôn" in every procedure that says "không" ("k-hon-g").
        pattern = word_pattern(word, whole=position < len(words))
        procedures = procedures.filter(Q(name_folded__regex=pattern) | Q(body_folded__regex=pattern))
    if words:
        phrase = " ".join(words)
        in_name = Q(*[Q(name_folded__contains=w) for w in words])
        # name_folded is the folded "code name": the name alone is what follows the code and a space.
        # A name equal to the query, then one starting with it, rank first ("Đăng ký thường trú" before
        # "Xóa đăng ký thường trú"); among other names holding the phrase the shorter (fewer words besides it)
        # first: "Giải quyết trợ cấp thất nghiệp" before a longer procedure about that benefit. The expressions
        # ride in the same query, on rows already filtered.
        named = Concat(Lower("code"), Value(" " + phrase))
        procedures = procedures.annotate(rank=Case(
            When(name_folded=named, then=Value(0)),
            When(name_folded__startswith=Concat(named, Value(" ")), then=Value(1)),
            When(name_folded__contains=phrase, then=Value(2)),
            When(in_name, then=Value(3)),
            default=Value(4), output_field=IntegerField(),
        )).order_by("rank", Case(When(rank=2, then=Length("name_folded")), default=Value(0)), "code")
    else:
        procedures = procedures.order_by("code")
    current = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), effective_from__lte=timezone.now()).order_by(
        "-effective_from", "-number")
    return procedures.annotate(
        current_processing_days=Subquery(current.values("processing_days")[:1]),
        current_fee_vnd=Subquery(current.values("fee_vnd")[:1]),
    )


# How many procedures the counter's search lists: the clerk narrows the words rather than pages through the catalogue.
COUNTER_SEARCH_LIMIT = 10
COUNTER_SEARCH_FIELDS = ("code", "name", "field")


def procedures_counter_search(*, query: str) -> list[Procedure]:
    """The counter form's procedure search: the catalogue's search (procedures_search, as the API's `?search=`), best
    matches first, only the columns the list shows — one query at any catalogue size; nothing for an empty query."""
    if not fold_vietnamese(query).split():
        return []
    return list(procedures_search(query=query).only(*COUNTER_SEARCH_FIELDS)[:COUNTER_SEARCH_LIMIT])


def desk_handling_agencies() -> list[tuple[str, list]]:
    """The agencies a desk may route a dossier it receives to (province-wide receipt, 2025 one-stop decree): every
    agency in service, in two groups — the province level (the People's Committee, the service centres, the
    departments, then the rest, each by name) and the communes and wards with their units, by name. One query.

    The portal serves one province: its agency table is the province's tree (egov.agencies)."""
    from django.utils.translation import gettext as _

    from egov.agencies.models import AgencyKind
    from egov.agencies.selectors import agencies_active

    rank = Case(When(kind=AgencyKind.PROVINCIAL_COMMITTEE, then=Value(0)),
                When(kind=AgencyKind.SERVICE_CENTRE, then=Value(1)),
                When(kind=AgencyKind.DEPARTMENT, then=Value(2)), default=Value(3), output_field=IntegerField())
    agencies = agencies_active().only("id", "name", "kind", "exchange_code", "parent__kind").annotate(
        rank=rank).order_by("rank", "name", "id")
    province, communes = [], []
    for agency in agencies:
        commune = AgencyKind.COMMUNE_COMMITTEE in (agency.kind, agency.parent.kind if agency.parent else None)
        (communes if commune else province).append(agency)
    return [(group, members) for group, members in ((_("Cấp tỉnh"), province), (_("Cấp xã"), communes)) if members]


def spellings_merged(rows) -> list[str]:
    """Of (value, count) pairs, one spelling per value written in several cases ("Công An Tỉnh", "Công an tỉnh": the
    national catalogue is not consistent) — the most used —, sorted: a filter offers each once and matches them all
    (iexact)."""
    import unicodedata

    best: dict[str, tuple[int, str]] = {}
    for value, count in rows:
        key = unicodedata.normalize("NFC", value).casefold()
        if key not in best or count > best[key][0]:
            best[key] = (count, value)
    return sorted((value for _count, value in best.values()), key=lambda value: value.casefold())


def procedure_fields() -> list[str]:
    from django.db.models import Count

    return spellings_merged(Procedure.objects.filter(is_active=True).exclude(field="").values("field")
                            .annotate(n=Count("id")).values_list("field", "n"))


def dossiers_visible_to(*, user) -> QuerySet:
    """Staff see their agency's dossiers (received there or handled there) but not its citizens' drafts, which are
    nobody's business until submitted; a citizen sees their own, drafts included; a superuser every dossier but
    others' drafts (a draft is private to its citizen: no page, API or admin shows it to anyone else)."""
    from one_stop.models import Dossier

    dossiers = Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency", "handling_agency")
    if user.is_superuser:
        return dossiers.filter(~Q(state=DossierState.DRAFT) | Q(citizen=user))
    visible = Q(citizen=user)
    if _works_for_an_agency(user):
        visible |= _agency_work(user)
    return dossiers.filter(visible)


def dossiers_worked_by(*, user) -> QuerySet:
    """The dossiers `user` reads as the staff handling them: every one for a superuser, their agency's (received or
    handled there) for agency staff, none for anyone else; never a citizen's draft (not submitted, so not the agency's
    yet — nor a superuser's business). A dossier a staff member filed as a citizen at another agency is not among
    them: they read it on the portal as its applicant does (its staff names, notes and files are that agency's)."""
    from one_stop.models import Dossier

    if user.is_superuser:
        return Dossier.objects.exclude(state=DossierState.DRAFT)
    if not _works_for_an_agency(user):
        return Dossier.objects.none()
    return Dossier.objects.filter(_agency_work(user))


def dossier_read_as_staff(*, user, dossier) -> bool:
    """Whether `user` reads `dossier` as the staff handling it — the test `dossiers_worked_by` makes in SQL, on a
    dossier already loaded."""
    if user is None or not user.is_authenticated:
        return False
    if dossier.state == DossierState.DRAFT:
        return False
    if user.is_superuser:
        return True
    return (_works_for_an_agency(user)
            and user.agency_id in (dossier.receiving_agency_id, dossier.handling_agency_id))


def _works_for_an_agency(user) -> bool:
    return user.agency_id is not None and bool(getattr(user, "is_agency_staff", False))


def _agency_work(user) -> Q:
    # A draft names the agency it will be sent to, but until the citizen submits it the agency has no business with
    # it (found in review: staff read citizens' unsubmitted drafts, their personal data, on the desk and the API).
    return (Q(receiving_agency_id=user.agency_id) | Q(handling_agency_id=user.agency_id)) & ~Q(state=DossierState.DRAFT)


# A dossier is "due soon" when due by the end of the second working day after today: what the morning reminder
# lists (one_stop.services.reminders), so the queue's colours and the reminder never disagree (on a Friday, a
# dossier due Monday or Tuesday is both).
DUE_SOON_WORKING_DAYS = 2
OPEN_STATES = ("received", "in_progress", "resolved")
# The states in which the handling agency may still apologise and move the return date (services.dossier_postpone).
POSTPONABLE_STATES = ("received", "in_progress")
CALENDAR_VERSION_FACT = "calendar_version"


@dataclass(frozen=True)
class DueHorizons:
    """The instants the deadline rules compare a due date with, computed once per request from the working-day
    calendar and handed to SQL as parameters (every status stays a database expression).

    `apology_from`: the start of the next working day — a due date from then on is at least a working day ahead,
    so form 04 may still move it; `at_risk_until` and `due_soon_until`: the end of the first and of the
    DUE_SOON_WORKING_DAYS-th working day after today (exclusive bounds: the next midnight).
    """

    now: datetime
    apology_from: datetime
    at_risk_until: datetime
    due_soon_until: datetime

    @property
    def next_change(self) -> datetime:
        """The next local midnight: the horizons only move when the day changes."""
        from datetime import timedelta

        local = timezone.localtime(self.now)
        return _start_of(local.date() + timedelta(days=1))


def _start_of(day) -> datetime:
    from datetime import time

    return timezone.make_aware(datetime.combine(day, time.min))


@functools.lru_cache(maxsize=32)
def _working_days_ahead(today, calendar_version: str) -> tuple:
    """The next working days after `today`, kept per process for a version of the admin's overrides (read with
    the signed-in user, so a page asks the calendar nothing once a worker has seen the day)."""
    from egov.workdays.services import working_days_after

    return working_days_after(today, DUE_SOON_WORKING_DAYS)


def due_horizons(*, now=None, user=None) -> DueHorizons:
    """The due-date horizons at `now` (default: now); free of queries when `user` came with the calendar's version
    (a signed-in request), one query otherwise."""
    from datetime import timedelta

    from egov.workdays.services import working_days_after

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    version = (getattr(user, "signed_in_facts", None) or {}).get(CALENDAR_VERSION_FACT)
    days = _working_days_ahead(today, version) if version is not None else working_days_after(today, DUE_SOON_WORKING_DAYS)
    return DueHorizons(now=now, apology_from=_start_of(days[0]), at_risk_until=_start_of(days[0] + timedelta(days=1)),
                       due_soon_until=_start_of(days[-1] + timedelta(days=1)))


def dossiers_with_due_status(queryset: QuerySet, *, now=None, horizons: DueHorizons | None = None) -> QuerySet:
    """Annotate `due_status` (on_time / due_soon / overdue) in SQL, so lists filter and count on it.

    A dossier waiting for a supplement has its clock stopped and is never overdue; closed dossiers
    (returned, refused, withdrawn) are on time by definition here — lateness of returned dossiers is
    a statistic (returned_at > due_at), not a status.
    """
    from django.db.models import CharField

    horizons = horizons or due_horizons(now=now)
    return queryset.annotate(due_status=Case(
        When(due_status_q("overdue", horizons), then=Value("overdue")),
        When(due_status_q("due_soon", horizons), then=Value("due_soon")),
        default=Value("on_time"), output_field=CharField(),
    ))


def due_status_q(status: str, horizons: DueHorizons) -> Q:
    """The dossiers whose due status is `status` ("overdue" or "due_soon") at `horizons.now`."""
    if status == "overdue":
        return Q(state__in=OPEN_STATES, due_at__lt=horizons.now)
    return Q(state__in=OPEN_STATES, due_at__gte=horizons.now, due_at__lt=horizons.due_soon_until)


def dossier_due_status(*, state: str, due_at, horizons: DueHorizons) -> str:
    """`dossiers_with_due_status` for one row already read (the queue's page): the same rule in Python."""
    if state in OPEN_STATES and due_at is not None:
        if due_at < horizons.now:
            return "overdue"
        if due_at < horizons.due_soon_until:
            return "due_soon"
    return "on_time"


def dossiers_at_risk_q(horizons: DueHorizons) -> Q:
    """Dossiers at risk of being late that may still get an apology with a new date (form 04): being handled,
    never postponed, due at least a working day ahead (the rule of dossier_postpone), and either due by the end
    of the next working day — the last day an apology is allowed — or with an open step already past its own
    due date. Steps' due dates grow with their order, so an open step past due means the current one is."""
    from django.db.models import Exists, OuterRef

    from one_stop.models import DossierStep

    late_step = DossierStep.objects.filter(dossier=OuterRef("pk"), completed_at__isnull=True, due_at__lt=horizons.now)
    return (Q(state__in=POSTPONABLE_STATES, postponed_at__isnull=True, due_at__gte=horizons.apology_from)
            & (Q(due_at__lt=horizons.at_risk_until) | Exists(late_step)))


def dossiers_at_risk(*, agency_id: int | None = None, horizons: DueHorizons | None = None) -> QuerySet:
    """The dossiers at risk (dossiers_at_risk_q) handled by `agency_id` (every agency: None), due first."""
    from one_stop.models import Dossier

    dossiers = Dossier.objects.filter(dossiers_at_risk_q(horizons or due_horizons()))
    if agency_id is not None:
        dossiers = dossiers.filter(handling_agency_id=agency_id)
    return dossiers.order_by("due_at", "code")


def dossier_is_at_risk(*, dossier, steps, horizons: DueHorizons) -> bool:
    """dossiers_at_risk_q for one dossier already read with its steps (the dossier page)."""
    if dossier.state not in POSTPONABLE_STATES or dossier.postponed_at is not None or dossier.due_at is None:
        return False
    if dossier.due_at < horizons.apology_from:
        return False
    return dossier.due_at < horizons.at_risk_until or any(
        step.completed_at is None and step.due_at is not None and step.due_at < horizons.now for step in steps)


@dataclass(frozen=True)
class PostponeDraft:
    """What the system proposes for form 04: a new return date and a reason, for the handler to correct."""

    new_due_at: datetime
    reason: str


def dossier_postpone_draft(*, dossier, steps, horizons: DueHorizons) -> PostponeDraft | None:
    """The apology drafted for a dossier that may still be postponed (None otherwise).

    The new date gives the current step its share of the time limit again: the due date plus that step's working
    days (rounded up, at least one), at the same time of day — the step that is running late is the one that
    needs the time. The reason names the step, its agency and, when it is past its own due date, that date; it is
    written in the portal's language, as the applicant receives it (form 04, e-mail, SMS).
    """
    import math

    from django.utils.translation import gettext as _

    from egov.core.language import portal_language
    from egov.workdays.services import add_working_days
    from one_stop.constants import step_display_name

    if dossier.state not in POSTPONABLE_STATES or dossier.postponed_at is not None or dossier.due_at is None:
        return None
    current = next((step for step in steps if step.completed_at is None), None)
    days = max(1, math.ceil(current.days)) if current is not None else 1
    new_due_at = add_working_days(dossier.due_at, days)
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    with portal_language():
        if current is None:
            reason = _("Chưa hoàn thành việc giải quyết hồ sơ để trả kết quả đúng hẹn %(due)s.") % {"due": due}
        elif current.due_at is not None and current.due_at < horizons.now:
            reason = _("Hồ sơ đang ở bước “%(step)s” tại %(agency)s, đã quá hạn của bước (%(step_due)s), nên không kịp "
                       "trả kết quả đúng hẹn %(due)s.") % {
                "step": step_display_name(current.name), "agency": current.agency.name, "due": due,
                "step_due": timezone.localtime(current.due_at).strftime("%H:%M %d/%m/%Y")}
        else:
            reason = _("Hồ sơ đang ở bước “%(step)s” tại %(agency)s, chưa thể hoàn thành để trả kết quả đúng hẹn "
                       "%(due)s.") % {"step": step_display_name(current.name), "agency": current.agency.name, "due": due}
    return PostponeDraft(new_due_at=new_due_at, reason=reason)


@dataclass(frozen=True)
class PublicStep:
    """A step of a dossier's process as the public lookup shows it: the agency that handles it (never a staff
    member), when it was handed to it (time in), when it was handed on (time out) and its own due date — times to the
    minute, as the desk records them."""

    name: str
    agency: str
    due_at: datetime | None
    completed_at: datetime | None
    started_at: datetime | None = None


@dataclass(frozen=True)
class PublicDossier:
    """What anyone may see of a dossier by its code: state, places, dates and steps — never the applicant."""

    code: str
    state: str
    procedure_code: str
    procedure_name: str
    receiving_agency: str
    handling_agency: str
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    rated: bool  # whether the applicant has rated the service: the page offers the rating form only once
    steps: tuple[PublicStep, ...]

    @property
    def state_label(self) -> str:
        from one_stop.constants import DossierState

        return str(DossierState(self.state).label)


def dossier_code_normalise(code: str) -> str:
    """A code as typed or copied ("000.01.01.h41-261207-0007 ") as stored: codes are upper case (the
    agency's exchange code, digits, NHAP- drafts), and an exact match keeps the lookup on its index."""
    return code.strip().upper()


def dossier_public_lookup(*, code: str) -> PublicDossier | None:
    """The public view of the dossier with this code, steps included, in one query.

    The busiest public page of the desk (every QR scan of a receipt lands here): written in SQL because
    composing it with the ORM cost ten times more than PostgreSQL takes to answer it (bench/desk.py).
    """
    code = dossier_code_normalise(code)
    if not code or "\x00" in code:
        return None
    rows = fetchall_prepared(_PUBLIC_LOOKUP_SQL, [code])
    if not rows:
        return None
    *fields, steps = rows[0]
    return PublicDossier(*fields, steps=tuple(
        PublicStep(name=s["name"], agency=s["agency"], due_at=_json_minute(s["due_at"]),
                   completed_at=_json_minute(s["completed_at"]), started_at=_json_minute(s["started_at"]))
        for s in steps or ()))


def dossier_by_code(*, code: str):
    """The dossier with this code for an anonymous action that proves itself otherwise (the rating asks
    for the applicant's ID number), or None."""
    from one_stop.models import Dossier

    return Dossier.objects.filter(code=dossier_code_normalise(code)).first()


def _json_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _json_minute(value: str | None) -> datetime | None:
    """A step's time to the minute (the one-stop rules record times to the minute; the seconds a click happened at
    say nothing to the public)."""
    moment = _json_datetime(value)
    return moment.replace(second=0, microsecond=0) if moment else None


# Table names are the models' defaults (one_stop_*, agencies_agency); a test runs this against the ORM's answer.
_PUBLIC_LOOKUP_SQL = """
SELECT d.code, d.state, p.code, p.name, r.name, h.name, d.received_at, d.due_at, d.returned_at,
       EXISTS (SELECT 1 FROM one_stop_dossierrating g WHERE g.dossier_id = d.id),
       (SELECT json_agg(json_build_object('name', s.name, 'agency', a.name, 'due_at', s.due_at,
                                          'started_at', s.started_at, 'completed_at', s.completed_at)
                        ORDER BY s."order")
          FROM one_stop_dossierstep s JOIN agencies_agency a ON a.id = s.agency_id
         WHERE s.dossier_id = d.id)
  FROM one_stop_dossier d
  JOIN one_stop_procedure p ON p.id = d.procedure_id
  JOIN agencies_agency r ON r.id = d.receiving_agency_id
  JOIN agencies_agency h ON h.id = d.handling_agency_id
 WHERE d.code = %s
"""


QUEUE_PAGE_SIZE = 25
# Counting a big agency's whole queue would cost more than the page itself: past this, "more than".
QUEUE_COUNT_CAP = 200
_CODE_TAIL = re.compile(r"(\d{6})-(\d{1,4})")


def dossier_search_filter(search: str) -> Q:
    """Code (whole, its start, or the part after the agency: 260302-0001), ID number, or applicant name.

    The name matches when it starts with what was typed, with or without the family name, diacritics
    and case ignored: "dang van cong", "Đặng Văn" and "van cong" find Đặng Văn Công, and so does its given name
    alone ("Công", the name's last word). Every condition reads a btree index (0090_bench_indexes, 0106), so a
    search stays fast at millions of dossiers.
    """
    term = search.strip()
    condition = Q(code__startswith=term.upper()) | Q(applicant_id_number=term)
    tail = _CODE_TAIL.fullmatch(term)
    if tail:
        condition |= Q(code_tail=f"{tail[1]}-{int(tail[2]):04d}")
    folded = fold_vietnamese(term)
    if any(c.isalpha() for c in folded):
        condition |= Q(applicant_name_folded__startswith=folded) | Q(name_without_family__startswith=folded)
        if " " not in folded:
            condition |= Q(name_last_word__startswith=folded)
    return condition


def _searchable(queryset: QuerySet) -> QuerySet:
    from django.db.models.functions import Right

    from one_stop.models.dossier import GIVEN_NAME, NAME_WITHOUT_FAMILY

    # The same expressions as the indexes of 0090_bench_indexes and 0106, or PostgreSQL cannot use them.
    return queryset.alias(code_tail=Right("code", 11), name_without_family=NAME_WITHOUT_FAMILY, name_last_word=GIVEN_NAME)


def dossiers_search(queryset: QuerySet, *, search: str) -> QuerySet:
    """`queryset` narrowed to the dossiers matching `search` (dossier_search_filter)."""
    return _searchable(queryset).filter(dossier_search_filter(search))


# The queue's groups of states (the tabs a clerk works through: the online inbox, being handled, results to
# return, waiting for a supplement).
STATE_GROUPS = {
    "submitted": ("submitted",),
    "in_progress": ("received", "in_progress"),
    "resolved": ("resolved",),
    "supplement": ("supplement_requested",),
}
DUE_FILTERS = ("overdue", "due_soon", "at_risk")


@dataclass(frozen=True)
class QueueFilters:
    """What the staff queue is narrowed to; the parts combine (AND). Values outside the known ones are no filter."""

    group: str = ""  # a key of STATE_GROUPS
    due: str = ""  # one of DUE_FILTERS
    mine: bool = False  # only the dossiers waiting for the user (dossiers_my_work_q)

    def __post_init__(self):
        object.__setattr__(self, "group", self.group if self.group in STATE_GROUPS else "")
        object.__setattr__(self, "due", self.due if self.due in DUE_FILTERS else "")

    @property
    def by_state_only(self) -> bool:
        """True when what the filter lists changes only with the dossiers themselves (their queue's version): not
        with the time (due statuses) nor with their steps, which the queue's version does not follow."""
        return not (self.due or self.mine)


def dossiers_my_work_q(*, user) -> Q:
    """"Việc của tôi": the open dossiers whose current step (the first not completed) is for the user's agency and
    one of their roles; for a desk clerk also the online submissions and supplements sent back to their desk,
    which have no step of the desk's open yet. Steps are given to a role of an agency (one_stop.services.process),
    not to a person: whoever holds the role there may complete them."""
    from django.db.models import Exists, OuterRef

    from egov.accounts.roles import Role
    from one_stop.models import DossierStep

    if user.agency_id is None:
        return Q(pk__in=[])
    earlier = DossierStep.objects.filter(dossier=OuterRef("dossier"), completed_at__isnull=True, order__lt=OuterRef("order"))
    current = (DossierStep.objects.filter(dossier=OuterRef("pk"), completed_at__isnull=True, agency_id=user.agency_id,
                                          role__in=sorted(user.role_names()))
               .filter(~Exists(earlier)))
    mine = Q(state__in=OPEN_STATES) & Q(Exists(current))
    if Role.ONE_STOP_CLERK in user.role_names():
        mine |= Q(receiving_agency_id=user.agency_id) & (
            Q(state="submitted") | Q(state="supplement_requested", supplement_submitted_at__isnull=False))
    return mine


def queue_filters_q(filters: QueueFilters, *, user, horizons: DueHorizons) -> Q | None:
    """The condition of `filters` for `user` at `horizons.now` (None: no filter)."""
    conditions = []
    if filters.group:
        conditions.append(Q(state__in=STATE_GROUPS[filters.group]))
    if filters.due in ("overdue", "due_soon"):
        conditions.append(due_status_q(filters.due, horizons))
    elif filters.due == "at_risk":
        # Only the handling agency apologises (dossier_postpone).
        conditions.append(dossiers_at_risk_q(horizons) & Q(handling_agency_id=user.agency_id))
    if filters.mine:
        conditions.append(dossiers_my_work_q(user=user))
    return functools.reduce(lambda a, b: a & b, conditions) if conditions else None


def queue_tab_targets(filters: QueueFilters, *, is_handler: bool) -> list[QueueFilters]:
    """What each of the queue's tabs links to from `filters`, in the order they are shown: a tab changes one filter and
    keeps the others (the state groups, the due statuses — the apology tab for the handling agency's specialists,
    heads and leaders only —, then the scope). The same filters may come back more than once (the chosen tab of
    each row)."""
    from dataclasses import replace

    dues = ["", "overdue", "due_soon", *(["at_risk"] if is_handler else [])]
    return [*(replace(filters, group=group) for group in ("", *STATE_GROUPS)),
            *(replace(filters, due=due) for due in dues),
            replace(filters, mine=False), replace(filters, mine=True)]


@dataclass(frozen=True)
class QueueTabCounts:
    """How many dossiers each tab lists (up to QUEUE_COUNT_CAP + 1: more than the cap shows as "200+"), and the next
    moment one of these counts changes with the time alone (a dossier turning overdue, a step passing its own due
    date, the next midnight) — what a kept page of them must not outlive."""

    counts: tuple[tuple[QueueFilters, int], ...]
    next_change: datetime

    def count(self, filters: QueueFilters) -> int | None:
        return dict(self.counts).get(filters)


def dossiers_queue_tab_counts(*, user, targets, horizons: DueHorizons) -> QueueTabCounts:
    """The number of open dossiers each of `targets` (queue_tab_targets) lists for `user` — the visibility and the
    conditions of dossiers_queue_page — in one query: a conditional count per distinct tab over the user's open
    queue, and the moments the counts change with the time."""
    from django.db.models import Count, Min

    from one_stop.models import DossierStep

    distinct = list(dict.fromkeys(targets))
    aggregates = {}
    for index, target in enumerate(distinct):
        condition = queue_filters_q(target, user=user, horizons=horizons)
        aggregates[f"tab_{index}"] = Count("pk", filter=condition) if condition is not None else Count("pk")
    # A dossier turning overdue moves the overdue, due soon and apology counts (the lower bound of "due soon" is now).
    aggregates["next_due"] = Min("due_at", filter=Q(state__in=OPEN_STATES, due_at__gt=horizons.now))
    if any(target.due == "at_risk" for target in distinct):
        # An open step passing its own due date puts its dossier at risk (dossiers_at_risk_q).
        next_step_due = (DossierStep.objects.filter(dossier=OuterRef("pk"), completed_at__isnull=True,
                                                    due_at__gt=horizons.now).order_by("due_at").values("due_at")[:1])
        aggregates["next_step_due"] = Min(Subquery(next_step_due), filter=Q(
            state__in=POSTPONABLE_STATES, postponed_at__isnull=True, handling_agency_id=user.agency_id))
    counted = (dossiers_visible_to(user=user).select_related(None).filter(state__in=QUEUE_OPEN_STATES)
               .aggregate(**aggregates))
    # The working-day horizons (due soon, the apology's last day) move at midnight.
    moments = [moment for moment in (counted["next_due"], counted.get("next_step_due"), horizons.next_change)
               if moment is not None]
    return QueueTabCounts(counts=tuple((target, min(counted[f"tab_{index}"], QUEUE_COUNT_CAP + 1))
                                       for index, target in enumerate(distinct)), next_change=min(moments))


def _dossier_condition_sql(condition: Q) -> tuple[str, list]:
    """`condition` as SQL over the dossier table by its own name (no alias), with its parameters: the ORM writes the
    filters' rules once, and the queue's hand-written statement (its parts read `FROM one_stop_dossier`) uses them."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    from one_stop.models import Dossier

    query = Dossier.objects.filter(condition).query
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except EmptyResultSet:  # a condition nothing can meet (`pk__in=[]`): the ORM writes no SQL for it
        return "FALSE", []
    return sql, list(params)


def dossiers_queue_for(*, user, now=None, search: str = "", filters: QueueFilters | None = None,
                       horizons: DueHorizons | None = None) -> QuerySet:
    """A staff member's working list: open dossiers of their agency, the most urgent first.

    With `search`, every dossier of the agency (closed ones too) whose code, applicant ID number or
    applicant name (diacritics and case ignored) matches. Pages use `dossiers_queue_page`, which
    reads the same rows through the indexes.
    """
    visible = dossiers_visible_to(user=user)
    horizons = horizons or due_horizons(now=now, user=user)
    if search.strip():
        queue = dossiers_search(visible, search=search)
    else:
        queue = visible.filter(state__in=QUEUE_OPEN_STATES)
        condition = queue_filters_q(filters, user=user, horizons=horizons) if filters else None
        if condition is not None:
            queue = queue.filter(condition)
    return dossiers_with_due_status(queue.order_by("due_at", "code"), horizons=horizons)


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
    """A file of a dossier the user works on as staff (dossiers_worked_by); None otherwise. Not its owner's: the
    portal hands them their files by the applicant's rules (a result only once approved), and a staff member who
    applied at another agency is its owner there (found in review: they downloaded unapproved result drafts here)."""
    from one_stop.models import DossierDocument

    dossiers = dossiers_worked_by(user=user).filter(code=code).values("pk")
    return DossierDocument.objects.filter(pk=document_id, dossier__in=dossiers).first()
def dossier_supplement_asked_at(*, dossier) -> datetime | None:
    """When the supplement round under way was asked for: the latest request's event keeps the exact moment; paused_at
    (kept to the minute) stands in for a dossier without one. A supplement file uploaded before it answered an earlier
    round, which the desk has accepted: it neither counts for this round nor may be deleted."""
    asked_at = (dossier.events.filter(action="request_supplement").order_by("-at", "-id")
                .values_list("at", flat=True).first())
    return asked_at or dossier.paused_at


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One line of the staff queue: what the page shows of a dossier, no model instance."""

    code: str
    state: str
    due_at: object  # datetime | None
    applicant_name: str
    procedure_code: str
    procedure_name: str
    due_status: str  # on_time / due_soon / overdue, as dossiers_with_due_status


@dataclass(frozen=True)
class QueuePage:
    dossiers: list[QueueRow]
    number: int
    has_next: bool
    count: int  # at most QUEUE_COUNT_CAP (count_capped says there are more)
    count_capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def last_number(self) -> int:
        """The last page that has rows (1 for an empty queue)."""
        return max(1, min(-(-self.count // QUEUE_PAGE_SIZE), QUEUE_COUNT_CAP // QUEUE_PAGE_SIZE))


def _visibility_sides(user, *, any_state: bool = False) -> list[tuple[str, list]]:
    """`dossiers_visible_to` as SQL conditions (ORed): the citizen's own, and the staff member's agency.

    The agency's sides (a superuser's: every dossier) leave out drafts by their temporary code (DRAFT_CODE_PREFIX),
    which the search's covering indexes hold (the state they do not: testing it would visit the table for every
    match); `any_state`: the caller keeps to states no draft is in (the open queue), and the sides say nothing of
    drafts."""
    not_draft = ("", []) if any_state else (" AND LEFT(code, %s) <> %s", [len(DRAFT_CODE_PREFIX), DRAFT_CODE_PREFIX])
    if user.is_superuser:
        # A draft is private to its citizen, a superuser's too (found in review: the desk's search listed them).
        return [("TRUE", [])] if any_state else [(f"TRUE{not_draft[0]}", not_draft[1]), ("citizen_id = %s", [user.pk])]
    sides = []
    if user.agency_id is not None and user.is_agency_staff:
        sides += [(f"{column} = %s{not_draft[0]}", [user.agency_id, *not_draft[1]])
                  for column in ("receiving_agency_id", "handling_agency_id")]
    # Last: the queue's parts leave out the rows of the parts before them, and a staff member's own
    # dossiers as a citizen are few (so the agency's parts read their indexes alone).
    return [*sides, ("citizen_id = %s", [user.pk])]


def _prefix_range(prefix: str) -> tuple[str, str]:
    """The bounds of the strings that start with `prefix` in byte order (UTF-8 keeps code point order): what
    PostgreSQL derives from `LIKE 'prefix%'` for a pattern index, given to it as two parameters, so that a
    prepared statement's generic plan, which cannot see the pattern, still reads the index by range."""
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates are no characters (nor UTF-8): the next one is U+E000
        following = 0xE000
    if following > 0x10FFFF:  # the last character there is: only what follows it could come later
        return prefix, prefix + "\U0010FFFF"
    return prefix, prefix[:-1] + chr(following)


@functools.lru_cache(maxsize=64)
def _search_sql(sides: tuple[str, ...], conditions: tuple[str, ...]) -> str:
    """The statement of _search_rows_and_count for its visibility sides and search conditions (constant SQL
    only, values are parameters): composed once per shape, not at every search."""
    from one_stop.models import Dossier

    # The visibility columns as expressions ("+ 0"): a filter on the few rows the search indexes find, never
    # an index of its own. Left indexable, PostgreSQL ANDed the search's bitmap with one of every dossier of
    # the agency (a third of the table at a provincial centre: 12 ms to build) to save heap visits.
    visible = " OR ".join(re.sub(r"^(\w+) =", r"(\1 + 0) =", condition) for condition in sides)
    table, procedures = Dossier._meta.db_table, Procedure._meta.db_table
    # One branch per condition, merged by UNION (a dossier may match two): each reads its own index, and the
    # name branches read only their covering indexes (index-only scans of SEARCH_COVERED) — an OR would
    # make one bitmap of the matches and visit the table's page of every one to test visibility and sort.
    branches = " UNION ".join(f"SELECT due_at, code FROM {table} WHERE ({visible}) AND {condition}"  # noqa: S608
                              for condition in conditions)
    # Only constant SQL is composed here (table names and the conditions above); values are parameters.
    sql = ("SELECT page.n, page.rn, d.code, d.state, d.due_at, d.applicant_name, p.code, p.name "  # noqa: S608
           "FROM (SELECT due_at, code, n, rn FROM (SELECT due_at, code, count(*) OVER () AS n, "
           "row_number() OVER (ORDER BY due_at, code) AS rn "
           f"FROM (SELECT due_at, code FROM ({branches}) AS found "
           # Not `ORDER BY due_at`: with a LIMIT, PostgreSQL would walk the due-date index and test every
           # dossier until enough matched, which for a full name (a few dozen matches in a million) read
           # the whole table (1.3 s). Sorting the matches found through the search indexes is bounded
           # by the matches instead.
           "ORDER BY due_at + interval '0 second', code LIMIT %s) AS matches) AS numbered "
           # Counted, then cut to the page: only the page's rows are read again (by their unique code) with
           # their procedure. The last match comes too, so a page past the end still brings the count.
           "WHERE (rn > %s AND rn <= %s) OR rn = n) AS page "
           f"JOIN {table} d ON d.code = page.code LEFT JOIN {procedures} p ON p.id = d.procedure_id "
           "ORDER BY page.due_at, page.code")
    return sql


def _search_rows_and_count(*, user, search: str, offset: int, limit: int) -> tuple[list[tuple], int]:
    """One page of the dossiers matching `search` (dossier_search_filter) among those the user sees, with
    their count up to QUEUE_COUNT_CAP + 1: the same conditions as the indexes of 0090_bench_indexes and 0097 (code and
    name prefixes as ranges over their pattern indexes), in a prepared statement per shape of the search —
    planning it took PostgreSQL longer than running it. Written out because composing it through the ORM
    cost more CPU than the rest of the page. The API's list keeps dossier_search_filter."""
    term = search.strip()
    # (condition, its parameters), each one branch of the statement. Codes and ID numbers hold no spaces: a
    # name of several words reads only the name indexes.
    conditions = [] if any(c.isspace() for c in term) else [
        ("(code::text ~>=~ %s AND code::text ~<~ %s)", [*_prefix_range(term.upper())]),
        ("applicant_id_number = %s", [term])]
    tail = _CODE_TAIL.fullmatch(term)
    if tail:
        conditions.append(("RIGHT(code, 11) = %s", [f"{tail[1]}-{int(tail[2]):04d}"]))
    folded = fold_vietnamese(term)
    if any(c.isalpha() for c in folded):
        given_name = "SUBSTRING(applicant_name_folded, (STRPOS(applicant_name_folded, ' ') + 1)) COLLATE \"C\""
        conditions += [("(applicant_name_folded::text ~>=~ %s AND applicant_name_folded::text ~<~ %s)",
                        [*_prefix_range(folded)]),
                       (f"({given_name} >= %s AND {given_name} < %s)", [*_prefix_range(folded)])]
        if " " not in folded:  # one word may be the given name alone ("Công"), the name's last word
            last_word = "(SUBSTRING(applicant_name_folded FROM '[^ ]*$')) COLLATE \"C\""
            conditions.append((f"({last_word} >= %s AND {last_word} < %s)", [*_prefix_range(folded)]))
    sides = _visibility_sides(user)
    if not conditions:  # nothing a code, an ID number or a name could start with
        return [], 0
    sql = _search_sql(tuple(condition for condition, _ in sides), tuple(condition for condition, _ in conditions))
    visible_params = [value for _, values in sides for value in values]
    every_branch = [value for _, values in conditions for value in (*visible_params, *values)]
    result = fetchall_prepared(sql, [*every_branch, QUEUE_COUNT_CAP + 1, offset, offset + limit])
    return [row[2:] for row in result if offset < row[1] <= offset + limit], result[0][0] if result else 0


def _open_queue_rows_and_count(*, user, offset: int, limit: int, extra: tuple[str, list] | None = None
                               ) -> tuple[list[tuple], int]:
    """One page of the open queue, most urgent first, with its count up to QUEUE_COUNT_CAP + 1.

    One statement: parts that each read one partial index in order (dossier_queue_*_idx), appended,
    because an OR across the receiving agency, the handling agency and the citizen would make
    PostgreSQL sort the agency's whole queue; then the page's rows and their procedures. Written in SQL
    as the ORM would spend longer composing it than PostgreSQL takes to answer (the page is the desk's
    most visited). Rows: (code, state, due_at, applicant_name, procedure code, procedure name).

    `extra`: a further condition on the dossiers (SQL over the unaliased dossier table, and its parameters), for
    the queue's filters; each part still reads its partial index in order and stops at the page.
    """
    sides = _visibility_sides(user, any_state=True)  # QUEUE_OPEN_STATES hold no draft
    # Only constant SQL is composed here (the table names and the conditions above); values are parameters.
    from one_stop.models import Dossier

    table, procedures = Dossier._meta.db_table, Procedure._meta.db_table
    # The open states written into the statement (constants of our own, not input): a prepared statement's
    # generic plan can then prove the partial indexes' condition, which a parameter would hide from it.
    states = "state IN (" + ", ".join(f"'{state}'" for state in QUEUE_OPEN_STATES) + ")"
    # The sides made disjoint (each leaves out the rows of the sides before it), so their rows are simply
    # appended, never de-duplicated: the count stops at the cap's row, usually inside the first side, and
    # the page merges the sides' ordered heads.
    disjoint = []
    for index, (condition, values) in enumerate(sides):
        before = [(f"({earlier}) IS NOT TRUE", earlier_values) for earlier, earlier_values in sides[:index]]
        disjoint.append((" AND ".join([condition, *(c for c, _ in before)]),
                         [*values, *(v for _, earlier_values in before for v in earlier_values)]))
    extra_sql, extra_params = (f" AND ({extra[0]})", list(extra[1])) if extra else ("", [])
    page_parts, page_params, count_parts, count_params = [], [], [], []
    for condition, values in disjoint:
        page_parts.append(f"(SELECT id, due_at, code FROM {table} WHERE {states} AND {condition}{extra_sql} "  # noqa: S608
                          "ORDER BY due_at, code LIMIT %s)")
        page_params += [*values, *extra_params, offset + limit]
        count_parts.append(f"(SELECT 1 FROM {table} WHERE {states} AND {condition}{extra_sql} LIMIT %s)")  # noqa: S608
        count_params += [*values, *extra_params, QUEUE_COUNT_CAP + 1]
    # A plain SELECT (no WITH): pghistory's context wrapper leaves statements starting with SELECT alone.
    sql = ("SELECT total.n, d.code, d.state, d.due_at, d.applicant_name, p.code, p.name "  # noqa: S608
           # The parts as a subquery of their own: "(part) LIMIT n" with a single part (a staff member without an
           # agency sees only their own dossiers) is two LIMITs on one SELECT, which PostgreSQL refuses.
           f"FROM (SELECT count(*) AS n FROM (SELECT 1 FROM ({' UNION ALL '.join(count_parts)}) AS parts LIMIT %s) AS c) "
           "AS total "
           f"LEFT JOIN ((SELECT q.id, q.due_at, q.code FROM ({' UNION ALL '.join(page_parts)}) AS q "
           "ORDER BY q.due_at, q.code OFFSET %s LIMIT %s) AS page "
           f"JOIN {table} d ON d.id = page.id LEFT JOIN {procedures} p ON p.id = d.procedure_id) ON TRUE "
           "ORDER BY page.due_at, page.code")
    count_params.append(QUEUE_COUNT_CAP + 1)
    result = fetchall_prepared(sql, [*count_params, *page_params, offset, limit])
    count = result[0][0]
    return [row[1:] for row in result if row[1] is not None], count


QUEUE_VERSION_FACT = "queue_version"


def queue_version_sql() -> str:
    """SQL of the version of the signed-in user's queue (`u`: the users table), for SIGNED_IN_USER_FACTS: the
    newest transaction that changed their agency's queue, their own dossiers as a citizen, or every queue
    (one_stop.models.queue) — NULL while it may not be trusted (egov.core.versions), when no page may be kept
    by it."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from egov.core.versions import newest_change_sql
    from one_stop.models import QueueChange

    quote, user = connection.ops.quote_name, get_user_model()._meta
    agency, pk = f"u.{quote(user.get_field('agency').column)}", f"u.{quote(user.pk.column)}"
    return newest_change_sql(QueueChange._meta.db_table, [f"c.agency_id = {agency}", f"c.citizen_id = {pk}",
                                                          "c.agency_id IS NULL AND c.citizen_id IS NULL"])


def queue_seconds_kept(page, *, horizons: DueHorizons) -> float | None:
    """How long a rendering of `page` stays true with no change to its dossiers: until the first of its rows
    turns overdue (its due time) or may turn due soon (the next midnight, when the working-day horizon moves),
    whichever comes first (None: none will)."""
    now, moments = horizons.now, []
    for row in page.dossiers:
        if row.state in OPEN_STATES and row.due_at is not None:
            if row.due_at > now:
                moments.append(row.due_at)
            if row.due_at >= horizons.due_soon_until:
                moments.append(horizons.next_change)
    return (min(moments) - now).total_seconds() if moments else None


def dossiers_queue_page(*, user, search: str = "", page: int = 1, now=None, filters: QueueFilters | None = None,
                        horizons: DueHorizons | None = None) -> QueuePage:
    """One page of `dossiers_queue_for`, most urgent first, in one query whatever the queue's size.

    The count stops at QUEUE_COUNT_CAP ("more than 200"), and so do the pages (8 of 25) and a
    search's matches: type more of the name or the code to narrow it. A search looks through every dossier
    of the agency and leaves `filters` aside.
    """
    horizons = horizons or due_horizons(now=now, user=user)
    # Pages stop where the count does: past a thousand dossiers, narrow the search instead.
    page = max(1, min(page, QUEUE_COUNT_CAP // QUEUE_PAGE_SIZE))
    offset = (page - 1) * QUEUE_PAGE_SIZE
    if search.strip():
        # The matches are read once through the search indexes: the page and its count in one query.
        rows, count = _search_rows_and_count(user=user, search=search, offset=offset, limit=QUEUE_PAGE_SIZE + 1)
    else:
        condition = queue_filters_q(filters, user=user, horizons=horizons) if filters else None
        rows, count = _open_queue_rows_and_count(user=user, offset=offset, limit=QUEUE_PAGE_SIZE + 1,
                                                 extra=_dossier_condition_sql(condition) if condition is not None else None)
    dossiers = [QueueRow(code=code, state=state, due_at=due_at, applicant_name=name, procedure_code=procedure_code,
                         procedure_name=procedure_name,
                         due_status=dossier_due_status(state=state, due_at=due_at, horizons=horizons))
                for code, state, due_at, name, procedure_code, procedure_name in rows[:QUEUE_PAGE_SIZE]]
    return QueuePage(dossiers=dossiers, number=page, has_next=len(rows) > QUEUE_PAGE_SIZE,
                     count=min(count, QUEUE_COUNT_CAP), count_capped=count > QUEUE_COUNT_CAP)


def signed_result_by_token(*, token: str):
    """The signed result a verification QR code names, with only what the public page may show."""
    from one_stop.models import DossierDocument

    return (DossierDocument.objects.select_related("dossier", "dossier__procedure", "dossier__handling_agency")
            .only("file", "sha256", "signed", "verification_token", "dossier__code", "dossier__procedure__code",
                  "dossier__procedure__name", "dossier__handling_agency__name")
            .filter(verification_token=token, signed=True, kind="result").first())


# A dossier's result reaches its applicant once approved (resolved), and stays theirs after it is returned.
RESULT_VISIBLE_STATES = ("resolved", "returned")


@dataclass(frozen=True)
class DossierPaymentStatus:
    """What the app that takes fees online knows of a dossier's fee: the sum still owed (0: free, exempt, or closed),
    whether it was paid, and a short line for the staff page (with the receipt's address when there is one)."""

    due_vnd: int
    paid: bool
    label: str
    receipt_url: str = ""


# Who answers "is this dossier's fee paid?", registered at start-up by the app that takes payments
# (public_services.payments.apps), so that one_stop imports none of it (as DOSSIER_CLOSED_HOOKS). Each is called as
# provider(dossier=) and answers a DossierPaymentStatus, or None when it knows nothing of this dossier; it must run a
# constant number of queries.
DOSSIER_PAYMENT_STATUS: list = []


def dossier_payment_status(*, dossier) -> DossierPaymentStatus | None:
    """The first answer of the registered providers, or None (no payment app, or a dossier none of them knows)."""
    for provider in DOSSIER_PAYMENT_STATUS:
        status = provider(dossier=dossier)
        if status is not None:
            return status
    return None


def dossier_result_held_for_fee(*, dossier) -> bool:
    """A full-online (toàn trình) result is returned online once the fee is paid (Decree 42/2022: submitted, paid and
    returned online): held back from the applicant while a fee is due and unpaid. A free or paid dossier is not held,
    nor a result collected on paper at the counter (partial online, or a counter dossier)."""
    from one_stop.services.results import dossier_requires_signed_result

    if dossier.state not in RESULT_VISIBLE_STATES or not dossier_requires_signed_result(dossier):
        return False
    status = dossier_payment_status(dossier=dossier)
    return status is not None and status.due_vnd > 0 and not status.paid


def documents_for_applicant(documents, *, state: str, result_held: bool = False) -> list:
    """Of a dossier's files (already read), those its applicant may see: what they sent, and the result once
    approved — not a copy waiting for the leader's signature (internal), and, once a signed result exists, not the
    unsigned drafts it was made from; no result while `result_held` (dossier_result_held_for_fee). The one rule for
    the portal's pages, its API and the desk's API."""
    from one_stop.constants import DocumentKind

    documents = [d for d in documents
                 if (state in RESULT_VISIBLE_STATES and not result_held) or d.kind != DocumentKind.RESULT]
    documents = [d for d in documents if not (d.kind == DocumentKind.RESULT and d.verification_token and not d.signed)]
    if any(d.kind == DocumentKind.RESULT and d.signed for d in documents):
        documents = [d for d in documents if d.kind != DocumentKind.RESULT or d.signed]
    return documents
