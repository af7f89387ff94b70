import pytest
from django.core import mail

from egov.core.models import OutboxMessage
from egov.notifications.models import Channel, Notification, NotificationStatus
from egov.notifications.services import notification_send, notifications_retry_failed
from egov.notifications.sms.base import SmsDeliveryError, SmsProvider, register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class FlakySmsProvider(SmsProvider):
    """Fails the first `failures` sends, then succeeds; records what it delivered."""

    name = "test-flaky"
    failures = 0
    delivered: list = []

    def send(self, *, phone, text):
        if FlakySmsProvider.failures > 0:
            FlakySmsProvider.failures -= 1
            raise SmsDeliveryError("gateway timeout")
        FlakySmsProvider.delivered.append((phone, text))
        return "id-1"


register(FlakySmsProvider)


@pytest.fixture
def flaky_sms(settings):
    settings.EGOV_SMS_PROVIDER = "test-flaky"
    FlakySmsProvider.delivered = []
    return FlakySmsProvider


def test_an_email_is_sent_after_the_transaction_commits(django_capture_on_commit_callbacks):
    citizen = UserFactory(citizen=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notification_send(template="welcome", channel=Channel.EMAIL, recipient=citizen,
                                          payload={"full_name": citizen.full_name, "portal_name": "Cổng"})
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert mail.outbox[0].to == [citizen.email]
    assert citizen.full_name in mail.outbox[0].body
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_notification_is_retried_after_a_failing_provider_and_sent_once(flaky_sms, django_capture_on_commit_callbacks):
    flaky_sms.failures = 2
    citizen = UserFactory(citizen=True)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(template="otp_code", channel=Channel.SMS, recipient=citizen,
                                          payload={"minutes": 5}, secrets={"code": "123456"})
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 3
    assert flaky_sms.delivered == [(citizen.phone, notification.body.replace("••••••", "123456"))]
    assert "123456" not in notification.body


def test_a_notification_fails_for_good_after_the_last_attempt(flaky_sms, settings, django_capture_on_commit_callbacks):
    settings.EGOV_NOTIFICATION_MAX_ATTEMPTS = 3
    flaky_sms.failures = 10
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(template="message", channel=Channel.SMS, address="0912345678",
                                          payload={"subject": "S", "text": "Nội dung"})
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == 3
    assert "gateway timeout" in notification.last_error
    assert flaky_sms.delivered == []


def test_an_admin_can_send_failed_notifications_again(flaky_sms, settings, django_capture_on_commit_callbacks):
    settings.EGOV_NOTIFICATION_MAX_ATTEMPTS = 1
    flaky_sms.failures = 1
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(template="message", channel=Channel.SMS, address="0912345678",
                                          payload={"subject": "S", "text": "Lần hai"})
    assert Notification.objects.get().status == NotificationStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_retry_failed(notifications=Notification.objects.all()) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(flaky_sms.delivered) == 1


def test_delivering_twice_sends_once(flaky_sms, django_capture_on_commit_callbacks):
    from egov.notifications.services import notification_deliver

    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(template="message", channel=Channel.SMS, address="0912345678",
                                          payload={"subject": "S", "text": "Một lần"})
    notification_deliver(notification_id=notification.pk)
    assert len(flaky_sms.delivered) == 1


def test_an_in_app_notification_is_delivered_by_being_stored(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(template="message", channel=Channel.IN_APP, recipient=user,
                                          payload={"subject": "Hồ sơ mới", "text": "Có 1 hồ sơ mới"})
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.subject == "Hồ sơ mới"


def test_an_sms_or_email_body_is_plain_text_not_html_escaped():
    """"Thiếu <b>giấy</b> & tờ khai" reached phones as "Thiếu &lt;b&gt;giấy&lt;/b&gt; &amp; tờ khai"."""
    notification = notification_send(template="password_changed", channel=Channel.SMS, address="0912000111",
                                     payload={"full_name": "Lê Văn <A> & Con", "when": "08:00 01/12/2026", "ip": ""})
    assert "Lê Văn <A> & Con" in notification.body and "&lt;" not in notification.body and "&amp;" not in notification.body


class BrokenSmsProvider(SmsProvider):
    """Answers with an error no retry will mend (a provider's unexpected reply)."""

    name = "test-broken"

    def send(self, *, phone, text):
        raise ValueError("unexpected answer from the gateway")


register(BrokenSmsProvider)


def test_an_unexpected_delivery_error_fails_the_notification_with_its_reason(settings, django_capture_on_commit_callbacks):
    """Found in review: any error but the provider's own, SMTP's or the network's rolled the attempt back, leaving a
    pending row with no next attempt: never retried, never requeued, never shown as failed."""
    settings.EGOV_SMS_PROVIDER = "test-broken"
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(template="message", channel=Channel.SMS, address="0912345678",
                                         payload={"subject": "S", "text": "Nội dung"})
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED and notification.attempts == 1
    assert "unexpected answer" in notification.last_error
