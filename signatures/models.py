import uuid

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from egov.core.models import ProtectedStateMixin
from signatures.constants import CertificateKind, KeyBackend, PadesLevel, SignatureRole, SignatureState


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class TrustAnchor(models.Model):
    """A root or intermediate CA certificate the portal trusts (e.g. the national root CA, old and new)."""

    name = models.CharField(_("tên"), max_length=255)
    certificate_der = models.BinaryField(_("chứng thư (DER)"))
    fingerprint_sha256 = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    is_active = models.BooleanField(_("đang tin cậy"), default=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 exclude=["encrypted_private_key", "encrypted_pin"])
class Certificate(models.Model):
    """A signing certificate (chứng thư số) and where its private key lives."""

    kind = models.CharField(_("loại"), max_length=20, choices=CertificateKind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người sở hữu"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="certificates")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="certificates")
    subject = models.CharField(_("chủ thể"), max_length=500)
    common_name = models.CharField(_("tên chủ thể"), max_length=255)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial_number = models.CharField(_("số hiệu"), max_length=80)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    key_usage = models.JSONField(_("mục đích sử dụng khóa"), default=list)
    fingerprint_sha256 = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    certificate_der = models.BinaryField(_("chứng thư (DER)"))
    chain_der = models.JSONField(_("chuỗi chứng thư (base64)"), default=list, blank=True)
    backend = models.CharField(_("nơi giữ khóa"), max_length=10, choices=KeyBackend.choices, default=KeyBackend.PKCS12)
    # PKCS#8 DER, encrypted with EGOV_KEY_ENCRYPTION_KEY (Fernet): the key never leaves the server.
    encrypted_private_key = models.BinaryField(_("khóa bí mật (đã mã hóa)"), null=True, blank=True, editable=False)
    pkcs11_token_label = models.CharField(_("nhãn token PKCS#11"), max_length=100, blank=True)
    pkcs11_key_label = models.CharField(_("nhãn khóa PKCS#11"), max_length=100, blank=True)
    encrypted_pin = models.BinaryField(_("PIN (đã mã hóa)"), null=True, blank=True, editable=False)
    remote_account = models.CharField(_("tài khoản ký số từ xa"), max_length=100, blank=True)
    stamp_image = models.FileField(_("ảnh chữ ký / con dấu"), upload_to="signatures/stamps/", blank=True,
                                   help_text=_("Chữ ký màu xanh (cá nhân) hoặc con dấu màu đỏ (cơ quan), nền trong suốt, PNG."))
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư số")
        verbose_name_plural = _("chứng thư số")
        ordering = ["common_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=CertificateKind.PERSONAL, owner__isnull=False)
                | models.Q(kind=CertificateKind.ORGANISATION, agency__isnull=False),
                name="certificate_has_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.common_name} ({self.serial_number})"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), exclude=["remote_state"],
                 model_name="SignatureRequestHistory", obj_field=pghistory.ObjForeignKey(related_name="history"))
class SignatureRequest(ProtectedStateMixin, models.Model):
    """One signature to apply to one PDF, for whatever object waits for it (a document, a dossier result)."""

    state = FSMField(_("trạng thái"), default=SignatureState.PENDING, choices=SignatureState.choices, protected=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=SignatureRole.choices)
    certificate = models.ForeignKey(Certificate, verbose_name=_("chứng thư số"), on_delete=models.PROTECT,
                                    related_name="requests")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT,
                               related_name="signature_requests")
    # The signer's agency when the request was made: the authority to sign is an agency's, so a signer moved to
    # another agency no longer signs what their former one asked of them (checked at confirm and at signing).
    signer_agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan của người ký"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người đề nghị"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("nội dung"), max_length=500)
    source_pdf = models.FileField(_("tệp cần ký"), upload_to="signatures/source/%Y/%m/")
    signed_pdf = models.FileField(_("tệp đã ký"), upload_to="signatures/signed/%Y/%m/", blank=True)
    field_name = models.CharField(_("trường chữ ký"), max_length=100)
    stamp_text = models.JSONField(_("nội dung dấu chữ ký"), default=dict, blank=True)
    level = models.CharField(_("mức PAdES yêu cầu"), max_length=6, choices=PadesLevel.choices, default=PadesLevel.B_LT)
    achieved_level = models.CharField(_("mức PAdES đạt được"), max_length=6, choices=PadesLevel.choices, blank=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    callback = models.CharField(_("xử lý sau khi ký"), max_length=100, blank=True,
                                help_text=_("Tên hàm đã đăng ký trong signatures.callbacks."))
    confirmed_at = models.DateTimeField(_("xác nhận ký lúc"), null=True, blank=True)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    # Indexed: the public verification page (a signed result's QR code) looks requests up by it.
    signed_sha256 = models.CharField(_("mã băm tệp đã ký"), max_length=64, blank=True, db_index=True)
    remote_transaction = models.CharField(_("mã giao dịch ký từ xa"), max_length=100, blank=True)
    remote_state = models.BinaryField(_("trạng thái ký từ xa"), null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("số lần thực hiện"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    withdrawn_at = models.DateTimeField(_("rút yêu cầu lúc"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người rút yêu cầu"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    withdraw_reason = models.TextField(_("lý do rút yêu cầu"), blank=True)
    # Signed with another request on one confirmation (a document's attachments with the document): the signer
    # confirms that request once, and this one starts with it. Each PDF still has its own signature.
    batch = models.ForeignKey("self", verbose_name=_("ký cùng yêu cầu"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="batch_members")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu ký số")
        verbose_name_plural = _("yêu cầu ký số")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["signer", "state", "-created_at"]),
                   models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.title

    # Transitions set fields only; services save, record the event and start the work.
    @transition(field=state, source=SignatureState.PENDING, target=SignatureState.SIGNING)
    def confirm(self, *, at):
        self.confirmed_at = at
        self.error = ""

    @transition(field=state, source=SignatureState.SIGNING, target=SignatureState.SIGNED)
    def complete(self, *, at, level: str, sha256: str):
        self.signed_at = at
        self.achieved_level = level
        self.signed_sha256 = sha256
        self.error = ""

    @transition(field=state, source=[SignatureState.PENDING, SignatureState.SIGNING], target=SignatureState.FAILED)
    def fail(self, *, reason: str):
        self.error = reason

    # Never from `signing`: a signature under way (a queued task, a phone asked) finishes or fails first.
    @transition(field=state, source=[SignatureState.PENDING, SignatureState.FAILED], target=SignatureState.WITHDRAWN)
    def withdraw(self, *, at, by, reason: str):
        self.withdrawn_at, self.withdrawn_by, self.withdraw_reason = at, by, reason
        self.remote_state = None

    @transition(field=state, source=SignatureState.FAILED, target=SignatureState.PENDING)
    def reopen(self):
        self.confirmed_at = None
        # A new confirmation starts a new remote transaction: the old one is dead (rejected/expired).
        self.remote_transaction = ""
        self.remote_state = None


class SignatureRequestEvent(models.Model):
    """Append-only history of a request: who moved it, when, from which state to which."""

    request = models.ForeignKey(SignatureRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=30)
    from_state = models.CharField(_("từ trạng thái"), max_length=20)
    to_state = models.CharField(_("sang trạng thái"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử yêu cầu ký")
        verbose_name_plural = _("lịch sử yêu cầu ký")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"


class RemoteStandinAccount(models.Model):
    """An account at the stand-in remote signing service (signatures.remote.standin): development and tests only.

    The stand-in plays the cloud signing service's part, so it holds the key the portal never holds.
    """

    account = models.CharField(_("tài khoản"), max_length=100, unique=True)
    encrypted_private_key = models.BinaryField(_("khóa bí mật (đã mã hóa)"), editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản dịch vụ ký số từ xa (mô phỏng)")
        verbose_name_plural = _("tài khoản dịch vụ ký số từ xa (mô phỏng)")

    def __str__(self) -> str:
        return self.account


class RemoteStandinTransaction(models.Model):
    """One digest waiting for (or signed after) the account holder's decision in the stand-in's phone app."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        APPROVED = "approved", _("Đã đồng ý ký")
        REJECTED = "rejected", _("Đã từ chối")
        EXPIRED = "expired", _("Hết hạn")

    transaction_id = models.UUIDField(_("mã giao dịch"), default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(RemoteStandinAccount, on_delete=models.CASCADE, related_name="transactions")
    digest = models.BinaryField(_("mã băm cần ký"))
    algorithm = models.CharField(_("thuật toán băm"), max_length=20)
    title = models.CharField(_("nội dung"), max_length=500)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    signature = models.BinaryField(_("chữ ký"), null=True, blank=True)
    callback_url = models.URLField(_("địa chỉ nhận thông báo"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    decided_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("giao dịch ký số từ xa (mô phỏng)")
        verbose_name_plural = _("giao dịch ký số từ xa (mô phỏng)")

    def __str__(self) -> str:
        return str(self.transaction_id)
