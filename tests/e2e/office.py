"""Steps the eOffice browser tests share: signing in with the second factor, and the records clerk's register form."""

import base64
from dataclasses import dataclass

from playwright.sync_api import Page

from tests.e2e.test_sign_in import _sign_in


def sign_in_verified(page: Page, user, totp, path: str) -> None:
    """Sign `user` in and land on `path`, answering the second-factor step when they have a confirmed device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(f"/tai-khoan/dang-nhap/?next={path}")
    _sign_in(page, user.username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        device.last_t = -1  # each code is accepted once: let this step use the current one again
        device.save(update_fields=["last_t"])
        page.get_by_label("Mã xác thực 6 chữ số").fill(totp(base64.b32encode(bytes.fromhex(device.key)).decode()))
        page.get_by_role("button", name="Xác nhận").click()


@dataclass(frozen=True)
class IncomingScan:
    """What the records clerk types from a received paper document."""

    number: str
    symbol: str
    issuer: str
    summary: str
    kind: str = "Công văn"
    issued: str = "2026-11-20"


SCAN_LABEL = "Bản quét (PDF, JPEG, PNG)"
REGISTER_BUTTON = "Vào sổ và cấp số đến"


def register_incoming(page: Page, scan: IncomingScan, scan_path) -> None:
    """Fill the register form already open on `page` with `scan` and its file, and submit it."""
    form = page.locator("main form")
    form.get_by_label("Số văn bản").fill(scan.number)
    form.get_by_label("Ký hiệu").fill(scan.symbol)
    form.get_by_label("Cơ quan ban hành").fill(scan.issuer)
    form.get_by_label("Ngày văn bản").fill(scan.issued)
    form.get_by_label("Loại văn bản").select_option(label=scan.kind)
    form.get_by_label("Trích yếu").fill(scan.summary)
    form.get_by_label(SCAN_LABEL).set_input_files(str(scan_path))
    form.get_by_role("button", name=REGISTER_BUTTON).click()
