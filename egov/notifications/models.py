import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("Trên cổng")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE,
                                  null=True, blank=True, related_name="notifications")
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=255, blank=True,
                               help_text=_("Thư điện tử hoặc số điện thoại; để trống với thông báo trên cổng."))
    template = models.CharField(_("mẫu"), max_length=100)
    payload = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=NotificationStatus.choices,
                              default=NotificationStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "channel", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject or self.template}"

    @property
    def link(self) -> str:
        """Where the notification leads on the portal (`payload["link"]`, a path of this site), or ""."""
        link = (self.payload or {}).get("link") if isinstance(self.payload, dict) else None
        # A path of this site only: never another host ("//…", "https://…"), never a script.
        return link if isinstance(link, str) and link.startswith("/") and not link.startswith("//") else ""


class ReminderRun(models.Model):
    """One morning reminder's run on one day (egov.notifications.services.reminder_run_claim): claimed in the
    transaction that writes the reminder's notifications, so a redelivered task (late ack) or a second beat finds
    the day taken and sends nothing twice."""

    reminder = models.CharField(_("lời nhắc"), max_length=100)
    day = models.DateField(_("ngày"))
    claimed_at = models.DateTimeField(_("chạy lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt nhắc việc")
        verbose_name_plural = _("lượt nhắc việc")
        constraints = [models.UniqueConstraint(fields=["reminder", "day"], name="notifications_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.reminder} {self.day:%d/%m/%Y}"
