"""Queue tickets at the desk (lấy số tự động): service areas, counters, tickets and their history."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from egov.core.models import ProtectedStateMixin


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đã gọi")
    SERVED = "served", _("Đã phục vụ")
    SKIPPED = "skipped", _("Bỏ qua")


class ServiceArea(models.Model):
    """A group of procedures served at the same counters, with its own number series (e.g. A, B, C)."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="service_areas")
    name = models.CharField(_("tên khu vực"), max_length=150, help_text=_("Ví dụ: Tư pháp – Hộ tịch."))
    prefix = models.CharField(
        _("chữ cái đầu số"), max_length=2,
        validators=[RegexValidator(r"^[A-Z]{1,2}$", _("Một hoặc hai chữ cái in hoa, không dấu, ví dụ A."))],
        help_text=_("In trước số thứ tự: A-012."),
    )
    procedure_fields = ArrayField(
        models.CharField(max_length=255), verbose_name=_("lĩnh vực thủ tục"), default=list, blank=True,
        help_text=_("Các lĩnh vực thủ tục tiếp nhận ở khu vực này, cách nhau bởi dấu phẩy (ví dụ Hộ tịch,Chứng thực)."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=0)
    is_active = models.BooleanField(_("đang cấp số"), default=True)

    class Meta:
        verbose_name = _("khu vực tiếp nhận")
        verbose_name_plural = _("khu vực tiếp nhận (lấy số)")
        ordering = ["agency", "position", "prefix"]
        constraints = [models.UniqueConstraint(fields=["agency", "prefix"], name="tickets_area_prefix_unique")]

    def __str__(self) -> str:
        return f"{self.prefix} – {self.name}"


class Counter(models.Model):
    """A desk window (quầy) where a clerk calls numbers of the areas it serves."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="queue_counters")
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=100, blank=True, help_text=_("Để trống: “Quầy <số>”."))
    areas = models.ManyToManyField(ServiceArea, verbose_name=_("khu vực phục vụ"), related_name="counters")
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy (lấy số)")
        ordering = ["agency", "number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="tickets_counter_number_unique")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or _("Quầy %(number)s") % {"number": self.number}


class QueueNumberCounter(models.Model):
    """One row per area and day, locked by whoever takes the next number: numbers restart at 1 each day
    and never repeat or skip."""

    area = models.ForeignKey(ServiceArea, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="tickets_number_counter_unique")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}: {self.last}"


class QueueTicket(ProtectedStateMixin, models.Model):
    """One number taken at the kiosk: waiting → called → served | skipped."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(ServiceArea, verbose_name=_("khu vực"), on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    label = models.CharField(_("số hiển thị"), max_length=12)
    state = FSMField(_("trạng thái"), default=TicketState.WAITING, choices=TicketState.choices, protected=True)
    issued_at = models.DateTimeField(_("lấy số lúc"))
    called_at = models.DateTimeField(_("gọi lúc"), null=True, blank=True)
    # The board highlights a number for a few seconds after each call, the first or a recall.
    last_called_at = models.DateTimeField(_("gọi gần nhất lúc"), null=True, blank=True)
    counter = models.ForeignKey(Counter, verbose_name=_("quầy"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="tickets")
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người gọi"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    recall_count = models.PositiveSmallIntegerField(_("số lần gọi lại"), default=0)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự đã cấp")
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["area", "day", "number"], name="tickets_ticket_number_unique")]
        indexes = [models.Index(fields=["area", "day", "state", "issued_at"], name="tickets_waiting_idx"),
                   models.Index(fields=["counter", "state"], name="tickets_counter_state_idx")]

    def __str__(self) -> str:
        return f"{self.label} ({self.day:%d/%m/%Y})"

    # Transitions set fields only; the services lock, check who acts, save and record the event.
    @transition(field=state, source=TicketState.WAITING, target=TicketState.CALLED)
    def call(self, *, counter, by, at):
        self.counter, self.called_by, self.called_at, self.last_called_at = counter, by, at, at

    @transition(field=state, source=TicketState.CALLED, target=TicketState.CALLED)
    def recall(self, *, by, at):
        self.called_by, self.last_called_at, self.recall_count = by, at, self.recall_count + 1

    @transition(field=state, source=TicketState.CALLED, target=TicketState.SKIPPED)
    def skip(self, *, at):
        self.finished_at = at

    @transition(field=state, source=TicketState.CALLED, target=TicketState.SERVED)
    def serve(self, *, at):
        self.finished_at = at


class QueueTicketEvent(models.Model):
    """Append-only history of a ticket: who did what, when, at which counter, from and to which state."""

    ticket = models.ForeignKey(QueueTicket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20)
    from_state = models.CharField(_("từ trạng thái"), max_length=10, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=10)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("lịch sử số thứ tự")
        verbose_name_plural = _("lịch sử số thứ tự")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "at"], name="tickets_event_action_at_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"
