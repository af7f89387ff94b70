"""Password reset by ID number, phone or e-mail: the same answer whether or not the account exists."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from egov.accounts.citizens import password_reset_complete, password_reset_request
from egov.accounts.models import OneTimeCode
from egov.audit.models import LegalEvent
from egov.core.errors import ApplicationError
from egov.notifications.models import Notification
from tests.egov.accounts.citizen_helpers import NEW_PASSWORD, sent_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
REQUEST, CONFIRM = reverse("accounts:password_reset"), reverse("accounts:password_reset_confirm")
LOGIN = reverse("accounts:login")


@pytest.mark.parametrize("identifier", ["national_id", "phone", "email"])
def test_a_code_goes_to_the_phone_on_file_whatever_identifier_is_typed(identifier):
    citizen = UserFactory(citizen=True)

    otc = password_reset_request(identifier=getattr(citizen, identifier), ip="10.0.0.1")

    assert otc.user == citizen and otc.target == citizen.phone
    user = password_reset_complete(public_id=otc.public_id, code=sent_code(citizen.phone), new_password=NEW_PASSWORD, ip=None)
    assert user.check_password(NEW_PASSWORD)
    assert Notification.objects.filter(template="password_changed", recipient=citizen).exists()
    assert LegalEvent.objects.filter(action="account.password_reset", object_id=str(citizen.pk)).exists()


def test_without_a_phone_the_code_goes_by_email():
    citizen = UserFactory(citizen=True, phone=None)
    otc = password_reset_request(identifier=citizen.email, ip=None)
    assert otc.channel == "email" and sent_code(citizen.email)


def test_an_unknown_identifier_sends_nothing_and_no_code_ever_works():
    otc = password_reset_request(identifier="001095001234", ip=None)

    assert otc.user is None and not Notification.objects.exists()
    for code in ("000000", "123456"):
        with pytest.raises(ApplicationError) as refusal:
            password_reset_complete(public_id=otc.public_id, code=code, new_password=NEW_PASSWORD, ip=None)
        assert refusal.value.code == "code_wrong"


def test_a_staff_username_is_treated_as_unknown():
    clerk = UserFactory(clerk=True, phone="0981234567")
    assert password_reset_request(identifier=clerk.username, ip=None).user is None
    assert not Notification.objects.exists()


def test_the_pages_answer_the_same_for_a_known_and_an_unknown_account(client):
    citizen = UserFactory(citizen=True)
    known = client.post(REQUEST, {"identifier": citizen.national_id})
    known_page = client.get(CONFIRM).content.decode().replace(str(client.session.get("accounts_reset_flow")), "")
    client.session.flush()

    unknown = client.post(REQUEST, {"identifier": "001095009999"})
    unknown_page = client.get(CONFIRM).content.decode().replace(str(client.session.get("accounts_reset_flow")), "")

    assert known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"] == CONFIRM

    def strip_csrf(html):
        import re

        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert strip_csrf(known_page) == strip_csrf(unknown_page)


def test_the_reset_page_sets_the_password_and_lifts_the_sign_in_lockout(client, settings):
    citizen = UserFactory(citizen=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": citizen.national_id, "password": "sai"})
    assert client.post(LOGIN, {"username": citizen.national_id, "password": PASSWORD}).status_code == 429
    assert AccessAttempt.objects.exists()

    client.post(REQUEST, {"identifier": citizen.phone})
    done = client.post(CONFIRM, {"code": sent_code(citizen.phone), "new_password1": NEW_PASSWORD,
                                 "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done["Location"] == LOGIN
    assert not AccessAttempt.objects.exists()
    assert client.post(LOGIN, {"username": citizen.national_id, "password": NEW_PASSWORD}).status_code == 302


def test_a_weak_new_password_is_refused_and_the_code_is_not_spent(client):
    citizen = UserFactory(citizen=True)
    client.post(REQUEST, {"identifier": citizen.national_id})
    code = sent_code(citizen.phone)

    page = client.post(CONFIRM, {"code": code, "new_password1": "12345678", "new_password2": "12345678"})

    assert page.status_code == 200 and 'id="id_new_password1_error"' in page.content.decode()
    assert OneTimeCode.objects.get().used_at is None
    assert client.post(CONFIRM, {"code": code, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302


def test_codes_to_one_account_are_capped_but_the_answer_does_not_change(settings):
    settings.EGOV_PASSWORD_RESET_PER_ACCOUNT_PER_HOUR = 2
    citizen = UserFactory(citizen=True)
    answers = [password_reset_request(identifier=citizen.national_id, ip=None) for _ in range(3)]
    assert [a.user for a in answers] == [citizen, citizen, None]
    assert Notification.objects.filter(template="otp_code").count() == 2


def test_too_many_requests_from_one_address_are_refused(settings, client):
    settings.EGOV_PASSWORD_RESET_PER_IP_PER_HOUR = 2
    for _ in range(2):
        client.post(REQUEST, {"identifier": "001095001234"}, REMOTE_ADDR="10.3.3.3")
    page = client.post(REQUEST, {"identifier": "001095001234"}, REMOTE_ADDR="10.3.3.3")
    assert page.status_code == 429 and "quá nhiều yêu cầu" in page.content.decode()


def test_an_inactive_account_gets_no_code():
    citizen = UserFactory(citizen=True, is_active=False)
    assert password_reset_request(identifier=citizen.national_id, ip=None).user is None
