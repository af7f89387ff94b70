"""The profile page, contact changes re-verified by a code to the new value, and the prefill values."""

from datetime import date

import pytest
from django.urls import reverse

from egov.accounts.citizens import citizen_profile_update, contact_change_confirm, contact_change_request
from egov.accounts.models import Gender, OneTimeCode
from egov.accounts.selectors import citizen_profile_values
from egov.audit.models import LegalEvent
from egov.core.errors import ApplicationError
from egov.notifications.models import Notification
from tests.egov.accounts.citizen_helpers import sent_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROFILE, CONFIRM = reverse("accounts:profile"), reverse("accounts:contact_verify")


def test_profile_values_for_prefilling_forms():
    citizen = UserFactory(citizen=True, full_name="Lê Thị Hoa", address="Số 1, phường Chi Lăng", birth_date=date(1990, 5, 17),
                          gender=Gender.FEMALE)
    assert citizen_profile_values(citizen) == {
        "full_name": "Lê Thị Hoa", "id_number": citizen.national_id, "phone": citizen.phone, "email": citizen.email,
        "address": "Số 1, phường Chi Lăng", "birth_date": date(1990, 5, 17), "gender": "female",
    }


def test_profile_values_of_an_empty_profile_are_blank_not_none(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(0):
        values = citizen_profile_values(user)
    assert values == {"full_name": user.full_name, "id_number": "", "phone": "", "email": "", "address": "",
                      "birth_date": None, "gender": ""}


def test_the_profile_page_needs_a_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_profile_page_shows_and_saves_the_citizens_details(client, django_assert_max_num_queries):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        page = client.get(PROFILE)
    assert citizen.national_id in page.content.decode()

    saved = client.post(PROFILE, {"action": "profile", "full_name": "  Trần   Văn Bình ", "birth_date": "1985-02-03",
                                  "gender": "male", "address": "Thôn Nà Lệnh, xã Yên Trạch"})

    assert saved.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.birth_date, citizen.gender, citizen.address) == (
        "Trần Văn Bình", date(1985, 2, 3), "male", "Thôn Nà Lệnh, xã Yên Trạch")
    event = LegalEvent.objects.get(action="account.profile_update")
    assert event.data == {"fields": ["address", "birth_date", "full_name", "gender"]}


def test_a_date_of_birth_in_the_future_is_refused_in_vietnamese(client):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    page = client.post(PROFILE, {"action": "profile", "full_name": "A", "birth_date": "2999-01-01", "gender": "", "address": ""})
    assert page.status_code == 200 and "Ngày sinh không hợp lệ" in page.content.decode()
    citizen.refresh_from_db()
    assert citizen.birth_date is None


def test_the_id_number_cannot_be_changed_through_the_profile_service():
    citizen = UserFactory(citizen=True)
    with pytest.raises(ApplicationError) as refusal:
        citizen_profile_update(user=citizen, national_id="001095001234")
    assert "national_id" in refusal.value.fields


def test_a_new_phone_is_saved_only_after_the_code_sent_to_it_comes_back():
    citizen = UserFactory(citizen=True)
    old_phone = citizen.phone

    otc = contact_change_request(user=citizen, field="phone", value="+84 988 777 666", ip=None)

    citizen.refresh_from_db()
    assert citizen.phone == old_phone
    assert Notification.objects.get(template="otp_code").address == "0988777666"
    user = contact_change_confirm(user=citizen, public_id=otc.public_id, code=sent_code("0988777666"), ip=None)
    assert user.phone == "0988777666"
    assert LegalEvent.objects.get(action="account.contact_change").data == {"field": "phone", "from": old_phone,
                                                                             "to": "0988777666"}


def test_someone_elses_contact_flow_cannot_be_used():
    citizen, other = UserFactory(citizen=True), UserFactory(citizen=True)
    otc = contact_change_request(user=citizen, field="email", value="moi@example.vn", ip=None)
    with pytest.raises(ApplicationError) as refusal:
        contact_change_confirm(user=other, public_id=otc.public_id, code=sent_code("moi@example.vn"), ip=None)
    assert refusal.value.status == 404
    other.refresh_from_db()
    assert other.email != "moi@example.vn"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "123", "Số điện thoại di động không hợp lệ"),
    ("phone", "02053123456", "Số điện thoại di động không hợp lệ"),
    ("email", "khong-hop-le", "thư điện tử không hợp lệ"),
])
def test_an_invalid_new_contact_is_refused(field, value, message):
    with pytest.raises(ApplicationError) as refusal:
        contact_change_request(user=UserFactory(citizen=True), field=field, value=value, ip=None)
    assert message in refusal.value.fields["value"][0]


def test_a_contact_of_another_account_is_refused():
    taken = UserFactory(citizen=True)
    with pytest.raises(ApplicationError) as refusal:
        contact_change_request(user=UserFactory(citizen=True), field="email", value=taken.email.upper(), ip=None)
    assert "đã được dùng" in refusal.value.fields["value"][0]


def test_a_contact_taken_while_the_code_travelled_is_refused_before_the_code_is_spent():
    citizen = UserFactory(citizen=True)
    otc = contact_change_request(user=citizen, field="phone", value="0988777666", ip=None)
    UserFactory(citizen=True, phone="0988777666")
    with pytest.raises(ApplicationError) as refusal:
        contact_change_confirm(user=citizen, public_id=otc.public_id, code=sent_code("0988777666"), ip=None)
    assert refusal.value.code == "contact_taken"
    assert OneTimeCode.objects.get().used_at is None


def test_the_profile_page_changes_the_email_through_the_code_page(client):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)

    asked = client.post(PROFILE, {"action": "email", "email-value": "Moi.Email@Example.vn"})
    assert asked.status_code == 302 and asked["Location"] == CONFIRM
    assert "Xác nhận thông tin liên hệ mới" in client.get(CONFIRM).content.decode()
    done = client.post(CONFIRM, {"code": sent_code("moi.email@example.vn")})

    assert done.status_code == 302 and done["Location"] == PROFILE
    citizen.refresh_from_db()
    assert citizen.email == "moi.email@example.vn"


def test_the_profile_page_shows_a_contact_error_under_its_field(client):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    page = client.post(PROFILE, {"action": "phone", "phone-value": citizen.phone})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="id_phone-value_error"' in html and "thông tin hiện tại" in html


def test_the_profile_page_keeps_the_language_of_the_citizen_s_messages(client):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    page = client.get(PROFILE).content.decode()
    assert 'data-testid="language-form"' in page and '<option value="en">English</option>' in page

    response = client.post(PROFILE, {"action": "language", "language": "en"})

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.language == "en"
    assert '<option value="en" selected>English</option>' in client.get(PROFILE).content.decode()
    assert client.post(PROFILE, {"action": "language", "language": "xx"}).status_code == 400
    citizen.refresh_from_db()
    assert citizen.language == "en"
