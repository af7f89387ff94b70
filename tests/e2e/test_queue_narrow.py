"""The desk's queue `/mot-cua/ho-so/` on a phone (375 px): the table is drawn as one card per dossier (egov.css
.stack-table), each value under its column's name (the cell's data-label), and the page never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.dossiers import dossier_receive_at_counter
from tests.e2e.test_sign_in import LOGIN, _sign_in
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import APPLICANT

pytestmark = pytest.mark.e2e

WIDTH = 375
LONG_NAME = "Thủ tục đăng ký thường trú cho người chưa thành niên tại nơi cư trú của cha, mẹ hoặc người giám hộ"
LABELS = ["Mã hồ sơ", "Thủ tục", "Người nộp", "Trạng thái", "Hẹn trả", "Tiến độ"]


def test_the_desks_queue_is_drawn_as_labelled_cards_without_sideways_scrolling_on_a_phone(browser, live_server):
    agency = AgencyFactory(commune=True, exchange_code="000.00.20.H41",
                           name="Ủy ban nhân dân Phường Đông Kinh, thành phố Lạng Sơn")
    procedure = procedure_upsert(data=ProcedureData(code="1.004222", name=LONG_NAME, field="Đăng ký, quản lý cư trú",
                                                    processing_days=7))[0]
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    codes = [dossier_receive_at_counter(clerk=clerk, procedure=procedure, applicant=APPLICANT).code for _ in range(2)]
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": WIDTH, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"{LOGIN}?next=/mot-cua/ho-so/")
        _sign_in(page, clerk.username)
        page.goto("/mot-cua/ho-so/")
        table = page.locator("main table.stack-table")
        for code in codes:
            expect(table.get_by_role("link", name=code)).to_be_visible()

        # Cards: each row a block as wide as the screen allows, its header row hidden.
        assert table.locator("thead").bounding_box()["height"] <= 1
        row = table.locator("tbody tr").first.bounding_box()
        assert row["x"] >= 0 and row["x"] + row["width"] <= WIDTH, row
        cells = table.locator("tbody tr").first.locator("td[data-label]")
        assert cells.count() == len(LABELS)
        # Each cell shows its column's name above its value (the ::before of data-label), inside the screen.
        shown = cells.evaluate_all("cells => cells.map(cell => { const before = getComputedStyle(cell, '::before'); "
                                   "return [cell.dataset.label, before.content, before.display]; })")
        assert [label for label, _content, _display in shown] == LABELS
        assert all(content == f'"{label}"' and display == "block" for label, content, display in shown), shown
        for index in range(cells.count()):
            box = cells.nth(index).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (LABELS[index], box)
        assert cells.nth(1).bounding_box()["width"] >= 250  # the procedure's long name in lines of words

        assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
        assert page.evaluate("[...document.querySelectorAll('main .overflow-auto')]"
                             ".every(box => box.scrollWidth <= box.clientWidth)")
    finally:
        context.close()
