"""The sandbox gateway's rules: what a real gateway checks, and what it sends back."""

import secrets
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from public_services.payments.providers.vnpay import (
    DATE_FORMAT,
    GATEWAY_TZ,
    gateway_date,
    vnpay_signature_valid,
    vnpay_signed_query,
)

REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef", "vnp_OrderInfo",
            "vnp_ReturnUrl", "vnp_IpAddr", "vnp_CreateDate", "vnp_SecureHash")
BANKS = [("NCB", "Ngân hàng NCB"), ("VCB", "Vietcombank"), ("BIDV", "BIDV"), ("VIETINBANK", "VietinBank")]
CANCELLED = "24"  # the customer cancelled the transaction


class SandboxRequestInvalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sandbox_refusal() -> str:
    """Why the sandbox must not run with these settings, in English for the operator ("" when it may run).

    The sandbox signs a "paid" notification with the merchant's secret for whoever presses the button: beside a real
    gateway (EGOV_VNPAY_URL) that is the real secret, and a citizen could mark a fee paid without paying. So it
    runs only where nobody pays for real: with DEBUG (`make run`) or the test settings (EGOV_TESTING, whose DEBUG
    is off as in any Django test run) — the same rule as the other development stand-ins (the remote signing
    service, the file keystore). A demo server with DEBUG off has no sandbox: it needs a gateway's own test one.
    """
    if settings.EGOV_VNPAY_URL:
        return ("EGOV_PAYMENT_SANDBOX is on while EGOV_VNPAY_URL names a real gateway: the sandbox would sign "
                "payments with the real merchant secret.")
    if not (settings.DEBUG or settings.EGOV_TESTING):
        return ("EGOV_PAYMENT_SANDBOX is on with DEBUG off: the sandbox, which marks any payment paid, runs only in "
                "development (DEBUG=1) and tests.")
    return ""


def sandbox_enabled() -> bool:
    """Whether the sandbox is served: switched on, and allowed by sandbox_refusal() (checked again at each request,
    because a server started without `manage.py check` — gunicorn — runs no system check)."""
    return bool(settings.EGOV_PAYMENT_SANDBOX) and not sandbox_refusal()


def _merchant_secret(tmn_code: str) -> str:
    # The sandbox knows one merchant: this portal, with the terminal code and secret it is configured with.
    if tmn_code and tmn_code == settings.EGOV_VNPAY_TMN_CODE:
        return settings.EGOV_VNPAY_HASH_SECRET
    return ""


def sandbox_request_check(params: Mapping[str, str], *, now: datetime | None = None) -> dict[str, str]:
    """Refuse what a real gateway refuses; return the request's parameters."""
    missing = [name for name in REQUIRED if not params.get(name)]
    if missing:
        raise SandboxRequestInvalid(_("Thiếu tham số: %(names)s.") % {"names": ", ".join(missing)})
    secret = _merchant_secret(params["vnp_TmnCode"])
    if not secret:
        raise SandboxRequestInvalid(_("Mã website (vnp_TmnCode) không tồn tại."))
    if not vnpay_signature_valid(params, secret):
        raise SandboxRequestInvalid(_("Sai chữ ký (vnp_SecureHash)."))
    if params["vnp_Version"] != "2.1.0" or params["vnp_Command"] != "pay" or params["vnp_CurrCode"] != "VND":
        raise SandboxRequestInvalid(_("Phiên bản, lệnh hoặc loại tiền không được hỗ trợ."))
    try:
        amount = int(params["vnp_Amount"])
        expires = (datetime.strptime(params["vnp_ExpireDate"], DATE_FORMAT).replace(tzinfo=GATEWAY_TZ)
                   if params.get("vnp_ExpireDate") else None)
    except ValueError:
        raise SandboxRequestInvalid(_("Số tiền hoặc thời hạn không hợp lệ.")) from None
    if amount <= 0 or amount % 100:
        raise SandboxRequestInvalid(_("Số tiền không hợp lệ."))
    if expires is not None and expires < (now or timezone.now()):
        raise SandboxRequestInvalid(_("Giao dịch đã quá thời gian chờ thanh toán."))
    return {k: str(v) for k, v in params.items() if k.startswith("vnp_")}


def sandbox_result(request_params: Mapping[str, str], *, approve: bool, bank_code: str) -> str:
    """The signed query the gateway sends back (to the browser's return URL and to the IPN)."""
    result = {
        "vnp_Amount": request_params["vnp_Amount"],
        "vnp_BankCode": bank_code,
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": request_params["vnp_OrderInfo"],
        "vnp_PayDate": gateway_date(timezone.now()),
        "vnp_ResponseCode": "00" if approve else CANCELLED,
        "vnp_TmnCode": request_params["vnp_TmnCode"],
        "vnp_TransactionNo": str(secrets.randbelow(90_000_000) + 10_000_000) if approve else "0",
        "vnp_TransactionStatus": "00" if approve else "02",
        "vnp_TxnRef": request_params["vnp_TxnRef"],
    }
    if approve:
        result["vnp_BankTranNo"] = f"VNP{secrets.randbelow(10**8):08d}"
    return vnpay_signed_query(result, _merchant_secret(request_params["vnp_TmnCode"]))


def sandbox_ipn_deliver(*, ipn_url: str, params: dict) -> str:
    """Call the merchant's IPN; returns its RspCode ("" when it could not be reached or read)."""
    import requests

    try:
        response = requests.get(ipn_url, params=params, timeout=15)
        return str(response.json().get("RspCode", ""))
    except (requests.RequestException, ValueError):
        return ""
