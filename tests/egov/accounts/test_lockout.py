"""The sign-in lockout counts per account, however its identifier is typed (found in review: each spelling of a
phone number — +84…, dotted, spaced — the ID number and the e-mail in capitals had a counter of its own, so one
address could guess the password of one account many times the limit), on the sign-in page and the token API."""

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from egov.accounts.backends import AXES_USERNAME_MAX_LENGTH, axes_username
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
TOKEN_URL = reverse("api-token")
IP = "10.0.0.9"


def _login(client, username, password=PASSWORD, ip=IP):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _token(client, username, password=PASSWORD, ip=IP):
    return client.post(TOKEN_URL, {"username": username, "password": password}, content_type="application/json",
                       REMOTE_ADDR=ip)


@pytest.fixture
def victim():
    return UserFactory(citizen=True, phone="0912000111", email="nguyen.van.a@example.vn")


SPELLINGS = ["0912000111", "+84912000111", "84912000111", "+84 912 000 111", "0912.000.111", "0912-000-111",
             "091 2000111", "national_id", "NGUYEN.VAN.A@EXAMPLE.VN", "Nguyen.Van.A@example.vn", "username"]


def _spelled(victim, spelling: str) -> str:
    return getattr(victim, spelling) if spelling in {"national_id", "username"} else spelling


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_failures_with_one_spelling_lock_every_other_spelling_on_the_page(client, settings, victim, spelling):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.national_id, "sai")

    response = _login(client, _spelled(victim, spelling))

    assert response.status_code == 429
    assert "Vui lòng thử lại sau 15 phút." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_failures_with_one_spelling_lock_every_other_spelling_on_the_token_api(client, settings, victim, spelling):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token(client, "+84 912 000 111", "sai")

    response = _token(client, _spelled(victim, spelling))

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"


def test_failures_spread_over_spellings_add_up(client, settings, victim):
    spellings = ["0912.000.111", victim.national_id, victim.email.upper(), "+84912000111"]
    for spelling in spellings[:settings.AXES_FAILURE_LIMIT]:
        _login(client, spelling, "sai")

    assert _login(client, victim.phone).status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [victim.username]


def test_the_lockout_leaves_another_account_at_the_same_address_alone(client, settings, victim):
    other = UserFactory(citizen=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.phone, "sai")

    assert _login(client, other.phone).status_code == 302
    assert _token(client, other.national_id).status_code == 200


def test_an_identifier_that_names_no_account_is_counted_in_its_normalised_form(rf):
    def key(typed):
        return axes_username(rf.post(LOGIN), {"username": typed})

    assert key("+84 999 000 111") == key("0999.000.111") == "0999000111"
    assert key(" Ai.Do@Example.VN ") == key("ai.do@example.vn") == "ai.do@example.vn"
    assert key("ｎｇｕｏｉ-la") == "nguoi-la"  # full-width letters: NFKC
    assert key("") is None


def test_the_key_of_a_very_long_identifier_fits_the_lockout_table(client, rf):
    assert len(axes_username(rf.post(LOGIN), {"username": "a" * 300})) == AXES_USERNAME_MAX_LENGTH
    assert _login(client, "a" * 300, "sai").status_code == 200


def test_the_account_is_looked_up_once_per_sign_in(client, victim):
    with CaptureQueriesContext(connection) as queries:
        assert _login(client, "+84912000111", "sai").status_code == 200
    lookups = [query["sql"] for query in queries.captured_queries if '"phone" = ' in query["sql"]]
    assert len(lookups) == 1, lookups


def test_a_password_reset_lifts_a_lockout_made_with_any_spelling(client, settings, victim):
    from egov.accounts.citizens import password_reset_complete, password_reset_request
    from tests.egov.accounts.citizen_helpers import NEW_PASSWORD, sent_code

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "0912.000.111", "sai")
    assert _login(client, victim.email.upper(), "sai").status_code == 429

    otc = password_reset_request(identifier=victim.national_id, ip=None)
    password_reset_complete(public_id=otc.public_id, code=sent_code(victim.phone), new_password=NEW_PASSWORD, ip=None)

    assert not AccessAttempt.objects.exists()
    assert _login(client, "+84 912 000 111", NEW_PASSWORD).status_code == 302


def test_erasing_the_account_removes_its_sign_in_attempts(client, settings, victim):
    from egov.accounts.erasure import account_erase

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "0912.000.111", "sai")
    _login(client, "ai.do@example.vn", "sai")  # another name tried from the same address stays
    assert AccessAttempt.objects.filter(username=victim.username).exists()

    account_erase(user=victim, by=victim, ip=None)

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["ai.do@example.vn"]


def test_an_email_in_any_case_is_found_through_an_index():
    from egov.accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: the planner would scan them anyway
        plan = User.objects.filter(email__iexact="Nguyen.Van.A@Example.VN").explain()  # as user_lookup_q asks
    assert "user_email_upper_idx" in plan
