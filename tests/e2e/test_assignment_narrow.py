"""The leader assigns an incoming document on a 375 px phone: each row of the assignment is a card, its deadline and
instruction on screen — not a 760 px table in a sideways scroller (found by exploratory testing)."""

import pytest

from docs_office.models import Division
from egov.accounts.roles import Role
from tests.docs_office.conftest import office_registers
from tests.docs_office.factories import ensure_document_types, register_scan
from tests.e2e.office import sign_in_verified
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_the_assignment_rows_stack_as_cards_with_every_input_visible_at_375_px(browser, live_server, totp):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    ensure_document_types()
    agency = AgencyFactory(name="Ủy ban nhân dân tỉnh Lạng Sơn", province=True, exchange_code="000.00.00.H41")
    office_registers(agency)
    clerk = UserFactory(agency=agency, roles=[Role.RECORDS_CLERK])
    leader = UserFactory(agency=agency, roles=[Role.LEADER], full_name="Hoàng Văn Nam")
    specialist = UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name="Nguyễn Thị Phương Thảo",
                             position_title="Chuyên viên chính Phòng Hành chính tư pháp")
    Division.objects.create(agency=agency, name="Phòng Hành chính tư pháp", short_name="HCTP").members.add(specialist)
    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    incoming = register_scan(clerk)
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 375, "height": 812})
    page = context.new_page()
    try:
        sign_in_verified(page, leader, totp, f"/van-ban/den/{incoming.pk}/")
        form = page.locator("form[data-form=assign]")
        form.scroll_into_view_if_needed()

        scroller = form.locator(".overflow-auto")
        assert scroller.evaluate("box => box.scrollWidth - box.clientWidth") <= 0  # nothing scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        caption = form.locator("caption")
        assert caption.evaluate("c => c.scrollWidth <= c.clientWidth + 1")  # the caption wraps, not cut
        lead = form.locator("tr[data-role=lead]")
        for control in ("select", "input[type=date]", "textarea"):
            box = lead.locator(control).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, (control, box)
        # Each control under its column's name, and the role's name on one line heading the card.
        assert lead.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content") == '"Hạn xử lý"'
        role = lead.locator("th").bounding_box()
        assert role["height"] < 40 and role["width"] > 200

        form.locator("tr[data-role=lead] select").select_option(label="Phòng Hành chính tư pháp")
        form.locator("tr[data-role=lead] textarea").fill("Đề nghị tham mưu văn bản trả lời.")
        form.get_by_role("button", name="Phân công", exact=True).click()
        page.wait_for_load_state()
        assert "Phòng Hành chính tư pháp" in page.locator("main").inner_text()
    finally:
        context.close()
