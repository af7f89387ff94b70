import pghistory
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.accounts.roles import STAFF_ROLES, Role
from egov.accounts.validators import validate_national_id, validate_phone


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
