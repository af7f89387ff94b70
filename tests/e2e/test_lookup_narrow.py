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
