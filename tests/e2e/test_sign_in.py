"""Signing in and out, the leaders' two-factor enrolment and the language switch, in a real browser."""

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

LOGIN = "/tai-khoan/dang-nhap/"
OTP_SETUP = "/tai-khoan/xac-thuc-hai-lop/dang-ky/"
WORKSPACE = "/lam-viec/"
IDENTIFIER_LABEL = "Số định danh, số điện thoại, thư điện tử hoặc tên đăng nhập"


def _sign_in(page: Page, identifier: str, password: str = PASSWORD) -> None:
    """Fill and send the sign-in form of the page the browser is on."""
    form = page.locator("main form")
    form.get_by_label(IDENTIFIER_LABEL).fill(identifier)
    form.get_by_label("Mật khẩu").fill(password)
    form.get_by_role("button", name="Đăng nhập").click()


def _path_is(path: str) -> re.Pattern:
    """A URL pattern for `path`, with or without a query string."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def test_a_citizen_signs_in_with_the_id_number_and_sees_their_name_on_the_home_page(page: Page):
    citizen = UserFactory(citizen=True)
    page.goto(LOGIN)

    _sign_in(page, citizen.national_id)

    expect(page).to_have_url(_path_is("/"))
    header = page.get_by_role("navigation", name="Điều hướng chính")
    expect(header).to_contain_text(citizen.full_name)
    expect(header.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_a_signed_in_citizen_signs_out_with_the_header_button(page: Page):
    citizen = UserFactory(citizen=True)
    page.goto(LOGIN)
    _sign_in(page, citizen.national_id)
    header = page.get_by_role("navigation", name="Điều hướng chính")

    header.get_by_role("button", name="Đăng xuất").click()

    expect(page).to_have_url(_path_is("/"))
    expect(header.get_by_role("button", name="Đăng nhập")).to_be_visible()
    expect(header).not_to_contain_text(citizen.full_name)


def test_a_wrong_password_shows_the_vietnamese_error_on_the_sign_in_page(page: Page):
    citizen = UserFactory(citizen=True)
    page.goto(LOGIN)

    _sign_in(page, citizen.national_id, "mat-khau-sai-roi")

    expect(page).to_have_url(_path_is(LOGIN))
    error = page.locator("main form").get_by_role("alert")
    expect(error).to_contain_text("Thông tin đăng nhập hoặc mật khẩu không đúng")
    expect(page.get_by_role("navigation", name="Điều hướng chính")).not_to_contain_text(citizen.full_name)


def test_a_leader_signing_in_is_sent_to_two_factor_enrolment(page: Page):
    leader = UserFactory(leader=True)
    page.goto(LOGIN)

    _sign_in(page, leader.username)

    expect(page).to_have_url(_path_is(OTP_SETUP))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bật xác thực hai lớp")
    expect(page.get_by_test_id("otp-secret")).to_have_text(re.compile(r"^[A-Z2-7]{16,}=*$"))


@pytest.mark.parametrize("path", ["/admin/", WORKSPACE])
def test_a_leader_without_a_second_factor_is_sent_back_to_enrolment(page: Page, path: str):
    leader = UserFactory(leader=True)
    page.goto(LOGIN)
    _sign_in(page, leader.username)
    expect(page).to_have_url(_path_is(OTP_SETUP))

    page.goto(path)

    expect(page).to_have_url(_path_is(OTP_SETUP))
    assert urlencode({"next": path}) in page.url


def test_a_leader_who_confirms_an_authenticator_code_reaches_the_workspace(page: Page, totp):
    leader = UserFactory(leader=True)
    page.goto("/")
    page.get_by_role("link", name="Vào không gian làm việc").click()
    _sign_in(page, leader.username)
    expect(page).to_have_url(_path_is(OTP_SETUP))
    secret = page.get_by_test_id("otp-secret").inner_text()

    page.get_by_label("Mã xác thực 6 chữ số").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()

    expect(page).to_have_url(_path_is(WORKSPACE))
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Đã bật xác thực hai lớp\. Nên tạo mã dự phòng"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {leader.full_name}")


def test_choosing_english_in_the_footer_shows_the_portal_in_english(page: Page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    footer = page.locator("footer")
    footer.get_by_label("Ngôn ngữ").select_option("en")
    footer.get_by_role("button", name="Đổi").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("heading", name="Online public services")).to_be_visible()
    expect(page.locator("footer").get_by_label("Language")).to_have_value("en")


def test_a_leader_who_lost_the_phone_signs_in_with_a_backup_code_made_earlier(page: Page, totp):
    """Enrol, make backup codes from the page behind one's name, sign out; then in with a code read off paper."""
    leader = UserFactory(leader=True)
    page.goto("/")
    page.get_by_role("link", name="Vào không gian làm việc").click()
    _sign_in(page, leader.username)
    secret = page.get_by_test_id("otp-secret").inner_text()
    page.get_by_label("Mã xác thực 6 chữ số").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page).to_have_url(_path_is(WORKSPACE))

    page.get_by_role("link", name=leader.full_name).click()
    page.get_by_role("link", name="Mã dự phòng").click()
    page.get_by_role("button", name="Tạo bộ mã dự phòng mới").click()
    codes = page.get_by_test_id("backup-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto("/")
    page.get_by_role("link", name="Vào không gian làm việc").click()
    _sign_in(page, leader.username)
    page.get_by_label("Mã xác thực 6 chữ số hoặc mã dự phòng").fill(codes[0].upper())
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(_path_is(WORKSPACE))
