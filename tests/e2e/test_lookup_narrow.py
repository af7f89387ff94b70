"""The public lookup, opened from a receipt's QR code on a phone, does not scroll sideways at 390 px."""

import pytest

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.dossiers import dossier_receive_at_counter
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import APPLICANT

pytestmark = pytest.mark.e2e


def test_the_lookup_with_its_steps_fits_a_390_px_phone(browser, live_server):
    agency = AgencyFactory(exchange_code="000.01.01.H41", commune=True,
                           name="Ủy ban nhân dân Phường Đông Kinh, thành phố Lạng Sơn")
    procedure = procedure_upsert(data=ProcedureData(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch",
                                                    processing_days=5))[0]
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    dossier = dossier_receive_at_counter(clerk=clerk, procedure=procedure, applicant=APPLICANT)
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"/tra-cuu-ho-so/{dossier.code}/")
        assert page.locator("table.lookup-steps").count() == 1

        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    finally:
        context.close()


def test_the_procedure_pages_tables_keep_whole_words_on_a_390_px_phone(browser, live_server):
    """The documents' and fees' columns broke one letter a line ("B ả n c h í n h" down the cell)."""
    from one_stop.catalogue.data import RequiredDocument

    procedure_upsert(data=ProcedureData(
        code="1.004222", name="Đăng ký thường trú", field="Đăng ký, quản lý cư trú", processing_days=7, fee_vnd=20000,
        required_documents=[
            RequiredDocument(name="Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 66/2023/TT-BCA "
                                  "ngày 17/11/2023 của Bộ trưởng Bộ Công an), đối với người chưa thành niên thì trong tờ "
                                  "khai phải ghi rõ ý kiến đồng ý của cha, mẹ hoặc người giám hộ", copies="1 bản chính"),
            RequiredDocument(name="Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp theo quy định tại Điều 5 Nghị định số "
                                  "154/2024/NĐ-CP ngày 26/11/2024 của Chính phủ quy định chi tiết Luật Cư trú",
                             copies="1 bản sao")]))
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto("/dich-vu-cong/thu-tuc/1.004222/")
        # No cell is narrower than its longest word of letters (in the cell's own font; a legal reference such as
        # 154/2024/NĐ-CP may wrap): no word broken across lines.
        broken = page.evaluate("""[...document.querySelectorAll('.procedure-page th, .procedure-page td')].filter(cell => {
            const style = getComputedStyle(cell), context = document.createElement('canvas').getContext('2d');
            context.font = style.font;
            const words = cell.innerText.split(/\\s+/).filter(w => /^[\\p{L},.;:()]+$/u.test(w));
            const longest = Math.max(0, ...words.map(w => context.measureText(w).width));
            const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return inner + 1 < longest;
        }).map(cell => cell.innerText)""")
        assert broken == [], broken
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    finally:
        context.close()
