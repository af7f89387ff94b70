"""A real Celery worker (with its beat) against a real Redis and the test database."""

import os
import signal
from pathlib import Path

import pytest
from django.urls import reverse

from egov.core.models import OutboxMessage
from egov.notifications.models import Channel, Notification, NotificationStatus
from egov.notifications.services import notification_send
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _status(notification) -> str:
    notification.refresh_from_db()
    return notification.status


def test_a_task_goes_through_the_broker_to_the_worker_and_back(system_redis_url, use_broker, start_worker, tmp_path):
    use_broker(system_redis_url)
    worker = start_worker(system_redis_url, EMAIL_URL=f"filemail:///{tmp_path / 'mail'}")
    citizen = UserFactory(citizen=True)

    notification = notification_send(template="message", channel=Channel.EMAIL, recipient=citizen,
                                      payload={"subject": "Hồ sơ đã có kết quả", "text": "Mời ông/bà nhận kết quả."})

    wait_for(lambda: _status(notification) == NotificationStatus.SENT, timeout=60, what="the e-mail to be sent")
    mail = "".join(p.read_text() for p in (tmp_path / "mail").iterdir())
    assert "Mời ông/bà nhận kết quả." in mail and citizen.email in mail
    assert "notifications.deliver" in worker.read_log()
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_write_while_redis_is_down_succeeds_and_its_task_runs_once_redis_is_back(
        redis_server, use_broker, start_worker, client, tmp_path):
    use_broker(redis_server.url)
    start_worker(redis_server.url, EMAIL_URL=f"filemail:///{tmp_path / 'mail'}")
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)

    redis_server.stop()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "mot-mat-khau-moi-2026", "new_password2": "mot-mat-khau-moi-2026"})

    assert response.status_code == 302  # the citizen is not shown an error
    citizen.refresh_from_db()
    assert citizen.check_password("mot-mat-khau-moi-2026")
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert email.status == NotificationStatus.PENDING
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2  # in-app and e-mail, kept

    redis_server.start()
    wait_for(lambda: _status(email) == NotificationStatus.SENT, timeout=90, what="the e-mail after Redis came back")
    mail_files = list((tmp_path / "mail").iterdir())
    assert len(mail_files) == 1 and "Nếu không phải bạn thực hiện" in mail_files[0].read_text()
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_a_worker_killed_mid_task_runs_the_task_again_and_its_effect_happens_once(
        system_redis_url, use_broker, start_worker, tmp_path):
    use_broker(system_redis_url)
    worker = start_worker(system_redis_url, EGOV_SMS_PROVIDER="slow-once")

    notification = notification_send(template="message", channel=Channel.SMS, address="0912345678",
                                      payload={"subject": "", "text": "Hồ sơ 000.00.00.H41-261123-0001 đã có kết quả"})

    marker = tmp_path / "first-attempt.pid"
    pid = int(wait_for(lambda: marker.exists() and marker.read_text(), timeout=60, what="the task to start"))
    os.kill(pid, signal.SIGKILL)

    wait_for(lambda: _status(notification) == NotificationStatus.SENT, timeout=90, what="the redelivered task")
    delivered = Path(tmp_path / "delivered.log").read_text().splitlines()
    assert len(delivered) == 1 and "000.00.00.H41-261123-0001" in delivered[0]
    notification.refresh_from_db()
    assert notification.attempts == 1  # the killed attempt's transaction was rolled back with it
    assert "WorkerLostError" in worker.read_log() or "SIGKILL" in worker.read_log()
