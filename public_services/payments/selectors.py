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
