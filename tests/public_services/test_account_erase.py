"""Erasing a citizen's account (egov.accounts.erasure): by the citizen on the personal-data page or the API, or by the
portal's operator meeting a deletion request. Personal data and the way in go; the dossiers the law keeps stay."""

import pytest
from axes.models import AccessLog
from django.core.files.storage import default_storage
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from egov.accounts import data_requests
from egov.accounts.erasure import account_erase
from egov.accounts.models import DataRequestKind, DataRequestState, SignedInSession, User
from egov.accounts.privacy import privacy_consent_record
from egov.accounts.roles import Role
from egov.audit.models import LegalEvent
from egov.core.errors import ApplicationError
from egov.notifications.models import Notification
from egov.notifications.services import notification_send
from one_stop.models import Dossier
from one_stop.services.dossiers import dossier_act
from tests.factories import PASSWORD, UserFactory
from tests.public_services.conftest import BIRTH_POST, pdf_file

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:personal_data")


@pytest.fixture
def withdrawn(submitted, citizen):
    """A dossier the citizen submitted, then withdrew: closed, kept by the agency."""
    dossier_act(dossier=submitted, user=citizen, action="withdraw", note="Nộp nhầm thủ tục")
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def draft(online_birth, commune, citizen):
    from public_services.services import portal_draft_save

    outcome = portal_draft_save(citizen=citizen, procedure=online_birth, form_data=BIRTH_POST, agency_id=commune.pk,
                                uploads=[("giay_chung_sinh", pdf_file("ban-nhap.pdf"))])
    assert outcome.errors == {}
    return outcome.dossier


def _signed_in(client, user):
    """Through the sign-in form, as the citizen would (so the sign-in is logged under the name typed)."""
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_the_citizen_erases_their_account_and_what_the_law_keeps_stays(client, citizen, withdrawn, draft,
                                                                       django_capture_on_commit_callbacks):
    citizen = privacy_consent_record(user=citizen)
    old = {"username": citizen.username, "email": citizen.email, "phone": citizen.phone, "name": citizen.full_name}
    draft_file = draft.documents.get().file.name
    old_message = notification_send(template="message", channel="in_app", recipient=citizen,
                                    payload={"subject": "Tin cũ", "text": "…"})
    Token.objects.create(user=citizen)
    TOTPDevice.objects.create(user=citizen, name="điện thoại")
    _signed_in(client, citizen)
    assert AccessLog.objects.filter(username=old["username"]).exists()  # the sign-in was logged under the name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, {"action": "erase", "erase-password": PASSWORD, "erase-confirm": "1"})

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Tài khoản của bạn đã được xóa." in client.get(reverse("home")).content.decode()
    user = User.objects.get(pk=citizen.pk)
    assert user.username == f"da-xoa-{user.pk}" and user.erased_at is not None and not user.is_active
    assert (user.full_name, user.national_id, user.phone, user.email, user.address, user.birth_date) == (
        "", None, None, None, "", None)
    assert not user.has_usable_password()
    # The way in is closed: no session, token, device or sign-in log under the old names.
    assert not SignedInSession.objects.filter(user_id=user.pk).exists()
    assert not Token.objects.filter(user=user).exists() and not TOTPDevice.objects.filter(user=user).exists()
    assert not AccessLog.objects.filter(username=old["username"]).exists()
    assert client.get(reverse("public_services:my_dossiers")).status_code == 302  # signed out
    again = client.post(reverse("accounts:login"), {"username": old["username"], "password": PASSWORD})
    assert again.status_code == 200 and "_auth_user_id" not in client.session
    # The draft and its file are gone; the withdrawn dossier stays as received, applicant data and all.
    assert not Dossier.objects.filter(pk=draft.pk).exists() and not default_storage.exists(draft_file)
    assert not Dossier.pgh_event_model.objects.filter(pgh_obj_id=draft.pk).exists()  # nor its row history
    kept = Dossier.objects.get(pk=withdrawn.pk)
    assert kept.applicant_name == withdrawn.applicant_name and kept.state == "withdrawn"
    # Earlier versions of the account in its row history are emptied as well.
    history = User.pgh_event_model.objects.filter(pgh_obj_id=user.pk)
    assert history.count() >= 2
    assert not history.exclude(full_name="").exists() and not history.exclude(email=None).exists()
    # The portal's messages are gone; one last e-mail goes to the address the account had.
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Notification.pgh_event_model.objects.filter(pgh_obj_id=old_message.pk).exists()
    farewell = Notification.objects.get(address=old["email"], subject__contains="đã được xóa")
    assert farewell.recipient is None and farewell.channel == "email"
    event = LegalEvent.objects.get(action="account.erased", object_id=str(user.pk))
    assert event.data == {"by": "citizen", "drafts_deleted": 1, "dossiers_kept": 1}


def test_a_dossier_still_being_handled_keeps_the_account(client, citizen, submitted):
    page = _signed_in(client, citizen).get(PAGE).content.decode()
    assert 'data-testid="erase-blocked"' in page and submitted.code in page
    assert 'data-testid="account-erase"' not in page

    response = client.post(PAGE, {"action": "erase", "erase-password": PASSWORD, "erase-confirm": "1"})

    # Refused: the page says why again, naming the dossier (a dossier sent from another tab meanwhile, too).
    assert response.status_code == 409
    assert 'data-testid="erase-blocked"' in response.content.decode() and submitted.code in response.content.decode()
    user = User.objects.get(pk=citizen.pk)
    assert user.erased_at is None and user.is_active and user.email == citizen.email


@pytest.mark.parametrize(("data", "message"), [
    ({"erase-password": "sai-mat-khau", "erase-confirm": "1"}, "Mật khẩu không đúng."),
    ({"erase-password": PASSWORD}, "Đánh dấu ô xác nhận để xóa tài khoản."),
    ({"erase-confirm": "1"}, "Nhập mật khẩu để xác nhận."),
])
def test_the_password_and_the_confirmation_are_asked_and_nothing_changes_without_them(client, citizen, data, message):
    response = _signed_in(client, citizen).post(PAGE, {"action": "erase", **data})

    assert response.status_code == 400 and message in response.content.decode()
    assert User.objects.get(pk=citizen.pk).erased_at is None


def test_guessing_the_password_locks_out_as_a_sign_in_does(client, citizen, settings):
    _signed_in(client, citizen)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(PAGE, {"action": "erase", "erase-password": "doan-mo", "erase-confirm": "1"})

    response = client.post(PAGE, {"action": "erase", "erase-password": PASSWORD, "erase-confirm": "1"})

    assert response.status_code != 302  # the right password no longer helps: the name and address are locked out
    assert User.objects.get(pk=citizen.pk).erased_at is None


def test_a_vneid_account_without_a_password_confirms_with_the_box_alone(client, citizen):
    citizen.set_unusable_password()
    citizen.save()
    client.force_login(citizen)
    page = client.get(PAGE).content.decode()
    assert 'data-testid="account-erase"' in page and 'name="erase-password"' not in page

    assert client.post(PAGE, {"action": "erase", "erase-confirm": "1"}).status_code == 302
    assert User.objects.get(pk=citizen.pk).erased_at is not None


def test_the_api_erases_with_the_password_and_the_token_stops_working(citizen, withdrawn):
    token = Token.objects.create(user=citizen)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api-citizen-erase")

    refused = api.post(url, {"password": "sai", "confirm": True}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["password"] == ["Mật khẩu không đúng."]
    assert api.post(url, {"password": PASSWORD, "confirm": False}, format="json").status_code == 400
    assert User.objects.get(pk=citizen.pk).erased_at is None

    assert api.post(url, {"password": PASSWORD, "confirm": True}, format="json").status_code == 204
    assert User.objects.get(pk=citizen.pk).erased_at is not None
    after = api.get(reverse("api-citizen-me"))
    assert after.status_code == 403 and after.json()["error"]["code"] == "authentication_failed"


def test_the_api_refuses_while_a_dossier_is_being_handled(citizen, submitted):
    api = APIClient()
    api.force_authenticate(citizen)
    response = api.post(reverse("api-citizen-erase"), {"password": PASSWORD, "confirm": True}, format="json")
    assert response.status_code == 409 and submitted.code in response.json()["error"]["message"]


def test_staff_accounts_are_not_erased_this_way(commune):
    clerk = UserFactory(agency=commune, roles=[Role.ONE_STOP_CLERK])
    with pytest.raises(ApplicationError) as refused:
        account_erase(user=clerk, by=clerk)
    assert refused.value.status == 403
    assert User.objects.get(pk=clerk.pk).erased_at is None


def test_an_erased_account_is_not_erased_twice(citizen):
    account_erase(user=citizen, by=citizen)
    with pytest.raises(ApplicationError) as refused:
        account_erase(user=citizen, by=citizen)
    assert refused.value.code == "already_erased"


# --- the operator meets a deletion request ---------------------------------------------------------------------


@pytest.fixture
def operator(db):
    return UserFactory(is_staff=True, roles=[Role.SYSTEM_ADMIN], full_name="Quản trị Cổng")


def _admin(client, user):
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="backup01")
    client.force_login(user)
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    return client


def test_the_operator_completes_a_deletion_request_by_erasing_the_account(client, citizen, withdrawn, operator):
    email = citizen.email
    request = data_requests.personal_data_request_submit(user=citizen, kind=DataRequestKind.DELETE,
                                                         details="Xin xóa tài khoản của tôi.")
    admin = _admin(client, operator)
    change = reverse("admin:accounts_personaldatarequest_change", args=[request.pk])
    assert 'value="erase"' in admin.get(change).content.decode()

    admin.post(reverse("admin:accounts_personaldatarequest_handle", args=[request.pk]),
               {"action": "erase", "text": "Đã xóa tài khoản; hồ sơ đã nộp được lưu theo quy định."})

    request.refresh_from_db()
    assert request.state == DataRequestState.DONE and request.handled_by == operator
    assert User.objects.get(pk=citizen.pk).erased_at is not None
    # The answer was written to the address the account had, before it went, and still goes.
    answer = Notification.objects.get(address=email, channel="email", subject__contains="đã được thực hiện")
    assert answer.recipient is None and answer.status == "pending"
    assert LegalEvent.objects.get(action="account.erased").data["by"] == "operator"
    assert 'value="erase"' not in admin.get(change).content.decode()  # nothing left to erase


def test_a_deletion_request_is_not_met_by_erasing_while_a_dossier_is_handled(client, citizen, submitted, operator):
    request = data_requests.personal_data_request_submit(user=citizen, kind=DataRequestKind.DELETE,
                                                         details="Xin xóa tài khoản của tôi.")
    admin = _admin(client, operator)
    notifications = Notification.objects.count()

    response = admin.post(reverse("admin:accounts_personaldatarequest_handle", args=[request.pk]),
                          {"action": "erase", "text": "Đã xóa tài khoản."}, follow=True)

    assert submitted.code in response.content.decode()
    request.refresh_from_db()
    assert request.state == DataRequestState.RECEIVED  # neither the answer nor the erasure happened
    assert User.objects.get(pk=citizen.pk).erased_at is None
    assert Notification.objects.count() == notifications  # the answer was not sent either


def test_only_a_deletion_request_offers_the_erasure(client, citizen, operator):
    request = data_requests.personal_data_request_submit(user=citizen, kind=DataRequestKind.CORRECT,
                                                         details="Sửa địa chỉ trong hồ sơ đã nộp.")
    page = _admin(client, operator).get(reverse("admin:accounts_personaldatarequest_change", args=[request.pk]))
    assert 'value="erase"' not in page.content.decode()
    with pytest.raises(ApplicationError):
        data_requests.personal_data_request_complete_by_erasing(request=request, by=operator, answer="Xóa.")


def test_the_last_message_is_in_the_language_the_citizen_chose(citizen):
    from egov.accounts.services import user_language_set

    email = user_language_set(user=citizen, language="en").email
    account_erase(user=citizen, by=citizen)
    farewell = Notification.objects.get(address=email)
    assert farewell.subject == "Your account on the public service portal has been erased"
    assert User.objects.get(pk=citizen.pk).language == ""


def test_the_admin_lists_erased_accounts_apart(client, citizen, other_citizen):
    from tests.factories import login_verified_superuser

    account_erase(user=citizen, by=citizen)
    login_verified_superuser(client)
    changelist = reverse("admin:accounts_user_changelist")

    erased = client.get(changelist, {"da_xoa": "1"}).content.decode()
    kept = client.get(changelist, {"da_xoa": "0"}).content.decode()

    assert f"da-xoa-{citizen.pk}" in erased and other_citizen.username not in erased
    assert other_citizen.username in kept and f"da-xoa-{citizen.pk}" not in kept
