from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    NEWS = "news", _("Tin tức")
    DIRECTION = "direction", _("Chỉ đạo điều hành")


class FeedbackState(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã công khai trả lời")
    CLOSED = "closed", _("Đã đóng")


class FeedbackSubject(models.TextChoices):
    PROCEDURE = "procedure", _("Thủ tục hành chính")
    REGULATION = "regulation", _("Quy định hành chính")


class SenderKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")


# What a change of a published calendar entry is shown as ("Điều chỉnh: giờ, địa điểm").
CALENDAR_TRACKED_FIELDS = {
    "date": _("ngày"),
    "start_time": _("giờ bắt đầu"),
    "end_time": _("giờ kết thúc"),
    "place": _("địa điểm"),
    "content": _("nội dung"),
    "participants": _("thành phần"),
    "preparing_unit": _("đơn vị chuẩn bị"),
}
