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
from egov.core.pdf import pdf_language
from signatures.callbacks import callback_run, callback_withdrawable
from signatures.constants import CertificateKind, KeyBackend, PadesLevel, SignatureRole, SignatureState
from signatures.models import Certificate, SignatureRequest, SignatureRequestEvent
from signatures.pades import SigningUnavailable, StampSpec, iso_time, pdf_sign, stamp_time, vietnam_time
from signatures.services.certificates import certificate_check_usable, trust_roots

logger = logging.getLogger(__name__)

# Attempts at reaching the TSA / revocation services before the request is marked failed.
MAX_ATTEMPTS = 6


def _event(request: SignatureRequest, *, action: str, from_state: str, actor=None, note: str = "") -> None:
    SignatureRequestEvent.objects.create(request=request, action=action, from_state=from_state,
                                         to_state=request.state, actor=actor, note=note)


# The roles the domain apps ask an approval signature of (one_stop results, docs_office outgoing documents: the agency's
# leader, Decree 30). A head of division approves drafts but signs nothing: the leader does.
APPROVAL_ROLES = frozenset({Role.LEADER})


def signer_check_entitled(*, role: str, certificate: Certificate, signer, agency_id=None,
                          requested: bool = False) -> None:
    """Whether `signer` may sign as `role` with `certificate`: a leader with their own personal certificate, a records
    clerk with their agency's. Checked when a request is made, and again when it is confirmed and when it is signed
    (found in review): a clerk moved to another agency, or a certificate given another owner in the admin, must not
    sign what was asked of them before. `requested`: the check of a request already made, whose signer's agency
    then is `agency_id`: a leader moved to another agency, or no longer a leader, no longer signs it (found in review:
    the stamp showed their new title on their former agency's document)."""
    if role == SignatureRole.APPROVAL:
        if certificate.kind != CertificateKind.PERSONAL or certificate.owner_id != signer.pk:
            raise ApplicationError("certificate_not_owned", _("Lãnh đạo chỉ ký bằng chứng thư số cá nhân của chính mình."),
                                   status=403)
    elif role == SignatureRole.ORGANISATION:
        if certificate.kind != CertificateKind.ORGANISATION or certificate.agency_id != signer.agency_id \
                or not signer.is_active or not signer.has_role(Role.RECORDS_CLERK):
            raise ApplicationError("certificate_not_agency",
                                   _("Chỉ văn thư của cơ quan được ký bằng chứng thư số của cơ quan đó."), status=403)
    else:
        raise ApplicationError("invalid_role", _("Vai trò ký không hợp lệ."))
    if role == SignatureRole.APPROVAL and not signer.is_active:
        raise ApplicationError("signer_inactive", _("Tài khoản của người ký đã bị khóa."), status=403)
    if role == SignatureRole.APPROVAL and not signer.role_names() & {str(r) for r in APPROVAL_ROLES}:
        raise ApplicationError("signer_not_entitled", _("Người ký không còn thẩm quyền ký văn bản này."), status=403)
    if requested and (agency_id is None or signer.agency_id != agency_id):
        raise ApplicationError("signer_not_entitled", _("Người ký không còn thẩm quyền ký văn bản này."), status=403)


def approval_signer_entitled(*, signer, agency_id) -> bool:
    """Before any request is made: whether `signer` may still give `agency_id`'s approval signature (active, a leader,
    of that agency), the person part of `signer_check_entitled` — for a document approved by a leader who has not
    asked to sign yet."""
    return (signer is not None and signer.is_active and agency_id is not None and signer.agency_id == agency_id
            and bool(signer.role_names() & {str(r) for r in APPROVAL_ROLES}))


def _check_entitled(request: SignatureRequest, signer) -> None:
    """The signer of a request made earlier is still entitled to sign it, for the agency it was made in."""
    signer_check_entitled(role=request.role, certificate=request.certificate, signer=signer,
                          agency_id=request.signer_agency_id, requested=True)


@transaction.atomic
def signature_request_create(*, pdf: bytes, certificate: Certificate, signer, role: str, field_name: str, title: str,
                             level: str | None = None, stamp_lines: list[str] | None = None, stamp_image: bool = True,
                             target=None, callback: str = "", requested_by=None,
                             batch: SignatureRequest | None = None) -> SignatureRequest:
    """Ask `signer` to sign `field_name` of `pdf` with `certificate`.

    The PDF must already hold the (empty) signature field: see `pdf_add_signature_fields`.
    `stamp_lines` replaces the stamp's default text; `stamp_image=False` leaves the signature or seal
    image out (an attachment's agency signature: number, symbol and time only, Decree 30).
    `batch`: a pending request of the same signer this one is confirmed with (one code for a document and
    its attachments).
    """
    if not pdf.startswith(b"%PDF-"):
        raise ApplicationError("not_a_pdf", _("Tệp cần ký phải là tệp PDF."))
    signer_check_entitled(role=role, certificate=certificate, signer=signer)
    certificate_check_usable(certificate=certificate, check_revocation=False)
    if batch is not None and (batch.signer_id != signer.pk or batch.state != SignatureState.PENDING):
        raise ApplicationError("invalid_batch", _("Chỉ ký kèm được với yêu cầu đang chờ ký của cùng người ký."))
    request = SignatureRequest(
        batch=batch, role=role, certificate=certificate, signer=signer, signer_agency_id=signer.agency_id,
        requested_by=requested_by, title=title,
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
    _check_entitled(request, user)
    if match_token(user, (otp_token or "").strip()) is None:
        raise ApplicationError("otp_invalid", _("Mã xác thực không đúng hoặc đã hết hạn."),
                               fields={"otp_token": [_("Mã xác thực không đúng hoặc đã hết hạn.")]})
    certificate_check_usable(certificate=request.certificate, check_revocation=False)
    now = timezone.now()
    request.confirm(at=now)
    request.save(update_fields=["state", "confirmed_at", "error"])
    _event(request, action="confirm", from_state=SignatureState.PENDING, actor=user)
    _enqueue_signing(request)
    # The same code confirms the requests signed with this one: the signer saw them listed with it.
    for member in SignatureRequest.objects.select_for_update().select_related("certificate").filter(
            batch=request, signer=user, state=SignatureState.PENDING).order_by("pk"):
        _check_entitled(member, user)
        member.confirm(at=now)
        member.save(update_fields=["state", "confirmed_at", "error"])
        _event(member, action="confirm", from_state=SignatureState.PENDING, actor=user, note=str(request.pk))
        _enqueue_signing(member)
    return request


def _enqueue_signing(request: SignatureRequest) -> None:
    """A key held here is used by the sign task; a remote service's key goes through start and finish."""
    from signatures.tasks import signature_request_remote_start_task, signature_request_sign_task

    if request.certificate.backend == KeyBackend.REMOTE:
        outbox_enqueue(signature_request_remote_start_task, request.pk)
    else:
        outbox_enqueue(signature_request_sign_task, request.pk)


@transaction.atomic
def signature_request_reopen(*, request: SignatureRequest, user) -> SignatureRequest:
    request = SignatureRequest.objects.select_for_update().get(pk=request.pk)
    if request.signer_id != user.pk:
        raise ApplicationError("not_signer", _("Bạn không phải người ký của yêu cầu này."), status=403)
    if request.state != SignatureState.FAILED:
        raise ApplicationError("not_failed", _("Chỉ yêu cầu ký không thành công mới được mở lại."), status=409)
    request.reopen()
    request.save(update_fields=["state", "confirmed_at", "remote_transaction", "remote_state"])
    _event(request, action="reopen", from_state=SignatureState.FAILED, actor=user)
    return request


# Who of the request's agency may withdraw a request whose signer lost the authority (Decree 30: the leaders direct
# the signing, the records clerk keeps the flow of documents). Domain apps may add the roles of their own flow.
WITHDRAW_ROLES = frozenset({Role.LEADER, Role.RECORDS_CLERK})


def signature_request_signer_entitled(*, request: SignatureRequest, signer=None) -> bool:
    """Whether the request's signer (or `signer`, the same person already loaded) may still sign it: the check made
    at confirmation and at signing, as a yes or no for pages."""
    try:
        _check_entitled(request, signer if signer is not None else request.signer)
    except ApplicationError:
        return False
    return True


def signature_request_withdraw_allowed(*, request: SignatureRequest, user, also_roles=frozenset()) -> bool:
    """The signer may always withdraw their own request; a leader or records clerk of the agency it was asked in
    (or a holder of `also_roles` there) only once the signer is no longer entitled to sign it (moved, no longer a
    leader, account locked, certificate no longer theirs): only the signer can confirm, so nobody else could
    unblock what waits for it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.pk == request.signer_id:
        return True
    if request.signer_agency_id is None or user.agency_id != request.signer_agency_id:
        return False
    if not user.role_names() & {str(r) for r in (*WITHDRAW_ROLES, *also_roles)}:
        return False
    return not signature_request_signer_entitled(request=request)


@transaction.atomic
def signature_request_withdraw(*, request: SignatureRequest, user, reason: str,
                               also_roles=frozenset()) -> SignatureRequest:
    """Withdraw a request not signed and not being signed (pending, or failed): it ends `withdrawn`, with its event,
    and its callback tells the waiting object, which goes back to where another signer can be asked. The requests
    signed with it (a document's appendices) go with it."""
    request = SignatureRequest.objects.select_for_update(of=("self",)).select_related(
        "certificate", "signer", "batch").get(pk=request.pk)
    if request.batch_id is not None:
        # Named by its document, as the signing queue names it: request numbers show nowhere.
        raise ApplicationError("batched", _("Yêu cầu này được ký cùng văn bản %(title)s: hãy rút yêu cầu ký văn bản đó.")
                               % {"title": request.batch.title}, status=409)
    if request.state not in (SignatureState.PENDING, SignatureState.FAILED):
        raise ApplicationError("not_withdrawable", _("Chỉ rút được yêu cầu đang chờ ký hoặc ký không thành công."),
                               status=409)
    if not callback_withdrawable(request.callback):
        raise ApplicationError("not_withdrawable", _("Yêu cầu ký này không rút được."), status=409)
    if not signature_request_withdraw_allowed(request=request, user=user, also_roles=also_roles):
        raise ApplicationError("forbidden", _("Chỉ người ký, hoặc lãnh đạo, văn thư của cơ quan khi người ký không còn "
                                              "thẩm quyền, được rút yêu cầu ký này."), status=403)
    reason = " ".join((reason or "").split())[:2000]
    if not reason:
        raise ApplicationError("reason_required", _("Cần nêu lý do."), fields={"reason": [_("Bắt buộc.")]})
    now = timezone.now()
    members = list(SignatureRequest.objects.select_for_update().filter(
        batch=request, state__in=(SignatureState.PENDING, SignatureState.FAILED)).order_by("pk"))
    if any(not callback_withdrawable(member.callback) for member in members):
        raise ApplicationError("not_withdrawable", _("Yêu cầu ký này không rút được."), status=409)
    for item in [request, *members]:
        from_state = item.state
        item.withdraw(at=now, by=user, reason=reason)
        item.save(update_fields=["state", "withdrawn_at", "withdrawn_by", "withdraw_reason", "remote_state"])
        _event(item, action="withdraw", from_state=from_state, actor=user,
               note=reason if item is request else f"{request.pk}: {reason}")
    legal_event_record(action="signature.withdrawn", obj=request, actor=user,
                       data={"role": request.role, "signer": request.signer_id, "title": request.title,
                             "reason": reason, "batch_members": [m.pk for m in members]})
    for item in [*members, request]:
        callback_run(item)
    return request


def _signing_reason(request: SignatureRequest) -> str:
    """The signature's reason, kept in the signed file: in the document's language, Vietnamese."""
    with pdf_language():
        return str(request.get_role_display())


def _stamp(request: SignatureRequest, now) -> StampSpec:
    certificate = request.certificate
    lines = request.stamp_text.get("lines")
    if not lines:
        if request.role == SignatureRole.APPROVAL:
            # Drawn on the document for good: Vietnamese, whatever language the signing runs in (a task run in
            # the leader's request where no worker is set up would otherwise stamp "Signed: …").
            with pdf_language():
                signed = _("Ký số: %(t)s") % {"t": vietnam_time(now)}
            lines = [request.signer.full_name, request.signer.position_title, signed]
        else:
            lines = [certificate.agency.name if certificate.agency_id else certificate.common_name, iso_time(now)]
    # "{time}" in caller-given lines is the signing time (ISO 8601, Vietnam offset), known only now; "{local_time}"
    # the same as people read it ("08/12/2026 07:01").
    lines = [line.replace("{time}", iso_time(now)).replace("{local_time}", stamp_time(now)) for line in lines]
    image = None
    if certificate.stamp_image and request.stamp_text.get("image", True):
        with certificate.stamp_image.open("rb") as handle:
            image = handle.read()
    # Decree 30, appendix I: the agency's seal covers the left third of the leader's field. The leader's lines go
    # right, clear of it; the seal's own lines sit on a light band, readable over its red ring.
    approval = request.role == SignatureRole.APPROVAL
    return StampSpec(lines=[line for line in lines if line], image_png=image, text_align="right" if approval else "center",
                     text_band=not approval and image is not None)


def signature_request_sign(*, request_id: int) -> SignatureRequest:
    """Apply the signature. Idempotent: a request that is not `signing` is left as it is.

    The row stays locked from start to commit, so two deliveries of the same task cannot both sign;
    a worker killed halfway leaves the request `signing` with nothing stored, and the redelivered task
    signs it from the source again — one signature, never two, never none.
    """
    from django.conf import settings

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
            if request.certificate.backend == KeyBackend.REMOTE:
                # Only a task queued before the certificate changed backend lands here: hand it over.
                _enqueue_signing(request)
                return request
            _check_entitled(request, request.signer)
            certificate_check_usable(certificate=request.certificate, at=now)
            with request.source_pdf.open("rb") as handle:
                source = handle.read()
            signed, level = pdf_sign(
                pdf=source, signer=signer_for(request.certificate), field_name=request.field_name,
                level=request.level, trust_roots=trust_roots(), tsa_url=settings.EGOV_TSA_URL,
                stamp=_stamp(request, now), key_usage=_key_usage(request.certificate),
                signer_name=request.signer.full_name, reason=_signing_reason(request),
            )
        except Exception as exc:  # sorted out in one place: retry, or fail with a reason
            retry = _attempt_failed(request, exc)
        else:
            _complete(request, signed=signed, level=level, now=now)
    if retry is not None:
        raise retry
    return request


def signature_request_remote_start(*, request_id: int) -> SignatureRequest:
    """Remote signing, first half: prepare the PDF and ask the signer's phone for a signature.

    Idempotent under the row lock: a request that is not `signing`, or that already has a remote
    transaction, is left as it is, so a redelivered task never asks the signer twice. The prepared
    document and signed attributes are stored with the transaction id in the same transaction, and
    the finish task is queued through the outbox.
    """
    from django.conf import settings

    from signatures.backends.pkcs12 import chain_certificates
    from signatures.remote.client import remote_client
    from signatures.remote.pdf import remote_prepare

    retry = None
    with transaction.atomic():
        request = SignatureRequest.objects.select_for_update(of=("self",)).select_related(
            "certificate", "certificate__agency", "signer").get(pk=request_id)
        if request.state != SignatureState.SIGNING or request.remote_transaction:
            return request
        certificate = request.certificate
        if certificate.backend != KeyBackend.REMOTE:
            _enqueue_signing(request)
            return request
        request.attempts += 1
        now = timezone.now()
        try:
            _check_entitled(request, request.signer)
            certificate_check_usable(certificate=certificate, at=now)
            with request.source_pdf.open("rb") as handle:
                source = handle.read()
            prepared = remote_prepare(
                pdf=source, cert_der=bytes(certificate.certificate_der),
                chain_der=[c.dump() for c in chain_certificates(certificate)], field_name=request.field_name,
                level=request.level if settings.EGOV_TSA_URL else PadesLevel.B_B, trust_roots=trust_roots(),
                stamp=_stamp(request, now), key_usage=_key_usage(certificate), signer_name=request.signer.full_name,
                reason=_signing_reason(request),
            )
            transaction_id = remote_client().submit(account=certificate.remote_account, digest=prepared.to_sign,
                                                    digest_algorithm=prepared.md_algorithm, title=request.title)
        except Exception as exc:  # sorted out in one place: retry, or fail with a reason
            retry = _attempt_failed(request, exc)
        else:
            from signatures.tasks import signature_request_remote_finish_task

            request.remote_transaction = transaction_id
            request.remote_state = prepared.dump(submitted_at=now)
            request.error = ""
            request.save(update_fields=["remote_transaction", "remote_state", "attempts", "error"])
            _event(request, action="remote_submit", from_state=SignatureState.SIGNING, note=transaction_id)
            outbox_enqueue(signature_request_remote_finish_task, request.pk)
    if retry is not None:
        raise retry
    return request


def signature_request_remote_finish(*, request_id: int, final_attempt: bool = False) -> SignatureRequest:
    """Remote signing, second half: collect the signer's answer and finish the PDF signature.

    Raises RemoteSignaturePending while the signer has not answered (the task polls again later);
    after EGOV_REMOTE_SIGNING_APPROVAL_MINUTES, or on the caller's `final_attempt`, the request fails.
    The row lock and the state check make a second finish a no-op: one signature, never two.
    """
    from datetime import timedelta

    from django.conf import settings

    from signatures.backends.pkcs12 import chain_certificates
    from signatures.remote.client import RemoteSignaturePending, remote_client
    from signatures.remote.pdf import RemoteState, remote_finish

    retry = None
    with transaction.atomic():
        request = SignatureRequest.objects.select_for_update(of=("self",)).select_related(
            "certificate", "certificate__agency", "signer").get(pk=request_id)
        if request.state != SignatureState.SIGNING or not request.remote_transaction or not request.remote_state:
            return request
        certificate = request.certificate
        now = timezone.now()
        signed = None
        state = None
        try:
            state = RemoteState.load(request.remote_state)
            if state.signature is None:
                status = remote_client().status(transaction_id=request.remote_transaction)
                if status.state == "pending":
                    deadline = state.submitted_at + timedelta(minutes=settings.EGOV_REMOTE_SIGNING_APPROVAL_MINUTES)
                    if now < deadline and not final_attempt:
                        retry = RemoteSignaturePending(request.remote_transaction)
                    else:
                        _fail(request, _("Người ký chưa xác nhận trên ứng dụng trong thời hạn."))
                elif status.state == "rejected":
                    _fail(request, _("Người ký đã từ chối ký trên ứng dụng ký số từ xa."))
                elif status.state == "expired":
                    _fail(request, _("Giao dịch ký số từ xa đã hết hạn trước khi người ký xác nhận."))
                else:
                    state = RemoteState(prepared=state.prepared, submitted_at=state.submitted_at,
                                        signature=status.signature)
            if state.signature is not None and request.state == SignatureState.SIGNING:
                # The phone's approval may come up to EGOV_REMOTE_SIGNING_APPROVAL_MINUTES after the start: the signer
                # and the certificate must still be fit now, as at any other signing (found in review).
                _check_entitled(request, request.signer)
                certificate_check_usable(certificate=certificate, at=now)
                signed, level = remote_finish(
                    prepared=state.prepared, signature=state.signature, cert_der=bytes(certificate.certificate_der),
                    chain_der=[c.dump() for c in chain_certificates(certificate)], field_name=request.field_name,
                    level=request.level, trust_roots=trust_roots(), tsa_url=settings.EGOV_TSA_URL,
                )
        except SigningUnavailable as exc:
            if state is not None and state.signature is not None:
                # Keep the approved value: the retry must not depend on the service still having it.
                request.remote_state = state.dump()
                request.save(update_fields=["remote_state"])
            request.attempts += 1
            retry = _attempt_failed(request, exc)
        except Exception as exc:  # sorted out in one place: retry, or fail with a reason
            retry = _attempt_failed(request, exc)
        else:
            if signed is not None:
                _complete(request, signed=signed, level=level, now=now)
    if retry is not None:
        raise retry
    return request


def signature_request_remote_notified(*, transaction_id: str) -> None:
    """The remote service says the signer answered: check now instead of at the next poll.

    The notification carries no authority: it only queues the same finish task that polls the service
    with the portal's own credentials, and unknown or finished transactions are ignored.
    """
    from django.core.cache import cache

    from signatures.tasks import signature_request_remote_finish_task

    with transaction.atomic():
        request_id = SignatureRequest.objects.filter(
            remote_transaction=transaction_id, state=SignatureState.SIGNING).values_list("pk", flat=True).first()
        # A burst of notifications for one transaction queues one check.
        if request_id is not None and cache.add(f"signatures:remote-notified:{request_id}", 1, timeout=5):
            outbox_enqueue(signature_request_remote_finish_task, request_id)


def _attempt_failed(request: SignatureRequest, exc: Exception) -> SigningUnavailable | None:
    """Record a failed attempt. A service out of reach is retried (the exception is returned for the
    task to re-raise) until MAX_ATTEMPTS; anything else fails the request with a reason in Vietnamese,
    so a request is never left stuck in `signing`."""
    from pyhanko.sign.general import SigningError

    if isinstance(exc, SigningUnavailable):
        return _unavailable(request, exc)
    if isinstance(exc, ApplicationError):
        _fail(request, exc.message)
    elif isinstance(exc, SigningError):
        logger.exception("signature request %s failed", request.pk)
        _fail(request, _("Không ký được tài liệu: %(e)s") % {"e": exc})
    else:
        logger.exception("signature request %s failed unexpectedly", request.pk)
        _fail(request, _("Lỗi hệ thống khi ký số (%(e)s). Vui lòng báo quản trị hệ thống.") % {"e": type(exc).__name__})
    return None


def _unavailable(request: SignatureRequest, exc: SigningUnavailable) -> SigningUnavailable | None:
    """A service out of reach: count the attempt and ask for a retry, or give up after MAX_ATTEMPTS."""
    if request.attempts >= MAX_ATTEMPTS:
        _fail(request, _("Không kết nối được dịch vụ ký số từ xa, dịch vụ cấp dấu thời gian hoặc kiểm tra chứng thư: %(e)s")
              % {"e": exc})
        return None
    request.error = str(exc)[:2000]
    request.save(update_fields=["attempts", "error"])
    return exc


def _key_usage(certificate: Certificate) -> set[str]:
    usages = set(certificate.key_usage) & {"digital_signature", "non_repudiation"}
    return usages or {"digital_signature"}


def _complete(request: SignatureRequest, *, signed: bytes, now, level: str = "") -> None:
    """The one way a request becomes signed, whichever backend made the signature.

    The level recorded is the one the PDF shows, not the one asked for or aimed at.
    """
    reached = _level_reached(signed, field_name=request.field_name)
    if level and level != reached:
        logger.warning("signature request %s aimed at %s but reached %s", request.pk, level, reached)
    digest = hashlib.sha256(signed).hexdigest()
    request.signed_pdf.save(f"{digest[:20]}.pdf", ContentFile(signed), save=False)
    request.complete(at=now, level=reached, sha256=digest)
    request.remote_state = None  # the prepared document is in the signed one now
    request.save(update_fields=["state", "signed_pdf", "signed_at", "achieved_level", "signed_sha256", "error",
                                "attempts", "remote_state"])
    _event(request, action="sign", from_state=SignatureState.SIGNING, actor=request.signer)
    data = {"role": request.role, "certificate": request.certificate.fingerprint_sha256, "level": reached,
            "sha256": digest, "title": request.title}
    if request.remote_transaction:
        data["remote_transaction"] = request.remote_transaction
    legal_event_record(action="signature.signed", obj=request, actor=request.signer, data=data)
    callback_run(request)


def _fail(request: SignatureRequest, reason: str) -> None:
    from_state = request.state
    request.fail(reason=reason[:2000])
    request.remote_state = None
    request.save(update_fields=["state", "error", "attempts", "remote_state"])
    _event(request, action="fail", from_state=from_state, note=reason[:2000])
    callback_run(request)


def _level_reached(pdf: bytes, *, field_name: str) -> str:
    """The PAdES baseline level of the signature in `field_name`, read from the signed file.

    B-T: a signature timestamp; B-LT: and the DSS written after the signature; B-LTA: and a document
    timestamp after that.
    """
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signature = next(s for s in reader.embedded_regular_signatures if s.field_name == field_name)
    unsigned = signature.signer_info["unsigned_attrs"]
    timestamped = unsigned.native is not None and any(
        attr["type"].native == "signature_time_stamp_token" for attr in unsigned)
    if not timestamped:
        return PadesLevel.B_B
    dss = reader.root.raw_get("/DSS") if "/DSS" in reader.root else None
    if isinstance(dss, generic.IndirectObject):
        dss_changed = reader.xrefs.get_last_change(dss.reference)
    else:  # a direct DSS dictionary changes with the catalog
        dss_changed = reader.xrefs.get_last_change(reader.root_ref) if dss is not None else -1
    if dss_changed <= signature.signed_revision:
        return PadesLevel.B_T
    if any(ts.signed_revision > signature.signed_revision for ts in reader.embedded_timestamp_signatures):
        return PadesLevel.B_LTA
    return PadesLevel.B_LT
