"""An IPN repeated at the same instant (or racing the return page) settles the payment exactly once."""

import threading

import pytest
from django.db import connection

from public_services.payments.constants import PaymentState
from public_services.payments.models import PaymentEvent, ReceiptCounter
from public_services.payments.providers.base import IpnOutcome
from public_services.payments.services import payment_ipn_process, payment_return_record
from tests.public_services.payments.conftest import gateway_params

pytestmark = pytest.mark.django_db(transaction=True)


def _in_parallel(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_ipns_settle_the_payment_once(start_payment):
    payment = start_payment()
    params = gateway_params(payment)

    outcomes = _in_parallel([lambda: payment_ipn_process(params=params) for _ in range(4)])

    assert sorted(o.value for o in outcomes) == sorted(
        [IpnOutcome.CONFIRMED.value] + [IpnOutcome.ALREADY_CONFIRMED.value] * 3)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert PaymentEvent.objects.filter(payment=payment, action="pay").count() == 1
    assert ReceiptCounter.objects.get().last == 1


def test_an_ipn_racing_the_return_page_is_processed_once(start_payment, citizen):
    payment = start_payment()
    params = gateway_params(payment)

    outcome, (returned, _result) = _in_parallel([lambda: payment_ipn_process(params=params),
                                                 lambda: payment_return_record(params=params, user=citizen)])

    assert outcome == IpnOutcome.CONFIRMED
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert list(payment.events.order_by("action").values_list("action", flat=True)) == ["create", "pay", "return"]


def test_two_tabs_starting_at_the_same_instant_get_one_payment(start_payment, dossier):
    first, second = _in_parallel([start_payment, start_payment])

    assert first.pk == second.pk
    assert dossier.payments.count() == 1


def test_simultaneous_successes_of_two_attempts_pay_once_and_owe_one_refund(start_payment, dossier):
    from tests.public_services.payments.conftest import lapse

    first = start_payment()
    lapse(first)
    second = start_payment()

    outcomes = _in_parallel([lambda: payment_ipn_process(params=gateway_params(first)),
                             lambda: payment_ipn_process(params=gateway_params(second))])

    assert outcomes == [IpnOutcome.CONFIRMED, IpnOutcome.CONFIRMED]
    assert sorted(dossier.payments.values_list("state", flat=True)) == [PaymentState.PAID, PaymentState.REFUND_DUE]
