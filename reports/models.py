"""Daily roll-ups of the one-stop activity, the marker of which days are rolled up, and monthly reports.

Definitions (the same in the roll-up, the live queries, the pages and the README):
- a dossier counts for the agency that handles it (handling_agency: the competent agency), on the day
  (Asia/Ho_Chi_Minh) of the event: received_at, resolved_at, returned_at, the refusal or withdrawal
  event, the payment's paid_at, the rating's created_at;
- on time: the result is ready (resolved_at) at or before the deadline; the deadline is the first due
  date promised (original_due_at when the dossier was postponed with an apology, else due_at). The
  national scoring (Decision 766/QĐ-TTg) counts a postponed dossier as late, and so do we — unless its clock
  restarted in full after the apology (a supplement came back), when the restarted clock's due_at holds;
- online: channel "online"; fully online: channel "online" and the procedure's online_level "full"
  (as it stands when the day is rolled up);
- paid online: a payments.Payment in state "paid"; ratings from one_stop.DossierRating.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The counters of one roll-up row, in the order exports show them.
COUNTERS = (
    "received", "received_fully_online", "received_with_fee", "received_digitised",
    "resolved_on_time", "resolved_late", "resolved_e_result", "returned", "refused", "withdrawn",
    "paid_online", "rating_satisfied", "rating_acceptable", "rating_unsatisfied",
)


class _DossierCounters(models.Model):
    """The counters of a roll-up row (COUNTERS)."""

    received = models.PositiveIntegerField(_("tiếp nhận"), default=0)
    received_fully_online = models.PositiveIntegerField(_("tiếp nhận trực tuyến toàn trình"), default=0)
    received_with_fee = models.PositiveIntegerField(_("tiếp nhận có phí, lệ phí"), default=0)
    received_digitised = models.PositiveIntegerField(_("tiếp nhận có thành phần số hóa"), default=0)
    resolved_on_time = models.PositiveIntegerField(_("giải quyết đúng hạn"), default=0)
    resolved_late = models.PositiveIntegerField(_("giải quyết quá hạn"), default=0)
    resolved_e_result = models.PositiveIntegerField(_("giải quyết có kết quả điện tử"), default=0)
    returned = models.PositiveIntegerField(_("trả kết quả"), default=0)
    refused = models.PositiveIntegerField(_("từ chối"), default=0)
    withdrawn = models.PositiveIntegerField(_("rút hồ sơ"), default=0)
    paid_online = models.PositiveIntegerField(_("thanh toán trực tuyến"), default=0)
    rating_satisfied = models.PositiveIntegerField(_("hài lòng"), default=0)
    rating_acceptable = models.PositiveIntegerField(_("chấp nhận được"), default=0)
    rating_unsatisfied = models.PositiveIntegerField(_("không hài lòng"), default=0)

    class Meta:
        abstract = True


class DossierDailyStat(_DossierCounters):
    """What happened on one day to the dossiers of one agency, procedure and channel (counts only)."""

    day = models.DateField(_("ngày"))
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan giải quyết"), on_delete=models.CASCADE,
                               related_name="+")
    procedure = models.ForeignKey("one_stop.Procedure", verbose_name=_("thủ tục"), on_delete=models.CASCADE,
                                  related_name="+")
    channel = models.CharField(_("hình thức nộp"), max_length=10)

    class Meta:
        verbose_name = _("số liệu hồ sơ theo ngày")
        verbose_name_plural = _("số liệu hồ sơ theo ngày")
        constraints = [models.UniqueConstraint(fields=["day", "agency", "procedure", "channel"],
                                               name="dossier_daily_stat_unique")]
        indexes = [models.Index(fields=["agency", "day"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.procedure_id} {self.channel}"


class _Counters(_DossierCounters):
    """The counters of a coarser roll-up: those of DossierDailyStat, with the channel as three counters."""

    received_counter = models.PositiveIntegerField(_("tiếp nhận trực tiếp"), default=0)
    received_online = models.PositiveIntegerField(_("tiếp nhận trực tuyến"), default=0)
    received_post = models.PositiveIntegerField(_("tiếp nhận qua bưu chính"), default=0)

    class Meta:
        abstract = True


class AgencyDailyStat(_Counters):
    """One agency's day, every procedure and channel added up: what the tables by agency, the totals and the
    trends read. A row per agency and day whatever the number of dossiers (the detailed roll-up has about
    as many rows as dossiers once the catalogue holds thousands of procedures)."""

    day = models.DateField(_("ngày"))
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan giải quyết"), on_delete=models.CASCADE,
                               related_name="+")

    class Meta:
        verbose_name = _("số liệu cơ quan theo ngày")
        verbose_name_plural = _("số liệu cơ quan theo ngày")
        constraints = [models.UniqueConstraint(fields=["day", "agency"], name="agency_daily_stat_unique")]
        indexes = [models.Index(fields=["agency", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}"


class ProcedureMonthlyStat(_Counters):
    """One agency's month of one procedure, channels added up: the table by procedure reads whole months here
    (a month holds a thirtieth of the detailed rows' days and a third of their channels)."""

    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan giải quyết"), on_delete=models.CASCADE,
                               related_name="+")
    procedure = models.ForeignKey("one_stop.Procedure", verbose_name=_("thủ tục"), on_delete=models.CASCADE,
                                  related_name="+")

    class Meta:
        verbose_name = _("số liệu thủ tục theo tháng")
        verbose_name_plural = _("số liệu thủ tục theo tháng")
        constraints = [models.UniqueConstraint(fields=["month", "agency", "procedure"],
                                               name="procedure_monthly_stat_unique")]
        indexes = [models.Index(fields=["agency", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.agency_id} {self.procedure_id}"


# The eOffice counters of a day (see reports.office for the definitions).
OFFICE_COUNTERS = ("issued", "issued_exchanged", "issued_edxml", "issued_signed", "received", "received_exchange",
                   "received_edxml")


class OfficeDailyStat(models.Model):
    """What one agency's eOffice issued and received on one day (counts only)."""

    day = models.DateField(_("ngày"))
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+")
    issued = models.PositiveIntegerField(_("văn bản đi đã phát hành"), default=0)
    issued_exchanged = models.PositiveIntegerField(_("gửi liên thông"), default=0)
    issued_edxml = models.PositiveIntegerField(_("gửi qua gói edXML"), default=0)
    issued_signed = models.PositiveIntegerField(_("ký số đủ"), default=0)
    received = models.PositiveIntegerField(_("văn bản đến"), default=0)
    received_exchange = models.PositiveIntegerField(_("nhận liên thông"), default=0)
    received_edxml = models.PositiveIntegerField(_("nhận qua gói edXML"), default=0)

    class Meta:
        verbose_name = _("số liệu văn bản theo ngày")
        verbose_name_plural = _("số liệu văn bản theo ngày")
        constraints = [models.UniqueConstraint(fields=["day", "agency"], name="office_daily_stat_unique")]
        indexes = [models.Index(fields=["agency", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}"


class RollupDay(models.Model):
    """A day whose roll-up rows are complete (a quiet day has no rows, so the rows cannot say it)."""

    day = models.DateField(_("ngày"), unique=True)
    computed_at = models.DateTimeField(_("tính lúc"))
    rows = models.PositiveIntegerField(_("số dòng"), default=0)

    class Meta:
        verbose_name = _("ngày đã tổng hợp")
        verbose_name_plural = _("ngày đã tổng hợp")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


def _report_path(report, filename: str) -> str:
    return f"reports/monthly/{report.month:%Y-%m}/{report.agency_id}.pdf"


class MonthlyReport(models.Model):
    """The monthly PDF of one agency; stored under MEDIA_ROOT and served only to its leaders."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE,
                               related_name="+")
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    file = models.FileField(_("tệp"), upload_to=_report_path, max_length=200)
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tháng")
        verbose_name_plural = _("báo cáo tháng")
        ordering = ["-month", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="monthly_report_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y}"
