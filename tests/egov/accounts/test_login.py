import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from tests.factories import PASSWORD, AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def _login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("identifier", ["national_id", "phone", "email"])
def test_a_citizen_signs_in_with_id_number_phone_or_email(client, identifier):
    citizen = UserFactory(citizen=True)
    response = _login(client, getattr(citizen, identifier))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_a_citizen_may_type_the_phone_number_in_international_form(client):
    UserFactory(citizen=True, phone="0912000111")
    assert _login(client, "+84 912 000 111").status_code == 302


def test_staff_sign_in_with_their_username_not_their_phone(client):
    clerk = UserFactory(clerk=True, phone="0987000111")
    assert _login(client, "0987000111").status_code == 200
    assert _login(client, clerk.username).status_code == 302


def test_a_wrong_password_answers_in_vietnamese_and_signs_nobody_in(client):
    citizen = UserFactory(citizen=True)
    response = _login(client, citizen.national_id, "sai-mat-khau")
    assert response.status_code == 200
    assert "Thông tin đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_out_page_says_when_to_try_again_in_minutes(client, settings):
    victim = UserFactory(citizen=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.national_id, "sai", ip="10.0.0.9")

    html = _login(client, victim.national_id, ip="10.0.0.9").content.decode()

    assert "Vui lòng thử lại sau 15 phút." in html and "PT15M" not in html


def test_repeated_failures_lock_the_username_from_that_address_only(client, settings):
    victim = UserFactory(citizen=True)
    other = UserFactory(citizen=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.national_id, "sai", ip="10.0.0.9")
    locked = _login(client, victim.national_id, ip="10.0.0.9")
    assert locked.status_code == 429
    # Same carrier address, another citizen: not punished.
    assert _login(client, other.national_id, ip="10.0.0.9").status_code == 302
    client.logout()
    # Same citizen from another address: still allowed.
    assert _login(client, victim.national_id, ip="10.0.0.10").status_code == 302


def test_a_lockout_expires_after_the_cool_off(client, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    victim = UserFactory(citizen=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.national_id, "sai")
    assert _login(client, victim.national_id).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - settings.AXES_COOLOFF_TIME
                                 - timedelta(seconds=1))
    assert _login(client, victim.national_id).status_code == 302


@pytest.mark.parametrize("role", [Role.LEADER, Role.RECORDS_CLERK, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN])
def test_roles_that_need_two_factor_are_sent_to_enrol_before_any_page(client, role):
    user = UserFactory(agency=AgencyFactory(), roles=[role], is_staff=True)
    client.force_login(user)
    for path in ["/lam-viec/", "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_setup"))


@pytest.mark.parametrize("role", [Role.ONE_STOP_CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION])
def test_other_staff_roles_reach_the_workspace_without_two_factor(client, role):
    client.force_login(UserFactory(agency=AgencyFactory(), roles=[role]))
    assert client.get("/lam-viec/").status_code == 200


def test_a_leader_with_a_device_is_asked_for_a_code_then_let_in(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = UserFactory(leader=True)
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    client.force_login(leader)
    response = client.get("/lam-viec/")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    ok = client.post(reverse("accounts:otp_verify"), {"token": code, "next": "/lam-viec/"})
    assert ok.status_code == 302 and ok["Location"] == "/lam-viec/"
    assert client.get("/lam-viec/").status_code == 200


def test_the_page_asked_for_before_the_second_factor_keeps_its_whole_query(client):
    """The next page is sent encoded (found in review: "?next=/x/?a=1&b=2" lost "b", "#" would lose more)."""
    from urllib.parse import parse_qs, urlsplit

    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = UserFactory(leader=True)
    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    client.force_login(leader)
    response = client.get("/lam-viec/?trang=2&loc=den+han")
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:otp_verify")
    assert parse_qs(location.query) == {"next": ["/lam-viec/?trang=2&loc=den+han"]}


def test_enrolment_confirms_the_device_with_its_first_code(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = UserFactory(leader=True)
    client.force_login(leader)
    page = client.get(reverse("accounts:otp_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=leader)
    assert not device.confirmed
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(reverse("accounts:otp_setup"), {"token": code})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/lam-viec/").status_code == 200


def test_a_wrong_code_is_refused_in_vietnamese_and_keeps_the_leader_out(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = UserFactory(leader=True)
    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    client.force_login(leader)
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "000000", "next": "/lam-viec/"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    assert client.get("/lam-viec/").status_code == 302


def test_changing_the_password_tells_the_owner_by_email_and_on_the_portal(client, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    from egov.notifications.models import Notification, NotificationStatus

    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_change"), {
            "old_password": PASSWORD, "new_password1": "mot-mat-khau-moi-2026", "new_password2": "mot-mat-khau-moi-2026",
        }, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("mot-mat-khau-moi-2026")
    assert client.get(reverse("workspace")).status_code in (200, 302)  # still signed in
    assert "_auth_user_id" in client.session
    assert mailoutbox[0].subject == "Mật khẩu tài khoản đã được thay đổi"
    assert "198.51.100.4" in mailoutbox[0].body
    assert set(Notification.objects.values_list("channel", "status")) == {("email", NotificationStatus.SENT),
                                                                         ("in_app", NotificationStatus.SENT)}


def test_a_weak_new_password_is_refused_in_vietnamese(client):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "Mật khẩu" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


def test_a_new_password_equal_to_the_phone_is_refused_for_being_like_the_phone(client):
    # The ID number shares most of its digits with the phone: Django's rough test flags it too, and named it.
    citizen = UserFactory(citizen=True, national_id="001087000771", phone="0987000771")
    client.force_login(citizen)

    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "0987000771", "new_password2": "0987000771"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu quá giống với số điện thoại." in html and "số định danh cá nhân" not in html


def _verified_leader(client):
    """A leader signed in and verified with their confirmed TOTP device, as after the code page."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = UserFactory(leader=True)
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    client.force_login(leader)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return leader, device


def test_a_verified_leader_s_device_is_checked_with_the_user_in_one_query(client, django_assert_num_queries):
    """The device comes with the user's statement (itself the session's): no query of its own on every page
    of a leader."""
    from django.test import RequestFactory

    from egov.accounts.middleware import AuthenticationMiddleware, OTPMiddleware

    leader, device = _verified_leader(client)
    request = RequestFactory().get("/lam-viec/")
    request.session = client.session
    with django_assert_num_queries(1):
        AuthenticationMiddleware(lambda r: None).process_request(request)
        assert request.user == leader
        OTPMiddleware(lambda r: None)._install_lazy_accessors(request)
        assert request.user.is_verified()
    assert request.user.otp_device.pk == device.pk  # read when something asks for it
    assert client.get("/lam-viec/").status_code == 200


@pytest.mark.parametrize("change", ["unconfirmed", "deleted", "another_user"])
def test_a_session_device_that_no_longer_verifies_the_leader_sends_them_back_to_the_code(client, change):
    from django_otp import DEVICE_ID_SESSION_KEY

    leader, device = _verified_leader(client)
    assert client.get("/lam-viec/").status_code == 200
    if change == "unconfirmed":
        device.confirmed = False
        device.save()
    elif change == "deleted":
        device.delete()
    else:
        device.user = UserFactory(leader=True)
        device.save()
    response = client.get("/lam-viec/")
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session  # forgotten, as django-otp does


def test_a_leader_with_an_app_cannot_enrol_another_instead_of_giving_its_code(client):
    """A password alone opened the enrolment page, and a new app confirmed there passed the second factor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = UserFactory(leader=True)
    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    client.force_login(leader)
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.post(reverse("accounts:otp_setup"), {"token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=leader).count() == 1
    assert client.get("/lam-viec/")["Location"].startswith(reverse("accounts:otp_verify"))


def test_after_wrong_codes_the_page_says_how_long_to_wait(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = UserFactory(leader=True)
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    client.force_login(leader)
    wrong = f"{(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits) + 1) % 10**6:06d}"
    first = client.post(reverse("accounts:otp_verify"), {"token": wrong})
    assert first.status_code == 400 and "Mã xác thực không đúng" in first.content.decode()
    second = client.post(reverse("accounts:otp_verify"), {"token": wrong})
    assert second.status_code == 400 and "thử lại sau" in second.content.decode()


def test_the_admin_user_form_lists_roles_by_their_names(client):
    from tests.factories import login_verified_superuser

    login_verified_superuser(client)
    clerk = UserFactory(agency=AgencyFactory(), roles=[Role.RECORDS_CLERK])
    page = client.get(reverse("admin:accounts_user_change", args=[clerk.pk])).content.decode()
    assert ">Văn thư</option>" in page and ">records_clerk</option>" not in page


@pytest.mark.parametrize("role", [Role.ONE_STOP_CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION])
def test_staff_signing_in_without_a_next_page_land_on_their_workspace(client, role):
    user = UserFactory(agency=AgencyFactory(), roles=[role])

    response = _login(client, user.username)

    assert response.status_code == 302 and response.url == reverse("workspace")


def test_a_leader_lands_on_the_workspace_after_the_second_factor(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = UserFactory(agency=AgencyFactory(), roles=[Role.LEADER])
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    signed_in = _login(client, leader.username)
    asked = client.get(signed_in.url)  # the workspace sends them to the second factor first, then back

    verified = client.post(asked.url, {"token": f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"})

    assert verified.status_code == 302 and verified.url == reverse("workspace")


def test_staff_with_a_next_page_go_there_and_citizens_still_land_on_the_home_page(client):
    clerk = UserFactory(clerk=True)
    citizen = UserFactory(citizen=True)

    to_next = client.post(LOGIN, {"username": clerk.username, "password": PASSWORD, "next": "/mot-cua/ho-so/"})
    client.post(reverse("accounts:logout"))
    as_citizen = _login(client, citizen.national_id)

    assert to_next.url == "/mot-cua/ho-so/"
    assert as_citizen.url == reverse("home")
