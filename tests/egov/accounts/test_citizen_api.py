"""The citizens' API: register → verify (token) → me; errors in the project's one shape."""

import pytest
from rest_framework.test import APIClient

from egov.accounts.models import User
from egov.notifications.models import Notification
from tests.egov.accounts.citizen_helpers import age, signup_data
from tests.egov.notifications.codes import notification_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REGISTER, VERIFY, RESEND, ME = ("/api/v1/citizens/register/", "/api/v1/citizens/verify/", "/api/v1/citizens/resend/",
                                "/api/v1/citizens/me/")


@pytest.fixture
def api():
    return APIClient()


def _code(phone="0981234567"):
    return notification_code(Notification.objects.filter(template="otp_code", address=phone).latest("pk"))


def test_register_verify_and_read_the_profile_with_the_token(api):
    registered = api.post(REGISTER, signup_data(), format="json")
    assert registered.status_code == 201
    body = registered.json()
    assert set(body) == {"verification_id", "expires_at", "resend_after_seconds", "channel"}
    assert body["channel"] == "sms" and body["resend_after_seconds"] == 60

    verified = api.post(VERIFY, {"verification_id": body["verification_id"], "code": _code()}, format="json")

    assert verified.status_code == 200
    token = verified.json()["token"]
    assert verified.json()["profile"]["id_number"] == "001095001234"
    assert User.objects.get(national_id="001095001234").is_active
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert me.get(ME).json() == {"full_name": "Nguyễn Văn An", "id_number": "001095001234", "phone": "0981234567",
                                 "email": "an.nguyen@example.vn", "address": "", "birth_date": None, "gender": "",
                                 "language": "vi"}


def test_register_errors_name_each_field_in_the_error_shape(api):
    UserFactory(citizen=True, phone="0981234567")
    response = api.post(REGISTER, signup_data(national_id="12"), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_signup"
    assert set(error["fields"]) == {"national_id", "phone"}
    assert "Số điện thoại này đã được dùng" in error["fields"]["phone"][0]


def test_a_missing_field_is_reported_in_the_error_shape(api):
    response = api.post(REGISTER, {"full_name": "A"}, format="json")
    assert response.status_code == 400
    assert {"national_id", "phone", "password"} <= set(response.json()["error"]["fields"])


def test_a_wrong_code_is_a_400_with_the_tries_left(api):
    body = api.post(REGISTER, signup_data(), format="json").json()
    wrong = "000000" if _code() != "000000" else "111111"
    response = api.post(VERIFY, {"verification_id": body["verification_id"], "code": wrong}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "code_wrong" and "4 lần" in response.json()["error"]["message"]


def test_an_unknown_verification_is_a_404(api):
    response = api.post(VERIFY, {"verification_id": "5f0f3c7e-0000-4000-8000-000000000000", "code": "123456"}, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "code_flow_unknown"


def test_resend_respects_the_cool_down(api):
    body = api.post(REGISTER, signup_data(), format="json").json()
    too_soon = api.post(RESEND, {"verification_id": body["verification_id"]}, format="json")
    assert too_soon.status_code == 429 and too_soon.json()["error"]["code"] == "code_resend_too_soon"
    assert 0 < int(too_soon.headers["Retry-After"]) <= 60  # the seconds left before a resend
    from egov.accounts.models import OneTimeCode

    age(OneTimeCode.objects.get(), seconds=61)
    assert api.post(RESEND, {"verification_id": body["verification_id"]}, format="json").status_code == 200


def test_a_citizen_patches_the_profile_but_not_the_contacts(api):
    citizen = UserFactory(citizen=True)
    api.force_authenticate(citizen)

    response = api.patch(ME, {"address": "Số 5, phường Đông Kinh", "birth_date": "1991-12-01", "gender": "male",
                              "phone": "0900000000"}, format="json")

    assert response.status_code == 200
    assert response.json()["address"] == "Số 5, phường Đông Kinh" and response.json()["phone"] == citizen.phone
    citizen.refresh_from_db()
    assert str(citizen.birth_date) == "1991-12-01" and citizen.gender == "male"


def test_control_characters_are_not_stored_in_the_profile(api):
    citizen = UserFactory(citizen=True)
    api.force_authenticate(citizen)

    response = api.patch(ME, {"address": "a\u0007b\u000bc", "full_name": "Lê\u001b Thị Hoa"}, format="json")

    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.address == "ab c" and citizen.full_name == "Lê Thị Hoa"


def test_an_invalid_patch_is_a_400(api):
    api.force_authenticate(UserFactory(citizen=True))
    response = api.patch(ME, {"gender": "robot", "birth_date": "2999-01-01"}, format="json")
    assert response.status_code == 400 and {"gender"} <= set(response.json()["error"]["fields"])
    response = api.patch(ME, {"birth_date": "2999-01-01"}, format="json")
    assert response.status_code == 400 and "Ngày sinh không hợp lệ" in response.json()["error"]["fields"]["birth_date"][0]


def test_me_is_for_signed_in_citizens_only(api):
    assert api.get(ME).status_code in (401, 403)
    api.force_authenticate(UserFactory(clerk=True))
    response = api.get(ME)
    assert response.status_code == 403 and "công dân" in response.json()["error"]["message"]


def test_me_reads_a_constant_number_of_queries(api, django_assert_max_num_queries):
    citizen = UserFactory(citizen=True)
    api.force_authenticate(citizen)
    with django_assert_max_num_queries(2):
        assert api.get(ME).status_code == 200


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in (REGISTER, VERIFY, RESEND, ME):
        assert path in schema


def test_a_citizen_chooses_the_language_of_their_messages(api):
    citizen = UserFactory(citizen=True)
    api.force_authenticate(citizen)
    assert api.get(ME).json()["language"] == "vi"  # the portal's, until chosen

    response = api.patch(ME, {"language": "en"}, format="json")

    assert response.status_code == 200 and response.json()["language"] == "en"
    citizen.refresh_from_db()
    assert citizen.language == "en"
    refused = api.patch(ME, {"language": "fr"}, format="json")
    assert refused.status_code == 400 and "language" in refused.json()["error"]["fields"]
