"""A sent code typed as it reads in the SMS ("603 679") or with full-width digits is the code: not a wrong attempt
(found on the demo: the sign-up box cut "603 679" to "603 67" and the check spent a guess on it)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from egov.accounts.codes import code_consume, code_issue, code_normalize
from egov.accounts.models import CodePurpose, OneTimeCode, User
from tests.egov.accounts.citizen_helpers import NEW_PASSWORD, sent_code, signup_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def spaced(code: str) -> str:
    return f"{code[:3]} {code[3:]}"


@pytest.mark.parametrize(("typed", "code"), [
    ("603 679", "603679"), (" 603\t679 ", "603679"), ("603\u00a0679", "603679"), ("６０３　６７９", "603679"),
    ("", ""), (None, ""),
])
def test_a_code_as_typed_is_read_without_spaces_and_in_ascii_digits(typed, code):
    assert code_normalize(typed) == code


@pytest.mark.parametrize("as_typed", [spaced, lambda code: code.translate(FULL_WIDTH)])
def test_a_spaced_or_full_width_code_is_accepted_and_spends_no_attempt(as_typed):
    user = UserFactory(citizen=True, phone="0981234567")
    otc = code_issue(purpose=CodePurpose.SIGNUP, user=user, channel="sms", target=user.phone, ip=None)

    used = code_consume(public_id=otc.public_id, code=as_typed(sent_code("0981234567")), purpose=CodePurpose.SIGNUP)

    assert used.used_at is not None and used.attempts == 0


def _signup_form():
    data = signup_data()
    password = data.pop("password")
    return data | {"password1": password, "password2": password}


def test_the_sign_up_page_takes_the_code_with_a_space(client):
    client.post(reverse("accounts:signup"), _signup_form())
    page = client.get(reverse("accounts:signup_verify")).content.decode()
    assert 'maxlength="6"' not in page  # the box must not cut "603 679" to "603 67"

    done = client.post(reverse("accounts:signup_verify"), {"code": spaced(sent_code("0981234567")), "action": "verify"})

    assert done.status_code == 302 and done["Location"] == reverse("accounts:profile")
    assert User.objects.get(national_id="001095001234").is_active


def test_a_seven_digit_code_is_refused_by_the_form_without_spending_an_attempt(client):
    client.post(reverse("accounts:signup"), _signup_form())

    page = client.post(reverse("accounts:signup_verify"), {"code": "1234567", "action": "verify"})

    assert page.status_code == 200 and OneTimeCode.objects.get().attempts == 0


def test_the_password_reset_page_takes_the_code_with_a_space(client):
    citizen = UserFactory(citizen=True)
    client.post(reverse("accounts:password_reset"), {"identifier": citizen.phone})

    done = client.post(reverse("accounts:password_reset_confirm"), {
        "code": spaced(sent_code(citizen.phone)), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)


def test_the_contact_change_page_takes_a_full_width_code(client):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    client.post(reverse("accounts:profile"), {"action": "email", "email-value": "moi.email@example.vn"})

    done = client.post(reverse("accounts:contact_verify"),
                       {"code": spaced(sent_code("moi.email@example.vn")).translate(FULL_WIDTH)})

    assert done.status_code == 302 and done["Location"] == reverse("accounts:profile")
    citizen.refresh_from_db()
    assert citizen.email == "moi.email@example.vn"


def test_the_verify_api_takes_the_code_with_a_space():
    api = APIClient()
    registered = api.post("/api/v1/citizens/register/", signup_data(), format="json").json()

    verified = api.post("/api/v1/citizens/verify/", {"verification_id": registered["verification_id"],
                                                     "code": spaced(sent_code("0981234567"))}, format="json")

    assert verified.status_code == 200 and verified.json()["token"]
