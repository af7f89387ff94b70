"""Vietnamese names for what the libraries we use show in the admin (two-factor devices, API tokens, sign-in
attempts, change history).

django-otp and django-pghistory name their apps and models in plain English strings, which no translation
catalogue can reach; django-axes and DRF's token app translate theirs, but not into Vietnamese. The names are
set once the apps are loaded (egov.core's AppConfig.ready), as lazy translations: the admin then reads them in
the administrator's language like every other name. Only the displayed names change — migrations read the
models' declared Meta (`original_attrs`), which stays the library's.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

APP_NAMES = {
    "otp_totp": _("Xác thực hai lớp: ứng dụng tạo mã"),
    "otp_static": _("Xác thực hai lớp: mã dự phòng"),
    "pghistory": _("Lịch sử thay đổi dữ liệu"),
    "axes": _("Đăng nhập sai và khóa tài khoản"),
    "authtoken": _("Khóa truy cập API"),
}

# (app label, model name): (singular, plural) — one word in Vietnamese, two in English (the "plural" context).
MODEL_NAMES = {
    ("otp_totp", "totpdevice"): (_("ứng dụng tạo mã (TOTP)"), pgettext_lazy("plural", "ứng dụng tạo mã (TOTP)")),
    ("otp_static", "staticdevice"): (_("bộ mã dự phòng"), pgettext_lazy("plural", "bộ mã dự phòng")),
    ("otp_static", "statictoken"): (_("mã dự phòng"), pgettext_lazy("plural", "mã dự phòng")),
    ("pghistory", "context"): (_("ngữ cảnh thay đổi"), pgettext_lazy("plural", "ngữ cảnh thay đổi")),
    ("pghistory", "events"): (_("sự kiện thay đổi"), pgettext_lazy("plural", "sự kiện thay đổi")),
    ("pghistory", "middlewareevents"): (_("sự kiện thay đổi theo yêu cầu"),
                                        pgettext_lazy("plural", "sự kiện thay đổi theo yêu cầu")),
    ("axes", "accessfailurelog"): (_("lần đăng nhập sai"), pgettext_lazy("plural", "lần đăng nhập sai")),
    ("axes", "accessattempt"): (_("lần thử đăng nhập"), pgettext_lazy("plural", "lần thử đăng nhập")),
    ("axes", "accessattemptexpiration"): (_("hạn của lần thử đăng nhập"), pgettext_lazy("plural", "hạn của lần thử đăng nhập")),
    ("axes", "accesslog"): (_("nhật ký đăng nhập"), pgettext_lazy("plural", "nhật ký đăng nhập")),
    ("authtoken", "token"): (_("khóa API"), pgettext_lazy("plural", "khóa API")),
    ("authtoken", "tokenproxy"): (_("khóa API"), pgettext_lazy("plural", "khóa API")),
}


def name_third_party_apps() -> None:
    """Give the libraries' apps and models their Vietnamese names (those installed: each is looked up)."""
    from django.apps import apps

    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (label, model_name), (singular, plural) in MODEL_NAMES.items():
        try:
            meta = apps.get_model(label, model_name)._meta
        except LookupError:  # an app left out of INSTALLED_APPS, or a model a later version dropped
            continue
        meta.verbose_name, meta.verbose_name_plural = singular, plural
