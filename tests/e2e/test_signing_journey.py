"""A leader signs from the queue in the browser; anyone then verifies the signed file on the public page."""

import base64

import pytest
from playwright.sync_api import Page, expect

from signatures.constants import SignatureRole
from signatures.models import SignatureRequest
from signatures.services import decree30_boxes, pdf_add_signature_fields, signature_request_create
from tests.e2e.test_sign_in import _sign_in
from tests.signatures.conftest import demo_pki  # noqa: F401  (the session's demo PKI, served on loopback)
from tests.signatures.documents import render_decision
from tests.signatures.factories import make_signers

pytestmark = pytest.mark.e2e


def test_a_leader_signs_from_the_queue_and_the_public_page_finds_the_signature_valid(
        page: Page, totp, demo_pki, settings, tmp_path):  # noqa: F811
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.EGOV_TSA_URL = demo_pki.tsa_url
    signers = make_signers(demo_pki)
    pdf, page_index, box = render_decision()
    signature_request_create(
        pdf=pdf_add_signature_fields(pdf, decree30_boxes(page=page_index, leader_box=box)),
        certificate=signers.leader_certificate, signer=signers.leader, role=SignatureRole.APPROVAL,
        field_name="LanhDaoKy", title="Quyết định 15/QĐ-UBND")
    secret = base64.b32encode(bytes.fromhex(TOTPDevice.objects.get(user=signers.leader).key)).decode()

    page.goto("/tai-khoan/dang-nhap/?next=/ky-so/")
    _sign_in(page, signers.leader.username)
    page.get_by_label("Mã xác thực 6 chữ số").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Quyết định 15/QĐ-UBND")).to_be_visible()
    # Each code is good once: the confirmation needs the next one, as the authenticator app would show.
    TOTPDevice.objects.filter(user=signers.leader).update(last_t=-1)
    page.get_by_label("Mã xác thực 6 chữ số để xác nhận ký").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận ký số").click()
    expect(page.get_by_text("Hệ thống đang ký số")).to_be_visible()

    request = SignatureRequest.objects.get()
    assert request.state == "signed", request.error
    signed = page.request.get(f"/ky-so/{request.pk}/tep/signed/")
    assert signed.ok and signed.body().startswith(b"%PDF-")
    path = tmp_path / "quyet-dinh-da-ky.pdf"
    path.write_bytes(signed.body())

    page.goto("/xac-thuc-chu-ky/")
    page.get_by_label("Tệp PDF cần xác thực").set_input_files(str(path))
    page.get_by_role("button", name="Xác thực", exact=True).click()
    expect(page.locator(".verdict-label").first).to_contain_text("Hợp lệ")
    expect(page.locator(".signature-report").first).to_contain_text("Hoàng Văn Nam")
