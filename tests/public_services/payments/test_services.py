"""Starting a payment, the IPN as the authority, the return page's record, expiry, the receipt."""

import subprocess
from datetime import timedelta
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.notifications.models import Notification
from one_stop.services.dossiers import dossier_submit_online
from public_services.payments.constants import PaymentState
from public_services.payments.models import Payment, PaymentEvent
from public_services.payments.providers.base import IpnOutcome
from public_services.payments.services import (
    payment_ipn_process,
    payment_return_record,
    payment_start,
    payments_expire_overdue,
)
from tests.factories import UserFactory
from tests.public_services.payments.conftest import FEE, gateway_params, lapse

pytestmark = pytest.mark.django_db


def test_the_owner_starts_a_pending_payment_of_the_versions_fee_with_a_signed_gateway_address(start_payment, dossier):
    payment = start_payment()

    assert (payment.state, payment.amount_vnd, payment.currency, payment.txn_ref) == (
        PaymentState.PENDING, FEE, "VND", f"{dossier.code}-01")
    query = dict(parse_qsl(urlsplit(payment.gateway_url).query))
    assert query["vnp_Amount"] == str(FEE * 100) and query["vnp_TxnRef"] == payment.txn_ref
    assert payment.expires_at - payment.created_at == pytest.approx(timedelta(minutes=15), abs=timedelta(seconds=2))
    assert list(payment.events.values_list("action", "from_state", "to_state")) == [("create", "", "pending")]


def test_another_citizen_cannot_start_paying_someone_elses_dossier(start_payment, other_citizen):
    with pytest.raises(ApplicationError) as error:
        start_payment(payer=other_citizen)

    assert error.value.status == 404
    assert not Payment.objects.exists()


def test_a_dossier_without_a_fee_cannot_be_paid(citizen, free_procedure, agency):
    dossier = dossier_submit_online(citizen=citizen, procedure=free_procedure, handling_agency=agency)

    with pytest.raises(ApplicationError) as error:
        payment_start(dossier=dossier, payer=citizen, ip_address="", return_url="http://x/", gateway_url="http://g/")

    assert (error.value.code, error.value.status) == ("no_fee", 409)


def test_a_paid_dossier_cannot_be_paid_again_but_a_failed_attempt_may_be_followed_by_another(start_payment):
    first = start_payment()
    assert payment_ipn_process(params=gateway_params(first, success=False)) == IpnOutcome.CONFIRMED

    second = start_payment()
    assert second.txn_ref.endswith("-02")
    assert payment_ipn_process(params=gateway_params(second)) == IpnOutcome.CONFIRMED

    with pytest.raises(ApplicationError) as error:
        start_payment()
    assert error.value.code == "already_paid"


def test_the_database_refuses_a_second_paid_payment_for_one_dossier(start_payment):
    first = start_payment()
    lapse(first)
    second = start_payment()
    Payment.objects.filter(pk=first.pk).update(state=PaymentState.PAID)

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=second.pk).update(state=PaymentState.PAID)


def test_a_successful_ipn_pays_numbers_the_receipt_and_records_the_event(start_payment, django_capture_on_commit_callbacks):
    payment = start_payment()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = payment_ipn_process(params=gateway_params(payment))

    payment.refresh_from_db()
    assert outcome == IpnOutcome.CONFIRMED
    assert (payment.state, payment.provider_transaction_no, payment.bank_code) == (PaymentState.PAID, "14226112", "NCB")
    assert payment.receipt_number == f"{timezone.localtime().year}/0000001"
    assert payment.ipn_params["vnp_TxnRef"] == payment.txn_ref
    event = payment.events.get(action="pay")
    assert (event.source, event.from_state, event.to_state) == ("ipn", "pending", "paid")
    assert payment.receipt_file.name.endswith(".pdf")


def test_a_repeated_ipn_is_answered_already_confirmed_and_changes_nothing(start_payment):
    payment = start_payment()
    params = gateway_params(payment)
    payment_ipn_process(params=params)

    assert payment_ipn_process(params=params) == IpnOutcome.ALREADY_CONFIRMED
    assert PaymentEvent.objects.filter(payment=payment, action="pay").count() == 1


@pytest.mark.parametrize("tamper, outcome", [
    (lambda p: {**p, "vnp_SecureHash": "ab" * 64}, IpnOutcome.INVALID_SIGNATURE),
    (lambda p: {**p, "vnp_Amount": "100"}, IpnOutcome.INVALID_SIGNATURE),
])
def test_a_tampered_ipn_is_refused(start_payment, tamper, outcome):
    payment = start_payment()

    assert payment_ipn_process(params=tamper(gateway_params(payment))) == outcome
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


def test_an_ipn_for_another_amount_or_an_unknown_order_is_refused_even_when_signed(start_payment):
    payment = start_payment()

    assert payment_ipn_process(params=gateway_params(payment, amount_vnd=FEE - 1000)) == IpnOutcome.INVALID_AMOUNT
    assert payment_ipn_process(params=gateway_params(payment, vnp_TxnRef="KHONG-CO-01")) == IpnOutcome.ORDER_NOT_FOUND
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


def test_a_failed_ipn_marks_the_payment_failed(start_payment):
    payment = start_payment()

    assert payment_ipn_process(params=gateway_params(payment, success=False)) == IpnOutcome.CONFIRMED
    payment.refresh_from_db()
    assert (payment.state, payment.response_code) == (PaymentState.FAILED, "24")


def test_the_return_records_what_the_browser_carried_but_does_not_settle_the_payment(start_payment, citizen):
    payment = start_payment()

    returned, result = payment_return_record(params=gateway_params(payment), user=citizen)

    assert result.success and returned.state == PaymentState.PENDING
    assert returned.return_params["vnp_ResponseCode"] == "00"
    assert list(returned.events.values_list("action", "source")) == [("create", "citizen"), ("return", "return")]


def test_a_forged_return_or_someone_elses_return_is_refused(start_payment, other_citizen, citizen):
    payment = start_payment()

    with pytest.raises(ApplicationError) as forged:
        payment_return_record(params={**gateway_params(payment), "vnp_Amount": "100"}, user=citizen)
    with pytest.raises(ApplicationError) as foreign:
        payment_return_record(params=gateway_params(payment), user=other_citizen)

    assert (forged.value.status, foreign.value.status) == (400, 404)


def test_a_pending_payment_expires_after_fifteen_minutes_once(start_payment):
    payment = start_payment()
    later = payment.created_at + timedelta(minutes=14)

    with mock.patch("django.utils.timezone.now", return_value=later):
        assert payments_expire_overdue() == 0
    with mock.patch("django.utils.timezone.now", return_value=later + timedelta(minutes=2)):
        assert payments_expire_overdue() == 1
        assert payments_expire_overdue() == 0

    payment.refresh_from_db()
    assert payment.state == PaymentState.EXPIRED
    event = payment.events.get(action="expire")
    assert (event.source, event.from_state, event.to_state, event.actor) == ("expiry", "pending", "expired", None)


def test_a_late_successful_ipn_still_confirms_an_expired_payment(start_payment):
    payment = start_payment()
    with mock.patch("django.utils.timezone.now", return_value=payment.expires_at + timedelta(minutes=1)):
        payments_expire_overdue()

    assert payment_ipn_process(params=gateway_params(payment)) == IpnOutcome.CONFIRMED
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID


def test_starting_again_while_an_attempt_is_payable_returns_that_attempt(start_payment, dossier):
    first = start_payment()

    again = start_payment()

    assert (again.pk, again.gateway_url) == (first.pk, first.gateway_url)
    assert Payment.objects.filter(dossier=dossier).count() == 1
    assert list(first.events.values_list("action", flat=True)) == ["create"]


def test_an_attempt_past_its_time_is_not_reused(start_payment):
    first = start_payment()
    lapse(first)

    second = start_payment()

    assert second.pk != first.pk and second.txn_ref.endswith("-02")


def test_an_attempt_paid_after_the_dossiers_fee_changed_is_a_refund_due_and_the_new_fee_is_paid_anew(
        start_payment, dossier, citizen, client):
    """Found in review: an attempt begun at the old fee and paid after the desk fixed another one (an exemption, a
    new channel) was taken as the fee, with a receipt for a sum nobody owed."""
    from one_stop.models import Dossier
    from public_services.payments.constants import RefundReason

    begun = start_payment()
    Dossier.objects.filter(pk=dossier.pk).update(fee_vnd=FEE // 2)

    assert payment_ipn_process(params=gateway_params(begun)) == IpnOutcome.CONFIRMED

    begun.refresh_from_db()
    assert (begun.state, begun.refund_reason, begun.receipt_number) == (
        PaymentState.REFUND_DUE, RefundReason.FEE_CHANGED, "")
    assert list(begun.events.values_list("action", "to_state")) == [
        ("create", "pending"), ("ipn_fee_changed", "refund_due")]
    client.force_login(citizen)
    page = client.get(f"/thanh-toan/ho-so/{dossier.code}/").content.decode()
    assert "theo số tiền phải nộp trước đây, nay đã thay đổi" in page and "Thanh toán trực tuyến" in page
    status = client.get(f"/thanh-toan/giao-dich/{begun.txn_ref}/trang-thai/").content.decode()
    assert "Số tiền phải nộp đã thay đổi: khoản tiền này sẽ được hoàn lại" in status
    # The fee now due is paid in an attempt of its own, and that one is the fee.
    dossier.refresh_from_db()
    again = start_payment(dossier=dossier)
    assert again.amount_vnd == FEE // 2
    payment_ipn_process(params=gateway_params(again))
    again.refresh_from_db()
    assert again.state == PaymentState.PAID and again.receipt_number


def test_a_second_attempt_paid_at_the_gateway_is_recorded_as_a_refund_due_not_as_the_fee(start_payment):
    first = start_payment()
    lapse(first)
    second = start_payment()
    payment_ipn_process(params=gateway_params(second))

    # The first attempt's tab was still open and was paid too.
    assert payment_ipn_process(params=gateway_params(first)) == IpnOutcome.CONFIRMED

    first.refresh_from_db()
    assert first.state == PaymentState.REFUND_DUE and first.receipt_number == "" and first.refund_reason == "duplicate"
    assert (first.provider_transaction_no, first.paid_at is not None) == ("14226112", True)
    assert list(first.events.values_list("action", "to_state")) == [
        ("create", "pending"), ("ipn_duplicate_success", "refund_due")]
    assert Payment.objects.filter(state=PaymentState.PAID).get() == second
    # Repeated, the IPN changes nothing more.
    assert payment_ipn_process(params=gateway_params(first)) == IpnOutcome.ALREADY_CONFIRMED


def test_the_receipt_names_the_amount_in_digits_and_words_the_dossier_and_the_transaction(
        start_payment, dossier, citizen, django_capture_on_commit_callbacks, tmp_path):
    payment = start_payment()
    with django_capture_on_commit_callbacks(execute=True):
        payment_ipn_process(params=gateway_params(payment))
    payment.refresh_from_db()

    path = tmp_path / "receipt.pdf"
    path.write_bytes(payment.receipt_file.read())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
    assert "50.000 đồng" in text and "Năm mươi nghìn đồng" in text
    assert dossier.code in text and "14226112" in text and payment.receipt_number in text
    assert "Đặng Văn Công" in text


def test_the_payer_is_told_in_the_portal_and_by_email_once(start_payment, citizen, django_capture_on_commit_callbacks):
    from public_services.payments.services import payment_receipt_issue

    payment = start_payment()
    with django_capture_on_commit_callbacks(execute=True):
        payment_ipn_process(params=gateway_params(payment))
    payment_receipt_issue(payment_id=payment.pk)  # a redelivered task

    channels = sorted(Notification.objects.filter(recipient=citizen, template="payment_paid").values_list("channel", flat=True))
    assert channels == ["email", "in_app"]


def test_a_payer_who_chose_english_is_told_in_english(start_payment, citizen, django_capture_on_commit_callbacks):
    from egov.accounts.services import user_language_set

    user_language_set(user=citizen, language="en")
    payment = start_payment()
    with django_capture_on_commit_callbacks(execute=True):
        payment_ipn_process(params=gateway_params(payment))
    subjects = set(Notification.objects.filter(recipient=citizen, template="payment_paid").values_list("subject", flat=True))
    assert subjects == {f"Fees and charges paid for dossier {payment.dossier.code}"}


def test_celery_beat_expires_overdue_payments_every_minute(settings, start_payment):
    from public_services.payments.tasks import payments_expire_overdue_task

    entry = settings.CELERY_BEAT_SCHEDULE["payments-expire-overdue"]
    assert (entry["task"], entry["schedule"]) == (payments_expire_overdue_task.name, 60.0)
    payment = start_payment()
    with mock.patch("django.utils.timezone.now", return_value=payment.expires_at + timedelta(seconds=1)):
        assert payments_expire_overdue_task.apply().get() == 1


def test_the_fee_fixed_by_the_desk_wins_and_an_exemption_cannot_be_paid(citizen, procedure, agency):
    from one_stop.services.dossiers import dossier_act
    from public_services.payments.services import dossier_fee_due

    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    dossier = dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=agency)
    assert dossier_fee_due(dossier) == FEE  # not yet received: the version's fee
    dossier = dossier_act(dossier=dossier, user=clerk, action="receive")
    assert dossier.fee_vnd == FEE and dossier_fee_due(dossier) == FEE
    dossier.fee_vnd, dossier.fee_note = 0, "Hộ nghèo"
    dossier.save(update_fields=["fee_vnd", "fee_note"])
    with pytest.raises(ApplicationError):
        payment_start(dossier=dossier, payer=citizen, ip_address="", return_url="http://x/", gateway_url="http://g/")


def test_a_success_for_a_pending_payment_of_a_refused_dossier_is_a_refund_due_without_a_receipt(
        start_payment, dossier, citizen, client, django_capture_on_commit_callbacks):
    """Found in review: an attempt still pending at the gateway and paid after the dossier was refused was taken as
    the fee, with a receipt number and the receipt e-mail, for a dossier that owes nothing."""
    from one_stop.models import Dossier
    from public_services.payments.constants import RefundReason

    begun = start_payment()
    # Refused while this IPN was on its way (the refusal left the attempt pending: an IPN held it then).
    Dossier.objects.filter(pk=dossier.pk).update(state="refused")

    with django_capture_on_commit_callbacks(execute=True):
        assert payment_ipn_process(params=gateway_params(begun)) == IpnOutcome.CONFIRMED

    begun.refresh_from_db()
    assert (begun.state, begun.refund_reason, begun.receipt_number, bool(begun.receipt_file)) == (
        PaymentState.REFUND_DUE, RefundReason.DOSSIER_CLOSED, "", False)
    assert list(begun.events.values_list("action", "to_state")) == [
        ("create", "pending"), ("ipn_dossier_closed", "refund_due")]
    assert not Notification.objects.filter(recipient=citizen, template="payment_paid").exists()
    client.force_login(citizen)
    page = client.get(f"/thanh-toan/ho-so/{dossier.code}/").content.decode()
    assert "sau khi hồ sơ đã bị từ chối, nên không phải nộp: khoản tiền này sẽ được hoàn lại" in page
    status = client.get(f"/thanh-toan/giao-dich/{begun.txn_ref}/trang-thai/").content.decode()
    assert "Hồ sơ đã bị từ chối hoặc đã rút: khoản tiền này sẽ được hoàn lại" in status
    assert "Cần hỏi về việc hoàn tiền: liên hệ UBND phường Đông Kinh" in status


def test_withdrawing_a_dossier_expires_its_pending_payment_and_a_late_success_is_a_refund_due(
        start_payment, dossier, citizen):
    from public_services.payments.constants import PaymentEventSource, RefundReason
    from public_services.services import portal_dossier_withdraw

    begun = start_payment()

    portal_dossier_withdraw(dossier=dossier, citizen=citizen, note="Nộp nhầm thủ tục", confirmed=True)

    begun.refresh_from_db()
    assert begun.state == PaymentState.EXPIRED and begun.closed_at is not None
    assert list(begun.events.values_list("action", "source", "actor", "from_state", "to_state")) == [
        ("create", PaymentEventSource.CITIZEN, citizen.pk, "", "pending"),
        ("expire_on_withdraw", PaymentEventSource.CITIZEN, citizen.pk, "pending", "expired")]
    # The gateway had already taken the money: it comes back as a refund owed, never as the fee.
    assert payment_ipn_process(params=gateway_params(begun)) == IpnOutcome.CONFIRMED
    begun.refresh_from_db()
    assert (begun.state, begun.refund_reason, begun.receipt_number) == (
        PaymentState.REFUND_DUE, RefundReason.DOSSIER_CLOSED, "")


def test_refusing_a_dossier_expires_its_pending_payment_in_the_same_transaction(start_payment, dossier, agency_clerk):
    from one_stop.services.dossiers import dossier_act
    from public_services.payments.constants import PaymentEventSource

    begun = start_payment()

    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")

    begun.refresh_from_db()
    assert begun.state == PaymentState.EXPIRED
    assert list(begun.events.values_list("action", "source", "actor", "from_state", "to_state"))[-1] == (
        "expire_on_refuse", PaymentEventSource.STAFF, agency_clerk.pk, "pending", "expired")
