"""Backup codes for the second factor: made on request past the second factor, shown once, each good once."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.roles import Role
from egov.accounts.services import user_backup_codes_create
from egov.core.errors import ApplicationError
from tests.factories import PASSWORD, AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    user = UserFactory(agency=AgencyFactory(), roles=[Role.LEADER])
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def _sign_in(client, user, code):
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    return client.post(reverse("accounts:otp_verify"), {"token": code})


def _app_code(user):
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_leader_makes_codes_past_the_second_factor_sees_them_once_and_each_signs_in_once(client, leader):
    _sign_in(client, leader, _app_code(leader))
    # Behind the leader's name in the staff menu (the password page), and on the profile.
    assert reverse("accounts:otp_backup_codes") in client.get(reverse("accounts:password_change")).content.decode()
    assert reverse("accounts:otp_backup_codes") in client.get(reverse("accounts:profile")).content.decode()

    page = client.post(reverse("accounts:otp_backup_codes"))
    html = page.content.decode()
    codes = sorted(StaticToken.objects.filter(device__user=leader).values_list("token", flat=True))
    assert page.status_code == 200 and len(codes) == 10 and all(f"<code>{code}</code>" in html for code in codes)
    assert "no-store" in page["Cache-Control"]
    again = client.get(reverse("accounts:otp_backup_codes")).content.decode()
    assert "Bạn còn 10 mã dự phòng chưa dùng" in again and codes[0] not in again  # shown once

    client.post(reverse("accounts:logout"))
    typed = codes[0].upper()[:4] + " " + codes[0].upper()[4:]  # as read off paper
    assert _sign_in(client, leader, typed).status_code == 302
    assert client.get(reverse("workspace")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert _sign_in(client, leader, codes[0]).status_code == 400  # used up
    assert StaticToken.objects.filter(device__user=leader).count() == 9


def test_a_new_set_replaces_the_old_one(leader):
    first = user_backup_codes_create(user=leader)
    second = user_backup_codes_create(user=leader)
    assert set(StaticToken.objects.filter(device__user=leader).values_list("token", flat=True)) == set(second)
    assert not set(first) & set(second)


def test_without_the_second_factor_in_this_session_the_page_asks_for_it(client, leader):
    client.post(reverse("accounts:login"), {"username": leader.username, "password": PASSWORD})
    response = client.post(reverse("accounts:otp_backup_codes"))
    assert response.status_code == 302 and not StaticToken.objects.filter(device__user=leader).exists()


def test_a_citizen_without_an_app_gets_no_codes(client):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    response = client.post(reverse("accounts:otp_backup_codes"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "Hãy bật xác thực hai lớp bằng ứng dụng tạo mã trước." in response.content.decode()
    with pytest.raises(ApplicationError) as refused:
        user_backup_codes_create(user=citizen)
    assert refused.value.code == "no_second_factor"
