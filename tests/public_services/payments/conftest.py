import hashlib
import hmac
from urllib.parse import quote_plus

import pytest
from django.conf import settings

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.dossiers import dossier_submit_online
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local

FEE = 50_000


def sign(params: dict, secret: str | None = None) -> str:
    """HMAC-SHA512 over `k=v&…` sorted by name, values form-encoded — written here independently of the app."""
    text = "&".join(f"{k}={quote_plus(str(v))}" for k, v in sorted(params.items())
                    if k not in ("vnp_SecureHash", "vnp_SecureHashType"))
    return hmac.new((secret or settings.EGOV_VNPAY_HASH_SECRET).encode(), text.encode(), hashlib.sha512).hexdigest()


def gateway_params(payment, *, success: bool = True, amount_vnd: int | None = None, **overrides) -> dict:
    """What the gateway sends back (return or IPN) for `payment`, signed."""
    params = {
        "vnp_Amount": str((payment.amount_vnd if amount_vnd is None else amount_vnd) * 100),
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": f"Thanh toan le phi ho so {payment.dossier.code}",
        "vnp_PayDate": "20261123143000",
        "vnp_ResponseCode": "00" if success else "24",
        "vnp_TmnCode": settings.EGOV_VNPAY_TMN_CODE,
        "vnp_TransactionNo": "14226112" if success else "0",
        "vnp_TransactionStatus": "00" if success else "02",
        "vnp_TxnRef": payment.txn_ref,
        **overrides,
    }
    params["vnp_SecureHash"] = sign(params)
    return params


@pytest.fixture
def agency(db):
    return AgencyFactory(name="UBND phường Đông Kinh", exchange_code="000.00.20.H41", commune=True)


@pytest.fixture
def procedure(db):
    return procedure_upsert(data=ProcedureData(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch",
                                               processing_days=5, fee_vnd=FEE),
                            effective_from=at_local(2025, 7, 1, 0, 0))[0]


@pytest.fixture
def free_procedure(db):
    return procedure_upsert(data=ProcedureData(code="1.000656", name="Thủ tục đăng ký kết hôn", field="Hộ tịch",
                                               processing_days=3, fee_vnd=0),
                            effective_from=at_local(2025, 7, 1, 0, 0))[0]


@pytest.fixture
def citizen(db):
    return UserFactory(citizen=True, full_name="Đặng Văn Công")


@pytest.fixture
def other_citizen(db):
    return UserFactory(citizen=True)


@pytest.fixture
def dossier(citizen, procedure, agency):
    return dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=agency)


@pytest.fixture
def agency_clerk(agency):
    return UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])


@pytest.fixture
def start_payment(dossier, citizen):
    from public_services.payments.services import payment_start

    def start(**kwargs):
        return payment_start(**{"dossier": dossier, "payer": citizen, "ip_address": "203.0.113.7",
                                "return_url": "http://testserver/thanh-toan/ket-qua/",
                                "gateway_url": "http://testserver/thanh-toan/cong-thu-nghiem/", **kwargs})

    return start


def lapse(payment) -> None:
    """The attempt's time at the gateway is over (the expiry task has not run yet): a new attempt may start."""
    from datetime import timedelta

    from django.utils import timezone

    from public_services.payments.models import Payment

    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
