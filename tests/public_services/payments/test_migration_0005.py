"""Migration payments 0005: a fee paid for a dossier refused or withdrawn before the dossier-closed hook owed it back is
owed back, with its event; other payments are left alone. The migration's function runs here on today's schema (the
fields it touches are unchanged since 0004)."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from public_services.payments.constants import PaymentState, RefundReason
from public_services.payments.models import Payment

pytestmark = pytest.mark.django_db

migration = importlib.import_module("public_services.payments.migrations.0005_refund_due_for_closed_dossiers")


def _paid(dossier, payer, suffix):
    now = timezone.now()
    payment = Payment.objects.create(dossier=dossier, payer=payer, amount_vnd=8_000, provider="vnpay",
                                     txn_ref=f"{dossier.code}-{suffix}", expires_at=now)
    Payment.objects.filter(pk=payment.pk).update(state="paid", paid_at=now, receipt_number=f"2026/00000{suffix}")
    return payment


def test_paid_fees_of_dossiers_closed_earlier_are_owed_back_with_an_event(submitted, citizen):
    from one_stop.models import Dossier

    refused = _paid(submitted, citizen, "01")
    Dossier.objects.filter(pk=submitted.pk).update(state="refused")  # closed before the hook existed

    migration.owe_back_closed(apps, None)

    refused.refresh_from_db()
    assert (refused.state, refused.refund_reason) == (PaymentState.REFUND_DUE, RefundReason.DOSSIER_CLOSED)
    event = refused.events.get(action="refund_on_refuse")
    assert (event.from_state, event.to_state, event.actor_id) == ("paid", "refund_due", None)
    assert "0005" in event.data["by"] and event.source == "system"

    migration.owe_back_closed(apps, None)  # run again (a re-applied migration): nothing more
    assert refused.events.filter(action="refund_on_refuse").count() == 1


def test_paid_fees_of_open_dossiers_stay_paid(submitted, citizen):
    open_payment = _paid(submitted, citizen, "02")

    migration.owe_back_closed(apps, None)

    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.PAID and not open_payment.events.exists()
