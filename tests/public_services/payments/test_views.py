"""The pages and the API: who sees what, the way to the gateway, the IPN endpoint, the receipt."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from egov.accounts.roles import Role
from one_stop.services.dossiers import dossier_submit_online
from public_services.payments.constants import PaymentState
from public_services.payments.models import Payment
from public_services.payments.services import payment_ipn_process
from tests.factories import AgencyFactory, UserFactory, login_verified_superuser
from tests.public_services.payments.conftest import FEE, gateway_params, lapse

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(start_payment, django_capture_on_commit_callbacks):
    payment = start_payment()
    with django_capture_on_commit_callbacks(execute=True):
        payment_ipn_process(params=gateway_params(payment))
    payment.refresh_from_db()
    return payment


def test_the_owner_sees_the_fee_and_the_button(client, citizen, dossier):
    client.force_login(citizen)

    response = client.get(reverse("payments:dossier", args=[dossier.code]))

    assert response.status_code == 200
    assert "50.000" in response.content.decode() and "Thanh toán trực tuyến" in response.content.decode()


def test_the_page_names_the_payment_time_limit_the_settings_give(client, citizen, dossier, settings):
    settings.EGOV_PAYMENT_EXPIRY_MINUTES = 30
    client.force_login(citizen)

    body = client.get(reverse("payments:dossier", args=[dossier.code])).content.decode()

    assert "giao dịch cần hoàn tất trong 30 phút" in body and "15 phút" not in body


def test_a_withdrawn_dossier_offers_no_payment_button(client, citizen, dossier):
    """Found in review: the button stayed on a refused or withdrawn dossier, and paying was then refused (409)."""
    from one_stop.models import Dossier

    Dossier.objects.filter(pk=dossier.pk).update(state="withdrawn")
    client.force_login(citizen)
    page = client.get(reverse("payments:dossier", args=[dossier.code])).content.decode()
    assert "Thanh toán trực tuyến" not in page and "Hồ sơ đã được rút, không cần nộp phí." in page


def test_the_payment_page_leads_back_to_the_dossier_and_keeps_the_citizens_header(client, citizen, dossier):
    client.force_login(citizen)

    html = client.get(reverse("payments:dossier", args=[dossier.code])).content.decode()

    assert f'href="{reverse("public_services:dossier", args=[dossier.code])}"' in html
    header = html[html.index("<header"):html.index("</header>")]
    assert f'href="{reverse("public_services:my_dossiers")}"' in header


def test_another_citizen_does_not_see_the_payment_page(client, other_citizen, dossier):
    client.force_login(other_citizen)

    assert client.get(reverse("payments:dossier", args=[dossier.code])).status_code == 404
    assert client.post(reverse("payments:dossier", args=[dossier.code])).status_code == 404
    assert not Payment.objects.exists()


def test_paying_leads_through_our_own_page_to_the_signed_sandbox_address(client, citizen, dossier):
    client.force_login(citizen)

    response = client.post(reverse("payments:dossier", args=[dossier.code]))

    payment = Payment.objects.get()
    assert response["Location"] == reverse("payments:go", args=[payment.txn_ref])
    onward = client.get(response["Location"])
    assert onward.status_code == 302
    assert onward["Location"].startswith("http://testserver/thanh-toan/cong-thu-nghiem/?vnp_Amount=5000000&")
    assert "vnp_ReturnUrl=http%3A%2F%2Ftestserver%2Fthanh-toan%2Fket-qua%2F" in onward["Location"]


def test_without_a_gateway_or_sandbox_paying_is_refused_clearly(client, citizen, dossier, settings):
    settings.EGOV_PAYMENT_SANDBOX = False
    settings.EGOV_VNPAY_URL = ""
    client.force_login(citizen)

    response = client.post(reverse("payments:dossier", args=[dossier.code]))

    assert response.status_code == 503
    assert "Cổng thanh toán chưa được cấu hình." in response.content.decode()
    assert client.get(reverse("payments:sandbox_pay")).status_code == 404


def test_the_ipn_endpoint_answers_in_the_gateways_json(client, start_payment):
    payment = start_payment()
    params = gateway_params(payment)

    first = client.get(reverse("payments:ipn"), params)
    again = client.get(reverse("payments:ipn"), params)
    forged = client.get(reverse("payments:ipn"), {**params, "vnp_Amount": "100"})

    assert first.json() == {"RspCode": "00", "Message": "Confirm Success"}
    assert again.json()["RspCode"] == "02"
    assert forged.json()["RspCode"] == "97"


def test_the_return_page_says_it_is_confirming_until_the_ipn_arrives(client, citizen, start_payment):
    payment = start_payment()
    client.force_login(citizen)
    params = gateway_params(payment)

    waiting = client.get(reverse("payments:return"), params).content.decode()
    payment_ipn_process(params=params)
    done = client.get(reverse("payments:return"), params).content.decode()

    assert "Đang xác nhận thanh toán" in waiting
    assert "Thanh toán thành công" in done


def test_a_return_with_a_bad_signature_is_an_error_page(client, citizen, start_payment):
    payment = start_payment()
    client.force_login(citizen)

    response = client.get(reverse("payments:return"), {**gateway_params(payment), "vnp_SecureHash": "00"})

    assert response.status_code == 400
    assert "sai chữ ký" in response.content.decode()


def test_the_receipt_is_for_the_payer_and_the_dossiers_agency_only(client, paid, citizen, other_citizen, agency_clerk):
    url = reverse("payments:receipt", args=[paid.txn_ref])
    outsider = UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK])

    for user, status in ((citizen, 200), (agency_clerk, 200), (other_citizen, 404), (outsider, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_api_starts_a_payment_for_the_owner(client, citizen, dossier):
    token = Token.objects.create(user=citizen)

    response = client.post(f"/api/v1/dossiers/{dossier.code}/payments/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"payment_url", "txn_ref", "amount_vnd"}
    assert body["amount_vnd"] == FEE and body["txn_ref"] == f"{dossier.code}-01"
    assert "vnp_SecureHash=" in body["payment_url"]


def test_the_api_refuses_another_citizen_and_a_free_dossier(client, other_citizen, citizen, dossier, free_procedure, agency):
    client.force_login(other_citizen)
    assert client.post(f"/api/v1/dossiers/{dossier.code}/payments/").status_code == 404
    assert client.get(f"/api/v1/dossiers/{dossier.code}/payments/").status_code == 404

    free = dossier_submit_online(citizen=citizen, procedure=free_procedure, handling_agency=agency)
    client.force_login(citizen)
    response = client.post(f"/api/v1/dossiers/{free.code}/payments/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_fee"


def test_the_api_lists_payments_to_the_owner_and_agency_staff_in_constant_queries(
        client, citizen, agency_clerk, dossier, start_payment, django_assert_max_num_queries):
    lapse(start_payment())
    client.force_login(agency_clerk)
    with django_assert_max_num_queries(12) as one:
        assert len(client.get(f"/api/v1/dossiers/{dossier.code}/payments/").json()) == 1
    for _ in range(5):
        lapse(start_payment())
    with django_assert_max_num_queries(len(one.captured_queries)):
        rows = client.get(f"/api/v1/dossiers/{dossier.code}/payments/").json()
    assert len(rows) == 6 and rows[0]["state"] == PaymentState.PENDING and rows[0]["dossier"] == dossier.code


def test_the_api_serves_the_receipt_to_the_payer(client, paid, citizen, other_citizen):
    client.force_login(other_citizen)
    assert client.get(f"/api/v1/payments/{paid.txn_ref}/receipt/").status_code == 404

    client.force_login(citizen)
    response = client.get(f"/api/v1/payments/{paid.txn_ref}/receipt/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_payment_page_runs_constant_queries_whatever_the_number_of_attempts(
        client, citizen, dossier, start_payment, django_assert_max_num_queries):
    lapse(start_payment())
    client.force_login(citizen)
    url = reverse("payments:dossier", args=[dossier.code])
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    for _ in range(5):
        lapse(start_payment())
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count(f"{dossier.code}-0") == 6


def test_the_schema_documents_the_payment_endpoints(client, citizen):
    client.force_login(citizen)

    schema = client.get("/api/schema/").content.decode()

    assert "/api/v1/dossiers/{code}/payments/" in schema and "/api/v1/payments/{txn_ref}/receipt/" in schema


def test_a_draft_cannot_be_paid(client, citizen, procedure, agency):
    """A draft may never be submitted and cannot be deleted: the gateway took money for one."""
    from one_stop.services.dossiers import dossier_draft_create

    draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    client.force_login(citizen)
    page = client.get(f"/thanh-toan/ho-so/{draft.code}/")
    assert page.status_code == 200 and "Hồ sơ chưa được nộp" in page.content.decode()
    assert 'type="submit">Thanh toán trực tuyến' not in page.content.decode()
    refused = client.post(f"/thanh-toan/ho-so/{draft.code}/")
    assert refused.status_code == 409 and not draft.payments.exists()


def test_two_tabs_paying_the_same_dossier_are_sent_to_the_same_gateway_order(client, citizen, dossier):
    client.force_login(citizen)
    url = reverse("payments:dossier", args=[dossier.code])

    first, second = client.post(url), client.post(url)

    payment = Payment.objects.get()
    assert first["Location"] == second["Location"] == reverse("payments:go", args=[payment.txn_ref])
    assert client.get(second["Location"])["Location"] == payment.gateway_url
    assert f"Giao dịch {payment.txn_ref} đang chờ thanh toán" in client.get(url).content.decode()


def test_the_api_hands_back_the_attempt_still_payable(client, citizen, dossier):
    token = Token.objects.create(user=citizen)
    address = f"/api/v1/dossiers/{dossier.code}/payments/"

    created = client.post(address, HTTP_AUTHORIZATION=f"Token {token.key}")
    again = client.post(address, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json() == again.json()


def test_a_payer_charged_twice_is_told_the_truth_and_whom_to_ask(client, citizen, dossier, start_payment):
    first = start_payment()
    lapse(first)
    second = start_payment()
    payment_ipn_process(params=gateway_params(second))
    client.force_login(citizen)
    params = gateway_params(first)

    answer = client.get(reverse("payments:ipn"), params).json()
    result = client.get(reverse("payments:return"), params).content.decode()
    polled = client.get(reverse("payments:status", args=[first.txn_ref])).content.decode()
    page = client.get(reverse("payments:dossier", args=[dossier.code])).content.decode()

    assert answer["RspCode"] == "00"
    for body in (result, polled):
        assert "khoản tiền này sẽ được hoàn lại" in body and "chưa bị trừ tiền" not in body
        assert "Đang xác nhận thanh toán" not in body and "hx-trigger" not in body
        assert dossier.handling_agency.name in body and first.txn_ref in body
    assert "Chờ hoàn tiền" in page and "sau khi phí, lệ phí đã được thanh toán" in page and "sẽ được hoàn lại" in page


def test_a_pending_payment_without_success_does_not_claim_the_payer_was_not_charged(client, citizen, start_payment):
    payment = start_payment()
    client.force_login(citizen)

    body = client.get(reverse("payments:status", args=[payment.txn_ref])).content.decode()

    assert "chưa bị trừ tiền" not in body
    assert "Chưa xác nhận được thanh toán" in body


def test_the_operator_finds_payments_to_refund_in_the_admin(client, dossier, start_payment):
    login_verified_superuser(client)
    first = start_payment()
    lapse(first)
    payment_ipn_process(params=gateway_params(start_payment()))
    payment_ipn_process(params=gateway_params(first))

    listing = client.get("/admin/payments/payment/", {"state__exact": "refund_due"}).content.decode()

    assert first.txn_ref in listing and f"{dossier.code}-02" not in listing
