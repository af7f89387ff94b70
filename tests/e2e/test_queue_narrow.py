"""The desk's queue `/mot-cua/ho-so/`, its online inbox `/mot-cua/truc-tuyen/` and a dossier's page (its steps and its
history) on a phone (375 px): each table is drawn as one card per row (egov.css .stack-table), each value under its
column's name (the cell's data-label), and the page never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.dossiers import dossier_draft_create, dossier_receive_at_counter, dossier_submit
from tests.e2e.test_sign_in import LOGIN, _sign_in
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import APPLICANT

pytestmark = pytest.mark.e2e

WIDTH = 375
LONG_NAME = "Thủ tục đăng ký thường trú cho người chưa thành niên tại nơi cư trú của cha, mẹ hoặc người giám hộ"
LABELS = ["Mã hồ sơ", "Thủ tục", "Người nộp", "Trạng thái", "Hẹn trả", "Tiến độ"]
INBOX_LABELS = ["Mã hồ sơ", "Thủ tục", "Người nộp", "Nộp lúc", "Cần làm"]
STEP_LABELS = ["#", "Bước", "Cơ quan", "Số ngày", "Hạn của bước", "Nhận lúc", "Hoàn thành, chuyển tiếp lúc", "Người xử lý"]
HISTORY_LABELS = ["Thời gian", "Bước", "Người thực hiện", "Cơ quan", "Hạn", "Ghi chú"]


def _assert_cards(table, labels, wide_cell=None):
    """`table` is drawn as cards inside the screen, its first row's cells each under its column's name."""
    assert table.locator("thead").bounding_box()["height"] <= 1
    row = table.locator("tbody tr").first.bounding_box()
    assert row["x"] >= 0 and row["x"] + row["width"] <= WIDTH, row
    cells = table.locator("tbody tr").first.locator("td[data-label]")
    assert cells.count() == len(labels)
    shown = cells.evaluate_all("cells => cells.map(cell => { const before = getComputedStyle(cell, '::before'); "
                               "return [cell.dataset.label, before.content, before.display]; })")
    assert [label for label, _content, _display in shown] == labels
    assert all(content == f'"{label}"' and display == "block" for label, content, display in shown), shown
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (labels[index], box)
    if wide_cell is not None:
        assert cells.nth(wide_cell).bounding_box()["width"] >= 250  # a long name in lines of words


def _assert_no_sideways_scrolling(page):
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    assert page.evaluate("[...document.querySelectorAll('main .overflow-auto')]"
                         ".every(box => box.scrollWidth <= box.clientWidth)")


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

        # Cards: each row a block as wide as the screen allows, its header row hidden, each cell under its column's name.
        _assert_cards(table, LABELS, wide_cell=1)  # the procedure's long name in lines of words
        _assert_no_sideways_scrolling(page)
    finally:
        context.close()


def test_the_online_inbox_and_a_dossiers_steps_and_history_are_labelled_cards_on_a_phone(browser, live_server):
    agency = AgencyFactory(commune=True, exchange_code="000.00.20.H41",
                           name="Ủy ban nhân dân Phường Đông Kinh, thành phố Lạng Sơn")
    procedure = procedure_upsert(data=ProcedureData(code="1.004222", name=LONG_NAME, field="Đăng ký, quản lý cư trú",
                                                    processing_days=7))[0]
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    citizen = UserFactory(citizen=True, full_name="Hoàng Thị Lan", national_id="020195004321")
    online = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency),
                            citizen=citizen)
    received = dossier_receive_at_counter(clerk=clerk, procedure=procedure, applicant=APPLICANT)
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": WIDTH, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"{LOGIN}?next=/mot-cua/truc-tuyen/")
        _sign_in(page, clerk.username)
        page.goto("/mot-cua/truc-tuyen/")
        table = page.locator("main table.stack-table")
        expect(table.get_by_role("link", name=online.code)).to_be_visible()
        _assert_cards(table, INBOX_LABELS, wide_cell=1)
        _assert_no_sideways_scrolling(page)

        page.goto(f"/mot-cua/ho-so/{received.code}/")
        steps, history = page.locator("main table.steps.stack-table"), page.locator("main table.stack-table:not(.steps)")
        expect(steps).to_be_visible()
        expect(history).to_be_visible()
        _assert_cards(steps, STEP_LABELS, wide_cell=2)  # the agency's long name
        _assert_cards(history, HISTORY_LABELS)
        _assert_no_sideways_scrolling(page)
    finally:
        context.close()
