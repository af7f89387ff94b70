"""Signature requests: created by a domain app, confirmed by the signer with a one-time code, signed
by the `signing` queue."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.roles import Role
from egov.audit.services import legal_event_record
from egov.core.errors import ApplicationError
from egov.core.outbox import outbox_enqueue
from signatures.callbacks import callback_run
from signatures.constants import CertificateKind, KeyBackend, PadesLevel, SignatureRole, SignatureState
from signatures.models import Certificate, SignatureRequest, SignatureRequestEvent
from signatures.pades import SigningUnavailable, StampSpec, iso_time, pdf_sign, vietnam_time
from signatures.services.certificates import certificate_check_usable, trust_roots

logger = logging.getLogger(__name__)

# Attempts at reaching the TSA / revocation services before the request is marked failed.
MAX_ATTEMPTS = 6


def _event(request: SignatureRequest, *, action: str, from_state: str, actor=None, note: str = "") -> None:
    SignatureRequestEvent.objects.create(request=request, action=action, from_state=from_state,
                                         to_state=request.state, actor=actor, note=note)


@transaction.atomic
def signature_request_create(*, pdf: bytes, certificate: Certificate, signer, role: str, field_name: str, title: str,
                             level: str | None = None, stamp_lines: list[str] | None = None, stamp_image: bool = True,
                             target=None, callback: str = "", requested_by=None) -> SignatureRequest:
    """Ask `signer` to sign `field_name` of `pdf` with `certificate`.

    The PDF must already hold the (empty) signature field: see `pdf_add_signature_fields`.
    `stamp_lines` replaces the stamp's default text; `stamp_image=False` leaves the signature or seal
    image out (an attachment's agency signature: number, symbol and time only, Decree 30).
    """
    if not pdf.startswith(b"%PDF-"):
        raise ApplicationError("not_a_pdf", _("Tệp cần ký phải là tệp PDF."))
    if role == SignatureRole.APPROVAL:
        if certificate.kind != CertificateKind.PERSONAL or certificate.owner_id != signer.pk:
            raise ApplicationError("certificate_not_owned", _("Lãnh đạo chỉ ký bằng chứng thư số cá nhân của chính mình."),
                                   status=403)
    elif role == SignatureRole.ORGANISATION:
        if certificate.kind != CertificateKind.ORGANISATION or certificate.agency_id != signer.agency_id \
                or not signer.has_role(Role.RECORDS_CLERK):
            raise ApplicationError("certificate_not_agency",
                                   _("Chỉ văn thư của cơ quan được ký bằng chứng thư số của cơ quan đó."), status=403)
    else:
        raise ApplicationError("invalid_role", _("Vai trò ký không hợp lệ."))
    certificate_check_usable(certificate=certificate, check_revocation=False)
    request = SignatureRequest(
        role=role, certificate=certificate, signer=signer, requested_by=requested_by, title=title,
        field_name=field_name, callback=callback,
        # The agency's signature closes the document: it gets the archive timestamp (B-LTA); the
        # leader's must already be B-LT, or it loses long-term validity once the LTA is added.
        level=level or (PadesLevel.B_LTA if role == SignatureRole.ORGANISATION else PadesLevel.B_LT),
        stamp_text={**({"lines": stamp_lines} if stamp_lines else {}), **({} if stamp_image else {"image": False})},
    )
    if target is not None:
        request.target = target
    request.source_pdf.save(f"{hashlib.sha256(pdf).hexdigest()[:20]}.pdf", ContentFile(pdf), save=False)
    request.save()
    _event(request, action="create", from_state="", actor=requested_by)
    return request


@transaction.atomic
def signature_request_confirm(*, request: SignatureRequest, user, otp_token: str) -> SignatureRequest:
    """The signer confirms with a TOTP code: signing is never one careless click."""
    from django_otp import match_token

    request = SignatureRequest.objects.select_for_update().get(pk=request.pk)
    if request.signer_id != user.pk:
        raise ApplicationError("not_signer", _("Bạn không phải người ký của yêu cầu này."), status=403)
    if request.state != SignatureState.PENDING:
        raise ApplicationError("not_pending", _("Yêu cầu này không còn ở trạng thái chờ ký."), status=409)
    if match_token(user, (otp_token or "").strip()) is None:
        raise ApplicationError("otp_invalid", _("Mã xác thực không đúng hoặc đã hết hạn."),
                               fields={"otp_token": [_("Mã xác thực không đúng hoặc đã hết hạn.")]})
    certificate_check_usable(certificate=request.certificate, check_revocation=False)
    request.confirm(at=timezone.now())
    request.save(update_fields=["state", "confirmed_at", "error"])
    _event(request, action="confirm", from_state=SignatureState.PENDING, actor=user)
    from signatures.tasks import signature_request_sign_task

    outbox_enqueue(signature_request_sign_task, request.pk)
    return request


@transaction.atomic
def signature_request_reopen(*, request: SignatureRequest, user) -> SignatureRequest:
    request = SignatureRequest.objects.select_for_update().get(pk=request.pk)
    if request.signer_id != user.pk:
        raise ApplicationError("not_signer", _("Bạn không phải người ký của yêu cầu này."), status=403)
    if request.state != SignatureState.FAILED:
        raise ApplicationError("not_failed", _("Chỉ yêu cầu ký không thành công mới được mở lại."), status=409)
    request.reopen()
    request.save(update_fields=["state", "confirmed_at"])
    _event(request, action="reopen", from_state=SignatureState.FAILED, actor=user)
    return request


def _stamp(request: SignatureRequest, now) -> StampSpec:
    certificate = request.certificate
    lines = request.stamp_text.get("lines")
    if not lines:
        if request.role == SignatureRole.APPROVAL:
            lines = [request.signer.full_name, request.signer.position_title, _("Ký số: %(t)s") % {"t": vietnam_time(now)}]
        else:
            lines = [certificate.agency.name if certificate.agency_id else certificate.common_name, iso_time(now)]
    # "{time}" in caller-given lines is the signing time (ISO 8601, Vietnam offset), known only now.
    lines = [line.replace("{time}", iso_time(now)) for line in lines]
    image = None
    if certificate.stamp_image and request.stamp_text.get("image", True):
        with certificate.stamp_image.open("rb") as handle:
            image = handle.read()
    return StampSpec(lines=[line for line in lines if line], image_png=image)


def signature_request_sign(*, request_id: int) -> SignatureRequest:
    """Apply the signature. Idempotent: a request that is not `signing` is left as it is.

    The row stays locked from start to commit, so two deliveries of the same task cannot both sign;
    a worker killed halfway leaves the request `signing` with nothing stored, and the redelivered task
    signs it from the source again — one signature, never two, never none.
    """
    from django.conf import settings
    from pyhanko.sign.general import SigningError

    from signatures.backends.base import signer_for

    retry = None
    with transaction.atomic():
        request = SignatureRequest.objects.select_for_update(of=("self",)).select_related(
            "certificate", "certificate__agency", "signer").get(pk=request_id)
        if request.state != SignatureState.SIGNING:
            return request
        request.attempts += 1
        now = timezone.now()
        try:
            certificate_check_usable(certificate=request.certificate, at=now)
            if request.certificate.backend == KeyBackend.REMOTE:
                raise ApplicationError("remote_backend", _("Chứng thư số ký từ xa được ký qua dịch vụ ký số từ xa."))
            with request.source_pdf.open("rb") as handle:
                source = handle.read()
            signed, level = pdf_sign(
                pdf=source, signer=signer_for(request.certificate), field_name=request.field_name,
                level=request.level, trust_roots=trust_roots(), tsa_url=settings.EGOV_TSA_URL,
                stamp=_stamp(request, now), key_usage=_key_usage(request.certificate),
                signer_name=request.signer.full_name, reason=request.get_role_display(),
            )
        except SigningUnavailable as exc:
            if request.attempts >= MAX_ATTEMPTS:
                _fail(request, _("Không kết nối được dịch vụ cấp dấu thời gian hoặc kiểm tra chứng thư: %(e)s") % {"e": exc})
            else:
                request.error = str(exc)[:2000]
                request.save(update_fields=["attempts", "error"])
                retry = exc
        except ApplicationError as exc:
            _fail(request, exc.message)
        except SigningError as exc:
            logger.exception("signature request %s failed", request.pk)
            _fail(request, _("Không ký được tài liệu: %(e)s") % {"e": exc})
        except Exception as exc:  # never leave a request stuck in "signing" on an unexpected error
            logger.exception("signature request %s failed unexpectedly", request.pk)
            _fail(request, _("Lỗi hệ thống khi ký số (%(e)s). Vui lòng báo quản trị hệ thống.") % {"e": type(exc).__name__})
        else:
            _complete(request, signed=signed, level=level, now=now)
    if retry is not None:
        raise retry
    return request


def _key_usage(certificate: Certificate) -> set[str]:
    usages = set(certificate.key_usage) & {"digital_signature", "non_repudiation"}
    return usages or {"digital_signature"}


def _complete(request: SignatureRequest, *, signed: bytes, level: str, now) -> None:
    digest = hashlib.sha256(signed).hexdigest()
    request.signed_pdf.save(f"{digest[:20]}.pdf", ContentFile(signed), save=False)
    request.complete(at=now, level=level, sha256=digest)
    request.save(update_fields=["state", "signed_pdf", "signed_at", "achieved_level", "signed_sha256", "error",
                                "attempts"])
    _event(request, action="sign", from_state=SignatureState.SIGNING, actor=request.signer)
    legal_event_record(action="signature.signed", obj=request, actor=request.signer,
                       data={"role": request.role, "certificate": request.certificate.fingerprint_sha256,
                             "level": level, "sha256": digest, "title": request.title})
    callback_run(request)


def _fail(request: SignatureRequest, reason: str) -> None:
    from_state = request.state
    request.fail(reason=reason[:2000])
    request.save(update_fields=["state", "error", "attempts"])
    _event(request, action="fail", from_state=from_state, note=reason[:2000])
    callback_run(request)
