import logging
import uuid

from egov.notifications.sms.base import SmsProvider, register

logger = logging.getLogger("egov.sms")


@register
class LoggingSmsProvider(SmsProvider):
    """Development provider: writes the message to the log instead of sending it."""

    name = "logging"

    def send(self, *, phone: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        logger.info("SMS to %s [%s]: %s", phone, message_id, text)
        return message_id
