"""A citizen pays a dossier's fee online through the sandbox gateway and gets the electronic receipt."""

from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from one_stop.catalogue.data import ProcedureData
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.dossiers import dossier_submit_online
from public_services.payments.constants import PaymentState
from public_services.payments.models import Payment
from tests.e2e.test_sign_in import _sign_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_a_citizen_pays_the_fee_through_the_sandbox_and_downloads_the_receipt(page: Page):
    agency = AgencyFactory(name="UBND phường Đông Kinh", exchange_code="000.00.20.H41", commune=True)
    citizen = UserFactory(citizen=True, full_name="Đặng Văn Công")
    procedure = procedure_upsert(data=ProcedureData(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch",
                                                    processing_days=5, fee_vnd=50_000),
                                 effective_from=timezone.make_aware(datetime(2025, 7, 1)))[0]
    dossier = dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=agency)

    page.goto(f"/tai-khoan/dang-nhap/?next=/thanh-toan/ho-so/{dossier.code}/")
    _sign_in(page, citizen.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Thanh toán phí, lệ phí")
    expect(page.locator("[data-amount]")).to_have_text("50.000 đồng")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cổng thanh toán thử nghiệm")
    page.get_by_label("Ngân hàng").select_option("VCB")
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    expect(page.get_by_role("heading", name="Thanh toán thành công")).to_be_visible()
    link = page.get_by_role("link", name="Tải biên lai điện tử (PDF)")
    expect(link).to_be_visible()
    receipt = page.request.get(link.get_attribute("href"))
    assert receipt.ok and receipt.body().startswith(b"%PDF-")
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.state, payment.bank_code) == (PaymentState.PAID, "VCB")


def test_a_citizen_who_cancels_at_the_gateway_is_told_and_may_pay_again(page: Page):
    agency = AgencyFactory(commune=True)
    citizen = UserFactory(citizen=True)
    procedure = procedure_upsert(data=ProcedureData(code="1.000656", name="Thủ tục đăng ký kết hôn", field="Hộ tịch",
                                                    processing_days=3, fee_vnd=20_000),
                                 effective_from=timezone.make_aware(datetime(2025, 7, 1)))[0]
    dossier = dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=agency)

    page.goto(f"/tai-khoan/dang-nhap/?next=/thanh-toan/ho-so/{dossier.code}/")
    _sign_in(page, citizen.username)
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.get_by_role("button", name="Hủy").click()

    expect(page.get_by_role("heading", name="Thanh toán không thành công")).to_be_visible()
    page.get_by_role("link", name="Về trang thanh toán của hồ sơ").click()
    expect(page.get_by_role("button", name="Thanh toán trực tuyến")).to_be_visible()
    assert Payment.objects.get(dossier=dossier).state == PaymentState.FAILED
