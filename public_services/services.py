"""Writes of the citizen portal. Each one checks, then calls the one_stop services that own the dossier
lifecycle (drafts, documents, submission, supplements, withdrawal, rating), so a rule exists once."""

import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from egov.core.uploads import DOCX, JPEG, PDF, PNG, TYPE_LABELS, sniff_content_type
from one_stop.constants import DocumentKind, DossierState, OnlineLevel
from one_stop.models import Dossier, Procedure, ProcedureVersion
from one_stop.selectors import procedure_version_current
from one_stop.services.dossiers import ApplicantData
from public_services.forms.engine import FormResult, form_clean, uploads_missing
from public_services.forms.schema import form_schema_validate
from public_services.profile import citizen_profile

# A citizen's answers are small; this stops a client from storing megabytes in a draft.
MAX_FORM_BYTES = 64 * 1024
UPLOAD_MIME = {"pdf": PDF, "jpeg": JPEG, "png": PNG, "docx": DOCX}


@dataclass
class SaveOutcome:
    dossier: Dossier
    errors: dict[str, list[str]] = field(default_factory=dict)


def procedure_form_set(*, version: ProcedureVersion, form: dict) -> ProcedureVersion:
    """Give a procedure version its online form, after checking the schema."""
    version.form = form_schema_validate(form)
    version.save(update_fields=["form"])
    return version


def portal_form_for(*, procedure: Procedure) -> tuple[ProcedureVersion, dict]:
    """The version in force and its form, or a refusal when the procedure cannot be done online here."""
    version = procedure_version_current(procedure=procedure)
    if version is None or not procedure.is_active:
        raise ApplicationError("procedure_unavailable", _("Thủ tục này hiện không được áp dụng."), status=404)
    if procedure.online_level == OnlineLevel.NONE or not version.form:
        raise ApplicationError("not_online", _("Thủ tục này chưa nhận hồ sơ trực tuyến trên cổng."), status=409)
    return version, version.form


def _applicant(schema: dict, values: dict, profile: dict) -> ApplicantData:
    """Who applies: the verified profile first, then what the form asked for those profile keys."""
    answered = {f["prefill"]: values.get(f["name"]) for s in schema.get("sections", []) for f in s["fields"]
                if f.get("prefill") and isinstance(values.get(f["name"]), str)}

    def pick(key: str) -> str:
        return str(profile.get(key) or answered.get(key) or "")

    return ApplicantData(full_name=pick("full_name")[:255], id_number=pick("id_number")[:20], phone=pick("phone")[:20],
                         email=pick("email")[:254], address=pick("address")[:500])


def _check_size(form_data) -> None:
    if len(json.dumps(form_data, ensure_ascii=False, default=str).encode()) > MAX_FORM_BYTES:
        raise ApplicationError("form_too_large", _("Nội dung tờ khai quá dài."), status=413)


def _handling_agency(procedure: Procedure, agency_id):
    from public_services.selectors import handling_agencies_for

    agencies = {a.pk: a for a in handling_agencies_for(procedure=procedure)}
    if len(agencies) == 1 and not agency_id:
        return next(iter(agencies.values()))
    try:
        return agencies[int(agency_id)]
    except (KeyError, TypeError, ValueError):
        # One text for both: the page shows the refusal and the agency's field error in the same place.
        raise ApplicationError("invalid_agency", _("Chọn nơi nộp hồ sơ trong danh sách."),
                               fields={"agency": [_("Chọn nơi nộp hồ sơ trong danh sách.")]}) from None


def portal_uploads_add(*, dossier: Dossier, citizen, schema: dict, uploads, kind: str, errors: dict) -> None:
    """Store files by upload slot; a refused file becomes an error under uploads.<slot>, the rest is kept."""
    from one_stop.services.documents import dossier_document_add

    slots = {u["name"]: u for u in schema.get("uploads", [])}
    counts = _upload_counts(dossier)
    for slot_name, upload in uploads:
        slot = slots.get(slot_name)
        key = f"uploads.{slot_name}"
        if slot is None:
            errors.setdefault(key, []).append(_("Thành phần hồ sơ không có trong biểu mẫu."))
            continue
        accepted = [UPLOAD_MIME[t] for t in slot.get("accept", list(UPLOAD_MIME))]
        sniffed = sniff_content_type(upload)
        if sniffed is not None and sniffed not in accepted:
            errors.setdefault(key, []).append(
                _("Tệp “%(name)s” không đúng định dạng cho phép (%(types)s).")
                % {"name": upload.name, "types": ", ".join(TYPE_LABELS[t] for t in accepted)})
            continue
        if sniffed is not None and not _extension_matches(upload.name, sniffed):
            errors.setdefault(key, []).append(
                _("Tệp “%(name)s” có phần mở rộng không khớp với nội dung (%(type)s).")
                % {"name": upload.name, "type": TYPE_LABELS[sniffed]})
            continue
        if kind == DocumentKind.SUBMITTED and counts.get(slot_name, 0) >= slot.get("max_files", 5):
            errors.setdefault(key, []).append(_("Tối đa %(n)s tệp cho thành phần này.") % {"n": slot.get("max_files", 5)})
            continue
        try:
            dossier_document_add(dossier=dossier, user=citizen, file=upload, requirement=slot_name, kind=kind)
        except ApplicationError as exc:
            errors.setdefault(key, []).append(exc.message)
        else:
            counts[slot_name] = counts.get(slot_name, 0) + 1


EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",), DOCX: (".docx",)}


def _extension_matches(name: str, content_type: str) -> bool:
    # A PDF named .jpg is refused too: the name is what the desk and the citizen will open it by.
    return (name or "").lower().endswith(EXTENSIONS[content_type])


def portal_upload_name_check(upload) -> None:
    """Refuse a file whose name does not match its content (the content itself is checked on storing)."""
    sniffed = sniff_content_type(upload)
    if sniffed is not None and not _extension_matches(upload.name, sniffed):
        message = _("Tệp “%(name)s” có phần mở rộng không khớp với nội dung (%(type)s).") % {
            "name": upload.name, "type": TYPE_LABELS[sniffed]}
        raise ApplicationError("invalid_file", message, fields={"file": [message]})


def _upload_counts(dossier: Dossier) -> dict[str, int]:
    from django.db.models import Count

    rows = dossier.documents.filter(kind=DocumentKind.SUBMITTED).values("requirement").annotate(n=Count("id"))
    return {row["requirement"]: row["n"] for row in rows}


def _check_consent(citizen) -> None:
    """A citizen who withdrew their consent starts and sends no new online dossier until they give it again
    (egov.accounts.privacy): a draft and a submission are processing of their data on that consent. What they sent
    before goes on (supplements, withdrawal, payment), as the authority's duty."""
    from egov.accounts.privacy import privacy_consent_withdrawn

    if privacy_consent_withdrawn(citizen):
        raise ApplicationError("privacy_consent_withdrawn", _(
            "Bạn đã rút lại sự đồng ý xử lý dữ liệu cá nhân. Hãy đồng ý lại với Thông báo xử lý dữ liệu cá nhân (trang "
            "Quyền đối với dữ liệu cá nhân) để nộp hồ sơ trực tuyến."), status=403)


@transaction.atomic
def portal_draft_save(*, citizen, procedure: Procedure, form_data, agency_id=None, dossier: Dossier | None = None,
                      uploads=()) -> SaveOutcome:
    """Save what the citizen filled in (a draft: required answers may still be missing) and their files.

    Wrong answers and refused files come back as errors by field path; everything else is kept, so
    nothing typed is lost.
    """
    from one_stop.services.dossiers import dossier_draft_create, dossier_draft_update

    _check_consent(citizen)
    _check_size(form_data)
    if dossier is not None:
        procedure = dossier.procedure
        schema = dossier.procedure_version.form
        if not schema:
            raise ApplicationError("not_online", _("Thủ tục này chưa nhận hồ sơ trực tuyến trên cổng."), status=409)
    else:
        _version, schema = portal_form_for(procedure=procedure)
    profile = citizen_profile(citizen)
    result = form_clean(schema, form_data, profile=profile, partial=True)
    applicant = _applicant(schema, result.values, profile)
    if dossier is None:
        agency = _handling_agency(procedure, agency_id)
        dossier = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency,
                                       form_data=result.values,
                                       applicant=applicant if applicant.full_name and applicant.id_number else None)
    else:
        dossier = dossier_draft_update(dossier=dossier, citizen=citizen, form_data=result.values,
                                       applicant=applicant if applicant.full_name and applicant.id_number else None)
    errors = dict(result.errors)
    portal_uploads_add(dossier=dossier, citizen=citizen, schema=schema, uploads=uploads, kind=DocumentKind.SUBMITTED,
                 errors=errors)
    return SaveOutcome(dossier=dossier, errors=errors)


def portal_check(*, dossier: Dossier, citizen) -> FormResult:
    """Validate a draft as for submission: every shown required answer and upload."""
    schema = dossier.procedure_version.form
    result = form_clean(schema, dossier.form_data, profile=citizen_profile(citizen))
    result.errors.update(uploads_missing(result, _upload_counts(dossier)))
    return result


@transaction.atomic
def portal_submit(*, dossier: Dossier, citizen) -> Dossier:
    """Submit a complete draft to the desk (state `submitted`); refused with errors per field otherwise."""
    from one_stop.services.dossiers import dossier_draft_update, dossier_submit

    if dossier.citizen_id != citizen.pk:
        raise ApplicationError("not_found", _("Không tìm thấy hồ sơ."), status=404)
    if dossier.state != DossierState.DRAFT:
        raise ApplicationError("not_a_draft", _("Hồ sơ đã nộp, không sửa được nữa."), status=409)
    _check_consent(citizen)
    result = portal_check(dossier=dossier, citizen=citizen)
    if result.errors:
        raise ApplicationError("invalid_form", _("Tờ khai chưa đầy đủ hoặc có thông tin chưa đúng."),
                               fields=result.errors)
    applicant = _applicant(dossier.procedure_version.form, result.values, citizen_profile(citizen))
    # Only the answers shown for these choices are kept; the applicant comes from the verified profile.
    dossier_draft_update(dossier=dossier, citizen=citizen, form_data=result.values, applicant=applicant)
    return dossier_submit(dossier=dossier, citizen=citizen)


@transaction.atomic
def portal_supplement_send(*, dossier: Dossier, citizen, uploads, note: str = "") -> Dossier:
    """The citizen uploads what the desk asked for and sends it back, in one step."""
    from one_stop.services.documents import dossier_document_add
    from one_stop.services.dossiers import dossier_supplement_submit

    for requirement, upload in uploads:
        portal_upload_name_check(upload)
        dossier_document_add(dossier=dossier, user=citizen, file=upload, requirement=requirement[:500],
                             kind=DocumentKind.SUPPLEMENT)
    return dossier_supplement_submit(dossier=dossier, citizen=citizen, note=note[:2000])
