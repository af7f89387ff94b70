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
