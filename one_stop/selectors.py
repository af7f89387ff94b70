"""Reads of the one-stop app: the visibility and query-count rules live here."""

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from egov.core.text import fold_vietnamese
from one_stop.models import Procedure, ProcedureVersion


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


def dossiers_queue_for(*, user, now=None, search: str = "") -> QuerySet:
    """A staff member's working list: open dossiers of their agency, the most urgent first.

    With `search`, every dossier of the agency (closed ones too) whose code, applicant ID number or
    applicant name (diacritics and case ignored) matches.
    """
    visible = dossiers_visible_to(user=user)
    search = search.strip()
    if search:
        folded = fold_vietnamese(search)
        queue = visible.filter(Q(code__icontains=search) | Q(applicant_id_number=search)
                               | Q(applicant_name_folded__contains=folded))
    else:
        open_states = ("submitted", "received", "in_progress", "supplement_requested", "resolved")
        queue = visible.filter(state__in=open_states)
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
