"""A number's journey: the kiosk issues it, a clerk calls it, the display board (never reloaded) shows it."""

import pytest
from playwright.sync_api import Page, expect

from egov.accounts.roles import Role
from one_stop.tickets.models import Counter, ServiceArea
from tests.e2e.test_sign_in import _sign_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_a_number_from_the_kiosk_is_called_by_a_clerk_and_appears_on_the_open_board(page: Page, browser, live_server):
    centre = AgencyFactory(name="Trung tâm Phục vụ hành chính công tỉnh", exchange_code="000.01.01.H41")
    area = ServiceArea.objects.create(agency=centre, prefix="A", name="Tư pháp – Hộ tịch")
    counter = Counter.objects.create(agency=centre, number=3)
    counter.areas.set([area])
    clerk = UserFactory(agency=centre, roles=[Role.ONE_STOP_CLERK], full_name="Nguyễn Thị Hoa")

    board = page
    board.goto(f"/lay-so/{centre.exchange_code}/man-hinh/")
    expect(board.get_by_text("Chưa gọi số nào hôm nay.")).to_be_visible()
    board.evaluate("window.boardNotReloaded = true")

    kiosk = board.context.new_page()
    kiosk.goto(f"/lay-so/{centre.exchange_code}/")
    kiosk.get_by_role("button", name="Tư pháp – Hộ tịch").click()
    expect(kiosk.locator("#ticket-number")).to_have_text("A-001")
    expect(kiosk.locator(".slip-ahead")).to_have_text("0")
    expect(kiosk.get_by_role("button", name="In phiếu")).to_be_visible()

    desk = browser.new_context(locale="vi-VN", base_url=live_server.url)
    desk.set_default_timeout(10_000)
    try:
        clerk_page = desk.new_page()
        clerk_page.goto("/tai-khoan/dang-nhap/?next=/lay-so/quay/")
        _sign_in(clerk_page, clerk.username)
        clerk_page.get_by_role("button", name="Quầy 3").click()  # a link styled as a button
        expect(clerk_page.locator(".clerk-waiting")).to_contain_text("1")
        clerk_page.get_by_role("button", name="Gọi số tiếp theo").click()
        expect(clerk_page.get_by_text("Đã gọi số A-001.")).to_be_visible()
        expect(clerk_page.locator(".clerk-number")).to_contain_text("A-001")
    finally:
        desk.close()

    called = board.locator("tr.board-fresh", has_text="Quầy 3")
    expect(called).to_contain_text("A-001", timeout=6_000)
    expect(board.locator(".board-recent")).to_contain_text("A-001")
    # A screen reader hears the new call once, through the polite announcer, not the whole board at every poll.
    expect(board.locator("#board-announcer")).to_have_text("Mời số A-001 đến Quầy 3")
    assert board.locator("#board").get_attribute("aria-live") is None
    assert board.evaluate("window.boardNotReloaded") is True
