import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from one_stop.constants import OnlineLevel, ProcedureSource


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) of the catalogue, by its national code.

    What a dossier is judged by — time limit, fees, documents, steps — lives in versions
    (ProcedureVersion): a dossier stays on the version it was received under.
    """

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.TextField(_("tên thủ tục"))
    field = models.CharField(_("lĩnh vực"), max_length=255, blank=True, db_index=True)
    levels = models.JSONField(_("cấp thực hiện"), default=list, blank=True)
    agency_text = models.TextField(_("cơ quan thực hiện"), blank=True)
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices,
                                    default=OnlineLevel.NONE, db_index=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    source = models.CharField(_("nguồn"), max_length=20, choices=ProcedureSource.choices, default=ProcedureSource.ADMIN)
    source_url = models.URLField(_("địa chỉ nguồn"), max_length=500, blank=True)
    raw = models.JSONField(_("nội dung gốc chưa phân tích được"), default=dict, blank=True)
    import_issues = models.JSONField(_("vấn đề khi nhập"), default=list, blank=True)
    # Diacritics-free, lower-case copies for search (no unaccent extension in the embedded PostgreSQL).
    name_folded = models.TextField(editable=False, default="")
    body_folded = models.TextField(editable=False, default="")
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ProcedureVersion(models.Model):
    """The terms of a procedure from a date on: time limit per channel, fees, documents, steps."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    effective_from = models.DateTimeField(_("áp dụng từ"))
    processing_days = models.DecimalField(_("thời hạn giải quyết (ngày làm việc)"), max_digits=6, decimal_places=1,
                                          null=True, blank=True)
    processing_text = models.TextField(_("thời hạn giải quyết (nguyên văn)"), blank=True)
    fee_vnd = models.BigIntegerField(_("phí, lệ phí (đồng)"), null=True, blank=True)
    fee_text = models.TextField(_("phí, lệ phí (nguyên văn)"), blank=True)
    channels = models.JSONField(_("theo hình thức nộp"), default=list, blank=True)
    required_documents = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    steps = models.JSONField(_("trình tự thực hiện"), default=list, blank=True)
    # The internal process: ordered steps {name, role, agency, days}, where agency is "receiving",
    # "competent" or another agency's exchange code (joint procedures); empty = the default process.
    process = models.JSONField(_("quy trình nội bộ"), default=list, blank=True)
    # The online form (see public_services.forms for its format); empty = no online form.
    form = models.JSONField(_("biểu mẫu điện tử"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # Who made the version on the admin site and on what basis (empty for imports: the file is the basis).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("căn cứ, lý do thay đổi"), blank=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique")]
        indexes = [models.Index(fields=["procedure", "-effective_from"])]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"


def _form_template_path(template, filename: str) -> str:
    # A random name on disk: the name the administrator gave is kept in the row and given back on download.
    import uuid

    return f"procedure_forms/{uuid.uuid4().hex}"


class ProcedureFormTemplate(models.Model):
    """The blank form (mẫu đơn, tờ khai) a procedure's required documents name in their `form` key.

    It belongs to the procedure, by that name, not to a version: which form a paper must be written on is a term
    of the version (changed by a new version), but the blank file is only how the province publishes it — a
    corrected or re-typeset file replaces the old one for every version that names the form, without a new version.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="form_templates",
                                  verbose_name=_("thủ tục"))
    name = models.CharField(_("mẫu đơn, tờ khai"), max_length=255,
                            help_text=_("Tên mẫu như thành phần hồ sơ của thủ tục ghi (cột “Tệp mẫu đơn, tờ khai”)."))
    file = models.FileField(_("tệp mẫu"), upload_to=_form_template_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"))

    class Meta:
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")
        ordering = ["procedure", "name"]
        constraints = [models.UniqueConstraint(fields=["procedure", "name"], name="procedure_form_template_unique")]

    def __str__(self) -> str:
        return f"{self.procedure.code}: {self.name}"
