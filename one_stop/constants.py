from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    NONE = "none", _("Chưa cung cấp trực tuyến")


class ProcedureSource(models.TextChoices):
    CURATED = "curated", _("Danh mục của dự án")
    DICHVUCONG = "dichvucong", _("Cổng Dịch vụ công quốc gia")
    CSV = "csv", _("Tệp CSV")
    ADMIN = "admin", _("Nhập trên trang quản trị")
