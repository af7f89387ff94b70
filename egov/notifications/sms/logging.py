import logging
import uuid

from django.conf import settings

from egov.notifications.sms.base import SmsProvider, register

logger = logging.getLogger("egov.sms")


@register
class LoggingSmsProvider(SmsProvider):
    """Development provider: writes the message to the log instead of sending it.

    Only with DEBUG on: the messages carry one-time codes (sign-up, password reset), and a production server left on
    this default would otherwise keep every citizen's codes in its logs for anyone who reads them. Without DEBUG the
    log says that a message was not sent, to which number's last digits, and nothing of its text."""

    name = "logging"

    def send(self, *, phone: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        if settings.DEBUG:
            logger.info("SMS to %s [%s]: %s", phone, message_id, text)
        else:
            logger.warning("SMS to …%s [%s] not sent: EGOV_SMS_PROVIDER is 'logging' (no SMS gateway); "
                           "its %d characters are not logged", phone[-3:], message_id, len(text))
        return message_id
