"""The admin pages of the libraries' models (two-factor devices, API tokens, sign-in attempts, change history) in the
administrator's language.

egov.core.third_party_names already names those apps and models; their fields still carry the libraries' English
labels and help texts (django-otp and django-pghistory in plain strings no catalogue can reach; django-axes and DRF
translated, but not into Vietnamese). A field's verbose_name and help_text belong to its migration state, so they are
not changed on the models: `makemigrations` would then want migrations inside the libraries.

The labels are given where the admin reads them instead. Each library admin is subclassed — its behaviour and
permissions kept — with `LabelledAdmin`, which reads these tables:

- `labels` (field → label) feeds every place the admin would show the field's verbose_name: the form's labels
  (editable and read-only fields, through `Meta.labels`), the change list's column headers (a field column becomes
  a column function with that description, showing the value as the admin shows the field) and the filters' titles;
- `help_texts` (field → help text) the form's help texts (editable and read-only);
- `fieldset_names` (the library's English fieldset name → ours) and `filter_titles` (a library list filter's
  parameter → title) what the libraries name in their admin classes;
- `value_names` (field → stored value → name) and `filter_choices` (a library list filter's parameter → value → name)
  the stored codes people read by a name (the change history's "insert" is "thêm mới").

What a library writes in its admin code (column methods, actions and their messages, search help) is overridden in
the subclass. The strings are Vietnamese msgids, with English in locale/en, like the rest of the portal.

The subclasses replace the libraries' registrations in egov.core.admin (`admin_replace_third_party`), which
`autodiscover` imports after those libraries' admin modules (INSTALLED_APPS order); django-pghistory registers its
events admin once the apps are ready, from its PGHISTORY_ADMIN_CLASS setting, which names `EventsAdmin` here.
"""

from collections.abc import Mapping

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from django.contrib import admin
from django.contrib.admin.utils import display_for_field
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_otp.plugins.otp_static import admin as otp_static_admin
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from pghistory import admin as pghistory_admin
from rest_framework.authtoken import admin as authtoken_admin


def _field_column(field: models.Field, label, empty_value_display: str, names: Mapping[str, str] | None = None):
    """A change list column for a model field under our label, showing the value as the admin shows the field, or by
    its name in `names` (stored value → what people read) when it has one."""

    def column(obj):
        value = getattr(obj, field.name)
        if names and value in names:
            return names[value]
        return display_for_field(value, field, empty_value_display)

    column.__name__ = field.name  # the column keeps its CSS class (column-<field>)
    return admin.display(description=label, ordering=field.name)(column)


def _titled_field_filter(title):
    """A field's list filter — the one the admin picks for that field — under our title."""

    class TitledFieldListFilter(admin.FieldListFilter):
        # The change list builds a filter by calling its class; this one returns the filter the admin chooses for the
        # field (FieldListFilter.create), retitled. The class exists because the admin's checks want one here.
        def __new__(cls, field, request, params, model, model_admin, field_path):
            spec = admin.FieldListFilter.create(field, request, params, model, model_admin, field_path)
            spec.title = title
            return spec

    return TitledFieldListFilter


def _named_choices(filter_class, names: Mapping[str, str]):
    """A library's list filter whose choices show `names` (value → label) instead of the stored values."""

    class NamedChoices(filter_class):
        def lookups(self, request, model_admin):
            return [(value, names.get(value, label)) for value, label in super().lookups(request, model_admin)]

    NamedChoices.__name__ = filter_class.__name__
    return NamedChoices


def _untranslated(text) -> str:
    with translation.override(None):
        return str(text)


class LabelledForms:
    """Labels and help texts for the fields of a model admin's or inline's forms (read-only fields included)."""

    labels: Mapping[str, str] = {}
    help_texts: Mapping[str, str] = {}

    def form_texts(self) -> dict:
        return {"labels": {name: capfirst(label) for name, label in self.labels.items()}, "help_texts": self.help_texts}


class LabelledAdmin(LabelledForms):
    """Mixed in before a library's ModelAdmin: see the module's docstring."""

    fieldset_names: Mapping[str, str] = {}
    filter_titles: Mapping[str, str] = {}
    # Stored values people read by a name: a field's, in its column (field → value → name), and a library list
    # filter's choices (its parameter → value → name).
    value_names: Mapping[str, Mapping[str, str]] = {}
    filter_choices: Mapping[str, Mapping[str, str]] = {}

    def get_form(self, request, obj=None, change=False, **kwargs):
        return super().get_form(request, obj, change=change, **{**self.form_texts(), **kwargs})

    def get_fieldsets(self, request, obj=None):
        return [(name if name is None else self.fieldset_names.get(_untranslated(name), name), options)
                for name, options in super().get_fieldsets(request, obj)]

    def get_list_display(self, request):
        return [self._column(name, request) for name in super().get_list_display(request)]

    def get_list_filter(self, request):
        return [self._list_filter(item) for item in super().get_list_filter(request)]

    def _column(self, name, request):
        if not isinstance(name, str) or name not in self.labels:
            return name
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:  # a method of the library's admin: the subclass gives its description
            return name
        if not field.concrete:
            return name
        return _field_column(field, self.labels[name], self.get_empty_value_display(), self.value_names.get(name))

    def _list_filter(self, item):
        if isinstance(item, str) and item in self.labels:
            return (item, _titled_field_filter(self.labels[item]))
        if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
            if item.parameter_name in self.filter_choices:
                item = _named_choices(item, self.filter_choices[item.parameter_name])
            if item.parameter_name in self.filter_titles:
                item = type(item.__name__, (item,), {"title": self.filter_titles[item.parameter_name]})
        return item


# --- django-otp: authenticator apps (TOTP) and backup codes ---------------------------------------------------------

OTP_DEVICE_LABELS = {
    "user": _("người dùng"),
    "name": _("tên thiết bị"),
    "confirmed": _("đã xác nhận"),
    "created_at": _("tạo lúc"),
    "last_used_at": _("dùng lần cuối lúc"),
    "throttling_failure_timestamp": _("lần nhập sai gần nhất lúc"),
    "throttling_failure_count": _("số lần nhập sai liên tiếp"),
}
OTP_DEVICE_HELP_TEXTS = {
    "user": _("Người dùng sở hữu thiết bị này."),
    "name": _("Tên để nhận ra thiết bị (ví dụ: điện thoại công vụ)."),
    "confirmed": _("Thiết bị đã sẵn sàng để dùng khi đăng nhập."),
    "created_at": _("Thời điểm thiết bị được đăng ký vào hệ thống."),
    "last_used_at": _("Thời điểm gần nhất thiết bị được dùng để đăng nhập."),
    "throttling_failure_timestamp": _("Thời điểm nhập sai mã gần nhất; để trống nếu chưa nhập sai lần nào kể từ "
                                      "lần đăng nhập đúng gần nhất."),
    "throttling_failure_count": _("Số lần nhập sai mã liên tiếp; mỗi lần sai, thời gian phải chờ trước lần thử "
                                  "sau tăng gấp đôi."),
}
OTP_FIELDSET_NAMES = {
    "Identity": _("Thiết bị"),
    "Timestamps": _("Mốc thời gian"),
    "Configuration": _("Cấu hình"),
    "State": _("Trạng thái"),
    "Throttling": _("Chống dò mã"),
}
OTP_SEARCH_HELP_TEXT = _("Tìm theo tên đăng nhập hoặc thư điện tử của người dùng.")


class TOTPDeviceAdmin(LabelledAdmin, otp_totp_admin.TOTPDeviceAdmin):
    labels = {
        **OTP_DEVICE_LABELS,
        "key": _("khóa bí mật"),
        "step": _("chu kỳ (giây)"),
        "t0": _("mốc bắt đầu đếm (Unix)"),
        "digits": _("số chữ số"),
        "tolerance": _("độ lệch cho phép"),
        "drift": _("độ lệch đồng hồ"),
        "last_t": _("bước thời gian của mã dùng gần nhất"),
    }
    help_texts = {
        **OTP_DEVICE_HELP_TEXTS,
        "key": _("Khóa bí mật dạng thập lục phân, tối đa 40 byte."),
        "step": _("Độ dài một chu kỳ tạo mã, tính bằng giây."),
        "t0": _("Thời điểm (giờ Unix) bắt đầu đếm chu kỳ."),
        "digits": _("Số chữ số của mỗi mã."),
        "tolerance": _("Số chu kỳ trước hoặc sau thời điểm hiện tại mà mã vẫn được chấp nhận."),
        "drift": _("Số chu kỳ mà đồng hồ của ứng dụng tạo mã được biết là lệch so với máy chủ."),
        "last_t": _("Bước thời gian của mã hợp lệ gần nhất; mã tiếp theo phải thuộc bước sau đó."),
    }
    fieldset_names = OTP_FIELDSET_NAMES
    search_help_text = OTP_SEARCH_HELP_TEXT
    # No QR code column: OTP_ADMIN_HIDE_SENSITIVE_DATA (settings) keeps an enrolled app's key out of the admin.


class StaticTokenInline(LabelledForms, otp_static_admin.StaticTokenInline):
    labels = {"token": _("mã dự phòng")}
    help_texts = {"token": _("Mỗi mã chỉ dùng được một lần.")}

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, **{**self.form_texts(), **kwargs})


class StaticDeviceAdmin(LabelledAdmin, otp_static_admin.StaticDeviceAdmin):
    labels = OTP_DEVICE_LABELS
    help_texts = OTP_DEVICE_HELP_TEXTS
    fieldset_names = OTP_FIELDSET_NAMES
    search_help_text = OTP_SEARCH_HELP_TEXT
    list_select_related = ["user"]
    inlines = [StaticTokenInline]


# --- Django REST framework: API tokens ------------------------------------------------------------------------------

class TokenAdmin(LabelledAdmin, authtoken_admin.TokenAdmin):
    labels = {"key": _("khóa"), "user": _("người dùng"), "created": _("tạo lúc")}
    search_help_text = _("Tìm theo tên đăng nhập.")
    list_select_related = ["user"]

    # A token is a password for the API: the list shows its first characters (to tell two apart), never all of it.
    list_display = ("key_start", "user", "created")

    @admin.display(description=_("khóa (phần đầu)"))
    def key_start(self, token):
        return f"{token.key[:6]}…"


# --- django-axes: sign-in attempts, lockouts and sign-in log --------------------------------------------------------

AXES_LABELS = {
    "user_agent": _("trình duyệt web"),  # not "trình duyệt" alone, which also reads "submitted for approval"
    "ip_address": _("địa chỉ IP"),
    "username": _("tên đăng nhập"),
    "http_accept": _("tiêu đề HTTP Accept"),
    "path_info": _("đường dẫn yêu cầu"),
    "attempt_time": _("thời điểm"),
}
AXES_FIELDSET_NAMES = {"Form Data": _("Dữ liệu biểu mẫu"), "Meta Data": _("Thông tin kỹ thuật của yêu cầu")}
AXES_SEARCH_HELP_TEXT = _("Tìm theo địa chỉ IP, tên đăng nhập, trình duyệt web hoặc đường dẫn yêu cầu.")


class AccessAttemptAdmin(LabelledAdmin, axes_admin.AccessAttemptAdmin):
    labels = {
        **AXES_LABELS,
        "get_data": _("dữ liệu GET"),
        "post_data": _("dữ liệu POST"),
        "failures_since_start": _("số lần sai"),
        "expiration": _("hết hạn lúc"),
    }
    help_texts = {"post_data": _("Dữ liệu biểu mẫu đã gửi; mật khẩu được che.")}
    fieldset_names = AXES_FIELDSET_NAMES
    filter_titles = {"locked_out": _("bị khóa")}
    search_help_text = AXES_SEARCH_HELP_TEXT

    @admin.action(description=_("Xóa các lần thử đăng nhập đã hết hạn"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, _("Đã xóa %(count)s lần thử đăng nhập đã hết hạn.") % {"count": count})

    @admin.display(description=_("hết hạn lúc"))
    def expiration(self, obj):
        return obj.expiration.expires_at if hasattr(obj, "expiration") else _("chưa đặt")

    @admin.display(description=_("trạng thái"))
    def status(self, obj):
        remaining = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining <= 0:
            return _("đang bị khóa")
        return ngettext("còn %(count)s lần thử", "còn %(count)s lần thử", remaining) % {"count": remaining}


class AccessLogAdmin(LabelledAdmin, axes_admin.AccessLogAdmin):
    labels = {**AXES_LABELS, "logout_time": _("đăng xuất lúc")}
    fieldset_names = AXES_FIELDSET_NAMES
    search_help_text = AXES_SEARCH_HELP_TEXT


class AccessFailureLogAdmin(LabelledAdmin, axes_admin.AccessFailureLogAdmin):
    labels = {**AXES_LABELS, "locked_out": _("bị khóa")}
    fieldset_names = AXES_FIELDSET_NAMES
    search_help_text = AXES_SEARCH_HELP_TEXT


# --- django-pghistory: change history --------------------------------------------------------------------------------

# What the trackers record (their labels) and how the filter relates events to an object, as people read them.
EVENT_LABELS = {"insert": pgettext_lazy("loại thay đổi", "thêm mới"), "update": pgettext_lazy("loại thay đổi", "sửa"),
                "delete": pgettext_lazy("loại thay đổi", "xóa")}
EVENT_METHODS = {"tracks": _("thay đổi của chính đối tượng"), "references": _("thay đổi có nhắc đến đối tượng")}


class EventsAdmin(LabelledAdmin, pghistory_admin.EventsAdmin):
    """Named by the PGHISTORY_ADMIN_CLASS setting: pghistory registers it."""

    # The list's "show counts" link (?_facets=True) is a 500: pghistory's change list does not take the option Django
    # 5 passes for it (found by exploratory testing). Counts over every table's history would be slow anyway.
    show_facets = admin.ShowFacets.NEVER

    labels = {
        "pgh_slug": _("mã sự kiện"),
        "pgh_model": _("bảng lịch sử"),
        "pgh_id": _("số thứ tự trong bảng lịch sử"),
        "pgh_created_at": _("thời điểm"),
        "pgh_label": _("loại thay đổi"),
        "pgh_data": _("dữ liệu sau thay đổi"),
        "pgh_diff": _("nội dung thay đổi"),
        "pgh_context_id": _("mã ngữ cảnh"),
        "pgh_context": _("ngữ cảnh"),
        "pgh_obj_model": _("loại đối tượng"),
        "pgh_obj_id": _("mã đối tượng"),
    }
    help_texts = {
        "pgh_slug": _("Mã duy nhất của sự kiện trong mọi bảng lịch sử."),
        "pgh_model": _("Bảng lịch sử ghi sự kiện này."),
        "pgh_id": _("Khóa chính của sự kiện trong bảng lịch sử."),
        "pgh_created_at": _("Thời điểm ghi sự kiện."),
        "pgh_label": _("Loại thay đổi: thêm (insert), sửa (update) hoặc xóa (delete)."),
        "pgh_data": _("Toàn bộ dữ liệu của bản ghi tại thời điểm này."),
        "pgh_diff": _("Những gì đã đổi so với sự kiện trước cùng loại: giá trị cũ và mới."),
        "pgh_context_id": _("Mã của ngữ cảnh (yêu cầu, tác vụ) đã gây ra thay đổi."),
        "pgh_context": _("Ngữ cảnh của thay đổi: người thực hiện, địa chỉ yêu cầu."),
        "pgh_obj_model": _("Loại đối tượng đã thay đổi."),
        "pgh_obj_id": _("Khóa chính của đối tượng đã thay đổi."),
    }
    value_names = {"pgh_label": EVENT_LABELS}
    filter_choices = {"label": EVENT_LABELS, "method": EVENT_METHODS}
    filter_titles = {
        "label": _("loại thay đổi"),
        "event_model": _("bảng lịch sử"),
        "method": _("quan hệ với đối tượng"),
        "obj": _("đối tượng"),
        "model": _("loại đối tượng"),
    }


LIBRARY_ADMINS = {
    otp_totp_admin.TOTPDevice: TOTPDeviceAdmin,
    otp_static_admin.StaticDevice: StaticDeviceAdmin,
    authtoken_admin.TokenProxy: TokenAdmin,
    axes_admin.AccessAttempt: AccessAttemptAdmin,
    axes_admin.AccessLog: AccessLogAdmin,
    axes_admin.AccessFailureLog: AccessFailureLogAdmin,
}


def admin_replace_third_party(site: admin.AdminSite) -> None:
    """Register our subclasses in place of the libraries' admins — only those the libraries registered (django-axes
    registers none when AXES_ENABLE_ADMIN is off)."""
    for model, model_admin in LIBRARY_ADMINS.items():
        if site.is_registered(model):
            site.unregister(model)
            site.register(model, model_admin)
