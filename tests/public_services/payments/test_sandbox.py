"""The sandbox gateway: it checks the signed request like a real gateway, then notifies and returns."""

import html
import re
from datetime import timedelta
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.urls import reverse

from egov.core.models import OutboxMessage
from public_services.payments.constants import PaymentState
from public_services.payments.models import Payment
from tests.factories import PASSWORD
from tests.public_services.payments.conftest import sign


def _query(payment) -> str:
    return urlsplit(payment.gateway_url).query


@pytest.mark.django_db
def test_the_sandbox_shows_the_card_page_for_a_correctly_signed_request(client, start_payment):
    payment = start_payment()

    response = client.get(f"{reverse('payments:sandbox_pay')}?{_query(payment)}")

    page = response.content.decode()
    assert response.status_code == 200
    assert payment.txn_ref in page and "50.000 VND" in page
    assert ">Thanh toán</button>" in page and ">Hủy</button>" in page


@pytest.mark.django_db
@pytest.mark.parametrize("change", [
    lambda q: q.replace("vnp_Amount=5000000", "vnp_Amount=100"),
    lambda q: re.sub(r"vnp_SecureHash=[0-9a-f]+", "vnp_SecureHash=" + "0" * 128, q),
    lambda q: q.replace("vnp_TmnCode=EGOVSBX1", "vnp_TmnCode=KHAC"),
])
def test_the_sandbox_refuses_a_tampered_request(client, start_payment, change):
    payment = start_payment()

    response = client.get(f"{reverse('payments:sandbox_pay')}?{change(_query(payment))}")

    assert response.status_code == 400
    assert "Giao dịch không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_the_sandbox_refuses_a_request_past_its_expiry(client, start_payment):
    payment = start_payment()

    with mock.patch("django.utils.timezone.now", return_value=payment.expires_at + timedelta(seconds=1)):
        response = client.get(f"{reverse('payments:sandbox_pay')}?{_query(payment)}")

    assert response.status_code == 400
    assert "quá thời gian" in response.content.decode()


@pytest.mark.django_db
def test_cancelling_queues_a_signed_ipn_and_sends_the_browser_back_signed(client, start_payment, settings):
    payment = start_payment()

    with mock.patch("public_services.payments.tasks.sandbox_ipn_task.apply_async"):  # no HTTP in this test
        response = client.post(reverse("payments:sandbox_pay"), {"request": _query(payment), "action": "cancel"})

    assert response.status_code == 302 and response["Location"].startswith("http://testserver/thanh-toan/ket-qua/?")
    returned = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert returned["vnp_ResponseCode"] == "24" and returned["vnp_SecureHash"] == sign(returned)
    message = OutboxMessage.objects.get(task_name="payments.sandbox_ipn")
    assert message.args == ["http://testserver/thanh-toan/ipn/", returned]


@pytest.mark.django_db(transaction=True)
def test_the_whole_flow_runs_through_the_sandbox_on_the_live_server(live_server, start_payment, citizen, settings):
    """Browser → sandbox card page → "Thanh toán" → IPN to our server (server to server) → return page."""
    # requests (unlike a browser on localhost) keeps Secure cookies for https only.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    base = live_server.url
    payment = start_payment(return_url=f"{base}/thanh-toan/ket-qua/", gateway_url=f"{base}/thanh-toan/cong-thu-nghiem/")
    browser = requests.Session()
    login_page = browser.get(f"{base}/tai-khoan/dang-nhap/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    browser.post(f"{base}/tai-khoan/dang-nhap/", data={"csrfmiddlewaretoken": csrf, "username": citizen.username,
                                                      "password": PASSWORD}, timeout=10)

    card_page = browser.get(payment.gateway_url, timeout=10)
    assert card_page.status_code == 200
    fields = {name: html.unescape(value) for name, value in
              re.findall(r'name="(csrfmiddlewaretoken|request)" value="([^"]*)"', card_page.text)}
    paid = browser.post(f"{base}/thanh-toan/cong-thu-nghiem/", data={**fields, "action": "pay", "bank": "VCB"},
                        allow_redirects=False, timeout=30)

    # The IPN has been delivered (the outbox ran the sandbox's notification right after its commit).
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.state == PaymentState.PAID and payment.bank_code == "VCB"
    assert payment.events.get(action="pay").source == "ipn"
    assert payment.receipt_file
    result = browser.get(paid.headers["Location"], timeout=10)
    assert "Thanh toán thành công" in result.text and "Tải biên lai điện tử (PDF)" in result.text
    receipt = browser.get(f"{base}/thanh-toan/bien-lai/{payment.txn_ref}/", timeout=10)
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF-")


# --- never beside a real gateway, never in production -------------------------------------------------------------

REAL_GATEWAY = "https://pay.vnpay.vn/vpcpay.html"


def _sandbox_errors():
    from django.core import checks

    return [e for e in checks.run_checks(tags=["payments"]) if e.id == "egov.E001"]


@pytest.mark.parametrize(("overrides", "refused"), [
    ({}, False),  # the test settings: DEBUG off (as in any Django test run), EGOV_TESTING on
    ({"DEBUG": True, "EGOV_TESTING": False}, False),  # make run
    ({"EGOV_VNPAY_URL": REAL_GATEWAY}, True),
    ({"DEBUG": True, "EGOV_TESTING": False, "EGOV_VNPAY_URL": REAL_GATEWAY}, True),
    ({"DEBUG": False, "EGOV_TESTING": False}, True),  # production
    ({"EGOV_PAYMENT_SANDBOX": False, "EGOV_VNPAY_URL": REAL_GATEWAY, "EGOV_TESTING": False}, False),  # sandbox off
])
def test_the_system_check_refuses_the_sandbox_beside_a_real_gateway_or_without_debug(settings, overrides, refused):
    settings.EGOV_PAYMENT_SANDBOX = True
    for name, value in overrides.items():
        setattr(settings, name, value)

    errors = _sandbox_errors()

    assert bool(errors) is refused
    if refused:
        assert errors[0].level == 40 and "EGOV_PAYMENT_SANDBOX" in errors[0].msg


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", [{"EGOV_VNPAY_URL": REAL_GATEWAY}, {"DEBUG": False, "EGOV_TESTING": False}])
def test_a_refused_sandbox_answers_404_and_signs_nothing(client, start_payment, settings, overrides):
    payment = start_payment()
    assert client.get(f"{reverse('payments:sandbox_pay')}?{_query(payment)}").status_code == 200
    settings.EGOV_PAYMENT_SANDBOX = True
    for name, value in overrides.items():
        setattr(settings, name, value)

    with mock.patch("public_services.payments.tasks.sandbox_ipn_task.apply_async"):
        pay_page = client.get(f"{reverse('payments:sandbox_pay')}?{_query(payment)}")
        paid = client.post(reverse("payments:sandbox_pay"), {"request": _query(payment), "action": "pay"})

    assert pay_page.status_code == 404 and paid.status_code == 404
    assert not OutboxMessage.objects.filter(task_name="payments.sandbox_ipn").exists()


@pytest.mark.django_db
def test_a_refused_sandbox_is_not_offered_to_the_citizen(client, citizen, dossier, settings):
    settings.EGOV_PAYMENT_SANDBOX = True
    settings.EGOV_TESTING = False  # DEBUG is off: as in production, with the sandbox switched on by mistake
    client.force_login(citizen)

    response = client.post(reverse("payments:dossier", args=[dossier.code]))

    assert response.status_code == 503
    assert "Cổng thanh toán chưa được cấu hình." in response.content.decode()


@pytest.mark.parametrize(("environment", "refused"), [
    ({"DEBUG": "1", "EGOV_VNPAY_URL": REAL_GATEWAY}, False),  # the default follows: no sandbox beside a gateway
    ({"DEBUG": "1", "EGOV_VNPAY_URL": REAL_GATEWAY, "EGOV_PAYMENT_SANDBOX": "1"}, True),
    ({"DEBUG": "0", "EGOV_PAYMENT_SANDBOX": "1"}, True),
])
def test_manage_py_check_fails_on_a_sandbox_where_it_must_not_run(environment, refused):
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings
    from django.core.management.utils import get_random_secret_key

    # A clean environment, as a server's: nothing of the test settings (EGOV_TESTING) leaks in.
    clean = {key: value for key in ("PATH", "HOME", "LANG", "TMPDIR") if (value := os.environ.get(key))}
    clean |= {key: value for key, value in os.environ.items() if key.startswith("EGOV_EMBEDDED_PG")}
    clean |= {"SECRET_KEY": get_random_secret_key() + get_random_secret_key(), "ALLOWED_HOSTS": "egov.example.vn",
              "DJANGO_SETTINGS_MODULE": "egov.settings.base", "EGOV_VNPAY_HASH_SECRET": "real-merchant-secret",
              "EGOV_VNPAY_TMN_CODE": "REAL0001", **environment}
    if os.environ.get("DATABASE_URL"):
        clean["DATABASE_URL"] = os.environ["DATABASE_URL"]
    result = subprocess.run([sys.executable, "manage.py", "check", "--tag", "payments"], cwd=Path(settings.BASE_DIR),
                            env=clean, capture_output=True, text=True, timeout=300)

    output = result.stdout + result.stderr
    assert (result.returncode != 0) is refused, output
    assert ("egov.E001" in output) is refused, output
