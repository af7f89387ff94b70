"""A one-time code reaches its recipient and nobody else: the notification's row, its history and the admin never hold
it in clear (found in review: any agency administrator read the province's codes and took over citizens' accounts)."""

import importlib
import json

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection

from egov.accounts.citizens import password_reset_request
from egov.accounts.codes import code_issue
from egov.accounts.models import CodePurpose
from egov.notifications.models import Channel, Notification, NotificationStatus
from egov.notifications.services import notification_send, notifications_retry_failed
from tests.egov.notifications.codes import MemorySmsProvider, notification_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MASK = "••••••"


@pytest.fixture
def sms(settings):
    settings.EGOV_SMS_PROVIDER = MemorySmsProvider.name
    MemorySmsProvider.sent = []
    return MemorySmsProvider


def _everything_stored(notification: Notification) -> str:
    """The row and every copy its history keeps, as text."""
    rows = [notification, *Notification.pgh_event_model.objects.filter(pgh_obj_id=notification.pk)]
    return " ".join(f"{row.subject} {row.body} {json.dumps(row.payload, ensure_ascii=False)}" for row in rows)


def test_the_sms_carries_the_code_while_the_row_and_its_history_show_it_masked(sms, django_capture_on_commit_callbacks):
    citizen = UserFactory(citizen=True)
    with django_capture_on_commit_callbacks(execute=True):
        code_issue(purpose=CodePurpose.PASSWORD_RESET, user=citizen, channel="sms", target=citizen.phone, ip=None)
    notification = Notification.objects.get(template="otp_code")
    [(phone, text)] = sms.sent
    code = notification_code(notification)

    assert phone == citizen.phone and code in text
    assert notification.status == NotificationStatus.SENT
    assert notification.body == text.replace(code, MASK)
    assert code not in _everything_stored(notification)
    assert notification.payload["sealed"] == ""  # spent: nothing left to open


def test_an_email_code_is_sent_in_full_and_stored_masked(django_capture_on_commit_callbacks):
    citizen = UserFactory(citizen=True)
    with django_capture_on_commit_callbacks(execute=True):
        code_issue(purpose=CodePurpose.EMAIL_CHANGE, user=citizen, channel="email", target="moi@example.vn", ip=None)
    notification = Notification.objects.get(template="otp_code")
    [email] = mail.outbox
    code = notification_code(notification)

    assert email.to == ["moi@example.vn"] and code in email.body and MASK not in email.body
    assert code not in _everything_stored(notification)


def test_a_code_waiting_to_be_sent_is_sealed_not_written():
    citizen = UserFactory(citizen=True)
    password_reset_request(identifier=citizen.phone, ip="198.51.100.9")  # not committed: still pending
    notification = Notification.objects.get(template="otp_code")

    assert notification.status == NotificationStatus.PENDING and MASK in notification.body
    assert notification.payload["code"] == MASK and notification.payload["sealed"]
    assert notification_code(notification) not in _everything_stored(notification)


def test_a_code_that_failed_for_good_is_spent_and_not_sent_again(settings, django_capture_on_commit_callbacks):
    settings.EGOV_NOTIFICATION_MAX_ATTEMPTS = 1
    settings.EGOV_SMS_PROVIDER = "test-flaky"  # tests.egov.notifications.test_delivery
    from tests.egov.notifications.test_delivery import FlakySmsProvider

    FlakySmsProvider.failures, FlakySmsProvider.delivered = 5, []
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(template="otp_code", channel=Channel.SMS, address="0912345678",
                                          payload={"minutes": 5}, secrets={"code": "654321"})
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED and notification.payload["sealed"] == ""

    assert notifications_retry_failed(notifications=Notification.objects.all()) == 0
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED


def test_a_spent_code_is_never_delivered_masked(sms, django_capture_on_commit_callbacks):
    """A row whose code is gone (masked by migration 0003 while still pending) fails instead of texting "••••••"."""
    notification = notification_send(template="otp_code", channel=Channel.SMS, address="0912345678",
                                      payload={"minutes": 5}, secrets={"code": "111222"})
    Notification.objects.filter(pk=notification.pk).update(payload={"minutes": 5, "code": MASK, "sealed": ""})
    from egov.notifications.services import notification_deliver

    notification = notification_deliver(notification_id=notification.pk)

    assert notification.status == NotificationStatus.FAILED and sms.sent == []


def test_a_portal_notification_cannot_carry_a_secret():
    with pytest.raises(ValueError):
        notification_send(template="otp_code", channel=Channel.IN_APP, recipient=UserFactory(citizen=True),
                          payload={"minutes": 5}, secrets={"code": "123456"})


def test_the_code_goes_out_in_the_language_the_citizen_asked_in(sms, django_capture_on_commit_callbacks):
    from django.utils import translation

    citizen = UserFactory(citizen=True)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=False) as callbacks:
        code_issue(purpose=CodePurpose.SIGNUP, user=citizen, channel="sms", target=citizen.phone, ip=None)
    english_body = Notification.objects.get(template="otp_code").body
    for callback in callbacks:  # delivered later, by a worker in the portal's language
        callback()

    [(_phone, text)] = sms.sent
    assert text.replace(notification_code(Notification.objects.get(template="otp_code")), MASK) == english_body


def test_the_migration_masks_the_codes_rows_and_their_history_kept_in_clear():
    citizen = UserFactory(citizen=True)
    old = notification_send(template="otp_code", channel=Channel.SMS, recipient=citizen,  # as written before sealing
                            payload={"code": "987654", "minutes": 5})
    other = notification_send(template="message", channel=Channel.SMS, recipient=citizen,
                              payload={"subject": "Hồ sơ", "text": "Mã hồ sơ 987654 đã được tiếp nhận."})
    assert "987654" in _everything_stored(old)
    migration = importlib.import_module("egov.notifications.migrations.0003_mask_one_time_codes")

    migration.mask_codes(apps, type("SchemaEditor", (), {"connection": connection})())

    old.refresh_from_db()
    assert "987654" not in _everything_stored(old) and MASK in old.body
    assert old.payload == {"code": MASK, "minutes": 5, "sealed": ""}
    other.refresh_from_db()
    assert "987654" in other.body  # only the codes' notifications
