"""The personal-data processing notice and the consent to it (Law on Personal Data Protection 91/2025/QH15).

The citizen's copy of their data (it holds dossiers and payments) is tested in tests/public_services/test_personal_data.py.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from egov.accounts.models import User
from egov.accounts.privacy import PRIVACY_NOTICE_VERSION
from egov.audit.models import LegalEvent
from tests.egov.accounts.citizen_helpers import signup_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOTICE = reverse("accounts:privacy_notice")
SIGNUP = reverse("accounts:signup")


def _form(**overrides):
    data = signup_data()
    password = data.pop("password")
    return data | {"password1": password, "password2": password} | overrides


def test_the_notice_names_the_law_the_data_the_rights_and_whom_to_contact(client, settings):
    settings.EGOV_DATA_PROTECTION_CONTACT = "baovedulieu@langson.example.vn"

    html = client.get(NOTICE).content.decode()

    assert "<h1>Thông báo xử lý dữ liệu cá nhân</h1>" in html
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in html
    assert "số định danh cá nhân" in html and "Nhật ký đăng nhập" in html
    assert "Cơ quan có thẩm quyền tiếp nhận và giải quyết hồ sơ" in html
    assert "Khiếu nại" in html and "Tải dữ liệu cá nhân của tôi" in html
    assert "mailto:baovedulieu@langson.example.vn" in html and settings.EGOV_PORTAL_NAME in html
    assert PRIVACY_NOTICE_VERSION in html


def test_the_notice_reads_in_english_once_the_visitor_chooses_it(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(NOTICE).content.decode()

    assert '<html lang="en"' in html and "<h1>Personal data processing notice</h1>" in html
    assert "91/2025/QH15" in html and "Thông báo xử lý" not in html


@pytest.mark.parametrize("url", [reverse("home"), SIGNUP, reverse("accounts:login")])
def test_public_pages_link_the_notice_from_the_footer(client, url):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer'):]
    assert f'href="{NOTICE}"' in footer


def test_the_sign_up_form_links_the_notice_beside_its_consent_box(client):
    html = client.get(SIGNUP).content.decode()
    form = html[html.index("<form"):html.index("</form>")]
    assert 'type="checkbox" name="privacy_consent"' in form and f'href="{NOTICE}"' in form
    assert "Tôi đã đọc và đồng ý với" in form


def test_sign_up_without_consent_is_refused_with_the_form_kept(client):
    data = _form()
    del data["privacy_consent"]

    page = client.post(SIGNUP, data)

    html = page.content.decode()
    assert page.status_code == 200 and not User.objects.exists()
    assert 'id="id_privacy_consent_error"' in html
    assert "Vui lòng đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân để đăng ký tài khoản." in html
    assert 'value="Nguyễn Văn An"' in html and 'value="001095001234"' in html and 'value="0981234567"' in html
    assert 'value="an.nguyen@example.vn"' in html


def test_sign_up_records_when_consent_was_given_and_to_which_notice(client):
    before = timezone.now()

    sent = client.post(SIGNUP, _form(), REMOTE_ADDR="10.3.3.3")

    assert sent.status_code == 302
    user = User.objects.get(national_id="001095001234")
    assert before <= user.privacy_consent_at <= timezone.now()
    assert user.privacy_notice_version == PRIVACY_NOTICE_VERSION
    event = LegalEvent.objects.get(action="account.signup", object_id=str(user.pk))
    assert event.data["privacy_notice_version"] == PRIVACY_NOTICE_VERSION


def test_the_api_refuses_a_sign_up_without_consent(client):
    data = signup_data()
    del data["privacy_consent"]

    response = client.post(reverse("api-citizen-register"), data, content_type="application/json")

    assert response.status_code == 400 and not User.objects.exists()
    assert "privacy_consent" in str(response.json())


def test_an_older_account_is_asked_from_its_profile_and_consent_is_recorded_once(client):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    assert "Bạn chưa xác nhận đồng ý" in client.get(reverse("accounts:profile")).content.decode()

    client.post(reverse("accounts:privacy_consent"), {"privacy_consent": "1"})
    client.post(reverse("accounts:privacy_consent"), {"privacy_consent": "1"})

    citizen.refresh_from_db()
    assert citizen.privacy_notice_version == PRIVACY_NOTICE_VERSION and citizen.privacy_consent_at is not None
    assert LegalEvent.objects.filter(action="account.privacy_consent", object_id=str(citizen.pk)).count() == 1
    assert "Bạn đã đồng ý với Thông báo xử lý dữ liệu cá nhân" in client.get(reverse("accounts:profile")).content.decode()


def test_staff_are_not_asked_for_a_citizens_consent(client):
    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("accounts:privacy_consent")).status_code == 404


def test_the_admin_shows_the_consent_but_cannot_set_it(client):
    from tests.factories import login_verified_superuser

    citizen = UserFactory(citizen=True)
    login_verified_superuser(client)

    page = client.get(reverse("admin:accounts_user_change", args=[citizen.pk]))

    html = page.content.decode()
    assert page.status_code == 200 and "đồng ý xử lý dữ liệu cá nhân lúc" in html.lower()
    assert 'name="privacy_consent_at"' not in html and 'name="privacy_notice_version"' not in html


def test_the_notice_the_consent_page_and_a_refused_sign_up_pass_the_accessibility_checks(client):
    from tests.a11y import a11y_problems

    data = _form()
    del data["privacy_consent"]
    refused = client.post(SIGNUP, data).content.decode()
    client.force_login(UserFactory(citizen=True))
    consent = client.post(reverse("accounts:privacy_consent"), {}).content.decode()

    for html in (client.get(NOTICE).content.decode(), refused, consent):
        assert a11y_problems(html) == []
    assert 'aria-describedby="id_privacy_consent_error"' in refused and 'id="id_privacy_consent_error"' in refused
