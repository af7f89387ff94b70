from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from docs_office.constants import RegisterKind

SHORT_NAME_VALIDATOR = RegexValidator(r"^[A-ZĐ0-9]+$", _("Chữ viết tắt chỉ gồm chữ in hoa và chữ số, không dấu cách."))


class DocumentType(models.Model):
    """A type of administrative document (Decree 30/2020, appendix III); loaded by a data migration."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại văn bản"), max_length=100, unique=True)
    # Empty for an official letter (công văn): its symbol has no type part.
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=10, blank=True)
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["ordering", "name"]

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    """A unit inside an agency (phòng, ban): the second group of an official letter's symbol (`UBND-VP`)."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="office_divisions")
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("chữ viết tắt"), max_length=20, validators=[SHORT_NAME_VALIDATOR])
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), blank=True,
                                     related_name="office_divisions")

    class Meta:
        verbose_name = _("phòng, ban")
        verbose_name_plural = _("phòng, ban")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "short_name"], name="division_short_name_unique")]

    def __str__(self) -> str:
        return self.name


class Register(models.Model):
    """A register (sổ đăng ký văn bản) of one agency; outgoing registers may each cover a group of types."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="office_registers")
    kind = models.CharField(_("loại sổ"), max_length=10, choices=RegisterKind.choices)
    name = models.CharField(_("tên sổ"), max_length=150)
    # Outgoing only: the types numbered in this register. A register with none numbers every type that
    # no other register of the agency claims.
    document_types = models.ManyToManyField(DocumentType, verbose_name=_("loại văn bản"), blank=True,
                                            related_name="registers")
    # Secret documents are numbered in registers of their own (Decree 30/2020; DESIGN.md §4), never in these.
    for_secret = models.BooleanField(_("sổ văn bản mật"), default=False,
                                     help_text=_("Đánh số riêng cho văn bản mật (đến hoặc đi)."))
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("sổ đăng ký văn bản")
        verbose_name_plural = _("sổ đăng ký văn bản")
        ordering = ["agency", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "name"], name="register_name_unique")]

    def __str__(self) -> str:
        return self.name


class RegisterCounter(models.Model):
    """One row per register and calendar year, locked by whoever takes the next number (no gaps, no repeats)."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="register_counter_unique")]

    def __str__(self) -> str:
        return f"{self.register_id} {self.year}: {self.last}"
