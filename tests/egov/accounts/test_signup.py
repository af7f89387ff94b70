"""Sign-up: validation, the inactive account, the code, activation; the pending sign-up taken over."""

import pytest
from django.urls import reverse

from egov.accounts.citizens import citizen_signup, citizen_signup_resend, citizen_signup_verify
from egov.accounts.codes import code_consume
from egov.accounts.models import CodePurpose, OneTimeCode, User
from egov.accounts.roles import Role
from egov.audit.models import LegalEvent
from egov.core.errors import ApplicationError
from egov.notifications.models import Channel, Notification
from tests.egov.accounts.citizen_helpers import age, sent_code, signup_data
from tests.egov.notifications.codes import notification_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _signup(**overrides):
    return citizen_signup(**signup_data(**overrides), ip="10.1.1.1")


def test_a_sign_up_creates_an_inactive_citizen_and_texts_a_code():
    otc = _signup(phone="+84 981 234 567")

    user = User.objects.get(national_id="001095001234")
    assert not user.is_active and user.verified_at is None
    assert user.has_role(Role.CITIZEN) and user.phone == "0981234567" and user.email == "an.nguyen@example.vn"
    assert user.check_password(signup_data()["password"])
    assert otc.user == user and otc.purpose == CodePurpose.SIGNUP
    sms = Notification.objects.get(template="otp_code", channel=Channel.SMS)
    assert sms.address == "0981234567" and sms.recipient == user
    assert Notification.objects.filter(template="otp_code", channel=Channel.EMAIL, address="an.nguyen@example.vn").exists()
    code = notification_code(sms)
    assert len(code) == 6 and code.isdigit() and code not in sms.body and "••••••" in sms.body  # masked in the row
    assert code not in otc.code_hash  # stored as a keyed hash only
    assert LegalEvent.objects.filter(action="account.signup", object_id=str(user.pk)).exists()


def test_the_right_code_activates_the_account_and_records_it():
    otc = _signup()

    user = citizen_signup_verify(public_id=otc.public_id, code=sent_code("0981234567"), ip="10.1.1.1")

    assert user.is_active and user.verified_at is not None
    assert LegalEvent.objects.filter(action="account.verify", object_id=str(user.pk)).exists()
    with pytest.raises(ApplicationError) as again:
        citizen_signup_verify(public_id=otc.public_id, code=sent_code("0981234567"), ip=None)
    assert again.value.code == "code_used"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("national_id", "12345", "phải gồm đúng 12 chữ số"),
    ("national_id", "999095001234", "không phải mã tỉnh"),
    ("phone", "12345", "Số điện thoại di động không hợp lệ"),
    ("email", "khong-phai-thu", "Địa chỉ thư điện tử không hợp lệ"),
    ("password", "12345678", "Mật khẩu"),
    ("full_name", "   ", "Vui lòng nhập họ và tên"),
])
def test_invalid_data_is_refused_field_by_field_in_vietnamese_and_nothing_is_saved(field, value, message):
    with pytest.raises(ApplicationError) as refusal:
        _signup(**{field: value})

    assert message in " ".join(refusal.value.fields[field])
    assert refusal.value.status == 400
    assert not User.objects.filter(national_id="001095001234").exists()
    assert not Notification.objects.exists()


def test_a_landline_cannot_receive_the_sign_up_code_so_it_is_refused():
    with pytest.raises(ApplicationError) as refusal:
        _signup(phone="02053123456")

    message = " ".join(refusal.value.fields["phone"])
    assert "di động" in message and "cố định" not in message
    assert not User.objects.exists() and not Notification.objects.exists()


def test_a_landline_is_refused_by_the_sign_up_api_too(client):
    response = client.post(reverse("api-citizen-register"), signup_data(phone="02053123456"),
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 400
    assert "di động" in str(response.json())
    assert not Notification.objects.exists()


def test_control_characters_in_the_name_are_not_stored():
    _signup(full_name="Nguyễn\u0007 Văn\u000bAn")

    assert User.objects.get(national_id="001095001234").full_name == "Nguyễn Văn An"


def test_an_id_number_in_full_width_digits_signs_up_with_ascii_digits():
    _signup(national_id="００１０９５００１２３４")

    assert User.objects.filter(national_id="001095001234").exists()


def test_a_password_too_like_the_name_is_refused():
    with pytest.raises(ApplicationError) as refusal:
        _signup(full_name="Nguyen Van Anhoa", password="nguyenvananhoa")
    assert any("Mật khẩu quá giống" in m for m in refusal.value.fields["password"])


@pytest.mark.parametrize(("field", "message"), [
    ("national_id", "Số định danh cá nhân này đã có tài khoản"),
    ("phone", "Số điện thoại này đã được dùng"),
    ("email", "Thư điện tử này đã được dùng"),
])
def test_an_identifier_of_an_active_account_cannot_sign_up_again(field, message):
    existing = UserFactory(citizen=True)

    with pytest.raises(ApplicationError) as refusal:
        _signup(**{field: getattr(existing, field).upper() if field == "email" else getattr(existing, field)})

    assert refusal.value.fields[field] == [message + refusal.value.fields[field][0][len(message):]]
    assert User.objects.count() == 1


def test_a_staff_members_phone_is_taken_too():
    UserFactory(clerk=True, phone="0981234567")
    with pytest.raises(ApplicationError) as refusal:
        _signup()
    assert "phone" in refusal.value.fields


def test_signing_up_again_takes_over_a_pending_sign_up_and_the_old_code_stops_working():
    first = _signup(phone="0981111111", email="")
    old_code = sent_code("0981111111")

    second = _signup(phone="0982222222", full_name="Nguyễn Văn Ân")

    user = User.objects.get(national_id="001095001234")
    assert User.objects.count() == 1 and user.phone == "0982222222" and user.full_name == "Nguyễn Văn Ân"
    with pytest.raises(ApplicationError):
        code_consume(public_id=first.public_id, code=old_code, purpose=CodePurpose.SIGNUP)
    assert citizen_signup_verify(public_id=second.public_id, code=sent_code("0982222222"), ip=None).is_active


def test_a_pending_sign_up_holding_my_phone_releases_it():
    _signup(national_id="001095009999", phone="0981234567", email="")

    _signup(national_id="001095001234", phone="0981234567", email="")

    other = User.objects.get(national_id="001095009999")
    assert other.phone is None and not other.is_active
    assert User.objects.get(national_id="001095001234").phone == "0981234567"


def test_too_many_sign_ups_from_one_address_are_refused_with_429(settings):
    settings.EGOV_SIGNUP_PER_IP_PER_HOUR = 2
    _signup(national_id="001095000001", phone="0981000001", email="")
    _signup(national_id="001095000002", phone="0981000002", email="")

    with pytest.raises(ApplicationError) as refusal:
        _signup(national_id="001095000003", phone="0981000003", email="")
    assert refusal.value.status == 429
    # Another address is not affected.
    citizen_signup(**signup_data(national_id="001095000004", phone="0981000004", email=""), ip="10.9.9.9")


def test_an_hour_later_the_address_may_sign_up_again(settings):
    settings.EGOV_SIGNUP_PER_IP_PER_HOUR = 1
    otc = _signup(national_id="001095000001", phone="0981000001", email="")
    age(otc, minutes=61)
    _signup(national_id="001095000002", phone="0981000002", email="")


def test_a_resent_code_replaces_the_first_after_the_cool_down():
    otc = _signup(email="")
    first = sent_code("0981234567")
    with pytest.raises(ApplicationError) as too_soon:
        citizen_signup_resend(public_id=otc.public_id)
    assert too_soon.value.status == 429 and "giây" in too_soon.value.message

    age(otc, seconds=61)
    citizen_signup_resend(public_id=otc.public_id)

    second = sent_code("0981234567")
    assert Notification.objects.filter(template="otp_code").count() == 2
    if first != second:
        with pytest.raises(ApplicationError):
            code_consume(public_id=otc.public_id, code=first, purpose=CodePurpose.SIGNUP)
    assert citizen_signup_verify(public_id=otc.public_id, code=second, ip=None).is_active


# --- the pages ----------------------------------------------------------------------------------

def _form(**overrides):
    data = signup_data()
    password = data.pop("password")
    return data | {"password1": password, "password2": password} | overrides


def test_the_sign_up_pages_activate_and_sign_the_citizen_in(client):
    page = client.get(reverse("accounts:signup"))
    assert page.status_code == 200 and "Đăng ký tài khoản" in page.content.decode()

    sent = client.post(reverse("accounts:signup"), _form(), REMOTE_ADDR="10.2.2.2")
    assert sent.status_code == 302 and sent["Location"] == reverse("accounts:signup_verify")
    assert "Kích hoạt tài khoản" in client.get(reverse("accounts:signup_verify")).content.decode()

    done = client.post(reverse("accounts:signup_verify"), {"code": sent_code("0981234567"), "action": "verify"})

    assert done.status_code == 302 and done["Location"] == reverse("accounts:profile")
    user = User.objects.get(national_id="001095001234")
    assert client.session["_auth_user_id"] == str(user.pk) and user.is_active
    assert OneTimeCode.objects.get(user=user).ip == "10.2.2.2"


def test_the_sign_up_page_shows_each_error_under_its_field(client):
    UserFactory(citizen=True, phone="0981234567")

    page = client.post(reverse("accounts:signup"), _form(national_id="12", password2="khac"))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_password2_error"' in html and "Hai mật khẩu không khớp" in html
    assert User.objects.count() == 1

    page = client.post(reverse("accounts:signup"), _form(national_id="12"))

    html = page.content.decode()
    assert 'id="id_national_id_error"' in html and "12 chữ số" in html


def test_the_sign_up_page_reports_a_taken_phone_and_keeps_what_was_typed(client):
    UserFactory(citizen=True, phone="0981234567")

    page = client.post(reverse("accounts:signup"), _form())

    html = page.content.decode()
    assert 'id="id_phone_error"' in html and "Số điện thoại này đã được dùng" in html
    assert 'value="Nguyễn Văn An"' in html



def test_a_visitor_reading_english_is_told_in_english_that_the_phone_is_taken(client):
    UserFactory(citizen=True, phone="0981234567")
    client.cookies["django_language"] = "en"

    html = client.post(reverse("accounts:signup"), _form()).content.decode()

    assert 'id="id_phone_error"' in html and "This phone number is already used by another account." in html
    assert "Số điện thoại này đã được dùng" not in html

def test_a_wrong_code_on_the_page_says_how_many_tries_are_left(client):
    client.post(reverse("accounts:signup"), _form())

    page = client.post(reverse("accounts:signup_verify"), {"code": "000000" if sent_code("0981234567") != "000000" else "111111"})

    assert page.status_code == 200 and "Bạn còn 4 lần thử" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_resend_button_waits_for_the_cool_down(client):
    client.post(reverse("accounts:signup"), _form(email=""))

    page = client.post(reverse("accounts:signup_verify"), {"action": "resend"})

    assert page.status_code == 429 and "Vui lòng chờ" in page.content.decode()
    age(OneTimeCode.objects.get(), seconds=61)
    again = client.post(reverse("accounts:signup_verify"), {"action": "resend"})
    assert again.status_code == 302
    assert Notification.objects.filter(template="otp_code").count() == 2


def test_the_verify_page_without_a_sign_up_sends_back_to_the_form(client):
    response = client.get(reverse("accounts:signup_verify"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup")


def test_a_pending_account_cannot_sign_in_with_its_password(client):
    _signup()
    response = client.post(reverse("accounts:login"), {"username": "001095001234", "password": signup_data()["password"]})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_an_inactive_account_made_by_an_administrator_is_not_taken_over():
    UserFactory(citizen=True, national_id="001095001234", is_active=False)
    with pytest.raises(ApplicationError) as refusal:
        _signup()
    assert "national_id" in refusal.value.fields


def test_a_short_password_is_refused_in_vietnamese_on_the_sign_up_page_and_the_api(client):
    page = client.post(reverse("accounts:signup"), _form(password1="12345", password2="12345"))
    api = client.post(reverse("api-citizen-register"), signup_data(password="12345"), content_type="application/json")

    html = page.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in html and "too short" not in html
    assert api.status_code == 400
    assert api.json()["error"]["fields"]["password"] == [
        "Mật khẩu quá ngắn: cần ít nhất 10 ký tự.", "Mật khẩu này quá phổ biến.", "Mật khẩu này hoàn toàn là số."]
