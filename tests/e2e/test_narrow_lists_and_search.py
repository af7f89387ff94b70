"""The home page's and the public lookup's search boxes, and the lists of dossiers, on a phone (375 px) and a laptop
(1280 px): the search field takes most of its box under its label; a dossier's due date is on the screen."""

import pytest
from playwright.sync_api import expect

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData
from one_stop.models import Dossier
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.dossiers import dossier_receive_at_counter
from tests.e2e.test_sign_in import LOGIN, _sign_in
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import APPLICANT

pytestmark = pytest.mark.e2e

LONG_NAME = "Thủ tục đăng ký thường trú cho người chưa thành niên tại nơi cư trú của cha, mẹ hoặc người giám hộ"


def _page(browser, live_server, width):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _search_box(page, input_id):
    """The search form's, its label's, its field's and its button's boxes."""
    field = page.locator(f"#{input_id}")
    form = field.locator("xpath=ancestor::form[1]")
    label = page.locator(f"label[for={input_id}]")
    button = form.locator("button[type=submit]")
    return form.bounding_box(), label.bounding_box(), field.bounding_box(), button.bounding_box()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(("path", "input_id"), [("/", "home-search"), ("/tra-cuu-ho-so/", "ma-ho-so")])
def test_the_search_field_takes_most_of_its_box_under_its_label(browser, live_server, width, path, input_id):
    context, page = _page(browser, live_server, width)
    try:
        page.goto(path)
        form, label, field, button = _search_box(page, input_id)

        assert field["width"] >= 0.6 * form["width"], (field, form)
        assert label["y"] + label["height"] <= field["y"] + 1  # the label above its field, not squeezed beside it
        assert label["height"] < 2.5 * page.evaluate(f"parseFloat(getComputedStyle(document.querySelector("
                                                     f"'label[for={input_id}]')).lineHeight) || 24")
        assert button["width"] > button["height"] and button["height"] < 80  # a button, not a round blob
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    finally:
        context.close()


def test_my_dossiers_due_date_is_on_a_375_px_screen(browser, live_server):
    agency = AgencyFactory(commune=True, name="Ủy ban nhân dân Phường Đông Kinh, thành phố Lạng Sơn")
    procedure = procedure_upsert(data=ProcedureData(code="1.004222", name=LONG_NAME, field="Đăng ký, quản lý cư trú",
                                                    processing_days=7))[0]
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    citizen = UserFactory(citizen=True)
    dossier = dossier_receive_at_counter(clerk=clerk, procedure=procedure, applicant=APPLICANT)
    Dossier.objects.filter(pk=dossier.pk).update(citizen=citizen)
    context, page = _page(browser, live_server, 375)
    try:
        page.goto(LOGIN)
        _sign_in(page, citizen.national_id)
        page.goto("/dich-vu-cong/ho-so-cua-toi/")
        due = page.locator('td[data-label="Hẹn trả kết quả"]').first
        expect(due).to_contain_text("/")

        box = due.bounding_box()
        procedure_cell = page.locator('td[data-label="Thủ tục"]').first.bounding_box()

        assert 0 <= box["x"] and box["x"] + box["width"] <= 375, box
        assert due.evaluate("cell => { const r = document.createRange(); r.selectNodeContents(cell); "
                            "const b = r.getBoundingClientRect(); return b.left >= 0 && b.right <= 375; }")
        assert procedure_cell["width"] >= 250  # the procedure's name in lines of words, not a word a line
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
        assert page.evaluate("[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth)")
    finally:
        context.close()
