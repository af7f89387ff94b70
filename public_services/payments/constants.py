from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    EXPIRED = "expired", _("Hết thời gian thanh toán")
    # Paid at the gateway when it could not be the fee (RefundReason): the money was taken and must go back to the
    # payer (max_length of the event's state columns is 10).
    REFUND_DUE = "refund_due", _("Chờ hoàn tiền")


class RefundReason(models.TextChoices):
    # Another attempt of the same dossier was paid first (two tabs).
    DUPLICATE = "duplicate", _("Phí, lệ phí đã được thanh toán trong giao dịch khác")
    # The attempt was started at a fee the dossier no longer has (the desk fixed another one meanwhile).
    FEE_CHANGED = "fee_changed", _("Số tiền phải nộp của hồ sơ đã thay đổi")
    # Paid after the dossier was refused or withdrawn: a closed dossier owes nothing.
    DOSSIER_CLOSED = "dossier_closed", _("Hồ sơ đã bị từ chối hoặc đã rút")


class PaymentEventSource(models.TextChoices):
    CITIZEN = "citizen", _("Người nộp")
    IPN = "ipn", _("Thông báo của cổng thanh toán (IPN)")
    RETURN = "return", _("Trang kết quả")
    EXPIRY = "expiry", _("Tác vụ hết hạn")
    # A staff member's act on the dossier (a refusal, a withdrawal at the desk) that ended its pending payments.
    STAFF = "staff", _("Cán bộ")
    # A repair of data by a migration: no one acted (the migration is named in the event's data).
    SYSTEM = "system", _("Hệ thống (chuyển đổi dữ liệu)")
