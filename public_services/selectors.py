"""Reads of the citizen portal: the public catalogue and the citizen's own dossiers.

The catalogue wraps `one_stop.selectors.procedures_search` (ranking, diacritics) and adds what the
portal filters on; the dossier reads narrow `dossiers_visible_to` to the citizen's own, so a citizen
can never reach another's dossier through any page or API route.
"""

import re

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from one_stop.models import Procedure, ProcedureVersion
from one_stop.selectors import procedure_version_current, procedures_search

# Columns the catalogue list never shows: left in the database so a page of 20 stays small.
LIST_DEFERRED = ("raw", "import_issues", "body_folded", "name_folded", "legal_basis", "conditions", "result")


def catalogue_search(*, query: str = "", field: str = "", online_level: str = "", level: str = "",
                     agency: str = "") -> QuerySet[Procedure]:
    """Active procedures, ranked (code/name before field, agency, result, legal basis); `agency` is the
    implementing agency exactly as the catalogue writes it (the filter offers those values)."""
    procedures = procedures_search(query=query, field=field, online_level=online_level, level=level)
    if agency:
        procedures = procedures.filter(agency_text__iexact=agency)  # every spelling of it (spellings_merged)
    # The current version's terms per channel ride in the same query as its fee and time limit (procedures_search):
    # the list names each channel's when they differ, as the procedure page does (channel_terms).
    current = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), effective_from__lte=timezone.now()).order_by(
        "-effective_from", "-number")
    return procedures.annotate(current_channels=Subquery(current.values("channels")[:1])).defer(*LIST_DEFERRED)


def catalogue_agencies() -> list[str]:
    """The implementing agencies the catalogue names, for the agency filter: each once, however its case is written."""
    from django.db.models import Count

    from one_stop.selectors import spellings_merged

    return spellings_merged(Procedure.objects.filter(is_active=True).exclude(agency_text="").values("agency_text")
                            .annotate(n=Count("id")).values_list("agency_text", "n"))


def procedure_public(*, code: str) -> tuple[Procedure, object] | None:
    """An active procedure by code with its version in force; None when there is none."""
    if "\x00" in code:
        return None
    procedure = Procedure.objects.filter(code=code, is_active=True).first()
    if procedure is None:
        return None
    return procedure, procedure_version_current(procedure=procedure)


_ORIGINALS = re.compile(r"(\d+)\s*(?:\(\w+\)\s*)?bản\s+chính", re.IGNORECASE)
_COPIES = re.compile(r"(\d+)\s*(?:\(\w+\)\s*)?bản\s+sao", re.IGNORECASE)


def procedure_channel_terms(*, version) -> dict:
    """Each channel's time limit and fee as the catalogue states them, for the procedure page: `channels` (rows with
    a label; `priced_channels`/`timed_channels` those that state a fee/time limit), and whether the channels' fees or
    working days differ — then the headline names each channel's, since a dossier pays and is judged by its own
    channel's (online is often cheaper: one_stop.services.dossiers.version_fee_for), not the counter's alone."""
    return channel_terms(channels=version.channels if version else [])


def channel_terms(*, channels) -> dict:
    """procedure_channel_terms of a version's `channels` as stored (a list of dicts), for the catalogue list too,
    whose rows carry them as an annotation (catalogue_search): no query."""
    from one_stop.constants import DossierChannel

    rows = [{**c, "label": DossierChannel(c["channel"]).label if c.get("channel") in DossierChannel.values
             else c.get("channel", "")} for c in (channels or []) if isinstance(c, dict)]
    order = [DossierChannel.ONLINE, DossierChannel.COUNTER, DossierChannel.POST]  # the portal's readers apply online
    rows.sort(key=lambda row: order.index(row.get("channel")) if row.get("channel") in order else len(order))
    # The national catalogue repeats a channel's row word for word at times (1.000028: "Trực tiếp: 1 ngày làm việc"
    # twice): each list keeps the first of the rows it would show the same, distinct rows of one channel stay.
    rows = _distinct(rows, ("channel", "processing_days", "processing_text", "fee_vnd", "fee_text"))
    priced = _distinct([row for row in rows if row.get("fee_vnd") is not None], ("channel", "fee_vnd"))
    timed = _distinct([row for row in rows if row.get("processing_days") is not None], ("channel", "processing_days"))
    return {"channels": rows, "priced_channels": priced, "timed_channels": timed,
            "fees_by_channel": len({row["fee_vnd"] for row in priced}) > 1,
            "days_by_channel": len({row["processing_days"] for row in timed}) > 1}


def _distinct(rows: list, keys: tuple) -> list:
    """`rows` without those equal to an earlier one in every one of `keys`, in order."""
    seen, kept = set(), []
    for row in rows:
        key = tuple(str(row.get(k, "")).strip() for k in keys)
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def document_copies(text: str) -> tuple[int | None, int | None]:
    """'1 bản chính, 02 bản sao' → (1, 2); None where the catalogue does not say."""
    originals = _ORIGINALS.search(text or "")
    copies = _COPIES.search(text or "")
    return (int(originals.group(1)) if originals else None, int(copies.group(1)) if copies else None)


def handling_agencies_for(*, procedure: Procedure) -> list:
    """Where an online dossier of this procedure may be sent, for the citizen to choose from.

    Kept simple on purpose: a commune-level procedure goes to the People's Committee of the commune
    or ward the citizen chooses (usually where they live); anything else goes to the province's
    public administration service centre, which may receive any procedure of the province and routes
    it to the competent department (2025 one-stop decree). A province without a centre falls back to
    its People's Committee.
    """
    from egov.agencies.models import Agency, AgencyKind

    kinds = []
    if "commune" in (procedure.levels or []):
        kinds.append(AgencyKind.COMMUNE_COMMITTEE)
    if not procedure.levels or set(procedure.levels) - {"commune"}:
        kinds.append(AgencyKind.SERVICE_CENTRE)
    agencies = list(Agency.objects.filter(is_active=True, kind__in=kinds).only("id", "name", "kind", "address")
                    .order_by("kind", "name"))
    if not agencies:
        agencies = list(Agency.objects.filter(is_active=True, kind=AgencyKind.PROVINCIAL_COMMITTEE)
                        .only("id", "name", "kind", "address").order_by("name"))
    return agencies


# What the owner sees of their own dossiers. Result files only once the result is approved.


def citizen_dossiers(*, user) -> QuerySet:
    """The citizen's own dossiers, newest first, with what the list shows in the same query."""
    from one_stop.models import Dossier
    from one_stop.selectors import dossiers_with_due_status, due_horizons

    if not user.is_authenticated:
        return Dossier.objects.none()
    dossiers = (Dossier.objects.filter(citizen=user)
                .select_related("procedure", "handling_agency", "receiving_agency")
                .defer("form_data", "checklist", "procedure__raw", "procedure__body_folded", "procedure__legal_basis")
                .order_by("-created_at", "-id"))
    # The calendar's version comes with the signed-in user: the horizons cost no query.
    return dossiers_with_due_status(dossiers, horizons=due_horizons(user=user))


def citizen_dossier(*, user, code: str):
    """One of the citizen's own dossiers by code, or None (pages answer 404: never another's)."""
    from one_stop.models import Dossier

    if not user.is_authenticated or "\x00" in code:
        return None
    return (Dossier.objects.filter(citizen=user, code=code)
            .select_related("procedure", "procedure_version", "handling_agency", "receiving_agency", "received_by")
            .first())


def citizen_dossier_by_submission_key(*, user, key: str):
    """The citizen's dossier made from the online form with this one-time key, or None. A draft's temporary code is
    replaced when it is submitted, so a draft's page sent again (Back) finds its dossier by the key instead."""
    from one_stop.models import Dossier
    from one_stop.services.dossiers import submission_key_for_citizen

    if not user.is_authenticated or not key:
        return None
    return (Dossier.objects.filter(citizen=user, submission_key=submission_key_for_citizen(user.pk, key))
            .select_related("procedure", "procedure_version", "handling_agency", "receiving_agency").first())


# What the applicant reads of the control sheet: every step's label, place, state reached and the notes written to them
# (one_stop.events.APPLICANT_HIDDEN_EVENTS, applicant_note) — not who (staff names are the agency's).


def _portal_event_labels() -> dict:
    from django.utils.translation import gettext_lazy

    return {"submit": gettext_lazy("nộp trực tuyến"), "draft": gettext_lazy("tạo bản nháp"),
            "supplement_submit": gettext_lazy("gửi hồ sơ bổ sung"), "forward": gettext_lazy("chuyển cơ quan giải quyết"),
            "postpone": gettext_lazy("xin lỗi, hẹn lại ngày trả"),
            "result_sign_request": gettext_lazy("trình lãnh đạo ký kết quả"),
            "result_signed": gettext_lazy("lãnh đạo ký số kết quả"),
            "applicant_file_add": gettext_lazy("thêm tệp"), "applicant_file_delete": gettext_lazy("xóa tệp")}


# How the applicant's page names the steps it words for the citizen (the others as the dossier page does).
PORTAL_EVENT_LABELS = _portal_event_labels()


def citizen_event_label(action: str) -> str:
    from one_stop.events import event_label

    label = PORTAL_EVENT_LABELS.get(action)
    return str(label) if label is not None else event_label(action)


def citizen_history(events) -> list:
    """The dossier's events as the applicant sees them (the page and the API), each with `label`, `to_label` and
    `citizen_note` (the note when it is written to the applicant, else empty);
    `events` are the dossier's events with their agency (a prefetch, or one query)."""
    from one_stop.constants import DossierState
    from one_stop.events import APPLICANT_HIDDEN_EVENTS, applicant_note

    shown = [event for event in events if event.action not in APPLICANT_HIDDEN_EVENTS]
    for event in shown:
        event.label = citizen_event_label(event.action)
        event.citizen_note = applicant_note(event)
        event.to_label = DossierState(event.to_state).label if event.to_state in DossierState.values else event.to_state
    return shown


def citizen_events_prefetch():
    """The Prefetch a list of the citizen's dossiers takes to carry their history in one more query."""
    from django.db.models import Prefetch

    from one_stop.models import DossierEvent

    return Prefetch("events", queryset=DossierEvent.objects.select_related("agency").only(
        "dossier_id", "action", "from_state", "to_state", "at", "note", "agency__name"))


def citizen_documents(*, dossier, result_held: bool | None = None) -> list:
    """The files the owner may see (one_stop.selectors.documents_for_applicant): what they sent, and the result once
    approved (a full-online one once its fee is paid; `result_held`: that rule's answer when the caller has it)."""
    from one_stop.selectors import documents_for_applicant, dossier_result_held_for_fee

    if result_held is None:
        result_held = dossier_result_held_for_fee(dossier=dossier)
    return documents_for_applicant(dossier.documents.all().defer("sha256"), state=dossier.state,
                                   result_held=result_held)


def citizen_document(*, user, code: str, document_id: int):
    dossier = citizen_dossier(user=user, code=code)
    if dossier is None:
        return None
    return next((d for d in citizen_documents(dossier=dossier) if d.pk == document_id), None)
