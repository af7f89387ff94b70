"""eOffice in the browser: the records clerk registers a document that may already be in the register — the warning
comes back, the confirmation box is ticked with the mouse on the box itself, and the page says the scan must be chosen
again (a browser never keeps a file input). Found by exploratory testing."""

import pytest
from playwright.sync_api import Page, expect

from docs_office.models import IncomingDocument
from egov.accounts.roles import Role
from tests.docs_office.conftest import office_registers
from tests.docs_office.factories import TINY_PDF, ensure_document_types, register_scan
from tests.e2e.office import REGISTER_BUTTON, SCAN_LABEL, IncomingScan, register_incoming, sign_in_verified
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.e2e


DUPLICATE = IncomingScan(number="15", symbol="QĐ-UBND", issuer="Ủy ban nhân dân tỉnh Lạng Sơn", kind="Quyết định",
                         summary="Về việc phê duyệt kế hoạch cải cách hành chính năm 2027")


def test_the_duplicate_confirmation_box_takes_a_click_and_the_scan_is_asked_again(page: Page, totp, tmp_path):
    ensure_document_types()
    agency = AgencyFactory(name="Ủy ban nhân dân tỉnh Lạng Sơn", province=True, exchange_code="000.00.00.H41")
    office_registers(agency)
    clerk = UserFactory(agency=agency, roles=[Role.RECORDS_CLERK])
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=clerk, name="app", confirmed=True)  # staff sign in with a second factor
    register_scan(clerk)  # number 15, QĐ-UBND, the same issuer: the next one is a possible duplicate
    scan_path = tmp_path / "quyet-dinh.pdf"
    scan_path.write_bytes(TINY_PDF)

    sign_in_verified(page, clerk, totp, "/van-ban/den/vao-so/")
    register_incoming(page, DUPLICATE, scan_path)
    expect(page.locator("#id_confirm_duplicate_error")).to_be_visible()
    # The scan chosen before is gone from the re-rendered page: it says so at the file field.
    expect(page.locator("#id_file_reselect")).to_contain_text("chọn lại")

    box = page.locator("#id_confirm_duplicate")
    box_area, error_area = box.bounding_box(), page.locator("#id_confirm_duplicate_error").bounding_box()
    assert error_area["y"] >= box_area["y"] + box_area["height"]  # the error is below the box, not over it
    box.click()  # on the box itself (the centre), not its label: Playwright refuses when another element takes it
    expect(box).to_be_checked()

    page.locator("main form").get_by_label(SCAN_LABEL).set_input_files(str(scan_path))
    page.locator("main form").get_by_role("button", name=REGISTER_BUTTON).click()
    expect(page.get_by_text("Đã vào sổ văn bản đến, số đến 02.")).to_be_visible()
    assert IncomingDocument.objects.filter(agency=agency).count() == 2
