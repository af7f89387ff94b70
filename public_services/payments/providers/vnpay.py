"""The VNPay-style redirect protocol (version 2.1.0).

The request, the browser's return and the IPN all carry `vnp_*` parameters signed with HMAC-SHA512
under the merchant's hash secret, computed over the parameters sorted by name and joined as
`k=v&…` with the values form-encoded (quote_plus), leaving out the hash itself.
"""

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings

from egov.core.text import fold_vietnamese
from public_services.payments.providers.base import (
    GatewayResult,
    IpnOutcome,
    PaymentOrder,
    PaymentProvider,
    SignatureInvalid,
    provider_register,
)

VERSION = "2.1.0"
# The gateway reads and writes its dates in Vietnam's time, whatever our server's zone.
GATEWAY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
HASH_FIELDS = {"vnp_SecureHash", "vnp_SecureHashType"}
SUCCESS = "00"

IPN_CODES = {
    IpnOutcome.CONFIRMED: ("00", "Confirm Success"),
    IpnOutcome.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    IpnOutcome.INVALID_SIGNATURE: ("97", "Invalid signature"),
    IpnOutcome.ORDER_NOT_FOUND: ("01", "Order not found"),
    IpnOutcome.INVALID_AMOUNT: ("04", "Invalid amount"),
    IpnOutcome.ERROR: ("99", "Unknown error"),
}


def vnpay_canonical(params: Mapping[str, str]) -> str:
    """The signed string: `vnp_*` parameters but the hash, sorted by name, `k=v` joined by `&`."""
    items = sorted((k, str(v)) for k, v in params.items() if k.startswith("vnp_") and k not in HASH_FIELDS and v != "")
    return "&".join(f"{k}={quote_plus(v)}" for k, v in items)


def vnpay_sign(params: Mapping[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), vnpay_canonical(params).encode(), hashlib.sha512).hexdigest()


def vnpay_signed_query(params: Mapping[str, str], secret: str) -> str:
    return f"{vnpay_canonical(params)}&vnp_SecureHash={vnpay_sign(params, secret)}"


def vnpay_signature_valid(params: Mapping[str, str], secret: str) -> bool:
    received = str(params.get("vnp_SecureHash", ""))
    if not received or not secret:
        return False
    return hmac.compare_digest(received.lower(), vnpay_sign(params, secret))


def gateway_date(value: datetime) -> str:
    return value.astimezone(GATEWAY_TZ).strftime(DATE_FORMAT)


def parse_gateway_date(value: str) -> datetime:
    return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=GATEWAY_TZ)


@provider_register
class VnpayProvider(PaymentProvider):
    name = "vnpay"

    def __init__(self, *, tmn_code: str | None = None, hash_secret: str | None = None):
        self.tmn_code = settings.EGOV_VNPAY_TMN_CODE if tmn_code is None else tmn_code
        self.hash_secret = settings.EGOV_VNPAY_HASH_SECRET if hash_secret is None else hash_secret

    def is_configured(self) -> bool:
        return bool(self.tmn_code and self.hash_secret)

    def order_params(self, order: PaymentOrder) -> dict[str, str]:
        return {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(order.amount_vnd * 100),  # the protocol counts hundredths of a đồng
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": order.txn_ref,
            # The gateway shows and stores order information without diacritics.
            "vnp_OrderInfo": fold_vietnamese(order.description)[:255],
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": order.return_url,
            "vnp_IpAddr": order.ip_address or "127.0.0.1",
            "vnp_CreateDate": gateway_date(order.created_at),
            "vnp_ExpireDate": gateway_date(order.expires_at),
        }

    def payment_url(self, order: PaymentOrder, *, gateway_url: str) -> str:
        separator = "&" if "?" in gateway_url else "?"
        return f"{gateway_url}{separator}{vnpay_signed_query(self.order_params(order), self.hash_secret)}"

    def verify(self, params: Mapping[str, str]) -> GatewayResult:
        if not vnpay_signature_valid(params, self.hash_secret):
            raise SignatureInvalid
        amount = int(params.get("vnp_Amount", ""))
        if amount <= 0 or amount % 100:
            raise ValueError("vnp_Amount")
        txn_ref = params.get("vnp_TxnRef", "")
        if not txn_ref:
            raise ValueError("vnp_TxnRef")
        response_code = params.get("vnp_ResponseCode", "")
        status = params.get("vnp_TransactionStatus", "")
        pay_date = params.get("vnp_PayDate", "")
        return GatewayResult(
            txn_ref=txn_ref, amount_vnd=amount // 100, response_code=response_code,
            success=response_code == SUCCESS and status == SUCCESS,
            transaction_no=params.get("vnp_TransactionNo", ""), bank_code=params.get("vnp_BankCode", ""),
            paid_at=parse_gateway_date(pay_date) if pay_date else None,
            params={k: str(v) for k, v in params.items() if k.startswith("vnp_")},
        )

    def ipn_answer(self, outcome: IpnOutcome) -> dict:
        code, message = IPN_CODES[outcome]
        return {"RspCode": code, "Message": message}
