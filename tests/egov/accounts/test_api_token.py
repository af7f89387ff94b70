"""API tokens: a password is enough for the roles without a second factor; leaders, records clerks and
administrators also give a current code of their authenticator app, and a token obtained without one does
not open the API for them (it did: a leader's password alone assigned documents through the API)."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from egov.accounts.roles import Role
from tests.factories import PASSWORD, AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
TOKEN_URL = reverse("api-token")
PROTECTED = "/api/v1/incoming-documents/"


def _device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def _code(device, *, shift: int = 0) -> str:
    from django_otp.oath import totp

    return f"{(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits) + shift) % 10**6:06d}"


def _token(client, user, **extra):
    return client.post(TOKEN_URL, {"username": user.username, "password": PASSWORD, **extra},
                       content_type="application/json")


def _api(client, key):
    return client.get(PROTECTED, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_specialist_gets_a_token_with_the_password_alone(client):
    specialist = UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST])
    response = _token(client, specialist)
    assert response.status_code == 200
    assert _api(client, response.json()["token"]).status_code == 200


@pytest.mark.parametrize("role", [Role.LEADER, Role.RECORDS_CLERK])
def test_a_leader_or_records_clerk_gives_a_current_code_as_well(client, role):
    user = UserFactory(agency=AgencyFactory(), roles=[role])
    device = _device(user)

    missing = _token(client, user)
    assert missing.status_code == 403
    assert missing.json()["error"]["code"] == "two_factor_required" and "otp" in missing.json()["error"]["fields"]
    wrong = _token(client, user, otp=_code(device, shift=1))
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "otp_invalid"
    assert not Token.objects.filter(user=user).exists()

    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None  # the wrong code above
    device.save()
    granted = _token(client, user, otp=_code(device))
    assert granted.status_code == 200
    assert _api(client, granted.json()["token"]).status_code == 200


def test_without_an_enrolled_device_the_answer_says_to_enrol_on_the_portal(client):
    leader = UserFactory(leader=True)
    response = _token(client, leader, otp="123456")
    assert response.status_code == 403 and response.json()["error"]["code"] == "two_factor_required"
    assert "đăng ký ứng dụng xác thực" in response.json()["error"]["message"]


def test_a_token_obtained_without_a_code_does_not_open_the_api_to_a_leader(client):
    """Tokens made before the rule, in the admin, or before the user became a leader."""
    user = UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST])
    key = _token(client, user).json()["token"]
    assert _api(client, key).status_code == 200

    from egov.accounts.services import user_set_roles

    user_set_roles(user=user, roles=[Role.LEADER])
    refused = _api(client, key)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "two_factor_required"

    device = _device(user)
    again = _token(client, user, otp=_code(device))
    assert again.json()["token"] == key  # the same token, now with its second factor
    assert _api(client, key).status_code == 200


def test_a_wrong_password_is_refused_before_any_code_is_asked(client):
    leader = UserFactory(leader=True)
    _device(leader)
    response = client.post(TOKEN_URL, {"username": leader.username, "password": "sai-mat-khau"},
                           content_type="application/json")
    assert response.status_code == 400 and "otp" not in response.json()["error"]["fields"]


def test_a_new_password_ends_the_tokens_the_old_one_obtained(client):
    """A reset (a lost or stolen phone, a leaked password) ended the sessions but left the API token working."""
    from egov.accounts.services import user_password_change

    specialist = UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST])
    key = _token(client, specialist).json()["token"]
    assert _api(client, key).status_code == 200
    user_password_change(user=specialist, new_password="Mat-khau-moi-2026!")
    assert _api(client, key).status_code == 403  # DRF: 403 when the first authentication (session's) has no header
    assert not Token.objects.filter(user=specialist).exists()


def test_a_password_set_in_the_admin_ends_the_tokens_too(client):
    from tests.factories import login_verified_superuser

    specialist = UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST])
    key = _token(client, specialist).json()["token"]
    login_verified_superuser(client)
    response = client.post(reverse("admin:auth_user_password_change", args=[specialist.pk]),
                           {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!"})
    assert response.status_code == 302
    assert not Token.objects.filter(key=key).exists()


def test_a_username_too_long_for_the_lockout_table_is_a_400_in_vietnamese(client):
    """Found in review: axes wrote the name of the failed attempt into its 255-character column — a 500."""
    response = client.post(TOKEN_URL, {"username": "a" * 300, "password": "sai"}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["fields"]["username"] == ["Không được dài quá 254 ký tự."]


def test_a_locked_out_name_is_told_when_to_try_again(client, settings):
    """Found in review: axes flags DRF's request, which its middleware never reads, so a locked-out name got the
    wrong-password 400 — with the right password too."""
    specialist = UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST])
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(TOKEN_URL, {"username": specialist.username, "password": "sai"},
                           content_type="application/json").status_code == 400

    last_wrong = client.post(TOKEN_URL, {"username": specialist.username, "password": "sai"},
                             content_type="application/json")
    right = _token(client, specialist)

    for response in (last_wrong, right):
        assert response.status_code == 429
        assert response.json()["error"] == {"code": "locked_out", "fields": {}, "message": (
            "Tài khoản này đã nhập sai mật khẩu quá nhiều lần từ địa chỉ của bạn. Vui lòng thử lại sau 15 phút.")}
        assert response.headers["Retry-After"] == "900"  # a client can wait without parsing the message
    assert not Token.objects.filter(user=specialist).exists()
