"""Transactional outbox: tasks leave a transaction as rows, and a relay hands them to Celery.

`transaction.on_commit(task.delay)` loses the task when the broker is down at that instant; a row
written in the same transaction cannot be lost. The relay runs right after the commit (fast path) and
from Celery beat / `manage.py outbox_relay` (the path that catches up after an outage). Delivery is at
least once, so every task is idempotent.
"""

import logging
import time
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from egov.core.models import OutboxMessage

logger = logging.getLogger(__name__)

SENT_RETENTION = timedelta(days=7)

# After a broker failure, this process skips the after-commit fast path for a while: a web request
# must not wait on connection timeouts again and again while Redis is down. The periodic relay
# (beat, or `manage.py outbox_relay`) is not affected and catches up.
BROKER_BACKOFF_SECONDS = 15.0
_broker_down_until = 0.0


def outbox_enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Queue `task(*args, **kwargs)` to run once the current transaction commits."""
    message = OutboxMessage.objects.create(task_name=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: _relay_after_commit(message.pk))
    return message


def _relay_after_commit(message_id: int) -> None:
    if time.monotonic() < _broker_down_until:
        return
    outbox_relay(message_ids=[message_id])


def outbox_relay(*, message_ids: list[int] | None = None, limit: int = 500) -> int:
    """Publish pending messages; returns how many were handed to the broker.

    Rows are locked with SKIP LOCKED so any number of relays can run side by side without publishing
    a message twice. On the first broker error the relay stops: the rest waits for the next run.
    """
    global _broker_down_until
    published = 0
    with transaction.atomic():
        pending = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("id").select_for_update(skip_locked=True)
        if message_ids is not None:
            pending = pending.filter(pk__in=message_ids)
        for message in pending[:limit]:
            try:
                _publish(message)
            except Exception as exc:  # any broker failure: keep the row, try again later
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.save(update_fields=["attempts", "last_error"])
                _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
                logger.warning("outbox: broker unavailable, %s stays queued: %s", message.uuid, exc)
                break
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["sent_at", "attempts"])
            published += 1
    return published


def outbox_purge_sent(*, older_than: timedelta = SENT_RETENTION) -> int:
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted


def _publish(message: OutboxMessage) -> None:
    # The queue comes from CELERY_TASK_ROUTES; the outbox row's uuid becomes the task id.
    options = {"task_id": str(message.uuid), "retry": False}
    task = current_app.tasks.get(message.task_name)
    if task is not None:
        # apply_async honours task_always_eager (no Redis: the task runs here and now).
        task.apply_async(args=message.args, kwargs=message.kwargs, **options)
    else:
        current_app.send_task(message.task_name, args=message.args, kwargs=message.kwargs, **options)
