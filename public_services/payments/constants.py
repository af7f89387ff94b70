from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    EXPIRED = "expired", _("Hết thời gian thanh toán")
    # Paid at the gateway after another attempt of the same dossier was already paid: the money was taken and
    # must go back to the payer (max_length of the event's state columns is 10).
    REFUND_DUE = "refund_due", _("Thanh toán trùng, chờ hoàn tiền")


class PaymentEventSource(models.TextChoices):
    CITIZEN = "citizen", _("Người nộp")
    IPN = "ipn", _("Thông báo của cổng thanh toán (IPN)")
    RETURN = "return", _("Trang kết quả")
    EXPIRY = "expiry", _("Tác vụ hết hạn")
