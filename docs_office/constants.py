from django.db import models
from django.utils.translation import gettext_lazy as _

# Pages of one document: far above any real one, far below the column's range (a typo of extra digits is refused).
PAGE_COUNT_MAX = 10_000


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Thường")
    URGENT = "urgent", _("Khẩn")
    VERY_URGENT = "very_urgent", _("Thượng khẩn")
    FLASH = "flash", _("Hỏa tốc")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("Thường")
    CONFIDENTIAL = "confidential", _("Mật")
    SECRET = "secret", _("Tối mật")
    TOP_SECRET = "top_secret", _("Tuyệt mật")


class RegisterKind(models.TextChoices):
    INCOMING = "incoming", _("Sổ văn bản đến")
    OUTGOING = "outgoing", _("Sổ văn bản đi")


class IncomingState(models.TextChoices):
    RECEIVED = "received", _("Chờ vào sổ")  # arrived electronically from another agency
    REGISTERED = "registered", _("Đã vào sổ, chờ phân công")
    ASSIGNED = "assigned", _("Đã phân công")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    CLOSED = "closed", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả lại nơi gửi")
    WITHDRAWN = "withdrawn", _("Nơi gửi đã thu hồi")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Xử lý chính")
    SUPPORT = "support", _("Phối hợp")
    INFO = "info", _("Để biết")


class OutgoingState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    HEAD_REVIEW = "head_review", _("Chờ lãnh đạo phòng duyệt")
    LEADER_REVIEW = "leader_review", _("Chờ lãnh đạo cơ quan duyệt")
    APPROVED = "approved", _("Đã duyệt, chờ ký")
    SIGNING = "signing", _("Lãnh đạo đang ký số")
    SIGNED = "signed", _("Đã ký, chờ phát hành")
    ISSUING = "issuing", _("Đã cấp số, văn thư đang ký số")
    ISSUED = "issued", _("Đã phát hành")
    RECALLED = "recalled", _("Đã thu hồi")


class DeliveryState(models.TextChoices):
    SENT = "sent", _("Đã gửi")
    RECEIVED = "received", _("Đã nhận")
    REGISTERED = "registered", _("Đã vào sổ")
    # Reported by recipients outside the system (edXML status messages); the system's own recipients stop
    # at registered (their handling is visible to them, not to the sender).
    ASSIGNED = "assigned", _("Đã phân công")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    COMPLETED = "completed", _("Đã xử lý xong")
    RETURNED = "returned", _("Bị trả lại")
    RECALLED = "recalled", _("Đã thu hồi")


class DeliveryChannel(models.TextChoices):
    SYSTEM = "system", _("Trong hệ thống")
    EDXML = "edxml", _("Gói edXML")


# What the history tables show for each step an event row records (services: incoming, outgoing, exchange,
# edxml). A code missing here is shown as stored.
INCOMING_EVENT_ACTIONS = {
    "arrive": _("Nhận văn bản liên thông"),
    "import_edxml": _("Nhận từ gói edXML"),
    "register": _("Vào sổ"),
    "accept": _("Vào sổ"),
    "return": _("Trả lại nơi gửi"),
    "assign": _("Phân công xử lý"),
    "start": _("Bắt đầu xử lý"),
    "close": _("Kết thúc xử lý"),
    "withdraw": _("Nơi gửi thu hồi"),
    "attachment_add": _("Thêm tệp đính kèm"),
    "attachment_remove": _("Gỡ tệp đính kèm"),
}
OUTGOING_EVENT_ACTIONS = {
    "create": _("Tạo dự thảo"),
    "version": _("Cập nhật dự thảo"),
    "attachment_add": _("Thêm phụ lục"),
    "attachment_remove": _("Gỡ phụ lục"),
    "submit": _("Trình duyệt"),
    "head_approve": _("Lãnh đạo phòng duyệt"),
    "leader_approve": _("Lãnh đạo cơ quan duyệt"),
    "return": _("Trả lại dự thảo"),
    "sign": _("Yêu cầu ký số"),
    "signed": _("Lãnh đạo đã ký số"),
    "sign_failed": _("Ký số không thành công"),
    "change_signer": _("Chuyển lãnh đạo khác ký"),
    "issue": _("Cấp số"),
    "agency_sign_failed": _("Ký số cơ quan không thành công"),
    "dispatch": _("Phát hành"),
    "recall": _("Thu hồi"),
    "send_more": _("Gửi bổ sung"),
    "export_edxml": _("Xuất gói edXML"),
    "edxml_status": _("Nhận thông điệp trạng thái edXML"),
}
