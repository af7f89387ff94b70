"""The payment's state machine as a table: (state, transition) → allowed? over every combination."""

import itertools

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from public_services.payments.constants import PaymentState
from public_services.payments.models import Payment

S = PaymentState
ALLOWED = {("pending", "pay"), ("expired", "pay"), ("pending", "fail"), ("pending", "expire")}
CALLS = {
    "pay": lambda p, now: p.pay(at=now, paid_at=now, transaction_no="1", bank_code="NCB", response_code="00",
                                receipt_number="2026/0000001"),
    "fail": lambda p, now: p.fail(at=now, transaction_no="0", bank_code="", response_code="24"),
    "expire": lambda p, now: p.expire(at=now),
}


@pytest.mark.parametrize("state, action", list(itertools.product(S.values, CALLS)))
def test_each_transition_is_allowed_only_from_its_states(state, action):
    payment = Payment(amount_vnd=1000, txn_ref="X-01", state=state)
    now = timezone.now()

    if (state, action) in ALLOWED:
        CALLS[action](payment, now)
        assert payment.closed_at == now
    else:
        with pytest.raises(TransitionNotAllowed):
            CALLS[action](payment, now)
        assert payment.state == state

