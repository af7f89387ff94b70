"""Fee payments of dossiers (lệ phí), their history, and the numbering of electronic fee receipts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from egov.core.models import ProtectedStateMixin
from public_services.payments.constants import PaymentEventSource, PaymentState, RefundReason

S = PaymentState


class Payment(ProtectedStateMixin, models.Model):
    """One attempt to pay a dossier's fee through a payment gateway; money in whole đồng."""

    dossier = models.ForeignKey("one_stop.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="payments")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nộp tiền"), on_delete=models.PROTECT,
                              related_name="payments")
    amount_vnd = models.BigIntegerField(_("số tiền (đồng)"))
    # The gateways we speak to settle in đồng only; the column documents it for exports.
    currency = models.CharField(_("loại tiền"), max_length=3, default="VND", editable=False)
    provider = models.CharField(_("cổng thanh toán"), max_length=30)
    txn_ref = models.CharField(_("mã giao dịch"), max_length=100, unique=True)
    state = FSMField(_("trạng thái"), default=S.PENDING, choices=S.choices, protected=True, db_index=True)
    gateway_url = models.TextField(_("địa chỉ thanh toán"), blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    provider_transaction_no = models.CharField(_("mã giao dịch tại cổng thanh toán"), max_length=50, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=30, blank=True)
    response_code = models.CharField(_("mã phản hồi"), max_length=10, blank=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    return_params = models.JSONField(_("tham số trả về trình duyệt"), default=dict, blank=True)
    ipn_params = models.JSONField(_("tham số IPN"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=30, blank=True)
    receipt_file = models.FileField(_("biên lai điện tử"), upload_to="payments/receipts/%Y/", blank=True)
    receipt_issued_at = models.DateTimeField(_("lập biên lai lúc"), null=True, blank=True)
    refund_reason = models.CharField(_("lý do hoàn tiền"), max_length=20, choices=RefundReason.choices, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A dossier's fee is paid once; failed and expired attempts may be followed by new ones.
            models.UniqueConstraint(fields=["dossier"], condition=models.Q(state="paid"), name="payment_paid_once"),
            models.CheckConstraint(condition=models.Q(amount_vnd__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.txn_ref

    # Transitions set fields only; services lock the row, save, record the event and queue the receipt.
    # A payment that expired on our side may still be confirmed by a late IPN: the citizen's money was
    # taken, and losing that record would be worse than a late success.
    @transition(field=state, source=[S.PENDING, S.EXPIRED], target=S.PAID)
    def pay(self, *, at, paid_at, transaction_no, bank_code, response_code, receipt_number):
        self.closed_at, self.paid_at = at, paid_at
        self.provider_transaction_no, self.bank_code, self.response_code = transaction_no, bank_code, response_code
        self.receipt_number = receipt_number

    # Paid at the gateway but not the fee — a second attempt of a dossier already paid (two tabs), or an attempt
    # begun at a fee the dossier no longer has: recorded as money to give back, never as the fee (no receipt
    # number), so the operator can find it and the payer is told the truth.
    @transition(field=state, source=[S.PENDING, S.EXPIRED], target=S.REFUND_DUE)
    def pay_to_refund(self, *, reason, at, paid_at, transaction_no, bank_code, response_code):
        self.refund_reason = reason
        self.closed_at, self.paid_at = at, paid_at
        self.provider_transaction_no, self.bank_code, self.response_code = transaction_no, bank_code, response_code

    # Paid as the fee, then the dossier was refused or withdrawn: a closed dossier owes nothing, so the money is owed
    # back. The receipt number stays: the fee was collected, and the receipt is the payer's proof when claiming it.
    @transition(field=state, source=S.PAID, target=S.REFUND_DUE)
    def owe_back(self, *, reason):
        self.refund_reason = reason

    @transition(field=state, source=S.PENDING, target=S.FAILED)
    def fail(self, *, at, transaction_no, bank_code, response_code):
        self.closed_at = at
        self.provider_transaction_no, self.bank_code, self.response_code = transaction_no, bank_code, response_code

    @transition(field=state, source=S.PENDING, target=S.EXPIRED)
    def expire(self, *, at):
        self.closed_at = at


class PaymentEvent(models.Model):
    """Append-only history of a payment: who or what (citizen, IPN, return page, expiry), when, from, to."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=30)
    source = models.CharField(_("nguồn"), max_length=10, choices=PaymentEventSource.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("lúc"))
    from_state = models.CharField(_("từ trạng thái"), max_length=10, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=10)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("diễn biến giao dịch")
        verbose_name_plural = _("diễn biến giao dịch")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.action}"


class ReceiptCounter(models.Model):
    """Receipt numbers per collecting agency and year; the row is locked by whoever takes a number."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="payment_receipt_counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last}"
