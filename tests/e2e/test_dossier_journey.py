"""A dossier's life in the browser: counter receipt and receipt PDF, specialist, leader, return, public lookup and the
applicant's rating there."""

import base64
import re
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.services.catalogue import procedure_upsert
from tests.e2e.test_sign_in import _sign_in
from tests.factories import AgencyFactory, UserFactory
from tests.pdfs import MINIMAL_PDF

pytestmark = pytest.mark.e2e


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").first.click()


def _queue_row(page: Page, code: str):
    return page.locator("main table tr", has_text=code)


def _act(page: Page, code: str, label: str) -> None:
    page.goto(f"/mot-cua/ho-so/{code}/")
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_text("Đã cập nhật hồ sơ.")).to_be_visible()


def test_a_dossier_goes_from_the_counter_to_the_leader_and_back_to_the_applicant(page: Page, totp):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    agency = AgencyFactory(name="UBND phường Đông Kinh", exchange_code="000.00.20.H41", commune=True)
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK], full_name="Vi Thị Mai")
    specialist = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    leader = UserFactory(agency=agency, roles=[Role.LEADER])
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    procedure_upsert(data=ProcedureData(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch", processing_days=1,
        required_documents=[RequiredDocument(name="Tờ khai đăng ký khai sinh", copies="1 bản chính")]),
        effective_from=timezone.make_aware(datetime(2025, 7, 1)))

    page.goto("/tai-khoan/dang-nhap/?next=/mot-cua/tiep-nhan/")
    _sign_in(page, clerk.username)
    # The procedure is found by its name typed without diacritics; the match picked fills the code in place.
    page.get_by_label("Tìm thủ tục theo tên hoặc mã").fill("dang ky khai sinh")
    expect(page.locator("#procedure-matches-status")).to_have_text("Tìm thấy 1 thủ tục.")
    page.get_by_role("link", name="1.001193 — Thủ tục đăng ký khai sinh").click()
    expect(page).to_have_url(re.compile(r"/mot-cua/tiep-nhan/$"))  # no page load: what is typed stays
    form = page.locator("#counter-form")
    expect(form.get_by_label("Mã thủ tục")).to_have_value("1.001193")
    form.get_by_label("Họ và tên người nộp").fill("Đặng Văn Công")
    # The checklist of the procedure's documents appears as soon as the code is filled in (htmx).
    # (Its scan's label names the document too, for a screen reader: the tick box is the checkbox of that name.)
    # Nothing is ticked in advance: the clerk ticks each paper handed in.
    declaration = form.get_by_role("checkbox", name="Tờ khai đăng ký khai sinh")
    expect(declaration).not_to_be_checked()
    declaration.check()
    expect(page.locator("#checklist-status")).to_contain_text("thành phần hồ sơ cần kiểm tra")
    form.get_by_label("Bản quét (không bắt buộc)").set_input_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}])
    form.get_by_label("Số định danh cá nhân hoặc mã số thuế").fill("020095001234")
    form.get_by_label("Số điện thoại").fill("0912345678")
    form.get_by_role("button", name="Tiếp nhận và cấp mã hồ sơ").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("000.00.20.H41-")
    code = heading.inner_text().split()[-1]
    receipt = page.request.get(f"/mot-cua/ho-so/{code}/giay-tiep-nhan.pdf")
    assert receipt.ok and receipt.body().startswith(b"%PDF-")
    _sign_out(page)

    page.goto("/tai-khoan/dang-nhap/")
    _sign_in(page, specialist.username)
    # The specialist's queue, opened twice (the second time a kept page), leads to the dossier.
    page.goto("/mot-cua/ho-so/")
    page.reload()
    expect(_queue_row(page, code)).to_contain_text("Đã tiếp nhận")
    _queue_row(page, code).get_by_role("link", name=code).click()
    expect(page.locator(".documents")).to_contain_text("to-khai.pdf")
    expect(page.locator(".ledger")).to_contain_text("Thời hạn giải quyết 1 ngày làm việc")
    page.get_by_role("button", name="Hoàn thành bước: Thẩm định, giải quyết").click()
    expect(page.locator("dl")).to_contain_text("Đang giải quyết")
    page.goto("/mot-cua/ho-so/")  # the kept queue gave way to the dossier's new state
    expect(_queue_row(page, code)).to_contain_text("Đang giải quyết")
    _sign_out(page)

    page.goto("/tai-khoan/dang-nhap/")
    _sign_in(page, leader.username)
    secret = base64.b32encode(bytes.fromhex(device.key)).decode()
    page.get_by_label("Mã xác thực 6 chữ số").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận").click()
    _act(page, code, "Duyệt kết quả")
    _sign_out(page)

    page.goto("/tai-khoan/dang-nhap/")
    _sign_in(page, clerk.username)
    page.goto("/mot-cua/ho-so/")
    expect(_queue_row(page, code)).to_contain_text("Đã có kết quả, chờ trả")
    _act(page, code, "Trả kết quả")
    expect(page.locator("dl")).to_contain_text("Đã trả kết quả")
    page.goto("/mot-cua/ho-so/")  # returned: no longer in the desk's open queue
    expect(page.locator("main table")).not_to_contain_text(code)
    # ...but a search finds it, closed ones too; searches share a kept layout, each with its own rows.
    for typed, found in ((code, True), ("khong co ai ten nay", False), (code, True)):
        page.locator("#tim-ho-so").fill(typed)
        page.get_by_role("button", name="Tìm", exact=True).click()
        if found:
            expect(_queue_row(page, code)).to_contain_text("Đã trả kết quả")
        else:
            expect(page.locator("main table")).not_to_contain_text(code)
    _sign_out(page)

    page.goto("/tra-cuu-ho-so/")
    page.get_by_label("Mã hồ sơ (in trên giấy tiếp nhận)").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    result = page.locator(".lookup-result")
    expect(result).to_contain_text("Đã trả kết quả")
    expect(result).to_contain_text("Thủ tục đăng ký khai sinh")
    expect(result).not_to_contain_text("Đặng Văn Công")

    # The applicant, who has no account, rates the service on the same page with the ID number of the receipt.
    page.get_by_label("Chấp nhận được").check()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình")
    page.get_by_label("Số định danh cá nhân hoặc mã số thuế đã khai khi nộp hồ sơ").fill("020095001234")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".message-success")).to_contain_text("Cảm ơn ông/bà đã đánh giá mức độ hài lòng.")
    expect(page.locator(".lookup-result")).to_contain_text("Hồ sơ này đã được đánh giá mức độ hài lòng.")
    expect(page.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)
