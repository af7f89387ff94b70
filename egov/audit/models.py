import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalEvent(models.Model):
    """An append-only, hash-chained log of events with legal weight.

    Each row's hash covers its content and the previous row's hash, so changing or deleting any row
    breaks the chain from there on (`manage.py audit_verify_chain`). The database refuses UPDATE and
    DELETE on this table outright.
    """

    sequence = models.PositiveBigIntegerField(_("số thứ tự"), unique=True)
    occurred_at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", db_constraint=False)
    actor_label = models.CharField(_("người thực hiện (tên)"), max_length=255, blank=True)
    action = models.CharField(_("sự kiện"), max_length=64, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    data = models.JSONField(_("nội dung"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    previous_hash = models.CharField(_("mã băm liền trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("sự kiện có giá trị pháp lý")
        verbose_name_plural = _("nhật ký sự kiện có giá trị pháp lý")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        triggers = [
            pgtrigger.Protect(name="legal_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"


class LegalEventChainHead(models.Model):
    """One row, locked by each writer: it serialises appends so the chain has no forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")
        verbose_name_plural = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.hash[:12]}"
