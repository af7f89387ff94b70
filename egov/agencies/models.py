import pghistory
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The national agency code for electronic exchange (Decision 20/2020/QĐ-TTg): V1V2V3.Z1Z2.Y1Y2.MX1X2,
# e.g. 000.00.00.H41 for a provincial People's Committee.
EXCHANGE_CODE_RE = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"


# The words before a committee's proper name, in the order they come ("Ủy ban nhân dân tỉnh Lạng Sơn").
_PLACE_PREFIXES = ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd ", "thành phố ", "tỉnh ", "phường ", "xã ", "đặc khu ",
                   "thị trấn ")


class AgencyKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("UBND tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND xã, phường, đặc khu")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
    OTHER = "other", _("Đơn vị khác")


# The advisory lock a change of an agency's place in the tree holds (Agency.clean).
TREE_LOCK = "agencies.tree"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Agency(models.Model):
    """One node of the province's agency tree; the tree has as many levels as the data gives it."""

    parent = models.ForeignKey("self", verbose_name=_("cơ quan cấp trên"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="children")
    kind = models.CharField(_("loại cơ quan"), max_length=32, choices=AgencyKind.choices)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(
        _("tên viết tắt"), max_length=30,
        help_text=_("Dùng trong ký hiệu văn bản, ví dụ UBND, STP, VP."),
        validators=[RegexValidator(r"^[A-ZĐ0-9]+$", _("Tên viết tắt chỉ gồm chữ in hoa và chữ số, không dấu cách."))],
    )
    exchange_code = models.CharField(
        _("mã định danh điện tử"), max_length=13, unique=True,
        validators=[RegexValidator(EXCHANGE_CODE_RE, _("Mã định danh phải có dạng 000.00.00.H41."))],
        help_text=_("Mã định danh phục vụ kết nối, trao đổi dữ liệu (QĐ 20/2020/QĐ-TTg)."),
    )
    administrative_code = models.CharField(
        _("mã đơn vị hành chính"), max_length=10, blank=True,
        help_text=_("Mã tỉnh hoặc mã xã theo danh mục đơn vị hành chính, nếu có."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]
        indexes = [models.Index(fields=["parent", "kind"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="agency_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """An agency cannot sit under itself or under one of its own sub-agencies: a cycle made every agency of it
        "above" the others, and reports summed one agency's work into another's (reports walk the tree down)."""
        from django.core.exceptions import ValidationError

        from egov.agencies.selectors import agency_subtree_ids
        from egov.core.locks import lock_until_commit

        if self.parent_id is None or self.pk is None:  # a new agency has nothing below it yet
            return
        # Two moves at once (A under B while B goes under A) would each find no cycle and both commit one: the check
        # waits for the tree's lock, held until the move that follows it in the same transaction commits (the admin's
        # form and agency_move both run inside one), and reads the tree as it is then.
        lock_until_commit(TREE_LOCK)
        if self.parent_id in agency_subtree_ids(agency=self):
            raise ValidationError({"parent": _("Không thể đặt cơ quan dưới chính nó hoặc dưới một đơn vị trực thuộc nó.")})

    @property
    def place_name(self) -> str:
        """Where this agency's documents are dated (Decree 30/2020, appendix I): the proper name of the province, or of
        the commune for a commune's agency — from the nearest committee at or above it ("Lạng Sơn", "Đông Kinh")."""
        agency, seen = self, 0
        while agency is not None and agency.kind not in (AgencyKind.PROVINCIAL_COMMITTEE, AgencyKind.COMMUNE_COMMITTEE):
            agency, seen = agency.parent, seen + 1
            if seen > 10:  # a tree deeper than any province's: give no place rather than walk on
                return ""
        if agency is None:
            return ""
        name = agency.name.strip()
        for words in _PLACE_PREFIXES:
            if name.casefold().startswith(words):
                name = name[len(words):].lstrip()
        return name
