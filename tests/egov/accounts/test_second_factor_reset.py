"""A leader who lost their phone: the administrator resets their second factor, and they enrol a new app."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from egov.accounts.models import SignedInSession
from egov.accounts.roles import Role
from egov.accounts.services import user_second_factor_reset
from egov.audit.models import LegalEvent
from egov.core.errors import ApplicationError
from egov.notifications.models import Notification
from tests.factories import AgencyFactory, UserFactory, login_verified_superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    user = UserFactory(agency=AgencyFactory(), roles=[Role.LEADER], email="lanhdao@example.vn")
    TOTPDevice.objects.create(user=user, name="điện thoại cũ", confirmed=True)
    StaticDevice.objects.create(user=user, name="mã dự phòng", confirmed=True)
    Token.objects.create(user=user)
    return user


def test_the_admin_resets_a_leaders_second_factor_from_the_user_list(client, leader):
    from django.test import Client

    phone_browser = Client()
    phone_browser.force_login(leader)
    admin = login_verified_superuser(client)

    response = client.post(reverse("admin:accounts_user_changelist"),
                           {"action": "second_factor_reset", "_selected_action": [leader.pk]}, follow=True)

    assert "Đã đặt lại xác thực hai lớp của 1 tài khoản (2 thiết bị đã gỡ)" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=leader).exists() and not StaticDevice.objects.filter(user=leader).exists()
    assert not Token.objects.filter(user=leader).exists()
    assert not SignedInSession.objects.filter(user_id=leader.pk).exists()
    assert phone_browser.get(reverse("workspace")).status_code == 302  # signed out everywhere
    event = LegalEvent.objects.get(action="account.second_factor_reset")
    assert (event.actor_id, event.data) == (admin.pk, {"devices": 2})
    told = Notification.objects.filter(recipient=leader, template="second_factor_reset")
    assert {n.channel for n in told} == {"in_app", "email"}
    assert "đăng ký lại ứng dụng tạo mã" in told.first().body


def test_after_the_reset_the_leader_signs_in_with_the_password_and_is_sent_to_enrol(client, leader):
    from tests.factories import PASSWORD

    user_second_factor_reset(user=leader, by=UserFactory(is_superuser=True, is_staff=True))
    client.post(reverse("accounts:login"), {"username": leader.username, "password": PASSWORD})

    response = client.get(reverse("workspace"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_setup"))
    page = client.get(reverse("accounts:otp_setup"))  # enrolment itself, not the old app's code first
    assert page.status_code == 200 and 'data-testid="otp-secret"' in page.content.decode()


def test_only_an_administrator_may_reset_it(leader):
    with pytest.raises(ApplicationError) as refused:
        user_second_factor_reset(user=leader, by=UserFactory(is_staff=True))
    assert refused.value.status == 403
    assert TOTPDevice.objects.filter(user=leader).exists() and Token.objects.filter(user=leader).exists()
