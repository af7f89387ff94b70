"""Notifications: created in the caller's transaction, delivered by the `notifications` queue after commit."""

import logging
import smtplib
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation

from egov.core.outbox import outbox_enqueue
from egov.notifications.models import Channel, Notification, NotificationStatus, ReminderRun
from egov.notifications.sealing import SEALED_KEY, is_sealed, payload_masked, payload_spent, secrets_unseal
from egov.notifications.sms.base import SmsDeliveryError, sms_provider

logger = logging.getLogger(__name__)


class NotificationDeliveryError(Exception):
    """Delivery failed for a reason that may pass (the task retries it with backoff)."""


def _render(template: str, part: str, payload: dict) -> str:
    """A plain-text part: SMS and e-mail bodies are not HTML, so nothing is escaped ("Thiếu <b>giấy</b>" read
    "Thiếu &lt;b&gt;giấy&lt;/b&gt;" on phones); pages that show a notification escape it as they print it."""
    from django.template import Context
    from django.template.loader import get_template

    template_object = get_template(f"notifications/{template}/{part}.txt").template
    return template_object.render(Context(payload, autoescape=False)).strip()


def recipient_language(user=None):
    """The language of a notification written for someone other than the person acting, whatever the interface
    language of the clerk, leader or administrator whose action sends it: `user`'s own, when the message is theirs
    alone and they chose one for their messages (User.language, on their profile); else the portal's (Vietnamese,
    settings.LANGUAGE_CODE) — a message to several people at once, to an applicant without an account, and the
    record of a dossier are the authority's correspondence. Build the payload's texts and call notification_send
    inside it:

        with recipient_language(dossier.citizen):
            notification_send(template="message", ..., payload={"subject": _("…"), ...})
    """
    from django.utils import translation

    from egov.core.language import portal_language

    language = getattr(user, "language", "") if user is not None else ""
    if language and language in dict(settings.LANGUAGES):
        return translation.override(language)
    return portal_language()


def notification_send(*, template: str, channel: str, payload: dict | None = None, recipient=None,
                      address: str = "", secrets: dict[str, str] | None = None) -> Notification:
    """Queue one notification. The text is rendered now, so what was sent is what the row shows.

    `secrets` (a one-time code: {"code": "123456"}) are values of the text no one may read back from the row: it
    shows them masked, and they are put into the text only when it is sent (egov.notifications.sealing). An e-mail
    or SMS only: a portal notification is the row itself.
    """
    payload = payload or {}
    if secrets:
        if channel == Channel.IN_APP:
            raise ValueError("a portal notification cannot carry a secret: the row is what the recipient reads")
        payload = payload_masked(payload, secrets)
    if not address and recipient is not None:
        address = {Channel.EMAIL: recipient.email, Channel.SMS: recipient.phone}.get(channel) or ""
    notification = Notification.objects.create(
        recipient=recipient, channel=channel, address=address, template=template, payload=payload,
        subject=_render(template, "subject", payload), body=_render(template, "body", payload),
    )
    from egov.notifications.tasks import notification_deliver_task

    outbox_enqueue(notification_deliver_task, notification.pk)
    return notification


def reminder_run_claim(*, reminder: str, day: date) -> bool:
    """Claim the run of the morning reminder `reminder` on `day`, in the caller's transaction — the one that writes
    the reminder's notifications. True for the first run on a working day; False on a day off by the working-day
    calendar (an ordinary Saturday or Sunday, a holiday — a make-up Saturday is a working day) and when the day is
    already claimed: a redelivered task (late ack, reject on worker lost) or a second beat. A run still committing
    holds its claim: the insert waits for it, then finds the day taken (or takes it, when that run rolled back).
    One query for the calendar, one for the claim."""
    from django.db import connection

    from egov.workdays.services import is_working_day

    if not connection.in_atomic_block:
        raise RuntimeError("reminder_run_claim must run in the transaction that writes the reminder's notifications")
    if not is_working_day(day):
        return False
    table = connection.ops.quote_name(ReminderRun._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(ReminderRun._meta.get_field(name).column)
                        for name in ("reminder", "day", "claimed_at"))
    with connection.cursor() as cursor:
        # ON CONFLICT on the (reminder, day) constraint: one statement, no savepoint, no error to catch.
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s) "  # noqa: S608  (names from the model)
                       "ON CONFLICT DO NOTHING RETURNING 1", [reminder, day, timezone.now()])
        return cursor.fetchone() is not None


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def notification_deliver(*, notification_id: int) -> Notification:
    """Deliver once. Idempotent: a sent or finally failed notification is left alone.

    The row is locked while sending, so two workers given the same task never both send it.
    Raises NotificationDeliveryError while attempts remain, so the task retries with backoff.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status != NotificationStatus.PENDING:
            return notification
        notification.attempts += 1
        try:
            _deliver(notification)
        except (SmsDeliveryError, smtplib.SMTPException, OSError) as exc:
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            final = notification.attempts >= settings.EGOV_NOTIFICATION_MAX_ATTEMPTS
            notification.status = NotificationStatus.FAILED if final else NotificationStatus.PENDING
            notification.next_attempt_at = None if final else timezone.now() + _backoff(notification.attempts)
            _spend_if_over(notification)
            notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "payload"])
            logger.warning("notification %s attempt %s failed: %s", notification.pk, notification.attempts, exc)
        except Exception as exc:
            # Anything else (a header the mail library refuses, a provider's unexpected answer) will not get better by
            # trying again: failed now, with the reason, rather than rolled back into a pending row that no retry and
            # no requeue would ever pick up again (found in review).
            logger.exception("notification %s cannot be delivered", notification.pk)
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            notification.status = NotificationStatus.FAILED
            notification.next_attempt_at = None
            _spend_if_over(notification)
            notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "payload"])
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.next_attempt_at = None
            _spend_if_over(notification)
            notification.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "payload"])
            return notification
    if notification.status == NotificationStatus.PENDING:
        raise NotificationDeliveryError(notification.last_error)
    return notification


def _spend_if_over(notification: Notification) -> None:
    """A sent or finally failed notification's secret goes: nothing is left to deliver it again from."""
    if notification.status != NotificationStatus.PENDING and is_sealed(notification.payload):
        notification.payload = payload_spent(notification.payload)


class SecretSpent(Exception):
    """The notification's sealed secret is gone (spent by an earlier delivery, or masked in the database)."""


def _text(notification: Notification) -> tuple[str, str]:
    """The subject and body to send: the row's own, or, for a notification with secrets, rendered now with them."""
    if not is_sealed(notification.payload):
        return notification.subject, notification.body
    sealed = notification.payload[SEALED_KEY]
    if not sealed:
        raise SecretSpent("the one-time secret of this notification is no longer kept; ask for a new one")
    values, language = secrets_unseal(sealed)
    payload = {key: value for key, value in notification.payload.items() if key != SEALED_KEY} | values
    with translation.override(language):  # the row's text was written in it
        return (_render(notification.template, "subject", payload), _render(notification.template, "body", payload))


def _deliver(notification: Notification) -> None:
    if notification.channel == Channel.IN_APP:
        return  # stored is delivered: the recipient reads it on the portal
    if not notification.address:
        raise OSError("no address to deliver to")
    subject, body = _text(notification)
    if notification.channel == Channel.EMAIL:
        EmailMessage(subject, body, to=[notification.address]).send()
    elif notification.channel == Channel.SMS:
        sms_provider().send(phone=notification.address, text=body)


def notifications_requeue_due(*, grace: timedelta = timedelta(minutes=10)) -> int:
    """Safety net for retries the broker lost: re-queue pending notifications long past their time."""
    from egov.notifications.tasks import notification_deliver_task

    due = Notification.objects.filter(status=NotificationStatus.PENDING,
                                      next_attempt_at__lt=timezone.now() - grace).values_list("pk", flat=True)[:1000]
    count = 0
    with transaction.atomic():
        for pk in due:
            outbox_enqueue(notification_deliver_task, pk)
            count += 1
    return count


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_retry_failed(*, notifications) -> int:
    """An admin's "send again": failed notifications get a fresh set of attempts. Not one that carried a one-time
    code: its code is gone with the failure (and has expired by now); the citizen asks for a new one."""
    from egov.notifications.tasks import notification_deliver_task

    ids = list(notifications.filter(status=NotificationStatus.FAILED).exclude(payload__has_key=SEALED_KEY)
               .values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(status=NotificationStatus.PENDING, attempts=0, next_attempt_at=None)
    for pk in ids:
        outbox_enqueue(notification_deliver_task, pk)
    return len(ids)
