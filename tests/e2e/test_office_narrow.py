"""eOffice on a 375 px phone: no page scrolls sideways — wide tables (the leader's assignment table, the lists, the
history) scroll inside their own box."""

import pytest

from docs_office.models import Division
from docs_office.services.outgoing import outgoing_create
from egov.accounts.roles import Role
from tests.docs_office.conftest import office_registers
from tests.docs_office.factories import doc_type, ensure_document_types, register_scan
from tests.docs_office.signing import pdf_upload
from tests.e2e.office import sign_in_verified
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.e2e


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_office_pages_do_not_scroll_sideways_at_375_px(browser, live_server, totp):
    ensure_document_types()
    agency = AgencyFactory(name="Ủy ban nhân dân tỉnh Lạng Sơn", province=True, exchange_code="000.00.00.H41")
    office_registers(agency)
    clerk = UserFactory(agency=agency, roles=[Role.RECORDS_CLERK])
    leader = UserFactory(agency=agency, roles=[Role.LEADER], full_name="Hoàng Văn Nam")
    specialist = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    Division.objects.create(agency=agency, name="Văn phòng", short_name="VP").members.add(specialist)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)  # a leader signs in with a second factor
    incoming = register_scan(clerk)  # waits for the leader: the page carries the assignment table
    outgoing = outgoing_create(drafter=specialist, document_type=doc_type("cong-van"), upload=pdf_upload(),
                               summary="V/v báo cáo tình hình thực hiện cải cách hành chính năm 2026")
    wide = {}
    for user, paths in ((leader, [f"/van-ban/den/{incoming.pk}/", "/van-ban/", "/van-ban/den/", "/van-ban/di/",
                                  f"/van-ban/di/{outgoing.pk}/", "/van-ban/nhiem-vu/"]),
                        (specialist, ["/van-ban/di/soan-thao/", f"/van-ban/di/{outgoing.pk}/"])):
        # A context per user: signing out through the phone's collapsed menu is not what is tested here.
        context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 375, "height": 812})
        page = context.new_page()
        try:
            sign_in_verified(page, user, totp, paths[0])
            if user == leader:
                assert page.locator("form[data-form=assign] table").count() == 1
            for path in paths:
                page.goto(path)
                if (overflow := _overflow(page)) > 0:
                    wide[path] = overflow
        finally:
            context.close()
    assert wide == {}, f"pages that scroll sideways at 375 px (px): {wide}"
