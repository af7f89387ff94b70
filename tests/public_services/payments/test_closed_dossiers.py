"""A fee paid for a dossier that is then refused or withdrawn is owed back (a closed dossier owes nothing), with its
event, and the payer sees the payment, its receipt and that the money comes back, whatever the dossier's state."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from egov.accounts.roles import Role
from egov.notifications.models import Notification
from one_stop.services.dossiers import dossier_act
from public_services.payments.constants import PaymentEventSource, PaymentState, RefundReason
from public_services.payments.providers.base import IpnOutcome
from public_services.payments.services import payment_ipn_process
from tests.public_services.payments.conftest import gateway_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(start_payment):
    """The dossier's fee paid online before the desk received it (as the IPN leaves it)."""
    payment = start_payment()
    assert payment_ipn_process(params=gateway_params(payment)) == IpnOutcome.CONFIRMED
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and payment.receipt_number
    return payment


def with_receipt(payment):
    payment.receipt_file.save(f"bien-lai-{payment.txn_ref}.pdf", ContentFile(b"%PDF-1.7 receipt"), save=True)
    return payment


def test_a_fee_paid_for_a_dossier_refused_at_the_desk_is_flagged_and_shown_to_the_payer(client, citizen, submitted, desk):
    """The reviewer's case (tests/public_services/test_review_portal.py): paid while submitted, refused before receipt."""
    from django.utils import timezone

    from public_services.payments.models import Payment

    now = timezone.now()
    payment = Payment.objects.create(dossier=submitted, payer=citizen, amount_vnd=8_000, provider="vnpay",
                                     txn_ref=f"{submitted.code}-01", expires_at=now)
    Payment.objects.filter(pk=payment.pk).update(state="paid", paid_at=now, receipt_number="2026/0000001")

    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="refuse", note="Không thuộc thẩm quyền")

    payment.refresh_from_db()
    assert (payment.state, payment.refund_reason) == (PaymentState.REFUND_DUE, RefundReason.DOSSIER_CLOSED)
    client.force_login(citizen)
    body = client.get(reverse("public_services:dossier", args=[submitted.code])).content.decode()
    # The payer who paid for a dossier refused before it was even received is told what happens to the money (as a
    # withdrawn one is), and the operator can find it.
    assert payment.txn_ref in body
    assert "Hồ sơ đã bị từ chối sau khi bạn nộp phí, lệ phí 8.000 đồng" in body
    assert "khoản tiền này sẽ được hoàn lại" in body and submitted.handling_agency.name in body
    # Paid before the desk fixed the fee (fee_vnd is None): still shown as paid, with the way to its receipt.
    assert "Đã thanh toán phí, lệ phí — xem biên lai" in body


def test_refusing_a_paid_dossier_before_receipt_owes_the_fee_back_with_its_event(paid, dossier, agency_clerk):
    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")

    paid.refresh_from_db()
    assert (paid.state, paid.refund_reason) == (PaymentState.REFUND_DUE, RefundReason.DOSSIER_CLOSED)
    assert paid.receipt_number  # the fee was collected: its receipt stays
    event = paid.events.last()
    assert (event.action, event.source, event.actor, event.from_state, event.to_state) == (
        "refund_on_refuse", PaymentEventSource.STAFF, agency_clerk, "paid", "refund_due")
    assert event.at is not None and event.data == {"refund_reason": "dossier_closed"}


def test_refusing_after_receipt_owes_the_fee_back_too(paid, dossier, agency_clerk, citizen, client):
    from tests.factories import UserFactory

    dossier = dossier_act(dossier=dossier, user=agency_clerk, action="receive")
    dossier = dossier_act(dossier=dossier, user=UserFactory(agency=dossier.handling_agency, roles=[Role.SPECIALIST]),
                          action="start")

    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Hồ sơ không đủ điều kiện")

    paid.refresh_from_db()
    assert (paid.state, paid.refund_reason) == (PaymentState.REFUND_DUE, RefundReason.DOSSIER_CLOSED)
    assert paid.events.last().action == "refund_on_refuse"
    client.force_login(citizen)
    body = client.get(reverse("public_services:dossier", args=[dossier.code])).content.decode()
    assert "Hồ sơ đã bị từ chối sau khi bạn nộp phí, lệ phí 50.000 đồng" in body


def test_withdrawing_a_paid_dossier_owes_the_fee_back_with_the_citizens_event(paid, dossier, citizen):
    from public_services.services import portal_dossier_withdraw

    portal_dossier_withdraw(dossier=dossier, citizen=citizen, note="Nộp nhầm thủ tục", confirmed=True)

    paid.refresh_from_db()
    assert (paid.state, paid.refund_reason) == (PaymentState.REFUND_DUE, RefundReason.DOSSIER_CLOSED)
    assert list(paid.events.values_list("action", "source", "actor", "from_state", "to_state"))[-1] == (
        "refund_on_withdraw", PaymentEventSource.CITIZEN, citizen.pk, "paid", "refund_due")


def test_a_fee_owed_back_keeps_its_receipt_for_the_payer_and_the_agency(paid, dossier, agency_clerk, citizen, client):
    with_receipt(paid)
    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")

    for user in (citizen, agency_clerk):
        client.force_login(user)
        assert client.get(reverse("payments:receipt", args=[paid.txn_ref])).status_code == 200
        assert client.get(f"/api/v1/payments/{paid.txn_ref}/receipt/").status_code == 200
    client.force_login(citizen)
    page = client.get(reverse("payments:dossier", args=[dossier.code])).content.decode()
    assert "hồ sơ sau đó đã bị từ chối nên không phải nộp: khoản tiền này sẽ được hoàn lại" in page
    assert reverse("payments:receipt", args=[paid.txn_ref]) in page
    assert "Thanh toán trực tuyến" not in page


def test_a_late_success_after_the_refusal_is_still_a_refund_without_a_receipt(start_payment, dossier, agency_clerk):
    begun = start_payment()
    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")

    assert payment_ipn_process(params=gateway_params(begun)) == IpnOutcome.CONFIRMED

    begun.refresh_from_db()
    assert (begun.state, begun.refund_reason, begun.receipt_number) == (
        PaymentState.REFUND_DUE, RefundReason.DOSSIER_CLOSED, "")


def test_a_repeated_ipn_for_a_fee_owed_back_changes_nothing(paid, dossier, agency_clerk):
    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")

    assert payment_ipn_process(params=gateway_params(paid)) == IpnOutcome.ALREADY_CONFIRMED

    paid.refresh_from_db()
    assert paid.state == PaymentState.REFUND_DUE


def test_the_receipt_of_a_fee_owed_back_before_it_was_rendered_is_issued_without_the_paid_message(
        paid, dossier, agency_clerk, citizen):
    from public_services.payments.services import payment_receipt_issue

    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")

    payment = payment_receipt_issue(payment_id=paid.pk)  # the receipt task ran after the refusal

    assert payment.receipt_file and payment.receipt_issued_at is not None
    assert not Notification.objects.filter(recipient=citizen, template="payment_paid").exists()


def test_an_open_dossier_paid_before_receipt_shows_the_payment(paid, dossier, citizen, client):
    assert dossier.fee_vnd is None  # the desk has not fixed the fee yet
    client.force_login(citizen)

    body = client.get(reverse("public_services:dossier", args=[dossier.code])).content.decode()

    assert "Đã thanh toán phí, lệ phí — xem biên lai" in body and "Thanh toán phí, lệ phí (" not in body


def test_the_withdrawal_form_says_a_paid_fee_will_come_back(paid, dossier, citizen, client):
    client.force_login(citizen)

    body = client.get(reverse("public_services:dossier", args=[dossier.code])).content.decode()

    assert "Hồ sơ đã rút thì không phải nộp phí, lệ phí: khoản tiền này sẽ được hoàn lại." in body
    assert paid.txn_ref in body


def test_the_staff_page_names_a_refused_dossiers_fee_as_paid_with_its_receipt_and_owed_back(paid, dossier, agency_clerk):
    """Found in review: the staff page said "Không có phí, lệ phí phải nộp" and gave no receipt where the citizen's page
    said the fee was paid and would be given back."""
    from public_services.payments.selectors import dossier_payment_status

    with_receipt(paid)
    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")
    dossier.refresh_from_db()

    status = dossier_payment_status(dossier=dossier)

    assert "Không có phí, lệ phí phải nộp" not in status.label
    assert f"biên lai số {paid.receipt_number}" in status.label
    assert "chờ hoàn tiền: Hồ sơ đã bị từ chối hoặc đã rút" in status.label
    assert paid.txn_ref not in status.label  # named once, as the fee paid, not again as another refund
    assert paid.txn_ref in status.receipt_url
