import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtectedStateMixin:
    """Lets `refresh_from_db` reload a model whose FSMField is protected.

    django-fsm refuses any assignment to a protected state field once it is loaded, which is the
    point (transitions only), but it also refuses the reload itself.
    """

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        from django_fsm import FSMFieldMixin

        for field in self._meta.concrete_fields:
            if isinstance(field, FSMFieldMixin) and (fields is None or field.attname in fields):
                self.__dict__.pop(field.attname, None)
        return super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)


class OutboxMessage(models.Model):
    """A task waiting to be handed to the broker (transactional outbox).

    Written in the same transaction as the change that asks for the task, so the request either
    commits both or neither; a relay publishes it afterwards, and keeps trying while the broker is down.
    """

    uuid = models.UUIDField(_("mã"), default=uuid.uuid4, unique=True, editable=False)
    task_name = models.CharField(_("tác vụ"), max_length=200)
    args = models.JSONField(_("tham số"), default=list, blank=True)
    kwargs = models.JSONField(_("tham số có tên"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần thử gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("tác vụ chờ gửi")
        verbose_name_plural = _("hộp thư đi tác vụ (outbox)")
        indexes = [
            models.Index(fields=["id"], name="outbox_pending_idx", condition=models.Q(sent_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.uuid}"
