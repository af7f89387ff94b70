import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ (nghỉ bù, nghỉ thêm)")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù vào cuối tuần)")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CalendarDay(models.Model):
    """An admin's override of the national calendar: a day off, or a weekend day worked instead."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=DayKind.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True,
                            help_text=_("Căn cứ, ví dụ: Thông báo số …/TB-BNV về lịch nghỉ Tết."))

    class Meta:
        verbose_name = _("ngày điều chỉnh")
        verbose_name_plural = _("lịch điều chỉnh ngày làm việc")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"
