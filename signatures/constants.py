from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    PERSONAL = "personal", _("Cá nhân (lãnh đạo)")
    ORGANISATION = "organisation", _("Tổ chức (cơ quan)")


class KeyBackend(models.TextChoices):
    PKCS12 = "pkcs12", _("Tệp PKCS#12, khóa mã hóa trên máy chủ")
    PKCS11 = "pkcs11", _("Thiết bị HSM (PKCS#11)")
    REMOTE = "remote", _("Ký số từ xa")


class SignatureRole(models.TextChoices):
    APPROVAL = "approval", _("Lãnh đạo ký duyệt")
    ORGANISATION = "organisation", _("Văn thư ký số cơ quan")


class SignatureState(models.TextChoices):
    PENDING = "pending", _("Chờ ký")
    SIGNING = "signing", _("Đang ký")
    SIGNED = "signed", _("Đã ký")
    FAILED = "failed", _("Ký không thành công")
    # Terminal: withdrawn unsigned (the signer declined, or lost the authority and the agency passed it to another
    # signer); the object that waited for it is told through its callback.
    WITHDRAWN = "withdrawn", _("Đã rút yêu cầu ký")


class PadesLevel(models.TextChoices):
    B_B = "B-B", "PAdES B-B"
    B_T = "B-T", "PAdES B-T"
    B_LT = "B-LT", "PAdES B-LT"
    B_LTA = "B-LTA", "PAdES B-LTA"
