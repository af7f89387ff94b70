"""The admin names the libraries' apps and models in the administrator's language (egov.core.third_party_names), and
speaks Vietnamese where Django's own catalogue has no translation yet (locale/vi)."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import login_verified_superuser

pytestmark = pytest.mark.django_db

ENGLISH_LEFT = ["Skip to main content", "Toggle theme", "Toggle navigation",
                "TOTP devices", "Otp_Totp", "Otp_Static", "static devices", "Pghistory", ">Events<", "access attempts",
                "access logs", "Auth Token", ">Tokens<"]


def test_the_admin_index_names_two_factor_tokens_sign_ins_and_history_in_vietnamese(client):
    login_verified_superuser(client)
    page = client.get(reverse("admin:index")).content.decode()

    for name in ["Xác thực hai lớp: ứng dụng tạo mã", "ứng dụng tạo mã (TOTP)", "Xác thực hai lớp: mã dự phòng",
                 "Lịch sử thay đổi dữ liệu", "sự kiện thay đổi", "Đăng nhập sai và khóa tài khoản", "nhật ký đăng nhập",
                 "Khóa truy cập API", "khóa API"]:
        assert name[0].upper() + name[1:] in page, name  # the admin capitalises the first letter
    assert "Chuyển đến nội dung chính" in page  # Django's own admin strings its Vietnamese catalogue lacks
    assert not [english for english in ENGLISH_LEFT if english in page]


def test_in_english_they_read_in_english(client):
    login_verified_superuser(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("admin:index")).content.decode()

    assert "Two-factor authentication: authenticator apps" in page and "Change history" in page
    assert "Xác thực hai lớp" not in page


def test_migrations_still_read_the_libraries_own_names():
    from django.apps import apps
    from django.db.migrations.state import ModelState

    state = ModelState.from_model(apps.get_model("otp_totp", "TOTPDevice"))
    assert state.options["verbose_name"] == "TOTP device"
