"""E-results (kết quả điện tử) of online `full` procedures: the result PDF goes to the agency's leader
for a digital signature, with a QR code to a public verification page stamped on it first.

Flow: the handling agency uploads the result PDF (services/documents.py) → `dossier_result_sign_request`
stamps the QR block and an empty signature field on a copy, stores the copy as a result row waiting for
signature (with an unguessable verification token) and asks the leader through `signatures.services` →
the leader confirms with a one-time code on /ky-so/ → the `signing` queue signs → `_result_signed`
(the signature callback, inside the signing transaction) puts the signed PDF in that row and resolves
the dossier as the leader (whose signature is the approval). A full online dossier cannot be resolved
without a signed result (`dossier_resolve_refusal`), so the citizen always gets a verifiable one.
"""

import hashlib
import secrets
import string

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.core.language import portal_language
from one_stop.constants import DocumentKind, DossierChannel, DossierState, OnlineLevel
from one_stop.models import Dossier, DossierDocument
from one_stop.services.events import dossier_event_add
from signatures.callbacks import register

CALLBACK = "one_stop.result_signed"
RESULT_ROLES = {Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER}
# Who of the handling agency may send a result back to be signed by another leader once the one asked lost the
# authority: its leaders, those who send results for signature, and the one-stop staff who answer the applicant.
SIGNER_CHANGE_ROLES = frozenset({*RESULT_ROLES, Role.ONE_STOP_CLERK})


def dossier_requires_signed_result(dossier: Dossier) -> bool:
    """Toàn trình: submitted online for a `full` procedure, so the result is returned online, signed."""
    return dossier.channel == DossierChannel.ONLINE and dossier.procedure.online_level == OnlineLevel.FULL


def dossier_resolve_refusal(dossier: Dossier) -> str | None:
    """Why the dossier may not be resolved yet (a Vietnamese sentence), or None."""
    if dossier_requires_signed_result(dossier) and not dossier.documents.filter(
            kind=DocumentKind.RESULT, signed=True).exists():
        return _("Hồ sơ dịch vụ công trực tuyến toàn trình chỉ được duyệt khi đã có kết quả được lãnh đạo ký số. "
                 "Hãy tải kết quả lên và trình ký.")
    return None


def result_signers_for(*, dossier: Dossier) -> list:
    """The handling agency's leaders who hold a usable personal certificate, each with that certificate
    as `.result_certificate` (the newest that is valid now)."""
    from signatures.selectors import personal_certificates_of_role

    certificates = personal_certificates_of_role(agency_id=dossier.handling_agency_id, role=Role.LEADER)
    signers = {}
    for certificate in certificates:
        if certificate.owner_id not in signers:
            certificate.owner.result_certificate = certificate
            signers[certificate.owner_id] = certificate.owner
    return list(signers.values())


def result_verification_path(token: str) -> str:
    from django.urls import reverse

    return reverse("one_stop:result_verify", kwargs={"token": token})


def _may_handle(user, dossier: Dossier) -> bool:
    return bool(user.role_names() & {str(r) for r in RESULT_ROLES}) and user.agency_id == dossier.handling_agency_id


@transaction.atomic
def dossier_result_sign_request(*, dossier: Dossier, user, document: DossierDocument, signer, base_url: str):
    """Send a result PDF of the dossier to `signer` (a leader of the handling agency) for signature.

    The copy sent carries, on page 1, the QR code of its public verification page: drawn before the
    signature, so it is covered by it. Refusals: 403 who, 409 state, 400 the file.
    """
    from one_stop.pdf.eresult import RESULT_FIELD, result_pdf_prepare
    from signatures.constants import SignatureRole, SignatureState
    from signatures.models import SignatureRequest
    from signatures.services import signature_request_create

    dossier = Dossier.objects.select_for_update().select_related("procedure", "handling_agency").get(pk=dossier.pk)
    if not _may_handle(user, dossier):
        raise ApplicationError("forbidden", _("Chỉ cơ quan giải quyết hồ sơ được trình ký kết quả."), status=403)
    if dossier.state != DossierState.IN_PROGRESS:
        raise ApplicationError("invalid_state", _("Chỉ trình ký kết quả khi hồ sơ đang giải quyết."), status=409)
    if document.dossier_id != dossier.pk or document.kind != DocumentKind.RESULT or document.signed \
            or document.verification_token:
        raise ApplicationError("invalid_document", _("Chọn tệp kết quả chưa ký của hồ sơ này."),
                               fields={"document": [_("Không hợp lệ.")]})
    if document.content_type != "application/pdf":
        raise ApplicationError("not_a_pdf", _("Chỉ ký số được kết quả ở định dạng PDF."),
                               fields={"document": [_("Cần tệp PDF.")]})
    pending = dossier.documents.filter(kind=DocumentKind.RESULT, signed=False).exclude(verification_token="")
    waiting = SignatureRequest.objects.filter(
        callback=CALLBACK, target_id__in=[str(pk) for pk in pending.values_list("pk", flat=True)],
        state__in=(SignatureState.PENDING, SignatureState.SIGNING))
    if waiting.exists():
        raise ApplicationError("already_requested", _("Kết quả của hồ sơ này đang chờ lãnh đạo ký số."), status=409)
    leader = next((s for s in result_signers_for(dossier=dossier) if s.pk == getattr(signer, "pk", None)), None)
    if leader is None:
        raise ApplicationError("invalid_signer", _("Người ký phải là lãnh đạo cơ quan giải quyết có chứng thư số còn hiệu lực."),
                               fields={"signer": [_("Chọn người ký khác.")]})

    # ≈190 random bits (the page is public, the result is personal), letters and digits only: a "-" at a
    # line end of the printed address would be taken for a hyphenation by readers and text extractors.
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    url = base_url.rstrip("/") + result_verification_path(token)
    with document.file.open("rb") as handle:
        source = handle.read()
    lines = [_("Hồ sơ %(code)s — %(agency)s") % {"code": dossier.code, "agency": dossier.handling_agency.name}]
    prepared = result_pdf_prepare(pdf=source, url=url, lines=lines, field_name=RESULT_FIELD)
    digest = hashlib.sha256(prepared).hexdigest()
    name = document.original_name.rsplit(".", 1)[0][:200] + "-ky-so.pdf"
    waiting_row = DossierDocument(dossier=dossier, kind=DocumentKind.RESULT, requirement=document.requirement,
                                  original_name=name, content_type="application/pdf", size=len(prepared),
                                  sha256=digest, uploaded_by=user, verification_token=token)
    waiting_row.file.save(name, ContentFile(prepared), save=False)
    waiting_row.save()
    with portal_language():  # stored once, read later in either language
        title = (_("Kết quả giải quyết hồ sơ %(code)s: %(procedure)s") % {
            "code": dossier.code, "procedure": dossier.procedure.name})[:500]
        note = _("Trình %(name)s ký số kết quả") % {"name": leader.full_name}
    request = signature_request_create(
        pdf=prepared, certificate=leader.result_certificate, signer=leader, role=SignatureRole.APPROVAL,
        field_name=RESULT_FIELD, title=title, target=waiting_row, callback=CALLBACK, requested_by=user)
    dossier_event_add(dossier, action="result_sign_request", actor=user, note=note)
    return request


def result_requests_waiting(*, documents) -> list:
    """The signature requests of the dossier's results sent for signature and not signed (pending, or failed), each
    with its signer: one query, none without such a result. `documents`: the dossier's files, already read."""
    from signatures.constants import SignatureState
    from signatures.models import SignatureRequest

    waiting = [str(d.pk) for d in documents if d.kind == DocumentKind.RESULT and d.verification_token and not d.signed]
    if not waiting:
        return []
    return list(SignatureRequest.objects.filter(
        callback=CALLBACK, target_id__in=waiting, state__in=(SignatureState.PENDING, SignatureState.FAILED))
        .select_related("certificate", "signer").order_by("pk"))


def result_signer_change_offered(*, dossier: Dossier, user, requests) -> list:
    """Of `requests` (result_requests_waiting), those `user` may send back to another leader: the signer asked can no
    longer sign (moved, no longer a leader, account locked), and `user` is of the handling agency, in its flow."""
    from signatures.services import signature_request_withdraw_allowed

    if dossier.state != DossierState.IN_PROGRESS or user.agency_id != dossier.handling_agency_id \
            or not user.role_names() & {str(r) for r in SIGNER_CHANGE_ROLES}:
        return []
    return [r for r in requests if r.signer_id != user.pk
            and signature_request_withdraw_allowed(request=r, user=user, also_roles=SIGNER_CHANGE_ROLES)]


@transaction.atomic
def dossier_result_signer_change(*, dossier: Dossier, user, reason: str) -> list:
    """"Chuyển lãnh đạo khác ký": the leader asked to sign the dossier's result can no longer sign it, and only they
    could confirm it; a leader or staff member of the handling agency withdraws the request, with the reason. The
    callback (`_result_signed`) drops the copy that waited and records the event: the result is sent for signature
    again, to another leader, from the same form. Refusals: 403 who, 409 state or nothing to change."""
    from signatures.models import SignatureRequest
    from signatures.services import signature_request_withdraw

    # The requests first, then the dossier: the order in which signing takes them (the request, then in its callback
    # the result's row and the dossier); the other order could deadlock with a signing under way (found in review).
    waiting = result_requests_waiting(documents=DossierDocument.objects.filter(dossier_id=dossier.pk))
    list(SignatureRequest.objects.select_for_update().filter(pk__in=[r.pk for r in waiting]).order_by("pk"))
    dossier = Dossier.objects.select_for_update().select_related("procedure", "handling_agency").get(pk=dossier.pk)
    if user.agency_id != dossier.handling_agency_id or not user.role_names() & {str(r) for r in SIGNER_CHANGE_ROLES}:
        raise ApplicationError("forbidden", _("Chỉ lãnh đạo, cán bộ giải quyết hoặc cán bộ một cửa của cơ quan giải quyết "
                                              "được chuyển kết quả cho lãnh đạo khác ký."), status=403)
    if dossier.state != DossierState.IN_PROGRESS:
        raise ApplicationError("invalid_state", _("Chỉ chuyển lãnh đạo khác ký khi hồ sơ đang giải quyết."), status=409)
    offered = result_signer_change_offered(dossier=dossier, user=user,
                                           requests=result_requests_waiting(documents=dossier.documents.all()))
    if not offered:
        raise ApplicationError("signer_entitled", _("Không có kết quả nào đang chờ một lãnh đạo không còn thẩm quyền ký."),
                               status=409)
    if not " ".join((reason or "").split()):
        raise ApplicationError("reason_required", _("Cần nêu lý do."), fields={"reason": [_("Bắt buộc.")]})
    return [signature_request_withdraw(request=r, user=user, reason=reason, also_roles=SIGNER_CHANGE_ROLES)
            for r in offered]


@register(CALLBACK, withdrawable=True)
def _result_signed(request) -> None:
    """Runs inside the signing transaction: the signed PDF becomes the dossier's signed result, and the
    dossier is resolved by the signer when it can be. Never raises for the dossier's sake: a dossier
    withdrawn meanwhile must not undo (or endlessly retry) a signature already made.

    Withdrawn unsigned: the copy that waited goes (its stamped file stays the request's source), so the result is
    offered for signature again — to another leader."""
    from signatures.constants import SignatureState

    row = DossierDocument.objects.select_for_update().filter(pk=request.target_id).first()
    if row is None:
        return
    dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=row.dossier_id)
    now = timezone.now()
    if request.state == SignatureState.WITHDRAWN:
        if row.signed:
            return
        old_file = row.file.name
        row.delete()
        transaction.on_commit(lambda: row.file.storage.delete(old_file))
        with portal_language():  # the record's note, read later in either language
            note = _("Rút yêu cầu %(name)s ký số kết quả: %(reason)s") % {
                "name": request.signer.full_name, "reason": request.withdraw_reason}
        dossier_event_add(dossier, action="result_sign_withdrawn", actor=request.withdrawn_by, note=note, at=now)
        return
    if request.state != SignatureState.SIGNED:
        dossier_event_add(dossier, action="result_sign_failed", actor=None, agency=dossier.handling_agency,
                          note=request.error, at=now)
        return
    with request.signed_pdf.open("rb") as handle:
        signed = handle.read()
    old_file = row.file.name
    row.file.save(row.original_name, ContentFile(signed), save=False)
    row.size, row.sha256, row.signed = len(signed), hashlib.sha256(signed).hexdigest(), True
    row.save(update_fields=["file", "size", "sha256", "signed"])
    # The stamped copy before signing is kept by the signature request (its source); this one goes.
    transaction.on_commit(lambda: row.file.storage.delete(old_file))
    dossier_event_add(dossier, action="result_signed", actor=request.signer, at=now)
    if dossier.state == DossierState.IN_PROGRESS:
        from one_stop.services.dossiers import dossier_act

        with portal_language():  # the record's note, read later in either language
            note = _("Lãnh đạo ký số kết quả.")
        try:
            with transaction.atomic():
                dossier_act(dossier=dossier, user=request.signer, action="resolve", note=note)
        except ApplicationError:
            pass  # the signer may no longer resolve (moved agency): the page still offers it to others
