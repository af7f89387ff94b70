"""Writes of the citizen portal. Each one checks, then calls the one_stop services that own the dossier
lifecycle (drafts, documents, submission, supplements, withdrawal, rating), so a rule exists once."""

import json
import math
import re
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.errors import ApplicationError
from egov.core.locks import lock_until_commit
from egov.core.uploads import DOCX, JPEG, PDF, PNG, TYPE_LABELS, sniff_content_type, validate_upload
from one_stop.constants import DocumentKind, DossierState, OnlineLevel
from one_stop.models import Dossier, Procedure, ProcedureVersion
from one_stop.selectors import procedure_version_current
from one_stop.services.dossiers import ApplicantData
from public_services.forms.engine import FormResult, form_clean, uploads_missing
from public_services.forms.schema import form_schema_validate
from public_services.profile import citizen_profile

NOT_SUBMITTED = gettext_lazy("Hồ sơ chưa được nộp. Hãy sửa các thông tin dưới đây rồi bấm “Nộp hồ sơ” lại.")
# A citizen's answers are small; this stops a client from storing megabytes in a draft.
MAX_FORM_BYTES = 64 * 1024
UPLOAD_MIME = {"pdf": PDF, "jpeg": JPEG, "png": PNG, "docx": DOCX}


@dataclass
class SaveOutcome:
    # None when a submission without a draft was refused: nothing was stored.
    dossier: Dossier | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    # The form's one-time key (or the draft) had already been submitted: `dossier` is that submission, unchanged.
    repeated: bool = False
    # A new draft was stored (not one the key or the caller named).
    created: bool = False


SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def portal_submission_key(posted: str = "") -> str:
    """The one-time key the online form carries: the one it was sent with (kept when it comes back with errors),
    else a new one."""
    return _submission_key_clean(posted) or secrets.token_urlsafe(24)


def _submission_key_clean(key) -> str:
    # Anything else (hand-made, truncated) counts as no key: the form is then handled as before keys existed.
    return key if isinstance(key, str) and SUBMISSION_KEY.fullmatch(key) else ""


def _submission_find(*, citizen, key: str) -> Dossier | None:
    """The dossier this citizen's form with this key already created, or None. Sendings of one key take turns until
    their transaction ends (a double click sends both before the first is stored), so the second finds the first —
    the desk's counter does the same (one_stop.services.dossiers._submission_repeated)."""
    from one_stop.services.dossiers import submission_key_for_citizen

    lock_until_commit(f"public_services.apply|{citizen.pk}|{key}")
    return Dossier.objects.filter(citizen_id=citizen.pk, submission_key=submission_key_for_citizen(citizen.pk, key)).first()


def _form_sent_before(*, citizen, procedure: Procedure, key: str) -> tuple[Dossier | None, bool, str]:
    """What an earlier sending of this form (its key) left: (its draft, to continue; False), (the dossier it submitted;
    True) or (None, False); and the key to keep — none when it is another procedure's form's (hand-made or a stale
    page): not this form's, and keeping it would repeat a key the other dossier holds."""
    found = _submission_find(citizen=citizen, key=key)
    if found is None:
        return None, False, key
    if found.procedure_id != procedure.pk:
        return None, False, ""
    return found, found.state != DossierState.DRAFT, key


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
    try:
        size = len(json.dumps(form_data, ensure_ascii=False, default=str, allow_nan=False).encode())
    except ValueError:
        # A JSON client's 1e400 is inf here: no number a form takes, and PostgreSQL's JSONB refuses it (a 500).
        path = _non_finite_path(form_data) or "form_data"
        raise ApplicationError("invalid_form", _("Tờ khai chưa đầy đủ hoặc có thông tin chưa đúng."),
                               fields={path: [_("Nhập một số.")]}) from None
    if size > MAX_FORM_BYTES:
        raise ApplicationError("form_too_large", _("Nội dung tờ khai quá dài."), status=413)


def _non_finite_path(value, path: str = "") -> str | None:
    """Where the first inf or NaN is, as the form's error paths name it ("thanh_vien.0.so_tien")."""
    if isinstance(value, float) and not math.isfinite(value):
        return path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _non_finite_path(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def _handling_agency(procedure: Procedure, agency_id):
    from public_services.selectors import handling_agencies_for

    agencies = {a.pk: a for a in handling_agencies_for(procedure=procedure)}
    if len(agencies) == 1 and not agency_id:
        return next(iter(agencies.values()))
    try:
        return agencies[int(agency_id)]
    except (KeyError, TypeError, ValueError, OverflowError):  # OverflowError: int(inf)
        # One text for both: the page shows the refusal and the agency's field error in the same place.
        raise ApplicationError("invalid_agency", _("Chọn nơi nộp hồ sơ trong danh sách."),
                               fields={"agency": [_("Chọn nơi nộp hồ sơ trong danh sách.")]}) from None


def _upload_refusal(slot: dict | None, upload, *, count: int, kind: str) -> str | None:
    """Why this file cannot go into this upload slot, or None. Checked against the slot's own types (what the page's
    `accept` and its text name), before anything is stored, so a refused submission can report it without a draft."""
    if slot is None:
        return _("Thành phần hồ sơ không có trong biểu mẫu.")
    accepted = [UPLOAD_MIME[t] for t in slot.get("accept", list(UPLOAD_MIME))]
    try:
        sniffed = validate_upload(upload, allowed=accepted)
    except ValidationError as exc:
        return exc.messages[0]
    if not _extension_matches(upload.name, sniffed):
        return _("Tệp “%(name)s” có phần mở rộng không khớp với nội dung (%(type)s).") % {
            "name": upload.name, "type": TYPE_LABELS[sniffed]}
    if kind == DocumentKind.SUBMITTED and count >= slot.get("max_files", 5):
        return _("Tối đa %(n)s tệp cho thành phần này.") % {"n": slot.get("max_files", 5)}
    return None


def portal_uploads_check(*, schema: dict, uploads, counts: dict[str, int] | None = None,
                         kind: str = DocumentKind.SUBMITTED) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Errors by uploads.<slot> for the files that would be refused, and the file counts per slot once the others
    are added to `counts` (what the dossier already holds)."""
    slots = {u["name"]: u for u in schema.get("uploads", [])}
    counts = dict(counts or {})
    errors: dict[str, list[str]] = {}
    for slot_name, upload in uploads:
        refusal = _upload_refusal(slots.get(slot_name), upload, count=counts.get(slot_name, 0), kind=kind)
        if refusal:
            errors.setdefault(f"uploads.{slot_name}", []).append(refusal)
        else:
            counts[slot_name] = counts.get(slot_name, 0) + 1
    return errors, counts


@transaction.atomic
def portal_uploads_add(*, dossier: Dossier, citizen, schema: dict, uploads, kind: str, errors: dict) -> list:
    """Store files by upload slot; a refused file becomes an error under uploads.<slot>, the rest is kept. Returns the
    documents stored, in order.

    The dossier is locked first: two uploads at once (a phone's parallel requests) take turns, so a slot's count is
    read after the other's file is in (found in review: both could pass a one-file slot)."""
    from one_stop.services.documents import dossier_document_add

    Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk").get()
    slots = {u["name"]: u for u in schema.get("uploads", [])}
    counts = _upload_counts(dossier)
    stored = []
    for slot_name, upload in uploads:
        key = f"uploads.{slot_name}"
        refusal = _upload_refusal(slots.get(slot_name), upload, count=counts.get(slot_name, 0), kind=kind)
        if refusal:
            errors.setdefault(key, []).append(refusal)
            continue
        try:
            stored.append(dossier_document_add(dossier=dossier, user=citizen, file=upload, requirement=slot_name,
                                               kind=kind))
        except ApplicationError as exc:
            errors.setdefault(key, []).append(exc.message)
        else:
            counts[slot_name] = counts.get(slot_name, 0) + 1
    return stored


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
                      uploads=(), submission_key: str = "") -> SaveOutcome:
    """Save what the citizen filled in (a draft: required answers may still be missing) and their files.

    Wrong answers and refused files come back as errors by field path; everything else is kept, so
    nothing typed is lost. A new form's `submission_key` is kept on the draft: the same form saved again (a double
    click, the Back button) updates that draft instead of starting another, and once it was submitted changes nothing.
    """
    from one_stop.services.dossiers import dossier_draft_create, dossier_draft_update

    submission_key = _submission_key_clean(submission_key)
    if dossier is None and submission_key:
        dossier, submitted, submission_key = _form_sent_before(citizen=citizen, procedure=procedure, key=submission_key)
        if submitted:
            return SaveOutcome(dossier=dossier, repeated=True)
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
    created = dossier is None
    if created:
        agency = _handling_agency(procedure, agency_id)
        dossier = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency,
                                       form_data=result.values, submission_key=submission_key,
                                       applicant=applicant if applicant.full_name and applicant.id_number else None)
    else:
        dossier = dossier_draft_update(dossier=dossier, citizen=citizen, form_data=result.values,
                                       applicant=applicant if applicant.full_name and applicant.id_number else None)
    errors = dict(result.errors)
    portal_uploads_add(dossier=dossier, citizen=citizen, schema=schema, uploads=uploads, kind=DocumentKind.SUBMITTED,
                 errors=errors)
    return SaveOutcome(dossier=dossier, errors=errors, created=created)


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


class _Refused(Exception):
    def __init__(self, errors: dict):
        super().__init__("refused")
        self.errors = errors


def _refusal_errors(exc: ApplicationError) -> dict:
    return {**exc.fields, "__all__": [exc.message]}


@transaction.atomic
def portal_dossier_submit(*, citizen, procedure: Procedure, form_data, agency_id=None, dossier: Dossier | None = None,
                          uploads=(), submission_key: str = "") -> SaveOutcome:
    """"Nộp hồ sơ" on the online form: save and submit in one step, or report everything that stops it at once.

    A new dossier is stored only when it is submitted: a refused submission leaves no draft behind (the citizen
    saves one with "Lưu bản nháp"), and its errors — the agency, every answer, every file — come back together.
    An existing draft keeps the answers and files just sent even when the submission is refused.
    The same form sent again (`submission_key`, or the draft's code) returns the first submission (`repeated`).
    """
    submission_key = _submission_key_clean(submission_key)
    if dossier is None and submission_key:
        # A draft saved from this very form (then Back and "Nộp hồ sơ") is submitted; a dossier it submitted is shown.
        dossier, submitted, submission_key = _form_sent_before(citizen=citizen, procedure=procedure, key=submission_key)
        if submitted:
            return SaveOutcome(dossier=dossier, repeated=True)
    if dossier is not None:
        return _draft_submit(citizen=citizen, dossier=dossier, form_data=form_data, uploads=uploads,
                             submission_key=submission_key)
    _check_consent(citizen)
    _check_size(form_data)
    _version, schema = portal_form_for(procedure=procedure)
    errors: dict[str, list[str]] = {}
    try:
        _handling_agency(procedure, agency_id)
    except ApplicationError as exc:
        errors.update(exc.fields)
    result = form_clean(schema, form_data, profile=citizen_profile(citizen))
    errors.update(result.errors)
    upload_errors, counts = portal_uploads_check(schema=schema, uploads=uploads)
    errors.update(upload_errors)
    for key, messages in uploads_missing(result, counts).items():
        errors.setdefault(key, messages)
    if errors:
        return SaveOutcome(dossier=None, errors={**errors, "__all__": [NOT_SUBMITTED]})
    try:
        with transaction.atomic():  # whatever refuses it now (a file the storage refused) takes the draft back too
            outcome = portal_draft_save(citizen=citizen, procedure=procedure, form_data=form_data, agency_id=agency_id,
                                        uploads=uploads, submission_key=submission_key)
            if outcome.errors:
                raise _Refused(outcome.errors)
            return SaveOutcome(dossier=portal_submit(dossier=outcome.dossier, citizen=citizen))
    except _Refused as refused:
        return SaveOutcome(dossier=None, errors={**refused.errors, "__all__": [NOT_SUBMITTED]})
    except ApplicationError as exc:
        if not exc.fields:
            raise
        return SaveOutcome(dossier=None, errors=_refusal_errors(exc))


def _draft_submit(*, citizen, dossier: Dossier, form_data, uploads, submission_key: str) -> SaveOutcome:
    # Locked first: of two "Nộp hồ sơ" on one draft, the second waits and then finds it submitted.
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.citizen_id != citizen.pk:
        raise ApplicationError("not_found", _("Không tìm thấy hồ sơ."), status=404)
    if dossier.state != DossierState.DRAFT:
        return SaveOutcome(dossier=dossier, repeated=True)
    if submission_key and not dossier.submission_key:
        # A draft begun elsewhere (the API) takes the page's key: its code changes on submission, and the page sent
        # again must still find it.
        from one_stop.services.dossiers import dossier_save_keyed, submission_key_for_citizen

        dossier.submission_key = submission_key_for_citizen(citizen.pk, submission_key)
        dossier_save_keyed(dossier, update_fields=["submission_key"])
    outcome = portal_draft_save(citizen=citizen, procedure=dossier.procedure, form_data=form_data, dossier=dossier,
                                uploads=uploads)
    if outcome.errors:
        # Everything that stops the submission at once, not only what stopped the save.
        return SaveOutcome(dossier=outcome.dossier,
                           errors={**portal_check(dossier=outcome.dossier, citizen=citizen).errors, **outcome.errors})
    try:
        with transaction.atomic():  # a refusal keeps the answers and files just saved in the draft
            return SaveOutcome(dossier=portal_submit(dossier=outcome.dossier, citizen=citizen))
    except ApplicationError as exc:
        if not exc.fields:
            raise
        return SaveOutcome(dossier=outcome.dossier, errors=_refusal_errors(exc))


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


def portal_dossier_withdraw(*, dossier: Dossier, citizen, note: str, confirmed: bool) -> Dossier:
    """The owner withdraws their dossier, after ticking the confirmation: withdrawing cannot be undone (a fee already
    paid becomes a refund owed: public_services.payments.services.payments_expire_for_closed_dossier), so one click
    must not do it."""
    from one_stop.services.dossiers import dossier_act

    errors = {}
    if not note.strip():
        errors["note"] = [_("Cần ghi rõ lý do rút hồ sơ.")]
    if not confirmed:
        errors["xac_nhan"] = [_("Đánh dấu ô xác nhận để rút hồ sơ.")]
    if errors:
        raise ApplicationError("withdrawal_not_confirmed", _("Hồ sơ chưa được rút."), fields=errors)
    return dossier_act(dossier=dossier, user=citizen, action="withdraw", note=note)
