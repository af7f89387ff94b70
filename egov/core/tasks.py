"""The project's task decorator, and the kernel's own periodic tasks."""

from celery import shared_task


def egov_task(*, name: str, retry_on: tuple[type[BaseException], ...] = (), max_retries: int = 5,
              time_limit: int | None = None, soft_time_limit: int | None = None):
    """Declare a Celery task the project's way.

    The queue follows from the name's prefix through CELERY_TASK_ROUTES (`signatures.*` → signing,
    `pdf.*` → pdf, `notifications.*` → notifications, the rest → default).

    Late acknowledgement with reject-on-worker-lost (a killed worker's task is redelivered), bounded
    retries with exponential backoff and jitter, and only for the transient errors named in
    `retry_on`. Tasks must take ids, reload state and return early when their work is already done.
    """
    options = {
        "name": name,
        "acks_late": True,
        "reject_on_worker_lost": True,
        "max_retries": max_retries,
        "autoretry_for": retry_on,
        "retry_backoff": True,
        "retry_backoff_max": 600,
        "retry_jitter": True,
    }
    if time_limit is not None:
        options["time_limit"] = time_limit
    if soft_time_limit is not None:
        options["soft_time_limit"] = soft_time_limit
    return shared_task(**options)


@egov_task(name="core.outbox_relay", max_retries=0)
def outbox_relay_task() -> int:
    from egov.core.outbox import outbox_purge_sent, outbox_relay

    published = outbox_relay()
    outbox_purge_sent()
    return published
