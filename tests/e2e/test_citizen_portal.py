"""The citizen's journey on the portal: find a procedure without typing diacritics, fill the online
form (a field appears for a choice), upload a PDF, submit, and find the dossier in "my dossiers";
and the portal's pages stay readable on a 360-px-wide phone."""

import pytest
from playwright.sync_api import Page, expect

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.models import Dossier
from one_stop.selectors import procedure_version_current
from one_stop.services.catalogue import procedure_upsert
from public_services.demo_forms import BIRTH_REGISTRATION
from public_services.services import procedure_form_set
from tests.e2e.test_sign_in import _sign_in
from tests.factories import AgencyFactory, UserFactory
from tests.pdfs import MINIMAL_PDF

pytestmark = pytest.mark.e2e

PDF = MINIMAL_PDF


def _catalogue():
    birth = procedure_upsert(data=ProcedureData(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch", levels=["commune"], online_level="partial",
        processing_days=1, fee_vnd=0, fee_text="Miễn phí", result="Giấy khai sinh",
        required_documents=[RequiredDocument(name="Giấy chứng sinh", copies="1 bản chính")]))[0]
    procedure_form_set(version=procedure_version_current(procedure=birth), form=BIRTH_REGISTRATION)
    procedure_upsert(data=ProcedureData(code="1.000894", name="Thủ tục đăng ký kết hôn", field="Hộ tịch",
                                        levels=["commune"], legal_basis="Luật Hộ tịch; đăng ký khai sinh kèm theo"))
    return birth


def test_a_citizen_finds_fills_uploads_submits_and_follows_a_birth_registration(page: Page, tmp_path):
    _catalogue()
    commune = AgencyFactory(name="Ủy ban nhân dân Phường Đông Kinh", exchange_code="000.00.20.H41", commune=True)
    citizen = UserFactory(citizen=True, full_name="Đặng Văn Công")

    page.goto("/")
    page.get_by_label("Tìm thủ tục hành chính").first.fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").first.click()
    results = page.locator(".procedure-item")
    expect(results.first).to_contain_text("Thủ tục đăng ký khai sinh")  # the name match ranks first
    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục đăng ký khai sinh")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()

    _sign_in(page, citizen.national_id)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    expect(page.get_by_label("Họ, chữ đệm và tên", exact=False).first).to_have_value("Đặng Văn Công")
    page.get_by_label("Cơ quan tiếp nhận").select_option(str(commune.pk))
    page.get_by_label("Nơi cư trú").fill("Phường Đông Kinh, Lạng Sơn")

    proxy = page.get_by_label("Họ tên người ủy quyền (cha hoặc mẹ của trẻ)")
    expect(proxy).to_be_hidden()
    page.get_by_label("Người được ủy quyền").check()
    expect(proxy).to_be_visible()  # the condition holds: the field appears
    page.get_by_label("Cha", exact=True).check()
    expect(proxy).to_be_hidden()

    page.get_by_label("Họ, chữ đệm và tên của trẻ").fill("Đặng Minh An")
    page.get_by_label("Ngày, tháng, năm sinh").fill("2026-11-01")
    page.get_by_label("Nam", exact=True).check()
    page.get_by_label("Nơi sinh (cơ sở y tế hoặc địa chỉ)").fill("Bệnh viện Đa khoa tỉnh")
    page.get_by_label("Họ tên người mẹ").fill("Vi Thị Mai")
    page.get_by_label("Số định danh cá nhân của người mẹ").fill("020195004321")
    page.get_by_label("Trẻ sinh đôi, sinh ba").check()
    page.get_by_role("button", name="Thêm: Các trẻ sinh cùng lần").click()
    twin = page.locator("[data-group-item]").first
    twin.get_by_label("Họ, chữ đệm và tên").fill("Đặng Minh Bình")
    twin.get_by_label("Thứ tự sinh").fill("2")
    pdf = tmp_path / "giay-chung-sinh.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Giấy chứng sinh (hoặc văn bản xác nhận việc sinh)").set_input_files(str(pdf))
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    expect(page.get_by_text("Đã nộp hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get(citizen=citizen)
    assert dossier.state == "submitted" and dossier.handling_agency == commune
    assert dossier.form_data["anh_chi_em_sinh_cung"] == [{"ho_ten": "Đặng Minh Bình", "thu_tu": 2}]
    assert dossier.documents.get().original_name == "giay-chung-sinh.pdf"

    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    row = page.get_by_role("row").filter(has_text=dossier.code)
    expect(row).to_contain_text("Đã nộp trực tuyến, chờ tiếp nhận")
    row.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    expect(page.get_by_role("link", name="giay-chung-sinh.pdf")).to_be_visible()


def test_the_form_shows_server_errors_next_to_the_fields(page: Page):
    _catalogue()
    AgencyFactory(commune=True)
    citizen = UserFactory(citizen=True)
    page.goto("/dich-vu-cong/thu-tuc/1.001193/nop-ho-so/")
    _sign_in(page, citizen.national_id)
    page.get_by_label("Số định danh cá nhân của người mẹ").fill("12345")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    mother_id = page.get_by_label("Số định danh cá nhân của người mẹ")
    expect(mother_id).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-so-dinh-danh-me-error")).to_have_text("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    expect(page.locator("#form-errors")).to_be_focused()


def _no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px"


def test_home_procedure_page_and_form_are_readable_at_360_px(browser, live_server):
    _catalogue()
    AgencyFactory(commune=True)
    citizen = UserFactory(citizen=True)
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        for path in ("/", "/dich-vu-cong/", "/dich-vu-cong/?q=khai+sinh", "/dich-vu-cong/thu-tuc/1.001193/"):
            page.goto(path)
            _no_horizontal_scroll(page)
        # The catalogue's search: its label on one or two lines above a field most of the screen wide, the filters'
        # lists inside the screen (Pico drew role=search as one pill: a column of single words, a tiny field).
        page.goto("/dich-vu-cong/")
        label = page.locator("label[for=tim-thu-tuc]").bounding_box()
        field = page.locator("#tim-thu-tuc").bounding_box()
        assert label["height"] < 60 and field["width"] > 200 and field["y"] >= label["y"] + label["height"] - 1
        page.get_by_text("Lọc theo lĩnh vực, mức độ, cấp, cơ quan").click()
        for select in page.locator(".filter-grid select").all():
            box = select.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        page.goto("/dich-vu-cong/thu-tuc/1.001193/nop-ho-so/")
        _sign_in(page, citizen.national_id)
        expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
        _no_horizontal_scroll(page)
        page.keyboard.press("Tab")  # the skip link comes first for keyboard users
        expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
        page.goto("/dich-vu-cong/ho-so-cua-toi/")
        _no_horizontal_scroll(page)
    finally:
        context.close()


def test_staff_cannot_use_the_citizen_form(page: Page):
    _catalogue()
    clerk = UserFactory(agency=AgencyFactory(commune=True), roles=[Role.ONE_STOP_CLERK])
    page.goto("/dich-vu-cong/thu-tuc/1.001193/nop-ho-so/")
    _sign_in(page, clerk.username)
    assert not Dossier.objects.exists()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Nộp hồ sơ trực tuyến")
