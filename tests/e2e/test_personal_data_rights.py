"""A citizen's personal-data rights in a real browser: a request sent from the profile's rights page, answered by the
portal's operator in the admin, the answer read back by the citizen; then consent withdrawn; the account erased by
the citizen, and by the operator meeting a deletion request."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from playwright.sync_api import Page, expect

from egov.accounts.models import PersonalDataRequest
from egov.accounts.privacy import privacy_consent_record
from egov.accounts.roles import Role
from tests.e2e.test_citizen_portal import _no_horizontal_scroll
from tests.e2e.test_sign_in import LOGIN, _sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def test_a_request_is_sent_answered_in_the_admin_and_read_back_then_consent_is_withdrawn(page: Page, browser,
                                                                                         live_server):
    citizen = privacy_consent_record(user=UserFactory(citizen=True, full_name="Đặng Văn Công"))
    operator = UserFactory(is_staff=True, roles=[Role.SYSTEM_ADMIN], full_name="Quản trị Cổng")
    StaticDevice.objects.create(user=operator, name="backup").token_set.create(token="backup01")

    page.goto(LOGIN)
    _sign_in(page, citizen.national_id)
    page.get_by_role("link", name="Đặng Văn Công").click()
    page.get_by_role("link", name=re.compile("^Quyền đối với dữ liệu cá nhân")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quyền đối với dữ liệu cá nhân")
    form = page.get_by_test_id("data-request-form")
    form.get_by_label("Loại yêu cầu").select_option(label="Xóa dữ liệu")
    form.get_by_label("Nội dung yêu cầu").fill("Xóa số điện thoại cũ 0912000111 khỏi các hồ sơ chưa nộp.")
    form.get_by_role("button", name="Gửi yêu cầu").click()

    expect(page.get_by_role("status")).to_contain_text("Đã gửi yêu cầu DLCN-")
    requests = page.get_by_test_id("data-requests")
    expect(requests).to_contain_text("Xóa dữ liệu")
    expect(requests).to_contain_text("Chờ tiếp nhận")
    request = PersonalDataRequest.objects.get(user=citizen)

    operator_context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    admin = operator_context.new_page()
    admin.goto(f"{LOGIN}?next=/admin/accounts/personaldatarequest/{request.pk}/change/")
    _sign_in(admin, operator.username)
    admin.get_by_label("Mã xác thực 6 chữ số hoặc mã dự phòng").fill("backup01")
    admin.get_by_role("button", name="Xác nhận").click()
    handle = admin.get_by_test_id("data-request-handle")
    expect(handle).to_be_visible()
    handle.get_by_label("Đã thực hiện").check()
    handle.get_by_label("Trả lời hoặc lý do").fill("Đã xóa số điện thoại 0912000111 khỏi hai bản nháp.")
    handle.get_by_role("button", name="Ghi nhận").click()
    expect(admin.locator(".messagelist")).to_contain_text("Đã ghi nhận: Đã thực hiện")
    expect(admin.get_by_test_id("data-request-handle")).to_have_count(0)
    operator_context.close()

    page.reload()
    expect(requests).to_contain_text("Đã thực hiện")
    expect(requests).to_contain_text("Đã xóa số điện thoại 0912000111 khỏi hai bản nháp.")
    page.set_viewport_size({"width": 360, "height": 740})
    _no_horizontal_scroll(page)  # the requests' table scrolls inside its box on a phone

    withdraw = page.get_by_test_id("consent-withdraw")
    withdraw.get_by_label(re.compile("Tôi hiểu: tài khoản không bắt đầu được hồ sơ trực tuyến mới")).check()
    withdraw.get_by_role("button", name="Rút lại sự đồng ý").click()
    expect(page.get_by_test_id("consent-state")).to_contain_text("Bạn đã rút lại sự đồng ý lúc")
    citizen.refresh_from_db()
    assert citizen.privacy_consent_withdrawn_at is not None


def test_a_citizen_chooses_english_messages_then_erases_the_account(page: Page):
    from egov.accounts.models import User
    from egov.notifications.models import Notification

    citizen = privacy_consent_record(user=UserFactory(citizen=True, full_name="Lò Thị Hoa"))
    email = citizen.email
    page.goto(LOGIN)
    _sign_in(page, citizen.national_id)
    page.get_by_role("link", name="Lò Thị Hoa").click()

    language = page.get_by_test_id("language-form")
    language.get_by_label("Ngôn ngữ của thư, tin nhắn và thông báo gửi cho bạn").select_option(label="English")
    language.get_by_role("button", name="Lưu ngôn ngữ").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu ngôn ngữ nhận thông báo.")  # the page stays Vietnamese

    page.get_by_role("link", name=re.compile("^Quyền đối với dữ liệu cá nhân")).click()
    erase = page.get_by_test_id("account-erase")
    erase.get_by_role("button", name="Xóa tài khoản").click()  # neither the password nor the box: refused, kept
    expect(erase.get_by_text("Nhập mật khẩu để xác nhận.")).to_be_visible()
    expect(erase.get_by_text("Đánh dấu ô xác nhận để xóa tài khoản.")).to_be_visible()
    erase.get_by_label("Mật khẩu hiện tại").fill(PASSWORD)
    erase.get_by_label(re.compile("Tôi hiểu: tài khoản và dữ liệu cá nhân của nó bị xóa vĩnh viễn")).check()
    erase.get_by_role("button", name="Xóa tài khoản").click()

    expect(page.get_by_role("status")).to_contain_text("Tài khoản của bạn đã được xóa.")
    expect(page.get_by_role("link", name="Lò Thị Hoa")).to_have_count(0)  # signed out
    user = User.objects.get(pk=citizen.pk)
    assert user.erased_at is not None and user.full_name == "" and user.national_id is None
    farewell = Notification.objects.get(address=email, channel="email")
    assert farewell.subject == "Your account on the public service portal has been erased"


def test_the_operator_meets_a_deletion_request_by_erasing_the_account_in_the_admin(page: Page, live_server):
    """The operator's side of erasure, as they use it: the request's page in the admin offers "erase and complete";
    afterwards the account cannot sign in and the admin's user list finds it among the erased ones."""
    from egov.accounts.data_requests import personal_data_request_submit
    from egov.accounts.models import DataRequestKind, User

    citizen = privacy_consent_record(user=UserFactory(citizen=True, full_name="Hà Thị Mai"))
    request = personal_data_request_submit(user=citizen, kind=DataRequestKind.DELETE,
                                           details="Tôi không dùng Cổng nữa, xin xóa tài khoản của tôi.")
    operator = UserFactory(is_staff=True, roles=[Role.SYSTEM_ADMIN], full_name="Quản trị Cổng")
    StaticDevice.objects.create(user=operator, name="backup").token_set.create(token="backup01")

    page.goto(f"{LOGIN}?next=/admin/accounts/personaldatarequest/{request.pk}/change/")
    _sign_in(page, operator.username)
    page.get_by_label("Mã xác thực 6 chữ số hoặc mã dự phòng").fill("backup01")
    page.get_by_role("button", name="Xác nhận").click()
    handle = page.get_by_test_id("data-request-handle")
    handle.get_by_label("Xóa tài khoản và hoàn thành").check()
    handle.get_by_role("button", name="Ghi nhận").click()  # no answer written: refused, nothing done
    expect(page.locator(".messagelist")).to_contain_text("Nêu việc đã thực hiện.")
    assert User.objects.get(pk=citizen.pk).erased_at is None
    handle.get_by_label("Xóa tài khoản và hoàn thành").check()
    handle.get_by_label("Trả lời hoặc lý do").fill("Đã xóa tài khoản theo yêu cầu; hồ sơ đã nộp được lưu theo luật.")
    handle.get_by_role("button", name="Ghi nhận").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã ghi nhận: Xóa tài khoản và hoàn thành")
    expect(page.get_by_test_id("data-request-handle")).to_have_count(0)

    page.goto("/admin/accounts/user/?da_xoa=1")
    expect(page.locator("#result_list")).to_contain_text(f"da-xoa-{citizen.pk}")
    page.goto("/admin/accounts/user/?da_xoa=0")
    expect(page.locator("#result_list")).not_to_contain_text(f"da-xoa-{citizen.pk}")

    page.context.clear_cookies()  # the citizen, on their own browser, finds the account gone
    page.goto(LOGIN)
    _sign_in(page, citizen.national_id)
    expect(page.locator("main form")).to_contain_text("không đúng")
    erased = User.objects.get(pk=citizen.pk)
    assert erased.erased_at is not None and erased.national_id is None and not erased.is_active
