"""Reads of online payment: who sees which payment and receipt."""

from django.db.models import Q, QuerySet

from public_services.payments.constants import PaymentState
from public_services.payments.models import Payment

# A payment taken as the fee (with its receipt number and receipt): paid, or paid and then owed back because the
# dossier was refused or withdrawn (payments_expire_for_closed_dossier). A refund owed for money that was never the
# fee (a duplicate, a changed fee, paid after the closure) has no receipt number.
FEE_TAKEN = Q(state=PaymentState.PAID) | (Q(state=PaymentState.REFUND_DUE) & ~Q(receipt_number=""))


def payments_visible_to(*, user) -> QuerySet[Payment]:
    """The payer sees their payments; staff of the dossier's receiving or handling agency see its payments."""
    payments = Payment.objects.select_related("dossier__procedure", "dossier__handling_agency", "payer")
    if user.is_superuser:
        return payments
    visible = Q(payer_id=user.pk)
    if user.agency_id is not None and user.is_agency_staff:
        visible |= Q(dossier__receiving_agency_id=user.agency_id) | Q(dossier__handling_agency_id=user.agency_id)
    return payments.filter(visible)


def dossier_owned_by(*, user, code: str):
    """The citizen's own dossier with what the payment page shows, or None (others' dossiers do not exist)."""
    from one_stop.models import Dossier

    return (Dossier.objects.select_related("procedure", "procedure_version", "handling_agency")
            .filter(code=code, citizen_id=user.pk).first())


def payments_of_dossier(*, dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).order_by("-created_at", "-id")


def dossier_paid_payment(*, dossier) -> Payment | None:
    """The payment that paid the dossier's fee (at most one: a database constraint), or None."""
    return Payment.objects.filter(dossier=dossier, state=PaymentState.PAID).first()


def dossier_fee_payment(*, dossier) -> Payment | None:
    """The payment taken as the dossier's fee (FEE_TAKEN), whatever has become of the dossier since, or None."""
    return Payment.objects.filter(FEE_TAKEN, dossier=dossier).order_by("-paid_at", "-id").first()


def receipts_visible_to(*, user) -> QuerySet[Payment]:
    """The payments whose receipt `user` may download: visible to them, and taken as the fee (a fee later owed back
    keeps its receipt, the payer's proof of what they paid)."""
    return payments_visible_to(user=user).filter(FEE_TAKEN)


def dossier_payment_status(*, dossier):
    """What one_stop's staff page and e-result rule ask of a dossier's fee (one_stop.selectors.DOSSIER_PAYMENT_STATUS,
    registered in apps.ready): one query. None for a dossier not sent online that was never paid online — its fee is
    collected at the counter, which this app knows nothing of."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.timezone import localtime
    from django.utils.translation import gettext as _

    from one_stop.selectors import DossierPaymentStatus
    from public_services.payments.services import CLOSED_DOSSIER_STATES, dossier_fee_due

    payments = list(Payment.objects.filter(dossier_id=dossier.pk).order_by("-created_at", "-id").only(
        "state", "txn_ref", "amount_vnd", "paid_at", "expires_at", "receipt_number", "receipt_file", "refund_reason"))
    if not payments and dossier.channel != "online":
        return None
    due = 0 if dossier.state in CLOSED_DOSSIER_STATES else dossier_fee_due(dossier)
    # The fee taken (FEE_TAKEN, as the citizen's page reads it): paid, or paid and owed back since the dossier closed —
    # still the payment the receipt was issued for (found in review: the staff page said "no fee" where the citizen's
    # said "paid, to be refunded").
    paid = next((p for p in payments if p.state == PaymentState.PAID
                 or (p.state == PaymentState.REFUND_DUE and p.receipt_number)), None)
    lines = []
    if paid is not None:
        lines.append(_("Đã thanh toán %(amount)s đồng lúc %(at)s, biên lai số %(number)s") % {
            "amount": f"{paid.amount_vnd:,}".replace(",", "."), "number": paid.receipt_number,
            "at": date_format(localtime(paid.paid_at), "H:i d/m/Y") if paid.paid_at else "—"})
        if paid.state == PaymentState.REFUND_DUE:
            lines.append(_("chờ hoàn tiền: %(reason)s") % {"reason": paid.get_refund_reason_display()})
    elif due > 0:
        lines.append(_("Chưa nộp phí, lệ phí (%(amount)s đồng)") % {"amount": f"{due:,}".replace(",", ".")})
        if any(p.state == PaymentState.PENDING and p.expires_at > timezone.now() for p in payments):
            lines.append(_("có giao dịch đang chờ thanh toán"))
    else:
        lines.append(_("Không có phí, lệ phí phải nộp"))
    for refund in (p for p in payments if p.state == PaymentState.REFUND_DUE and p is not paid):
        lines.append(_("chờ hoàn tiền %(amount)s đồng (giao dịch %(txn)s)") % {
            "amount": f"{refund.amount_vnd:,}".replace(",", "."), "txn": refund.txn_ref})
    receipt_url = reverse("payments:receipt", args=[paid.txn_ref]) if paid is not None and paid.receipt_file else ""
    return DossierPaymentStatus(due_vnd=due, paid=paid is not None, label="; ".join(str(line) for line in lines),
                                receipt_url=receipt_url)
