from egov.core.tasks import egov_task
from egov.notifications.services import NotificationDeliveryError


@egov_task(name="notifications.deliver", retry_on=(NotificationDeliveryError,), max_retries=10)
def notification_deliver_task(notification_id: int) -> None:
    from egov.notifications.services import notification_deliver

    notification_deliver(notification_id=notification_id)


@egov_task(name="notifications.retry_due", max_retries=0)
def notifications_retry_due_task() -> int:
    from egov.notifications.services import notifications_requeue_due

    return notifications_requeue_due()
