"""Sign-in through an OpenID Connect provider (VNeID in production), against a real provider on loopback."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from egov.accounts.models import User
from egov.accounts.privacy import PRIVACY_NOTICE_VERSION
from egov.audit.models import LegalEvent
from tests.egov.accounts.citizen_helpers import signup_data
from tests.egov.accounts.oidc_provider import CLIENT_ID, LoopbackProvider, follow_to_callback, other_key
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
START, LOGIN = reverse("accounts:oidc_start"), reverse("accounts:login")
ID_NUMBER = "001095001234"
# VNeID asks no consent to the portal's personal-data notice: a citizen who never gave it is asked after sign-in.
CONSENT_FIRST = f"{reverse('accounts:privacy_consent')}?next=%2F"


@pytest.fixture
def provider(settings):
    provider = LoopbackProvider().start()
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "egov.accounts.oidc.CitizenOIDCBackend"]
    provider.claims = {"sub": "vneid-42", "citizen_id": ID_NUMBER, "name": "Hoàng Thị Mai", "birthdate": "1992-04-30",
                       "gender": "female", "phone_number": "+84981234567", "email": "mai@example.vn",
                       "address": {"formatted": "Số 9, phường Tam Thanh, tỉnh Lạng Sơn"}}
    yield provider
    provider.stop()


def _signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_new_citizen_is_created_from_the_id_number_claim_and_signed_in(client, provider):
    response = follow_to_callback(client, START)

    assert response.status_code == 302 and response["Location"] == CONSENT_FIRST
    user = _signed_in_user(client)
    assert user.national_id == ID_NUMBER and user.is_citizen and user.is_active and user.verified_at is not None
    assert (user.full_name, user.birth_date, user.gender, user.phone, user.email) == (
        "Hoàng Thị Mai", date(1992, 4, 30), "female", "0981234567", "mai@example.vn")
    assert user.address == "Số 9, phường Tam Thanh, tỉnh Lạng Sơn"
    assert not user.has_usable_password()
    assert {"/authorize", "/token", "/jwks", "/userinfo"} <= set(provider.requests)
    assert LegalEvent.objects.filter(action="account.oidc_create", object_id=str(user.pk)).exists()
    assert LegalEvent.objects.filter(action="account.oidc_sign_in", object_id=str(user.pk)).exists()


def test_an_existing_citizen_with_that_id_number_is_signed_in_and_keeps_their_details(client, provider):
    citizen = UserFactory(citizen=True, national_id=ID_NUMBER, full_name="Hoàng Thị Mai (cũ)", address="Địa chỉ cũ")

    follow_to_callback(client, START)

    assert _signed_in_user(client) == citizen
    citizen.refresh_from_db()
    assert citizen.full_name == "Hoàng Thị Mai (cũ)" and citizen.address == "Địa chỉ cũ"
    assert citizen.birth_date == date(1992, 4, 30)  # filled in where the account had nothing
    assert User.objects.count() == 1


def test_the_claim_name_is_configurable(client, provider, settings):
    settings.OIDC_CITIZEN_ID_CLAIM = "sub"
    provider.claims = {"sub": "001095005678", "name": "Vi Văn Toàn"}

    follow_to_callback(client, START)

    assert _signed_in_user(client).national_id == "001095005678"


@pytest.mark.parametrize("staff", ["clerk", "superuser", "no_role"])
def test_a_staff_account_holding_the_id_number_is_never_linked(client, provider, staff):
    kwargs = {"clerk": {"clerk": True}, "superuser": {"is_superuser": True, "is_staff": True}, "no_role": {}}[staff]
    UserFactory(national_id=ID_NUMBER, **kwargs)

    response = follow_to_callback(client, START)

    assert response.status_code == 302 and response["Location"] == LOGIN, response.content[:3000]
    assert _signed_in_user(client) is None
    assert any("Không đăng nhập được bằng VNeID" in str(m) for m in get_messages(response.wsgi_request))


def test_a_citizen_who_is_also_staff_is_not_linked(client, provider):
    UserFactory(national_id=ID_NUMBER, roles=["citizen", "one_stop_clerk"], agency=AgencyFactory())
    follow_to_callback(client, START)
    assert _signed_in_user(client) is None


def test_a_token_for_another_client_is_refused(client, provider):
    provider.audience = "ung-dung-khac"
    assert provider.audience != CLIENT_ID
    response = follow_to_callback(client, START)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert _signed_in_user(client) is None and not User.objects.exists()


def test_a_token_signed_with_a_key_not_in_the_jwks_is_refused(client, provider):
    provider.signing_key = other_key()
    response = follow_to_callback(client, START)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert _signed_in_user(client) is None and not User.objects.exists()


def test_an_invalid_id_number_claim_is_refused(client, provider):
    provider.claims["citizen_id"] = "12345"
    follow_to_callback(client, START)
    assert _signed_in_user(client) is None and not User.objects.exists()


def test_a_pending_sign_up_is_activated_but_keeps_only_the_providers_contacts(client, provider):
    from egov.accounts.citizens import citizen_signup

    citizen_signup(**signup_data(national_id=ID_NUMBER, phone="0977000111", email="ke.gia.mao@example.vn"), ip=None)
    provider.claims.pop("email")

    follow_to_callback(client, START)

    user = _signed_in_user(client)
    assert user.national_id == ID_NUMBER and user.is_active and user.verified_at is not None
    assert user.phone == "0981234567" and user.email is None


def test_contacts_already_used_by_another_account_are_left_out(client, provider):
    UserFactory(citizen=True, phone="0981234567")
    follow_to_callback(client, START)
    user = _signed_in_user(client)
    assert user.national_id == ID_NUMBER and user.phone is None and user.email == "mai@example.vn"


def test_the_login_page_offers_vneid_only_when_enabled(client, settings):
    settings.OIDC_ENABLED = False
    assert "Đăng nhập bằng VNeID" not in client.get(LOGIN).content.decode()
    assert client.get(START).status_code == 404
    assert client.get(reverse("accounts:oidc_callback")).status_code == 404


def test_the_login_page_shows_the_vneid_button_when_enabled(client, provider):
    html = client.get(LOGIN).content.decode()
    assert "Đăng nhập bằng VNeID" in html and START in html


def test_the_provider_being_down_sends_the_citizen_back_to_the_sign_in_page(client, provider):
    from urllib.parse import urlparse

    import requests

    started = client.get(START)
    back = urlparse(requests.get(started["Location"], allow_redirects=False, timeout=10).headers["Location"])
    provider.stop()

    response = client.get(f"{back.path}?{back.query}")

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert _signed_in_user(client) is None


def test_failed_provider_sign_ins_do_not_lock_out_other_citizens_behind_the_same_address(client, provider, settings):
    # A carrier's NAT puts many citizens behind one address: failures of one must not block the others.
    provider.signing_key = other_key()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        follow_to_callback(client, START)
    provider.signing_key = provider.key

    response = follow_to_callback(client, START)

    assert response.status_code == 302 and response["Location"] == CONSENT_FIRST
    assert _signed_in_user(client).national_id == ID_NUMBER


def test_a_first_vneid_sign_in_asks_for_consent_to_the_notice_and_records_it(client, provider):
    follow_to_callback(client, START)
    user = _signed_in_user(client)
    assert user.privacy_consent_at is None

    refused = client.post(CONSENT_FIRST, {})
    agreed = client.post(CONSENT_FIRST, {"privacy_consent": "1"})

    assert refused.status_code == 400 and "Vui lòng đánh dấu ô đồng ý để tiếp tục." in refused.content.decode()
    assert agreed.status_code == 302 and agreed["Location"] == "/"
    user.refresh_from_db()
    assert user.privacy_consent_at is not None and user.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert LegalEvent.objects.filter(action="account.privacy_consent", object_id=str(user.pk)).count() == 1


def test_a_citizen_who_consented_goes_straight_on_after_a_vneid_sign_in(client, provider):
    from egov.accounts.citizens import citizen_signup

    citizen_signup(**signup_data(national_id=ID_NUMBER), ip=None)  # consent given on the sign-up form

    response = follow_to_callback(client, START)

    assert response.status_code == 302 and response["Location"] == "/"


def test_a_citizen_who_withdrew_consent_is_not_pressed_for_it_at_each_vneid_sign_in(client, provider):
    from egov.accounts.citizens import citizen_signup
    from egov.accounts.privacy import privacy_consent_withdraw

    citizen_signup(**signup_data(national_id=ID_NUMBER), ip=None)
    privacy_consent_withdraw(user=User.objects.get(national_id=ID_NUMBER))

    response = follow_to_callback(client, START)

    assert response.status_code == 302 and response["Location"] == "/"
