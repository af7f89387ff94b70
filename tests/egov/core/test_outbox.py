import pytest
from kombu.exceptions import OperationalError

from egov.core import outbox
from egov.core.models import OutboxMessage
from egov.core.outbox import outbox_enqueue, outbox_relay
from egov.notifications.tasks import notification_deliver_task

pytestmark = pytest.mark.django_db


def test_a_task_waits_in_the_outbox_until_the_commit(django_capture_on_commit_callbacks, monkeypatch):
    published = []
    monkeypatch.setattr(outbox, "_publish", published.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox_enqueue(notification_deliver_task, 42)
    assert published == [] and message.sent_at is None
    assert (message.task_name, message.args) == ("notifications.deliver", [42])
    for callback in callbacks:
        callback()
    assert [m.pk for m in published] == [message.pk]
    message.refresh_from_db()
    assert message.sent_at is not None


def test_a_broker_outage_keeps_the_task_for_the_next_relay(django_capture_on_commit_callbacks, monkeypatch):
    def broker_down(message):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(outbox, "_publish", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_enqueue(notification_deliver_task, 1)
        second = outbox_enqueue(notification_deliver_task, 2)
    first.refresh_from_db()
    assert first.sent_at is None and first.attempts == 1 and "Connection refused" in first.last_error
    second.refresh_from_db()
    assert second.attempts == 0  # once the broker is known down, the next commit does not wait on it

    published = []
    monkeypatch.setattr(outbox, "_publish", published.append)
    assert outbox_relay() == 2
    assert [m.pk for m in published] == [first.pk, second.pk]  # in the order they were written
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert outbox_relay() == 0  # nothing is published twice


def test_a_rolled_back_transaction_leaves_no_task(monkeypatch):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(notification_deliver_task, 7)
        raise RuntimeError
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(("task_name", "queue"), [
    ("notifications.deliver", "notifications"),
    ("signatures.sign", "signing"),
    ("pdf.render", "pdf"),
    ("core.outbox_relay", "default"),
])
def test_tasks_are_routed_to_their_queue_by_name(task_name, queue):
    from celery import current_app

    assert current_app.amqp.router.route({}, task_name)["queue"].name == queue
