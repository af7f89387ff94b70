"""Files of a dossier: components scanned at the counter or uploaded online, supplements, results."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.core.uploads import file_delete_on_commit, validate_upload
from one_stop.constants import DocumentKind, DossierState
from one_stop.models import Dossier, DossierDocument
from one_stop.selectors import dossier_supplement_asked_at
from one_stop.services.events import dossier_event_add

# Per dossier: enough for every component of a large procedure, small enough to stop abuse.
MAX_DOCUMENTS = 40

# Who may add which kind of file, and in which states.
_APPLICANT_STATES = {DocumentKind.SUBMITTED: {DossierState.DRAFT}, DocumentKind.SUPPLEMENT: {DossierState.SUPPLEMENT_REQUESTED}}
_STAFF_STATES = {
    DocumentKind.SUBMITTED: {DossierState.SUBMITTED, DossierState.RECEIVED, DossierState.IN_PROGRESS},
    DocumentKind.SUPPLEMENT: {DossierState.SUPPLEMENT_REQUESTED},
    DocumentKind.RESULT: {DossierState.IN_PROGRESS, DossierState.RESOLVED},
}


def _refusal(user, dossier: Dossier, kind: str) -> int | None:
    """None when the user may add this kind of file now; else the HTTP status of the refusal
    (409: not in this state, 403: not this user)."""
    if dossier.citizen_id is not None and dossier.citizen_id == user.pk:
        if kind == DocumentKind.SUPPLEMENT and dossier.supplement_submitted_at is not None:
            return 409  # the supplement was sent: the desk is reviewing what it holds
        return None if dossier.state in _APPLICANT_STATES.get(kind, set()) else 409
    if kind == DocumentKind.RESULT:
        allowed = bool(user.role_names() & {Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER}) and \
            user.agency_id == dossier.handling_agency_id
    else:
        allowed = user.has_role(Role.ONE_STOP_CLERK) and user.agency_id in (dossier.receiving_agency_id,
                                                                          dossier.handling_agency_id)
    if not allowed:
        return 403
    return None if dossier.state in _STAFF_STATES.get(kind, set()) else 409


def _file_event(dossier: Dossier, document: DossierDocument, *, user, added: bool) -> None:
    """The control sheet's line for a file added or removed once the dossier left the applicant's draft.

    The applicant's own files (a supplement being prepared) are their own events, which their history shows; the
    staff's are hidden from the applicant, as the files are (a result is theirs only once approved).
    """
    by_applicant = dossier.citizen_id is not None and dossier.citizen_id == user.pk
    action = ("applicant_file_" if by_applicant else "file_") + ("add" if added else "delete")
    name = document.original_name
    if document.requirement:
        name = f"{name} ({document.requirement})"
    note = name if by_applicant else f"{DocumentKind(document.kind).label}: {name}"
    dossier_event_add(dossier, action=action, actor=user, agency=None if by_applicant else user.agency, note=note)


@transaction.atomic
def dossier_document_add(*, dossier: Dossier, user, file, requirement: str = "",
                         kind: str = DocumentKind.SUBMITTED, record: bool = True) -> DossierDocument:
    """Store one file of the dossier after checking its type by content and its size.

    Once the dossier is past the applicant's draft the addition is an event of its history, unless the caller
    records it otherwise (`record=False`: the counter's scans belong to the receipt's own event).
    """
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if kind not in DocumentKind.values:
        raise ApplicationError("invalid_kind", _("Loại tệp không hợp lệ."), fields={"kind": [_("Không hợp lệ.")]})
    refusal = _refusal(user, dossier, kind)
    if refusal == 403:
        raise ApplicationError("forbidden", _("Bạn không có quyền thêm tệp vào hồ sơ %(code)s.") % {"code": dossier.code},
                               status=403)
    if refusal:
        raise ApplicationError("invalid_state", _("Không thể thêm tệp vào hồ sơ %(code)s ở trạng thái “%(s)s”.") % {
            "code": dossier.code, "s": dossier.get_state_display()}, status=409)
    if dossier.documents.count() >= MAX_DOCUMENTS:
        raise ApplicationError("too_many_files", _("Hồ sơ đã có tối đa %(n)s tệp.") % {"n": MAX_DOCUMENTS}, status=409)
    try:
        content_type = validate_upload(file)
    except ValidationError as exc:
        raise ApplicationError("invalid_file", exc.messages[0], fields={"file": exc.messages}) from exc
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    document = DossierDocument.objects.create(
        dossier=dossier, kind=kind, requirement=requirement.strip()[:500], file=file,
        original_name=(file.name or "tep")[-255:], content_type=content_type, size=file.size,
        sha256=digest.hexdigest(), uploaded_by=user)
    if record and dossier.state != DossierState.DRAFT:
        _file_event(dossier, document, user=user, added=True)
    return document


@transaction.atomic
def dossier_document_delete(*, document: DossierDocument, user) -> None:
    """The applicant removes a file from a draft (or a file of the supplement round under way, not yet sent)."""
    dossier = Dossier.objects.select_for_update().get(pk=document.dossier_id)
    editable = dossier.citizen_id == user.pk and (
        (dossier.state == DossierState.DRAFT and document.kind == DocumentKind.SUBMITTED)
        or (dossier.state == DossierState.SUPPLEMENT_REQUESTED and document.kind == DocumentKind.SUPPLEMENT
            and dossier.supplement_submitted_at is None))
    if not editable:
        raise ApplicationError("forbidden", _("Không thể xóa tệp này."), status=403)
    if document.kind == DocumentKind.SUPPLEMENT and not dossier_supplement_deletable(dossier=dossier, document=document,
                                                                                    user=user):
        raise ApplicationError("document_accepted", _("Tệp đã được Bộ phận Một cửa tiếp nhận, không xóa được."),
                               status=409)
    if dossier.state != DossierState.DRAFT:
        _file_event(dossier, document, user=user, added=False)
    file_delete_on_commit(document.file)  # not before: a rollback would keep the row without its file
    document.delete()


def dossier_supplement_deletable(*, dossier: Dossier, document: DossierDocument, user) -> bool:
    """Whether this supplement file is the applicant's own, of the round under way: one uploaded before the latest
    request answered an earlier round, and the desk accepted it (found in review: a second round could delete it)."""
    if document.uploaded_by_id != user.pk:
        return False
    asked_at = dossier_supplement_asked_at(dossier=dossier)
    return asked_at is None or document.uploaded_at >= asked_at


def dossier_checklist_from_version(dossier: Dossier, received: set[int]) -> list[dict]:
    """The checklist of required documents for the desk; `received` holds the indexes ticked."""
    return [{"name": item.get("name", ""), "copies": item.get("copies", ""), "received": index in received}
            for index, item in enumerate(dossier.procedure_version.required_documents)]


def _requirement_key(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def dossier_requirements_supplied(dossier: Dossier, documents=None) -> set[int]:
    """The indexes of the version's required documents the applicant supplied a file for (online, or a supplement).

    A file counts for the requirement it was uploaded for: the required document's name, the online form's
    upload slot whose label is that name, or the required document a slot names by the beginning of its name
    (the slot's "document": the catalogue's names are long sentences). Nothing is guessed beyond that: a
    document with no file of its own is not claimed as received (form 01 would list it), and the desk ticks
    what it finds complete. `documents`: the dossier's files when the caller has them already.
    """
    if documents is None:
        documents = dossier.documents.filter(kind__in=(DocumentKind.SUBMITTED, DocumentKind.SUPPLEMENT))
    version = dossier.procedure_version
    slots = {slot.get("name"): slot for slot in (version.form or {}).get("uploads", []) if isinstance(slot, dict)}
    given, beginnings = set(), set()
    for document in documents:
        if document.kind not in (DocumentKind.SUBMITTED, DocumentKind.SUPPLEMENT):
            continue
        given.add(_requirement_key(document.requirement))
        slot = slots.get(document.requirement)
        if slot is not None:
            given.add(_requirement_key(slot.get("label", "")))
            beginnings.add(_requirement_key(slot.get("document", "")))
    given.discard("")
    beginnings.discard("")
    supplied = set()
    for index, item in enumerate(version.required_documents):
        name = _requirement_key(item.get("name", ""))
        if name in given or any(name.startswith(beginning) for beginning in beginnings):
            supplied.add(index)
    return supplied
