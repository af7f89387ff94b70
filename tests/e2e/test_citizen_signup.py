"""A citizen signs up, types the code the SMS carried, lands signed in and completes the profile."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from egov.accounts.models import User
from egov.notifications.models import Notification
from tests.egov.notifications.codes import notification_code

pytestmark = pytest.mark.e2e

PASSWORD = "Mat-khau-an-toan-2026"


def _path_is(path: str) -> re.Pattern:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def test_a_citizen_signs_up_verifies_the_code_and_edits_the_profile(page: Page):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_role("link", name="Đăng ký tài khoản công dân").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản")

    form = page.locator("main form")
    form.get_by_label("Họ và tên").fill("Nông Thị Thu")
    form.get_by_label("Số định danh cá nhân").fill("020195004321")
    form.get_by_label("Số điện thoại di động").fill("0912 345 999")
    form.get_by_label("Thư điện tử (không bắt buộc)").fill("thu.nong@example.vn")
    form.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    form.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    form.get_by_label("Tôi đã đọc và đồng ý với").check()
    form.get_by_role("button", name="Đăng ký").click()

    expect(page).to_have_url(_path_is("/tai-khoan/dang-ky/xac-nhan/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận đăng ký")
    sms = Notification.objects.get(template="otp_code", channel="sms")
    assert sms.address == "0912345999"
    code = notification_code(sms)

    page.get_by_label("Mã xác thực 6 chữ số").fill(code)
    page.get_by_role("button", name="Kích hoạt tài khoản").click()

    expect(page).to_have_url(_path_is("/tai-khoan/ho-so-ca-nhan/"))
    expect(page.get_by_role("status")).to_contain_text("Tài khoản đã được kích hoạt")
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_contain_text("Nông Thị Thu")
    expect(page.get_by_test_id("profile-national-id")).to_have_text("020195004321")

    profile = page.locator("main form").first
    profile.get_by_label("Ngày sinh").fill("1990-05-17")
    profile.get_by_label("Giới tính").select_option(label="Nữ")
    profile.get_by_label("Địa chỉ thường trú").fill("Thôn Khòn Pát, xã Hoàng Văn Thụ, tỉnh Lạng Sơn")
    profile.get_by_role("button", name="Lưu thông tin").click()

    expect(page.get_by_role("status")).to_have_text("Đã lưu thông tin cá nhân.")
    expect(page.get_by_label("Địa chỉ thường trú")).to_have_value("Thôn Khòn Pát, xã Hoàng Văn Thụ, tỉnh Lạng Sơn")
    user = User.objects.get(national_id="020195004321")
    assert user.is_active and (user.birth_date, user.gender) == (date(1990, 5, 17), "female")


def test_a_wrong_code_in_the_browser_shows_the_tries_left_and_keeps_the_citizen_out(page: Page):
    page.goto("/tai-khoan/dang-ky/")
    form = page.locator("main form")
    form.get_by_label("Họ và tên").fill("Nông Văn Hải")
    form.get_by_label("Số định danh cá nhân").fill("020195004322")
    form.get_by_label("Số điện thoại di động").fill("0912345998")
    form.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    form.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    form.get_by_label("Tôi đã đọc và đồng ý với").check()
    form.get_by_role("button", name="Đăng ký").click()
    expect(page).to_have_url(_path_is("/tai-khoan/dang-ky/xac-nhan/"))
    code = notification_code(Notification.objects.get(template="otp_code"))

    page.get_by_label("Mã xác thực 6 chữ số").fill(f"{(int(code) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Kích hoạt tài khoản").click()

    expect(page.locator("main form").first.get_by_role("alert")).to_contain_text("Bạn còn 4 lần thử")
    expect(page.get_by_role("navigation", name="Điều hướng chính").get_by_role("button", name="Đăng nhập")).to_be_visible()
