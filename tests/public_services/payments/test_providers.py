"""The VNPay-style protocol: signatures, the payment address, verification of what comes back."""

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from public_services.payments.providers.base import IpnOutcome, PaymentOrder, SignatureInvalid, provider_get
from public_services.payments.providers.vnpay import VnpayProvider
from public_services.payments.words import vnd_in_words

SECRET = "SECRETKEYTHUNGHIEM"


def _order() -> PaymentOrder:
    return PaymentOrder(txn_ref="000.00.20.H41-261123-0001-01", amount_vnd=50_000,
                        description="Thanh toán lệ phí hồ sơ 000.00.20.H41-261123-0001",
                        return_url="http://127.0.0.1:8000/thanh-toan/ket-qua/", ip_address="203.0.113.7",
                        created_at=datetime(2026, 11, 23, 7, 30, 5, tzinfo=UTC),
                        expires_at=datetime(2026, 11, 23, 7, 45, 5, tzinfo=UTC))


def test_the_payment_address_is_signed_over_the_sorted_form_encoded_parameters():
    provider = VnpayProvider(tmn_code="EGOVSBX1", hash_secret=SECRET)

    url = provider.payment_url(_order(), gateway_url="https://sandbox.example.vn/paymentv2/vpcpay.html")

    # Built by hand: names in byte order, values form-encoded (":" → %3A, "/" → %2F, " " → +), times in
    # Vietnam's zone (UTC+7).
    expected = (
        "vnp_Amount=5000000&vnp_Command=pay&vnp_CreateDate=20261123143005&vnp_CurrCode=VND"
        "&vnp_ExpireDate=20261123144505&vnp_IpAddr=203.0.113.7&vnp_Locale=vn"
        "&vnp_OrderInfo=thanh+toan+le+phi+ho+so+000.00.20.h41-261123-0001&vnp_OrderType=other"
        "&vnp_ReturnUrl=http%3A%2F%2F127.0.0.1%3A8000%2Fthanh-toan%2Fket-qua%2F&vnp_TmnCode=EGOVSBX1"
        "&vnp_TxnRef=000.00.20.H41-261123-0001-01&vnp_Version=2.1.0"
    )
    digest = hmac.new(SECRET.encode(), expected.encode(), hashlib.sha512).hexdigest()
    assert url == f"https://sandbox.example.vn/paymentv2/vpcpay.html?{expected}&vnp_SecureHash={digest}"


def _signed_return(**overrides) -> dict:
    provider = VnpayProvider(tmn_code="EGOVSBX1", hash_secret=SECRET)
    params = {"vnp_Amount": "5000000", "vnp_BankCode": "NCB", "vnp_PayDate": "20261123143500",
              "vnp_ResponseCode": "00", "vnp_TransactionNo": "14226112", "vnp_TransactionStatus": "00",
              "vnp_TxnRef": "000.00.20.H41-261123-0001-01", "vnp_TmnCode": "EGOVSBX1"}
    text = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    params["vnp_SecureHash"] = hmac.new(SECRET.encode(), text.encode(), hashlib.sha512).hexdigest().upper()
    params.update(overrides)
    return provider, params


def test_a_correctly_signed_return_is_read_with_amount_in_dong_and_the_pay_date_in_vietnam_time():
    provider, params = _signed_return()

    result = provider.verify(params)

    assert (result.success, result.amount_vnd, result.transaction_no, result.bank_code) == (True, 50_000, "14226112", "NCB")
    assert result.paid_at == datetime(2026, 11, 23, 7, 35, tzinfo=UTC)


@pytest.mark.parametrize("field, value", [
    ("vnp_Amount", "10000000"),
    ("vnp_TxnRef", "000.00.20.H41-261123-0002-01"),
    ("vnp_ResponseCode", "24"),
    ("vnp_SecureHash", "0" * 128),
])
def test_a_tampered_return_is_refused(field, value):
    provider, params = _signed_return(**{field: value})

    with pytest.raises(SignatureInvalid):
        provider.verify(params)


def test_a_return_signed_with_another_secret_is_refused():
    _, params = _signed_return()

    with pytest.raises(SignatureInvalid):
        VnpayProvider(tmn_code="EGOVSBX1", hash_secret="another-merchant").verify(params)


def test_a_failed_or_cancelled_transaction_is_not_a_success():
    provider = VnpayProvider(tmn_code="EGOVSBX1", hash_secret=SECRET)
    params = {"vnp_Amount": "5000000", "vnp_ResponseCode": "24", "vnp_TransactionStatus": "02", "vnp_TxnRef": "X-01"}
    params["vnp_SecureHash"] = hmac.new(SECRET.encode(), "&".join(f"{k}={v}" for k, v in sorted(params.items())).encode(),
                                        hashlib.sha512).hexdigest()

    assert provider.verify(params).success is False


def test_the_provider_comes_from_settings_and_answers_ipns_in_the_gateways_codes(settings):
    settings.EGOV_PAYMENT_PROVIDER = "vnpay"
    provider = provider_get()

    assert provider.name == "vnpay"
    assert provider.ipn_answer(IpnOutcome.CONFIRMED) == {"RspCode": "00", "Message": "Confirm Success"}
    assert [provider.ipn_answer(o)["RspCode"] for o in (IpnOutcome.INVALID_SIGNATURE, IpnOutcome.ORDER_NOT_FOUND,
            IpnOutcome.INVALID_AMOUNT, IpnOutcome.ALREADY_CONFIRMED, IpnOutcome.ERROR)] == ["97", "01", "04", "02", "99"]


def test_an_unknown_provider_name_is_a_clear_error(settings):
    from egov.core.errors import ApplicationError

    settings.EGOV_PAYMENT_PROVIDER = "khong-co"
    with pytest.raises(ApplicationError) as error:
        provider_get()
    assert error.value.status == 503


def test_the_request_carries_every_parameter_of_the_protocol():
    url = VnpayProvider(tmn_code="EGOVSBX1", hash_secret=SECRET).payment_url(_order(), gateway_url="https://gw.example/pay")

    params = dict(parse_qsl(urlsplit(url).query))
    assert set(params) == {"vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef",
                           "vnp_OrderInfo", "vnp_OrderType", "vnp_Locale", "vnp_ReturnUrl", "vnp_IpAddr",
                           "vnp_CreateDate", "vnp_ExpireDate", "vnp_SecureHash"}
    assert params["vnp_ReturnUrl"] == "http://127.0.0.1:8000/thanh-toan/ket-qua/"


@pytest.mark.parametrize("amount, words", [
    (50_000, "Năm mươi nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (105_000, "Một trăm lẻ năm nghìn đồng"),
    (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
    (2_005, "Hai nghìn không trăm lẻ năm đồng"),
    (1_234_567, "Một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng"),
    (3_000_000_000, "Ba tỷ đồng"),
    (0, "Không đồng"),
])
def test_amounts_are_written_in_vietnamese_words(amount, words):
    assert vnd_in_words(amount) == words
