from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Task(models.Model):
    """A task (nhiệm vụ) a leader gives a unit from a directive, with a deadline; the unit reports progress."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="office_tasks")
    title = models.CharField(_("nội dung nhiệm vụ"), max_length=500)
    division = models.ForeignKey("docs_office.Division", verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT,
                                 related_name="tasks")
    deadline = models.DateField(_("hạn hoàn thành"), db_index=True)
    directive_incoming = models.ForeignKey("docs_office.IncomingDocument", verbose_name=_("văn bản chỉ đạo (đến)"),
                                           null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    directive_outgoing = models.ForeignKey("docs_office.OutgoingDocument", verbose_name=_("văn bản chỉ đạo (đi)"),
                                           null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("giao lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["agency", "division", "completed_at"])]

    def __str__(self) -> str:
        return self.title[:80]


class TaskReport(models.Model):
    """A unit's progress report on a task: the task's history (who, when, how far)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    text = models.TextField(_("báo cáo"))
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ nhiệm vụ")
        verbose_name_plural = _("báo cáo tiến độ nhiệm vụ")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.progress}%"
