"""The whole online journey of a `full` (toàn trình) procedure, in the browser: a new citizen signs up, finds
"Đăng ký khai sinh" without typing diacritics, fills the form, uploads a PDF and submits; the desk asks for a
supplement, the citizen sends it, the desk receives; the citizen pays the fee through the sandbox gateway;
the specialist uploads the result and sends it to the leader, who signs it with a one-time code; the
citizen downloads the signed result and its QR code's page says the signature is valid."""

import base64
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from egov.accounts.roles import Role
from egov.agencies.models import AgencyKind
from egov.notifications.models import Notification
from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.models import Dossier
from one_stop.selectors import procedure_version_current
from one_stop.services.catalogue import procedure_upsert
from public_services.demo_forms import BIRTH_REGISTRATION
from public_services.services import procedure_form_set
from tests.e2e.test_sign_in import _sign_in
from tests.egov.notifications.codes import notification_code
from tests.factories import UserFactory
from tests.pdfs import MINIMAL_PDF
from tests.signatures.conftest import demo_pki  # noqa: F401  (the session's demo PKI, served on loopback)
from tests.signatures.documents import render_decision
from tests.signatures.factories import make_signers

pytestmark = pytest.mark.e2e

PASSWORD = "Mat-khau-an-toan-2026"
PDF = MINIMAL_PDF


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").first.click()


def _act(page: Page, code: str, label: str, note: str = "") -> None:
    page.goto(f"/mot-cua/ho-so/{code}/")
    form = page.locator("form.dossier-action").filter(has=page.get_by_role("button", name=label, exact=True))
    if note:
        form.get_by_label("Ghi chú, lý do").fill(note)
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_text("Đã cập nhật hồ sơ.")).to_be_visible()


def _world(demo_pki, settings):  # noqa: F811
    settings.EGOV_TSA_URL = demo_pki.tsa_url
    signers = make_signers(demo_pki)
    commune = signers.leader.agency
    commune.name, commune.kind, commune.address = ("Ủy ban nhân dân Phường Đông Kinh", AgencyKind.COMMUNE_COMMITTEE,
                                                   "Số 1 đường Hùng Vương, phường Đông Kinh")
    commune.save(update_fields=["name", "kind", "address"])
    birth = procedure_upsert(data=ProcedureData(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch", levels=["commune"], online_level="full",
        processing_days=3, fee_vnd=8_000, fee_text="8.000 đồng", result="Giấy khai sinh",
        required_documents=[RequiredDocument(name="Giấy chứng sinh", copies="1 bản chính")]),
        effective_from=timezone.now() - timezone.timedelta(days=30))[0]
    procedure_form_set(version=procedure_version_current(procedure=birth), form=BIRTH_REGISTRATION)
    clerk = UserFactory(agency=commune, roles=[Role.ONE_STOP_CLERK], full_name="Vi Thị Mai")
    specialist = UserFactory(agency=commune, roles=[Role.SPECIALIST], full_name="Lò Văn Chuyên")
    return signers, commune, clerk, specialist


def _sign_up(page: Page) -> None:
    page.goto("/tai-khoan/dang-ky/")
    form = page.locator("main form")
    form.get_by_label("Họ và tên").fill("Nông Thị Thu")
    form.get_by_label("Số định danh cá nhân").fill("020195004321")
    form.get_by_label("Số điện thoại di động").fill("0912345999")
    form.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    form.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    form.get_by_label("Tôi đã đọc và đồng ý với").check()
    form.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận đăng ký")
    code = notification_code(Notification.objects.get(template="otp_code", channel="sms"))
    page.get_by_label("Mã xác thực 6 chữ số").fill(code)
    page.get_by_role("button", name="Kích hoạt tài khoản").click()
    expect(page.get_by_role("status")).to_contain_text("Tài khoản đã được kích hoạt")


def _find_fill_and_submit(page: Page, commune, tmp_path) -> str:
    page.goto("/")
    page.get_by_label("Tìm thủ tục hành chính").first.fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").first.click()
    page.locator(".procedure-item").first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục đăng ký khai sinh")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    expect(page.get_by_label("Họ, chữ đệm và tên", exact=False).first).to_have_value("Nông Thị Thu")
    page.get_by_label("Cơ quan tiếp nhận").select_option(str(commune.pk))
    page.get_by_label("Nơi cư trú").fill("Phường Đông Kinh, Lạng Sơn")
    page.get_by_label("Mẹ", exact=True).check()
    page.get_by_label("Họ, chữ đệm và tên của trẻ").fill("Nông Minh An")
    page.get_by_label("Ngày, tháng, năm sinh").fill("2026-11-01")
    page.get_by_label("Nam", exact=True).check()
    page.get_by_label("Nơi sinh (cơ sở y tế hoặc địa chỉ)").fill("Bệnh viện Đa khoa tỉnh")
    page.get_by_label("Họ tên người mẹ").fill("Nông Thị Thu")
    page.get_by_label("Số định danh cá nhân của người mẹ").fill("020195004321")
    upload = tmp_path / "giay-chung-sinh.pdf"
    upload.write_bytes(PDF)
    page.get_by_label("Giấy chứng sinh (hoặc văn bản xác nhận việc sinh)").set_input_files(str(upload))
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_text("Đã nộp hồ sơ")).to_be_visible()
    return Dossier.objects.get(citizen__national_id="020195004321").code


def _leader_signs(page: Page, signers, totp) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    secret = base64.b32encode(bytes.fromhex(TOTPDevice.objects.get(user=signers.leader).key)).decode()
    page.goto("/tai-khoan/dang-nhap/?next=/ky-so/")
    _sign_in(page, signers.leader.username)
    page.get_by_label("Mã xác thực 6 chữ số").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Kết quả giải quyết hồ sơ")).to_be_visible()
    # Each code is good once: the confirmation needs the next one, as the authenticator app would show.
    TOTPDevice.objects.filter(user=signers.leader).update(last_t=-1)
    page.get_by_label("Mã xác thực 6 chữ số để xác nhận ký").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận ký số").click()
    expect(page.get_by_text("Hệ thống đang ký số")).to_be_visible()


def test_a_new_citizen_goes_from_sign_up_to_a_verified_signed_result(page: Page, totp, demo_pki, settings,  # noqa: F811
                                                                      tmp_path):
    signers, commune, clerk, specialist = _world(demo_pki, settings)

    # The citizen: sign up, find, fill, upload, submit.
    _sign_up(page)
    code = _find_fill_and_submit(page, commune, tmp_path)
    _sign_out(page)

    # The desk asks for a supplement.
    page.goto("/tai-khoan/dang-nhap/?next=/mot-cua/truc-tuyen/")
    _sign_in(page, clerk.username)
    expect(page.get_by_text(code)).to_be_visible()
    _act(page, code, "Yêu cầu bổ sung", note="Giấy chứng sinh bản quét bị mờ, đề nghị gửi lại bản rõ nét.")
    _sign_out(page)

    # The citizen sends it.
    page.goto(f"/tai-khoan/dang-nhap/?next=/dich-vu-cong/ho-so-cua-toi/{code}/")
    _sign_in(page, "020195004321", PASSWORD)
    missing = page.locator("section", has=page.get_by_role("heading", name="Cần bổ sung, hoàn thiện hồ sơ"))
    expect(missing).to_contain_text("Giấy chứng sinh bản quét bị mờ")
    page.get_by_label("Giấy tờ bổ sung", exact=True).fill("Giấy chứng sinh bản rõ nét")
    supplement = tmp_path / "giay-chung-sinh-ro.pdf"
    supplement.write_bytes(PDF)
    page.get_by_label("Tệp bổ sung (PDF, JPEG, PNG, DOCX)").set_input_files(str(supplement))
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    expect(page.get_by_text("đã gửi bổ sung, chờ Bộ phận Một cửa kiểm tra")).to_be_visible()
    _sign_out(page)

    # The desk receives the complete dossier.
    page.goto("/tai-khoan/dang-nhap/?next=/mot-cua/truc-tuyen/")
    _sign_in(page, clerk.username)
    _act(page, code, "Tiếp nhận")
    expect(page.locator("dl").first).to_contain_text("Đã tiếp nhận")
    _sign_out(page)

    # The citizen pays the fee through the sandbox gateway.
    page.goto(f"/tai-khoan/dang-nhap/?next=/thanh-toan/ho-so/{code}/")
    _sign_in(page, "020195004321", PASSWORD)
    expect(page.locator("[data-amount]")).to_have_text("8.000 đồng")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.get_by_label("Ngân hàng").select_option("VCB")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.get_by_role("heading", name="Thanh toán thành công")).to_be_visible()
    _sign_out(page)

    # The specialist starts, uploads the result and sends it to the leader for signature.
    page.goto("/tai-khoan/dang-nhap/")
    _sign_in(page, specialist.username)
    _act(page, code, "Bắt đầu giải quyết")
    result = tmp_path / "giay-khai-sinh.pdf"
    result.write_bytes(render_decision()[0])
    page.get_by_label("Tệp kết quả giải quyết (PDF)").set_input_files(str(result))
    page.get_by_role("button", name="Tải kết quả lên").click()
    expect(page.get_by_text("Đã tải tệp lên hồ sơ.")).to_be_visible()
    expect(page.get_by_role("button", name="Duyệt kết quả")).to_have_count(0)  # not without a signed result
    page.get_by_label("Lãnh đạo ký số").select_option(label="Hoàng Văn Nam — Giám đốc Sở")
    page.get_by_role("button", name="Trình ký kết quả").click()
    expect(page.get_by_text("Đã trình Hoàng Văn Nam ký số kết quả.")).to_be_visible()
    expect(page.locator(".documents")).to_contain_text("chờ lãnh đạo ký số")
    _sign_out(page)

    # The leader signs with a one-time code; the signature resolves the dossier.
    _leader_signs(page, signers, totp)
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == "resolved"
    _sign_out(page)

    # The citizen downloads the signed result and opens its verification page.
    page.goto(f"/tai-khoan/dang-nhap/?next=/dich-vu-cong/ho-so-cua-toi/{code}/")
    _sign_in(page, "020195004321", PASSWORD)
    results = page.locator("section", has=page.get_by_role("heading", name="Kết quả giải quyết"))
    expect(results).to_contain_text("bản điện tử có chữ ký số")
    link = results.get_by_role("link", name="giay-khai-sinh-ky-so.pdf")
    with page.expect_download() as download_info:
        link.click()
    downloaded = tmp_path / "tai-ve.pdf"
    download_info.value.save_as(downloaded)
    assert downloaded.read_bytes().startswith(b"%PDF-")
    results.get_by_role("link", name="xác thực chữ ký").click()
    expect(page).to_have_url(re.compile(r"/tra-cuu-ho-so/xac-thuc-ket-qua/[A-Za-z0-9_-]{32}/$"))
    expect(page.locator("[data-verdict]")).to_contain_text("Chữ ký số hợp lệ")
    expect(page.locator("main")).to_contain_text("Hoàng Văn Nam")
    expect(page.locator("main")).to_contain_text(code)
    expect(page.locator("main")).not_to_contain_text("Nông Minh An")
    page.get_by_label("Tệp PDF cần đối chiếu").set_input_files(str(downloaded))
    page.get_by_role("button", name="Đối chiếu", exact=True).click()
    expect(page.locator("[data-copy-verdict]")).to_contain_text("trùng khớp với bản đã ký")
