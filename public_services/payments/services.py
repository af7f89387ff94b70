"""Writes of online payment: start an attempt, take the gateway's word (IPN), expire, issue the receipt.

The IPN (the gateway calling us server to server) is authoritative: it alone moves a payment to paid
or failed. The browser's return only records what it carried and shows it; a citizen who closes the
tab before returning still gets the payment confirmed, and a forged return changes nothing.
"""

import logging
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.errors import ApplicationError
from egov.core.outbox import outbox_enqueue
from public_services.payments.constants import PaymentEventSource, PaymentState, RefundReason
from public_services.payments.models import Payment, PaymentEvent, ReceiptCounter
from public_services.payments.providers.base import (
    GatewayResult,
    IpnOutcome,
    PaymentOrder,
    SignatureInvalid,
    provider_get,
)

logger = logging.getLogger(__name__)

S = PaymentState
# A dossier that was refused or withdrawn owes nothing.
CLOSED_DOSSIER_STATES = {"refused", "withdrawn"}


def _event(payment: Payment, *, action: str, source: str, from_state: str, actor=None, data: dict | None = None,
           at=None) -> PaymentEvent:
    return PaymentEvent.objects.create(payment=payment, action=action, source=source, actor=actor,
                                       at=at or timezone.now(), from_state=from_state, to_state=payment.state,
                                       data=data or {})


def payment_gateway_url(*, sandbox_url: str) -> str:
    """Where citizens are sent: the configured gateway, else the sandbox of this server when enabled."""
    if settings.EGOV_VNPAY_URL:
        return settings.EGOV_VNPAY_URL
    from public_services.payments.sandbox.gateway import sandbox_enabled

    if sandbox_enabled():  # not merely switched on: refused (DEBUG off), it would only answer 404
        return sandbox_url
    raise ApplicationError("payment_unavailable", _("Cổng thanh toán chưa được cấu hình."), status=503)


def dossier_fee_due(dossier) -> int:
    """The fee in đồng: as fixed by the desk at receipt (an exemption makes it 0), else the fee of the
    dossier's procedure version; 0 when free or not stated."""
    from one_stop.services.dossiers import version_fee_for

    if dossier.fee_vnd is not None:
        return dossier.fee_vnd
    return version_fee_for(dossier.procedure_version, dossier.channel) or 0


NOT_SUBMITTED_MESSAGE = gettext_lazy("Hồ sơ chưa được nộp: hãy nộp hồ sơ trước khi thanh toán phí, lệ phí.")


@transaction.atomic
def payment_start(*, dossier, payer, ip_address: str, return_url: str, gateway_url: str) -> Payment:
    """The dossier's owner starts paying its fee: a pending payment and the signed gateway address."""
    from one_stop.models import Dossier

    # Locking the dossier serialises attempts: sequence numbers never repeat, and a paid check holds.
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version").get(pk=dossier.pk)
    if dossier.citizen_id is None or dossier.citizen_id != payer.pk:
        raise ApplicationError("not_found", _("Không tìm thấy hồ sơ."), status=404)
    if dossier.state == "draft":
        # A draft may never be submitted (and cannot be deleted): money paid for it would be stranded.
        raise ApplicationError("not_submitted", NOT_SUBMITTED_MESSAGE, status=409)
    amount = dossier_fee_due(dossier)
    if amount <= 0:
        raise ApplicationError("no_fee", _("Hồ sơ này không có phí, lệ phí phải nộp trực tuyến."), status=409)
    if dossier.state in CLOSED_DOSSIER_STATES:
        raise ApplicationError("dossier_closed", _("Hồ sơ đã bị từ chối, không cần nộp phí.") if dossier.state == "refused"
                               else _("Hồ sơ đã được rút, không cần nộp phí."), status=409)
    if dossier.payments.filter(state=S.PAID).exists():
        raise ApplicationError("already_paid", _("Phí, lệ phí của hồ sơ này đã được thanh toán."), status=409)
    now = timezone.now()
    # A second tab (or a second click) must not open a second order the citizen could pay as well: while an
    # attempt is still payable it is the one they are sent back to. The dossier lock above makes this hold
    # however close together the clicks come.
    pending = (dossier.payments.filter(state=S.PENDING, expires_at__gt=now, payer_id=payer.pk, amount_vnd=amount)
               .exclude(gateway_url="").order_by("-created_at", "-id").first())
    if pending is not None:
        pending.reused = True
        return pending
    provider = provider_get()
    if not provider.is_configured():
        raise ApplicationError("payment_unavailable", _("Cổng thanh toán chưa được cấu hình."), status=503)
    sequence = dossier.payments.count() + 1
    payment = Payment.objects.create(
        dossier=dossier, payer=payer, amount_vnd=amount, provider=provider.name,
        txn_ref=f"{dossier.code}-{sequence:02d}", ip_address=ip_address or None,
        expires_at=now + timedelta(minutes=settings.EGOV_PAYMENT_EXPIRY_MINUTES),
    )
    order = PaymentOrder(txn_ref=payment.txn_ref, amount_vnd=amount, return_url=return_url, ip_address=ip_address,
                         description=f"Thanh toan le phi ho so {dossier.code}", created_at=now,
                         expires_at=payment.expires_at)
    payment.gateway_url = provider.payment_url(order, gateway_url=gateway_url)
    payment.save(update_fields=["gateway_url"])
    _event(payment, action="create", source=PaymentEventSource.CITIZEN, from_state="", actor=payer,
           data={"amount_vnd": amount}, at=now)
    return payment


def receipt_number_allocate(*, agency, at) -> str:
    """`{year}/{7-digit sequence}` per collecting agency; call inside the transaction that pays."""
    year = timezone.localtime(at).year
    ReceiptCounter.objects.bulk_create([ReceiptCounter(agency=agency, year=year)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}/{counter.last:07d}"


def payment_ipn_process(*, params: Mapping[str, str]) -> IpnOutcome:
    """The gateway's server-to-server notification: verify it and settle the payment, once.

    The row is locked, so an IPN repeated or racing the return page is processed by exactly one of
    them; the others see a settled payment and get "already confirmed".
    """
    provider = provider_get()
    try:
        result = provider.verify(params)
    except SignatureInvalid:
        return IpnOutcome.INVALID_SIGNATURE
    except (ValueError, TypeError):
        return IpnOutcome.ERROR
    try:
        with transaction.atomic():
            return _ipn_settle(result)
    except Exception:  # the gateway retries on "99": never answer it with a 500
        logger.exception("payments: IPN for %s failed", result.txn_ref)
        return IpnOutcome.ERROR


def _ipn_settle(result: GatewayResult) -> IpnOutcome:
    from one_stop.models import Dossier

    payment = (Payment.objects.select_for_update(of=("self",)).select_related("dossier")
               .filter(txn_ref=result.txn_ref).first())
    if payment is None:
        return IpnOutcome.ORDER_NOT_FOUND
    if result.amount_vnd != payment.amount_vnd:
        _event(payment, action="ipn_invalid_amount", source=PaymentEventSource.IPN, from_state=payment.state,
               data=result.params)
        return IpnOutcome.INVALID_AMOUNT
    # Answered before the dossier is locked: a repeated IPN of a paid payment must not hold that row while waiting for
    # the dossier, which a refusal holds while it waits for the paid row (payments_expire_for_closed_dossier) — a
    # deadlock.
    if payment.state not in (S.PENDING, S.EXPIRED) or (payment.state == S.EXPIRED and not result.success):
        return IpnOutcome.ALREADY_CONFIRMED
    # IPNs of two attempts of one dossier take turns here, so the second sees the first as paid (instead of both
    # trying to pay and one failing on the unique constraint). The dossier is read again once locked: the copy read
    # with the payment may predate a refusal or withdrawal that committed while this waited for the lock.
    payment.dossier = (Dossier.objects.select_for_update(of=("self",))
                       .select_related("procedure_version", "handling_agency").get(pk=payment.dossier_id))
    from_state = payment.state
    now = timezone.now()
    if result.success:
        refund = None
        if Payment.objects.filter(dossier_id=payment.dossier_id, state=S.PAID).exists():
            # Two attempts both paid at the gateway: the payer's money was taken twice.
            refund, action = RefundReason.DUPLICATE, "ipn_duplicate_success"
        elif payment.dossier.state in CLOSED_DOSSIER_STATES:
            # Paid at the gateway after the dossier was refused or withdrawn (found in review: it was taken as the
            # fee, with a receipt and its e-mail, for a dossier that owes nothing). The money goes back.
            refund, action = RefundReason.DOSSIER_CLOSED, "ipn_dossier_closed"
        elif payment.amount_vnd != dossier_fee_due(payment.dossier):
            # Begun at a fee the dossier no longer has (found in review: it was taken as the fee, with a receipt for
            # a sum nobody owes). The payer pays the fee now due in a new attempt; this money goes back.
            refund, action = RefundReason.FEE_CHANGED, "ipn_fee_changed"
        if refund is not None:
            # Kept as a refund owed (a state the operator filters on and the payer sees), and the gateway is told we
            # have it ("00"), or it would keep retrying an order that was in fact settled.
            payment.pay_to_refund(reason=refund, at=now, paid_at=result.paid_at or now,
                                  transaction_no=result.transaction_no, bank_code=result.bank_code,
                                  response_code=result.response_code)
            payment.ipn_params = result.params
            payment.save(update_fields=["state", "refund_reason", "closed_at", "paid_at", "provider_transaction_no",
                                        "bank_code", "response_code", "ipn_params"])
            _event(payment, action=action, source=PaymentEventSource.IPN, from_state=from_state, data=result.params,
                   at=now)
            logger.warning("payments: %s paid but not the fee (%s); refund due", payment.txn_ref, refund)
            return IpnOutcome.CONFIRMED
        payment.pay(at=now, paid_at=result.paid_at or now, transaction_no=result.transaction_no,
                    bank_code=result.bank_code, response_code=result.response_code,
                    receipt_number=receipt_number_allocate(agency=payment.dossier.handling_agency, at=now))
        action = "pay"
    else:
        payment.fail(at=now, transaction_no=result.transaction_no, bank_code=result.bank_code,
                     response_code=result.response_code)
        action = "fail"
    payment.ipn_params = result.params
    payment.save(update_fields=["state", "closed_at", "paid_at", "provider_transaction_no", "bank_code",
                                "response_code", "receipt_number", "ipn_params"])
    _event(payment, action=action, source=PaymentEventSource.IPN, from_state=from_state, data=result.params, at=now)
    if payment.state == S.PAID:
        from public_services.payments.tasks import payment_receipt_render_task

        outbox_enqueue(payment_receipt_render_task, payment.pk)
    return IpnOutcome.CONFIRMED


def payment_return_record(*, params: Mapping[str, str], user) -> tuple[Payment, GatewayResult]:
    """The citizen's browser came back from the gateway: verify, keep what it carried, change nothing.

    Only the payer may see it (others get 404, as for a payment that does not exist).
    """
    provider = provider_get()
    try:
        result = provider.verify(params)
    except SignatureInvalid:
        raise ApplicationError("invalid_signature", _("Kết quả thanh toán không hợp lệ (sai chữ ký)."),
                               status=400) from None
    except (ValueError, TypeError):
        raise ApplicationError("invalid_return", _("Kết quả thanh toán không đầy đủ."), status=400) from None
    with transaction.atomic():
        payment = (Payment.objects.select_for_update(of=("self",)).select_related("dossier__procedure")
                   .filter(txn_ref=result.txn_ref, payer_id=user.pk).first())
        if payment is None:
            raise ApplicationError("not_found", _("Không tìm thấy giao dịch."), status=404)
        if result.amount_vnd != payment.amount_vnd:
            raise ApplicationError("invalid_amount", _("Số tiền trong kết quả thanh toán không khớp."), status=400)
        if not payment.return_params:  # the page may be reloaded: the first return is the one kept
            payment.return_params = result.params
            payment.save(update_fields=["return_params"])
            _event(payment, action="return", source=PaymentEventSource.RETURN, from_state=payment.state, actor=user,
                   data=result.params)
    return payment, result


def payments_expire_overdue(*, now=None, limit: int = 1000) -> int:
    """Pending payments past their time become expired (each with its event); safe to run any number of times.

    Rows being settled by an IPN right now are skipped (SKIP LOCKED) and looked at on the next run.
    """
    now = now or timezone.now()
    due = list(Payment.objects.filter(state=S.PENDING, expires_at__lt=now).values_list("pk", flat=True)[:limit])
    expired = 0
    for pk in due:
        with transaction.atomic():
            payment = Payment.objects.select_for_update(skip_locked=True).filter(pk=pk, state=S.PENDING).first()
            if payment is None:
                continue
            payment.expire(at=now)
            payment.save(update_fields=["state", "closed_at"])
            _event(payment, action="expire", source=PaymentEventSource.EXPIRY, from_state=S.PENDING, at=now)
            expired += 1
    return expired


def payments_expire_for_closed_dossier(*, dossier, actor, action: str) -> int:
    """The dossier was refused or withdrawn (`action`, by `actor`), in the transaction that closed it — a closed
    dossier owes nothing: its pending payments expire, so no attempt of it stays payable, and the fee already paid
    becomes a refund owed (`refund_due`, reason dossier_closed; whether the desk had received the dossier or not),
    each with its event. Called by one_stop's dossier_act (one_stop.services.dossiers.DOSSIER_CLOSED_HOOKS) with the
    dossier locked. Returns how many payments it changed.

    A pending payment an IPN is settling right now is skipped (SKIP LOCKED: that IPN holds it and waits for the
    dossier, so waiting for it here would deadlock); the IPN then finds the dossier closed and keeps the money as a
    refund owed. The paid payment is waited for: only the receipt task holds it (briefly, and never waits for the
    dossier), and an IPN repeated for it answers before locking the dossier (_ipn_settle).
    """
    now = timezone.now()
    source = (PaymentEventSource.CITIZEN if dossier.citizen_id is not None and actor.pk == dossier.citizen_id
              else PaymentEventSource.STAFF)
    pending = Payment.objects.select_for_update(skip_locked=True).filter(dossier_id=dossier.pk, state=S.PENDING)
    changed = 0
    for payment in pending:
        payment.expire(at=now)
        payment.save(update_fields=["state", "closed_at"])
        _event(payment, action=f"expire_on_{action}", source=source, from_state=S.PENDING, actor=actor, at=now)
        changed += 1
    for payment in Payment.objects.select_for_update().filter(dossier_id=dossier.pk, state=S.PAID):
        payment.owe_back(reason=RefundReason.DOSSIER_CLOSED)
        payment.save(update_fields=["state", "refund_reason"])
        _event(payment, action=f"refund_on_{action}", source=source, from_state=S.PAID, actor=actor, at=now,
               data={"refund_reason": RefundReason.DOSSIER_CLOSED})
        logger.warning("payments: %s paid for dossier %s, which was %s; refund due", payment.txn_ref, dossier.code,
                       dossier.state)
        changed += 1
    return changed


def payment_receipt_issue(*, payment_id: int) -> Payment:
    """Render the electronic fee receipt of a paid payment, store it privately and tell the payer. Once."""
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send, recipient_language
    from public_services.payments.pdf.receipt import payment_receipt_pdf

    with transaction.atomic():
        payment = (Payment.objects.select_for_update(of=("self",))
                   .select_related("payer", "dossier__procedure", "dossier__handling_agency__parent")
                   .get(pk=payment_id))
        # A fee paid and then owed back (the dossier was closed before this ran) still gets the receipt its number was
        # taken for: the payer's proof of what they paid.
        if payment.state not in (S.PAID, S.REFUND_DUE) or not payment.receipt_number or payment.receipt_file:
            return payment
        now = timezone.now()
        pdf = payment_receipt_pdf(payment=payment, issued_at=now)
        payment.receipt_file.save(f"bien-lai-{payment.txn_ref}.pdf", ContentFile(pdf), save=False)
        payment.receipt_issued_at = now
        payment.save(update_fields=["receipt_file", "receipt_issued_at"])
        payload = {
            "dossier_code": payment.dossier.code, "amount": f"{payment.amount_vnd:,}".replace(",", "."),
            "receipt_number": payment.receipt_number, "txn_ref": payment.txn_ref,
        }
        if payment.state != S.PAID:  # the refusal or withdrawal already told them; "paid" would mislead now
            return payment
        with recipient_language(payment.payer):  # the payer's message; the receipt itself stays the official form
            notification_send(template="payment_paid", channel=Channel.IN_APP, recipient=payment.payer, payload=payload)
            if payment.payer.email:
                notification_send(template="payment_paid", channel=Channel.EMAIL, recipient=payment.payer,
                                  payload=payload)
    return payment
