"""Fees paid for dossiers refused or withdrawn before the dossier-closed hook owed them back: owed back now.

Since this release refusing or withdrawing a dossier turns its paid fee into a refund owed (refund_due, reason
dossier_closed) in the same transaction, and the citizen's pages say the money will be given back. Dossiers closed
earlier kept their payments `paid`: their pages would say so while the operators' list of refunds owed (the admin's
refund_due filter) left them out. Each such payment is owed back with an event of the source "system" naming this
migration (no actor: no one acted now; the refusal or withdrawal itself is in the dossier's history). Not reversed: the refund may be under
way by then."""

from django.db import migrations
from django.utils import timezone

CLOSED = ("refused", "withdrawn")
ACTION = {"refused": "refund_on_refuse", "withdrawn": "refund_on_withdraw"}


def owe_back_closed(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    PaymentEvent = apps.get_model("payments", "PaymentEvent")
    now = timezone.now()
    payments = list(Payment.objects.filter(state="paid", dossier__state__in=CLOSED).values_list("pk", "dossier__state"))
    if not payments:
        return
    # update(): the state field is protected on instances (django-fsm), and this is a data repair, not a transition.
    Payment.objects.filter(pk__in=[pk for pk, _state in payments]).update(state="refund_due",
                                                                          refund_reason="dossier_closed")
    PaymentEvent.objects.bulk_create([
        PaymentEvent(payment_id=pk, action=ACTION[state], source="system", actor=None, at=now, from_state="paid",
                     to_state="refund_due", data={"refund_reason": "dossier_closed",
                                                  "by": "migration payments 0005 (dossier closed before this release)"})
        for pk, state in payments])


class Migration(migrations.Migration):

    dependencies = [
        ("payments", "0004_payment_refund_reason_closed"),
        ("one_stop", "0107_dossier_submission_key_by_submitter"),
    ]

    operations = [migrations.RunPython(owe_back_closed, migrations.RunPython.noop, elidable=True)]
