"""eOffice in the browser: the records clerk registers a scan, the leader assigns it, the specialist
drafts the answer and adds its appendix (removing one added by mistake), head and leader approve, the leader
signs, the clerk issues it with its number — the appendix signed by the agency —, and it arrives at the recipient
agency with a valid signed PDF; the specialist then closes the incoming one, and each document links the other."""

import base64
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Page, expect

from docs_office.constants import DeliveryState, IncomingState, OutgoingState
from docs_office.models import Division, IncomingDocument, OutgoingDocument
from egov.accounts.roles import Role
from tests.docs_office.conftest import office_registers
from tests.docs_office.factories import TINY_PDF, ensure_document_types
from tests.docs_office.signing import certificates_for, decision_pdf
from tests.e2e.office import IncomingScan, register_incoming, sign_in_verified
from tests.factories import AgencyFactory, UserFactory
from tests.signatures.conftest import demo_pki  # noqa: F401  (the session's demo PKI, served on loopback)

pytestmark = pytest.mark.e2e


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").first.click()


def _confirm_signature(page: Page, user, totp) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.goto("/ky-so/")
    page.get_by_label("Mã xác thực 6 chữ số để xác nhận ký").fill(totp(base64.b32encode(bytes.fromhex(device.key)).decode()))
    page.get_by_role("button", name="Xác nhận ký số").click()
    expect(page.get_by_text("Hệ thống đang ký số")).to_be_visible()


def _act(page: Page, pk: int, label: str, note: str = "") -> None:
    page.goto(f"/van-ban/di/{pk}/")
    if note:
        page.locator("form", has=page.get_by_role("button", name=label)).locator("textarea").fill(note)
    page.get_by_role("button", name=label).click()
    expect(page.locator(".messages, [role=status], body")).to_contain_text("Đã")


def test_an_incoming_letter_is_answered_signed_issued_and_delivered(page: Page, totp, demo_pki, tmp_path):  # noqa: F811
    ensure_document_types()
    agency = AgencyFactory(name="Ủy ban nhân dân tỉnh Lạng Sơn", province=True, exchange_code="000.00.00.H41")
    recipient = AgencyFactory(name="Sở Tư pháp tỉnh Lạng Sơn", short_name="STP", exchange_code="000.00.03.H41")
    office_registers(agency)
    office_registers(recipient)
    clerk = UserFactory(agency=agency, roles=[Role.RECORDS_CLERK], full_name="Phạm Thị Thu")
    leader = UserFactory(agency=agency, roles=[Role.LEADER], full_name="Hoàng Văn Nam", position_title="Chủ tịch")
    head = UserFactory(agency=agency, roles=[Role.HEAD_OF_DIVISION], full_name="Lê Thị Lan")
    specialist = UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name="Trần Văn Minh")
    Division.objects.create(agency=agency, name="Văn phòng", short_name="VP").members.add(specialist, head)
    certificates_for(demo_pki, leader=leader, records_clerk=clerk)
    scan_path = tmp_path / "cong-van-den.pdf"
    scan_path.write_bytes(TINY_PDF)
    answer_path = tmp_path / "du-thao-tra-loi.pdf"
    answer_path.write_bytes(decision_pdf())

    # The records clerk registers the scan.
    sign_in_verified(page, clerk, totp, "/van-ban/den/vao-so/")
    register_incoming(page, IncomingScan(number="45", symbol="BNV-VP", issuer="Bộ Nội vụ",
                                         summary="V/v báo cáo tình hình thực hiện cải cách hành chính"), scan_path)
    expect(page.get_by_text("Đã vào sổ văn bản đến, số đến 01.")).to_be_visible()
    incoming = IncomingDocument.objects.get(agency=agency)
    _sign_out(page)

    # The leader assigns it to the specialist.
    sign_in_verified(page, leader, totp, f"/van-ban/den/{incoming.pk}/")
    page.get_by_label("Xử lý chính: người hoặc đơn vị").select_option(value=f"u:{specialist.pk}")
    page.get_by_label("Xử lý chính: ý kiến chỉ đạo").fill("Đề nghị tham mưu văn bản trả lời")
    page.get_by_role("button", name="Phân công", exact=True).click()
    expect(page.locator("[data-state]")).to_have_text("Đã phân công")
    _sign_out(page)

    # The specialist sees it among the documents to handle and drafts the answer.
    sign_in_verified(page, specialist, totp, "/van-ban/")
    page.get_by_role("link", name="45/BNV-VP").click()
    page.get_by_role("link", name="Soạn văn bản trả lời").click()
    form = page.locator("main form")
    form.get_by_label("Loại văn bản").select_option(label="Công văn")
    form.get_by_label("Trích yếu").fill("V/v báo cáo tình hình thực hiện cải cách hành chính")
    form.get_by_label("Dự thảo (DOCX hoặc PDF)").set_input_files(str(answer_path))
    form.get_by_label("Đơn vị soạn thảo").select_option(label="Văn phòng")
    form.get_by_label("Nơi nhận trong hệ thống (liên thông)").select_option(label="Sở Tư pháp tỉnh Lạng Sơn")
    form.get_by_role("button", name="Tạo dự thảo").click()
    expect(page.get_by_text("Đã tạo dự thảo.")).to_be_visible()
    outgoing = OutgoingDocument.objects.get()
    assert outgoing.answers == incoming

    # On the draft's page: two appendix PDFs added, the one added by mistake removed — the browser asks first.
    appendix_path, wrong_path = tmp_path / "phu-luc-I.pdf", tmp_path / "nham.pdf"
    appendix_path.write_bytes(decision_pdf())
    wrong_path.write_bytes(decision_pdf())
    attachments = page.locator("section.attachments")
    attachments.get_by_label("Phụ lục (PDF)").set_input_files([str(appendix_path), str(wrong_path)])
    attachments.get_by_role("button", name="Thêm tệp đính kèm").click()
    expect(page.get_by_text("Đã thêm phụ lục.")).to_be_visible()
    expect(page.locator("[data-attachment]")).to_have_count(2)
    asked = []

    def answer(dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Gỡ tệp nham.pdf").click()
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Gỡ tệp nham.pdf").click()
    expect(page.get_by_text("Đã gỡ phụ lục.")).to_be_visible()
    assert asked == ["Gỡ tệp “nham.pdf” khỏi văn bản?"] * 2
    expect(page.locator("[data-attachment]")).to_have_count(1)
    expect(page.locator("[data-attachment]")).to_contain_text("phu-luc-I.pdf")
    assert [a.original_name for a in outgoing.attachments.all()] == ["phu-luc-I.pdf"]
    assert outgoing.events.filter(action="attachment_remove", actor=specialist, note="nham.pdf").exists()
    page.get_by_role("button", name="Trình duyệt").click()
    expect(page.locator("[data-state]")).to_have_text("Chờ lãnh đạo phòng duyệt")
    _sign_out(page)

    sign_in_verified(page, head, totp, f"/van-ban/di/{outgoing.pk}/")
    page.get_by_role("button", name="Duyệt (lãnh đạo phòng)").click()
    expect(page.locator("[data-state]")).to_have_text("Chờ lãnh đạo cơ quan duyệt")
    _sign_out(page)

    # The leader approves and signs with a one-time code.
    sign_in_verified(page, leader, totp, f"/van-ban/di/{outgoing.pk}/")
    page.get_by_role("button", name="Duyệt (lãnh đạo cơ quan)").click()
    page.get_by_role("button", name="Ký số văn bản").click()
    expect(page.locator("[data-state]")).to_have_text("Lãnh đạo đang ký số")
    _confirm_signature(page, leader, totp)
    outgoing.refresh_from_db()
    assert outgoing.state == OutgoingState.SIGNED
    _sign_out(page)

    # The records clerk issues it: number allocated, agency signature, sent.
    sign_in_verified(page, clerk, totp, f"/van-ban/di/{outgoing.pk}/")
    page.get_by_role("button", name="Cấp số, ký số cơ quan và phát hành").click()
    expect(page.locator("[data-field=number-symbol]")).to_have_text("01/UBND-VP")
    _confirm_signature(page, clerk, totp)
    page.goto(f"/van-ban/di/{outgoing.pk}/")
    expect(page.locator("[data-state]")).to_have_text("Đã phát hành")
    expect(page.locator("[data-delivery]")).to_have_text("Đã nhận")
    signed = page.request.get(f"/van-ban/di/{outgoing.pk}/tep/")
    assert signed.ok and signed.body().startswith(b"%PDF-")
    # The appendix, signed by the agency with the same confirmation, downloads from its link; nothing to remove now.
    appendix = page.locator("[data-attachment]")
    expect(appendix).to_contain_text("đã ký số cơ quan")
    expect(page.locator("button[data-action=attachment_remove]")).to_have_count(0)
    expect(page.locator("td[data-action=attachment_remove]")).to_have_text("Gỡ phụ lục")  # the history keeps it
    signed_appendix = page.request.get(appendix.get_by_role("link", name="phu-luc-I.pdf").get_attribute("href"))
    assert signed_appendix.ok and signed_appendix.headers["content-type"] == "application/pdf"
    _sign_out(page)

    from django.db import connection

    from signatures.verification import pdf_verify

    def verify(content: bytes):
        try:
            return pdf_verify(content)
        finally:
            connection.close()  # this thread's own connection, or the test database cannot be dropped

    arrived = IncomingDocument.objects.get(agency=recipient)
    assert (arrived.state, arrived.number, arrived.symbol) == (IncomingState.RECEIVED, "01", "UBND-VP")
    assert outgoing.deliveries.get().state == DeliveryState.RECEIVED
    with arrived.file.open("rb") as handle:
        content = handle.read()
    # pyHanko's sync API runs its own event loop: not in this thread, where Playwright's is running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(verify, content).result()
    assert report.is_valid and report.signature_count == 2, report.message
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(verify, signed_appendix.body()).result()
    assert report.is_valid and report.signature_count == 1, report.message  # the agency's, without image

    # At the recipient agency, its records clerk finds the document waiting on their desk, opens the signed file
    # and registers it: it takes the recipient's next arrival number.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    recipient_clerk = UserFactory(agency=recipient, roles=[Role.RECORDS_CLERK], full_name="Vi Thị Hoa")
    TOTPDevice.objects.create(user=recipient_clerk, name="app", confirmed=True)
    sign_in_verified(page, recipient_clerk, totp, "/van-ban/")
    waiting = page.locator("tr[data-waiting=register]")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Ủy ban nhân dân tỉnh Lạng Sơn")
    waiting.get_by_role("link", name="01/UBND-VP").click()
    expect(page.locator("[data-state]")).to_have_text(arrived.get_state_display())
    delivered = page.request.get(f"/van-ban/den/{arrived.pk}/tep/")
    assert delivered.ok and delivered.body() == content
    page.get_by_role("button", name="Vào sổ văn bản đến").click()
    expect(page.locator("[data-state]")).to_have_text("Đã vào sổ, chờ phân công")
    arrived.refresh_from_db()
    assert (arrived.state, arrived.arrival_number) == (IncomingState.REGISTERED, 1)
    _sign_out(page)

    # The specialist closes the incoming letter with its result.
    sign_in_verified(page, specialist, totp, f"/van-ban/den/{incoming.pk}/")
    page.get_by_label("Kết quả xử lý").fill("Đã trả lời bằng công văn 01/UBND-VP")
    page.get_by_label("Văn bản đi trả lời (đã phát hành)").select_option(value=str(outgoing.pk))
    page.get_by_role("button", name="Kết thúc xử lý").click()
    expect(page.locator("[data-state]")).to_have_text("Đã xử lý xong")
    expect(page.locator('[data-field="answered-by"]')).to_have_text("01/UBND-VP")

    # The link both ways: from the letter to its answer, and from the answer back to the letter.
    page.locator('[data-field="answered-by"]').get_by_role("link", name="01/UBND-VP").click()
    expect(page.locator("[data-field=number-symbol]")).to_have_text("01/UBND-VP")
    expect(page.locator('[data-field="answered-incoming"]')).to_contain_text("45/BNV-VP (Bộ Nội vụ)")
    page.locator('[data-field="answered-incoming"]').get_by_role("link", name="45/BNV-VP").click()
    expect(page.locator('[data-field="answered-by"]')).to_have_text("01/UBND-VP")

    # Both found by the start of their symbols.
    page.goto("/van-ban/den/?q=45/BNV-V")
    expect(page.get_by_role("link", name="45/BNV-VP")).to_be_visible()
    page.goto("/van-ban/di/?q=01/ubnd-v")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.get_by_role("cell", name="01/UBND-VP", exact=True)).to_be_visible()
