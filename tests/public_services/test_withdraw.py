"""Withdrawing a dossier: never in one click, and honest about a fee already paid (it is owed back)."""

import pytest
from django.urls import reverse

from one_stop.constants import DossierState
from public_services.payments.constants import PaymentState
from public_services.payments.models import Payment

pytestmark = pytest.mark.django_db


def withdraw_url(dossier):
    return reverse("public_services:withdraw", args=[dossier.code])


@pytest.fixture
def paid(submitted, citizen, settings):
    """The dossier's fee, paid online (as the IPN leaves it)."""
    from django.utils import timezone

    submitted.fee_vnd = 8_000
    submitted.save(update_fields=["fee_vnd"])
    submitted.handling_agency.phone = "0205 3870 123"
    submitted.handling_agency.save(update_fields=["phone"])
    now = timezone.now()
    payment = Payment.objects.create(dossier=submitted, payer=citizen, amount_vnd=8_000, provider="vnpay",
                                     txn_ref=f"{submitted.code}-01", expires_at=now)
    Payment.objects.filter(pk=payment.pk).update(state=PaymentState.PAID, paid_at=now, receipt_number="2026/0000001")
    return payment


def test_the_withdrawal_form_asks_for_a_confirmation(client, citizen, submitted):
    client.force_login(citizen)

    body = client.get(reverse("public_services:dossier", args=[submitted.code])).content.decode()

    assert 'name="xac_nhan" required' in body and f"Tôi xác nhận rút hồ sơ {submitted.code}." in body
    assert 'id="rut-hoan-phi"' not in body  # nothing was paid


def test_without_the_box_ticked_nothing_is_withdrawn_and_the_reason_comes_back(client, citizen, submitted):
    client.force_login(citizen)

    response = client.post(withdraw_url(submitted), {"note": "Nộp nhầm thủ tục"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Hồ sơ chưa được rút." in body and "Đánh dấu ô xác nhận để rút hồ sơ." in body
    assert 'value="Nộp nhầm thủ tục"' in body
    submitted.refresh_from_db()
    assert submitted.state == DossierState.SUBMITTED


def test_without_a_reason_the_confirmation_page_asks_for_it(client, citizen, submitted):
    client.force_login(citizen)

    response = client.post(withdraw_url(submitted), {"xac_nhan": "on"})

    assert response.status_code == 400 and "Cần ghi rõ lý do rút hồ sơ." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == DossierState.SUBMITTED


def test_a_paid_dossier_says_before_withdrawing_that_the_fee_will_be_refunded_and_whom_to_ask(
        client, citizen, submitted, paid):
    client.force_login(citizen)

    page = client.get(reverse("public_services:dossier", args=[submitted.code])).content.decode()
    confirm = client.post(withdraw_url(submitted), {"note": "Nộp nhầm"}).content.decode()

    for body in (page, confirm):
        assert "Hồ sơ đã rút thì không phải nộp phí, lệ phí: khoản tiền này sẽ được hoàn lại." in body
        assert paid.txn_ref in body and "8.000" in body
        assert submitted.handling_agency.name in body and "0205 3870 123" in body


def test_after_withdrawing_a_paid_dossier_its_page_keeps_the_refund_contact(client, citizen, submitted, paid):
    client.force_login(citizen)

    response = client.post(withdraw_url(submitted), {"note": "Nộp nhầm", "xac_nhan": "on"}, follow=True)

    body = response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == DossierState.WITHDRAWN
    assert f"Đã rút hồ sơ {submitted.code}." in body
    assert "Hồ sơ đã được rút sau khi bạn nộp phí, lệ phí 8.000 đồng" in body
    assert "khoản tiền này sẽ được hoàn lại" in body
    paid.refresh_from_db()
    assert paid.state == PaymentState.REFUND_DUE
    assert submitted.handling_agency.name in body and paid.txn_ref in body
    assert 'name="xac_nhan"' not in body


def test_the_service_refuses_an_unconfirmed_withdrawal(citizen, submitted):
    from egov.core.errors import ApplicationError
    from public_services.services import portal_dossier_withdraw

    with pytest.raises(ApplicationError) as refused:
        portal_dossier_withdraw(dossier=submitted, citizen=citizen, note="Nộp nhầm", confirmed=False)

    assert refused.value.status == 400 and set(refused.value.fields) == {"xac_nhan"}
    submitted.refresh_from_db()
    assert submitted.state == DossierState.SUBMITTED
