import uuid

import pghistory
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from egov.accounts.roles import STAFF_ROLES, Role
from egov.accounts.validators import validate_national_id, validate_phone
from egov.core.models import ProtectedStateMixin
from egov.core.state_labels import StateLabels


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    OTHER = "other", _("Khác")


class EgovUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: username})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 exclude=["password", "last_login"])
class User(AbstractUser):
    """Anyone who signs in: citizens (by ID number, phone or e-mail) and staff (by username)."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    national_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, null=True, unique=True,
        validators=[validate_national_id],
        help_text=_("12 chữ số, in trên căn cước / căn cước công dân."),
    )
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True, null=True, unique=True,
                             validators=[validate_phone])
    email = models.EmailField(_("thư điện tử"), blank=True, null=True, unique=True)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="staff")
    position_title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    # What online forms prefill from (egov.accounts.selectors.citizen_profile_values).
    address = models.CharField(_("địa chỉ thường trú"), max_length=255, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    # Set when the citizen proved the phone or e-mail (a one-time code) or signed in through the identity
    # provider. An inactive account without it is a sign-up still waiting for its code, not a locked one.
    verified_at = models.DateTimeField(_("xác thực lúc"), null=True, blank=True)
    # Consent to the personal-data processing notice (Law on Personal Data Protection 91/2025/QH15): when, and
    # to which version of the notice (egov.accounts.privacy.PRIVACY_NOTICE_VERSION). Empty for accounts made
    # before the notice existed and for staff.
    privacy_consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu cá nhân lúc"), null=True, blank=True)
    privacy_notice_version = models.CharField(_("phiên bản thông báo xử lý dữ liệu cá nhân"), max_length=20, blank=True)
    # Set when the citizen withdrew their consent, cleared when they agree again: until then no new online dossier is
    # started for them (egov.accounts.privacy). Dossiers already sent go on (the authority's duty, not consent).
    privacy_consent_withdrawn_at = models.DateTimeField(_("rút lại sự đồng ý lúc"), null=True, blank=True)
    # Set when the account was erased (egov.accounts.erasure): its personal data emptied, its way in closed; the row
    # stays because the dossiers, payments and requests it made point to it.
    erased_at = models.DateTimeField(_("xóa tài khoản lúc"), null=True, blank=True, editable=False)
    # The language of the messages written to the person (their profile's "Ngôn ngữ nhận thông báo", or the API):
    # egov.notifications.services.recipient_language follows it. Empty: the portal's. Not the pages' language,
    # which is the browser's cookie.
    language = models.CharField(_("ngôn ngữ"), max_length=10, blank=True, choices=settings.LANGUAGES)

    objects = EgovUserManager()

    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(condition=~Q(national_id=""), name="user_national_id_null_not_blank"),
            models.CheckConstraint(condition=~Q(phone=""), name="user_phone_null_not_blank"),
            models.CheckConstraint(condition=~Q(email=""), name="user_email_null_not_blank"),
        ]
        indexes = [
            # Signing in by e-mail matches it in any case (email__iexact: UPPER(email)), on every attempt and for
            # django-axes' key (egov.accounts.backends.axes_username): without it, a scan of every account.
            models.Index(Upper("email"), name="user_email_upper_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self):
        super().clean()
        # AbstractUser.clean turns a missing e-mail into "", which the unique column must not hold.
        self.email = self.email or None

    def get_full_name(self) -> str:
        return self.full_name

    def role_names(self) -> set[str]:
        # Cached on the instance: pages ask several times per request.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names()

    @property
    def is_citizen(self) -> bool:
        return self.has_role(Role.CITIZEN)

    @property
    def is_agency_staff(self) -> bool:
        return bool(self.role_names() & {str(r) for r in STAFF_ROLES})


class CodePurpose(models.TextChoices):
    SIGNUP = "signup", _("Đăng ký tài khoản")
    PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
    PHONE_CHANGE = "phone_change", _("Đổi số điện thoại")
    EMAIL_CHANGE = "email_change", _("Đổi thư điện tử")


class OneTimeCode(models.Model):
    """A 6-digit code sent to a phone or an e-mail address; only its keyed hash is stored.

    `public_id` names the flow to the browser (session) or the API client; the row counts wrong attempts
    and sends, so neither guessing nor re-sending is unlimited.
    """

    public_id = models.UUIDField(_("mã phiên xác thực"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), on_delete=models.CASCADE,
                             null=True, blank=True, related_name="one_time_codes")
    purpose = models.CharField(_("mục đích"), max_length=20, choices=CodePurpose.choices)
    channel = models.CharField(_("kênh"), max_length=10)
    target = models.CharField(_("gửi tới"), max_length=255, blank=True,
                              help_text=_("Số điện thoại hoặc thư điện tử nhận mã (giá trị mới khi đổi)."))
    code_hash = models.CharField(_("mã băm"), max_length=128)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    sends = models.PositiveSmallIntegerField(_("số lần gửi"), default=1)
    attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác thực một lần")
        verbose_name_plural = _("mã xác thực một lần")
        indexes = [models.Index(fields=["purpose", "ip", "created_at"]), models.Index(fields=["purpose", "target", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.target}"


class SignedInSession(AbstractBaseSession):
    """A browser session, with the id of the user signed in to it (egov.accounts.sessions).

    The id is a copy of what the session's data say, kept so that a signed-in page reads its session and
    its user in one statement. A plain column, not a foreign key: a session saved after its user was
    deleted must not fail, and finds no user on its next read.
    """

    user_id = models.BigIntegerField(null=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from egov.accounts.sessions import SessionStore

        return SessionStore


class TokenSecondFactor(models.Model):
    """An API token obtained with a second factor (a TOTP code) as well as the password.

    Leaders, records clerks and administrators pass a second factor before any page; their API tokens must
    too, or a password alone would reach what the pages guard (egov.accounts.authentication). Kept beside
    DRF's token rather than in it: the token model is DRF's. A user who gains such a role keeps their token,
    which stops working until it is obtained again with a code (the row is then added to the same token)."""

    token = models.OneToOneField("authtoken.Token", on_delete=models.CASCADE, primary_key=True,
                                 related_name="second_factor")
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.token_id[:6]}… {self.verified_at:%Y-%m-%d %H:%M}"


class DataRequestKind(models.TextChoices):
    """What a citizen may ask of the authority about their personal data (Law 91/2025/QH15, the data subject's
    rights) beyond what the portal does at once: seeing, copying and editing the profile are self-service, and
    withdrawing consent takes effect when asked (egov.accounts.privacy)."""

    CORRECT = "correct", _("Chỉnh sửa dữ liệu")
    DELETE = "delete", _("Xóa dữ liệu")
    RESTRICT = "restrict", _("Hạn chế xử lý dữ liệu")
    OBJECT = "object", _("Phản đối xử lý dữ liệu")


class DataRequestState(models.TextChoices):
    RECEIVED = "received", _("Chờ tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    DONE = "done", _("Đã thực hiện")
    REFUSED = "refused", _("Không thực hiện")
    CANCELLED = "cancelled", _("Đã hủy")


DATA_REQUEST_OPEN_STATES = (DataRequestState.RECEIVED, DataRequestState.IN_PROGRESS)


class PersonalDataRequest(ProtectedStateMixin, models.Model):
    """A citizen's request about their personal data, answered by the portal's operator
    (egov.accounts.data_requests: deadlines, who may act)."""

    R = DataRequestState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.PROTECT,
                             related_name="personal_data_requests")
    kind = models.CharField(_("loại yêu cầu"), max_length=10, choices=DataRequestKind.choices)
    details = models.TextField(_("nội dung yêu cầu"))
    state = FSMField(_("trạng thái"), default=R.RECEIVED, choices=R.choices, protected=True, db_index=True)
    received_at = models.DateTimeField(_("gửi lúc"))
    respond_due_at = models.DateTimeField(_("hạn phản hồi"))
    due_at = models.DateTimeField(_("hạn thực hiện"))
    extended_at = models.DateTimeField(_("gia hạn lúc"), null=True, blank=True)
    extension_reason = models.TextField(_("lý do gia hạn"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    answer = models.TextField(_("trả lời"), blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["state", "due_at"])]
        constraints = [
            # One open request of a kind per person: a second click, or a second tab, is not a second request.
            models.UniqueConstraint(fields=["user", "kind"], condition=Q(state__in=DATA_REQUEST_OPEN_STATES),
                                    name="personal_data_request_one_open_per_kind"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"DLCN-{self.pk:06d}" if self.pk else "DLCN-?"

    @property
    def is_open(self) -> bool:
        return self.state in DATA_REQUEST_OPEN_STATES

    def not_extended(self) -> bool:
        return self.extended_at is None

    # Transitions set fields only; egov.accounts.data_requests checks who acts, saves, records and notifies.
    @transition(field=state, source=R.RECEIVED, target=R.IN_PROGRESS)
    def accept(self, *, by):
        self.handled_by = by

    @transition(field=state, source=list(DATA_REQUEST_OPEN_STATES), target=R.DONE)
    def complete(self, *, by, answer, at):
        self.handled_by, self.answer, self.closed_at = by, answer, at

    @transition(field=state, source=list(DATA_REQUEST_OPEN_STATES), target=R.REFUSED)
    def refuse(self, *, by, answer, at):
        self.handled_by, self.answer, self.closed_at = by, answer, at

    # Once only, as the decree allows: a request's deadline is not moved again and again.
    @transition(field=state, source=R.IN_PROGRESS, target=R.IN_PROGRESS, conditions=[not_extended])
    def extend(self, *, due_at, reason, at):
        self.due_at, self.extension_reason, self.extended_at = due_at, reason, at

    @transition(field=state, source=R.RECEIVED, target=R.CANCELLED)
    def cancel(self, *, at):
        self.closed_at = at


class PersonalDataRequestEvent(StateLabels, models.Model):
    """Append-only history of a personal-data request: who did what, when, from which state to which."""

    request = models.ForeignKey(PersonalDataRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20)
    from_state = models.CharField(_("từ trạng thái"), max_length=12, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("lúc"))
    note = models.TextField(_("ghi chú"), blank=True)

    STATES = DataRequestState

    class Meta:
        verbose_name = _("bước xử lý yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("quá trình xử lý yêu cầu về dữ liệu cá nhân")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.action_label

    @property
    def action_label(self) -> str:
        from egov.accounts.data_requests import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))
