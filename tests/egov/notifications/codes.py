"""The one-time code a notification carried, read back as its recipient reads it: from the sealed payload while the
notification waits to be sent (only the delivery can open it), from the SMS or e-mail once it is sent."""

import re

from django.core import mail

from egov.notifications.sealing import SEALED_KEY, secrets_unseal
from egov.notifications.sms.base import SmsProvider, register


@register
class MemorySmsProvider(SmsProvider):
    """Keeps what it sends (Django's locmem e-mail backend, for SMS): `settings.EGOV_SMS_PROVIDER = "test-memory"`."""

    name = "test-memory"
    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> str:
        MemorySmsProvider.sent.append((phone, text))
        return f"memory-{len(MemorySmsProvider.sent)}"


def notification_code(notification) -> str:
    sealed = (notification.payload or {}).get(SEALED_KEY)
    if sealed:
        values, _language = secrets_unseal(sealed)
        return values["code"]
    texts = [m.body for m in mail.outbox if notification.address in m.to]
    texts += [text for phone, text in MemorySmsProvider.sent if phone == notification.address]
    assert texts, f"no message with a code was sent to {notification.address}"
    return re.search(r"\b\d{6}\b", texts[-1]).group()
