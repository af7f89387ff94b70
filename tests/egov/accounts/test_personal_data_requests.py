"""A citizen's rights over their data beyond the copy: withdrawing consent, and requests (correct, delete, restrict,
object) answered by the portal's operator within Decree 356/2025's times (egov.accounts.data_requests)."""

import itertools
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egov.accounts import data_requests
from egov.accounts.models import DataRequestKind, DataRequestState, PersonalDataRequest
from egov.accounts.privacy import privacy_consent_record, privacy_consent_withdraw
from egov.accounts.roles import Role
from egov.audit.models import LegalEvent
from egov.core.errors import ApplicationError
from egov.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:personal_data")
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
S = DataRequestState


@pytest.fixture
def citizen(db):
    return privacy_consent_record(user=UserFactory(citizen=True, full_name="Đặng Văn Công"))


@pytest.fixture
def operator(db):
    """A system administrator: the role that answers requests (accounts.change_personaldatarequest)."""
    return UserFactory(is_staff=True, roles=[Role.SYSTEM_ADMIN], full_name="Quản trị Cổng")


def _submit(user, kind=DataRequestKind.DELETE, details="Xóa số điện thoại cũ khỏi tài khoản."):
    return data_requests.personal_data_request_submit(user=user, kind=kind, details=details)


def _admin_client(client, user):
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="backup01")
    client.force_login(user)
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    return client


# --- deadlines --------------------------------------------------------------------------------------------------


def test_a_request_sent_on_a_friday_is_responded_to_by_tuesday_and_carried_out_within_15_days(citizen):
    friday = datetime(2026, 3, 13, 16, 30, tzinfo=HANOI)

    with mock.patch("django.utils.timezone.now", return_value=friday):
        request = _submit(citizen)

    assert request.state == S.RECEIVED and request.received_at == friday
    assert timezone.localtime(request.respond_due_at) == datetime(2026, 3, 17, 16, 30, tzinfo=HANOI)
    assert request.due_at == friday + timedelta(days=15)


def test_the_times_follow_the_settings(citizen, settings):
    settings.EGOV_PERSONAL_DATA_RESPONSE_WORKING_DAYS, settings.EGOV_PERSONAL_DATA_REQUEST_DAYS = 1, 10
    monday = datetime(2026, 3, 16, 9, 0, tzinfo=HANOI)

    with mock.patch("django.utils.timezone.now", return_value=monday):
        request = _submit(citizen)

    assert timezone.localtime(request.respond_due_at).date().isoformat() == "2026-03-17"
    assert request.due_at == monday + timedelta(days=10)


# --- the citizen's side -------------------------------------------------------------------------------------------


def test_a_citizen_sends_a_request_from_the_page_and_sees_it_with_its_history(client, citizen, operator):
    client.force_login(citizen)

    response = client.post(PAGE, {"action": "request", "kind": "correct",
                                  "details": "Sửa ngày sinh trong hồ sơ đã nộp thành 02/03/1990."})

    assert response.status_code == 302
    request = PersonalDataRequest.objects.get(user=citizen)
    assert (request.kind, request.state) == ("correct", "received")
    html = client.get(PAGE).content.decode()
    assert request.code in html and "Chỉnh sửa dữ liệu" in html and "Chờ tiếp nhận" in html
    assert "Sửa ngày sinh trong hồ sơ đã nộp" in html and "Gửi yêu cầu" in html


def test_the_citizen_and_the_operator_are_told_of_a_new_request(citizen, operator, settings):
    settings.EGOV_DATA_PROTECTION_CONTACT = "baovedulieu@langson.example.vn"

    request = _submit(citizen)

    mine = Notification.objects.filter(recipient=citizen)
    assert {n.channel for n in mine} == {"in_app", "email"}
    assert all(request.code in n.subject for n in mine)
    assert Notification.objects.filter(recipient=operator, channel="in_app", subject__contains=request.code).exists()
    mailbox = Notification.objects.get(address="baovedulieu@langson.example.vn")
    assert request.code in mailbox.subject and "Đặng Văn Công" in mailbox.body


def test_a_request_without_details_is_refused_with_the_field_named_and_nothing_is_saved(client, citizen):
    client.force_login(citizen)

    response = client.post(PAGE, {"action": "request", "kind": "delete", "details": "  "})

    assert response.status_code == 400
    assert "Nêu dữ liệu nào và bạn muốn xử lý ra sao." in response.content.decode()
    assert not PersonalDataRequest.objects.exists()


def test_an_unknown_kind_is_refused_by_the_service_with_the_field_named(citizen):
    with pytest.raises(ApplicationError) as refused:
        data_requests.personal_data_request_submit(user=citizen, kind="sell", details="x")
    assert refused.value.status == 400 and "kind" in refused.value.fields


def test_a_second_open_request_of_the_same_kind_is_refused_with_409_and_the_text_kept(client, citizen):
    _submit(citizen)
    client.force_login(citizen)

    response = client.post(PAGE, {"action": "request", "kind": "delete", "details": "Xóa địa chỉ cũ."})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Đã có yêu cầu cùng loại đang được xử lý." in html and "Xóa địa chỉ cũ." in html
    assert PersonalDataRequest.objects.count() == 1


def test_another_kind_or_a_closed_one_of_the_same_kind_may_be_sent(citizen, operator):
    first = _submit(citizen)
    _submit(citizen, kind=DataRequestKind.RESTRICT)
    data_requests.personal_data_request_refuse(request=first, by=operator, answer="Hồ sơ đang được giải quyết.")

    _submit(citizen)

    assert PersonalDataRequest.objects.filter(user=citizen).count() == 3


def test_the_citizen_cancels_a_request_nobody_has_taken_up(client, citizen, operator):
    request = _submit(citizen)
    client.force_login(citizen)

    response = client.post(PAGE, {"action": "cancel", "request": str(request.public_id)})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == S.CANCELLED and request.closed_at
    assert [e.action for e in request.events.all()] == ["submit", "cancel"]


def test_a_request_taken_up_can_no_longer_be_cancelled_409(client, citizen, operator):
    request = _submit(citizen)
    data_requests.personal_data_request_accept(request=request, by=operator)
    client.force_login(citizen)

    response = client.post(PAGE, {"action": "cancel", "request": str(request.public_id)})

    assert response.status_code == 409
    assert "Đang xử lý" in response.content.decode()
    request.refresh_from_db()
    assert request.state == S.IN_PROGRESS


def test_a_citizen_never_sees_nor_cancels_another_citizens_request(client, citizen):
    theirs = _submit(UserFactory(citizen=True, full_name="Người Khác"), details="Riêng tư của người khác")
    client.force_login(citizen)

    assert "Riêng tư của người khác" not in client.get(PAGE).content.decode()
    assert client.post(PAGE, {"action": "cancel", "request": str(theirs.public_id)}).status_code == 404
    assert client.post(PAGE, {"action": "cancel", "request": "not-a-uuid"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == S.RECEIVED


def test_staff_get_404_on_the_page_and_the_service_refuses_them(client, operator):
    client.force_login(UserFactory(clerk=True))
    assert client.get(PAGE).status_code == 404
    with pytest.raises(ApplicationError) as refused:
        _submit(operator)
    assert refused.value.status == 403


def test_the_page_reads_in_a_constant_number_of_queries(client, citizen, operator, django_assert_num_queries):
    client.force_login(citizen)
    first = _submit(citizen)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as one:
        client.get(PAGE)
    data_requests.personal_data_request_accept(request=first, by=operator)
    for kind in (DataRequestKind.CORRECT, DataRequestKind.RESTRICT, DataRequestKind.OBJECT):
        data_requests.personal_data_request_accept(request=_submit(citizen, kind=kind), by=operator)

    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(PAGE).content.decode()
    assert html.count("DLCN-") == 4


def test_the_profile_links_to_the_rights_page(client, citizen):
    client.force_login(citizen)
    assert f'href="{PAGE}"' in client.get(reverse("accounts:profile")).content.decode()


# --- the operator's side ------------------------------------------------------------------------------------------

ACTIONS = {
    "accept": lambda request, by: data_requests.personal_data_request_accept(request=request, by=by),
    "complete": lambda request, by: data_requests.personal_data_request_complete(request=request, by=by, answer="Đã xóa."),
    "refuse": lambda request, by: data_requests.personal_data_request_refuse(request=request, by=by, answer="Phải lưu trữ."),
    "extend": lambda request, by: data_requests.personal_data_request_extend(request=request, by=by, reason="Cần xác minh."),
}
ALLOWED = {
    (S.RECEIVED, "accept"), (S.RECEIVED, "complete"), (S.RECEIVED, "refuse"),
    (S.IN_PROGRESS, "complete"), (S.IN_PROGRESS, "refuse"), (S.IN_PROGRESS, "extend"),
}


def _in_state(citizen, operator, state):
    request = _submit(citizen)
    if state == S.IN_PROGRESS:
        data_requests.personal_data_request_accept(request=request, by=operator)
    elif state == S.DONE:
        data_requests.personal_data_request_complete(request=request, by=operator, answer="Đã làm.")
    elif state == S.REFUSED:
        data_requests.personal_data_request_refuse(request=request, by=operator, answer="Không.")
    elif state == S.CANCELLED:
        data_requests.personal_data_request_cancel(request=request, by=citizen)
    request.refresh_from_db()
    return request


@pytest.mark.parametrize(("state", "action"), list(itertools.product(S.values, ACTIONS)))
def test_each_step_is_allowed_only_from_its_states_and_a_refusal_changes_nothing(citizen, operator, state, action):
    request = _in_state(citizen, operator, state)
    events = request.events.count()

    if (state, action) in ALLOWED:
        ACTIONS[action](request, operator)
        assert request.events.count() == events + 1
        event = request.events.last()
        assert (event.action, event.from_state, event.actor) == (action, state, operator)
    else:
        with pytest.raises(ApplicationError) as refused:
            ACTIONS[action](request, operator)
        assert refused.value.status == 409
        before = request.state
        request.refresh_from_db()
        assert request.state == before and request.events.count() == events


@pytest.mark.parametrize("who", ["citizen", "clerk", "staff_without_the_permission"])
def test_only_the_operator_acts_on_a_request(citizen, who):
    request = _submit(citizen)
    by = {"citizen": citizen, "clerk": UserFactory(clerk=True),
          "staff_without_the_permission": UserFactory(is_staff=True, roles=[Role.AGENCY_ADMIN])}[who]

    for action in ACTIONS:
        with pytest.raises(ApplicationError) as refused:
            ACTIONS[action](request, by)
        assert refused.value.status == 403
    request.refresh_from_db()
    assert request.state == S.RECEIVED


def test_an_answer_is_required_to_complete_refuse_or_extend(citizen, operator):
    request = _submit(citizen)
    for service in (data_requests.personal_data_request_complete, data_requests.personal_data_request_refuse):
        with pytest.raises(ApplicationError) as refused:
            service(request=request, by=operator, answer="   ")
        assert "answer" in refused.value.fields
    data_requests.personal_data_request_accept(request=request, by=operator)
    with pytest.raises(ApplicationError):
        data_requests.personal_data_request_extend(request=request, by=operator, reason="")


def test_the_deadline_is_extended_once_by_15_days_with_the_reason_told(citizen, operator):
    request = _in_state(citizen, operator, S.IN_PROGRESS)
    due = request.due_at

    request = data_requests.personal_data_request_extend(request=request, by=operator, reason="Cần xác minh với Sở Tư pháp.")

    assert request.due_at == due + timedelta(days=15) and request.extended_at
    told = Notification.objects.filter(recipient=citizen, channel="in_app").latest("id")
    assert "được gia hạn đến" in told.subject and told.body == "Cần xác minh với Sở Tư pháp."
    with pytest.raises(ApplicationError) as refused:
        data_requests.personal_data_request_extend(request=request, by=operator, reason="Lần nữa.")
    assert refused.value.status == 409 and "một lần" in refused.value.message
    request.refresh_from_db()
    assert request.due_at == due + timedelta(days=15)


def test_the_answer_reaches_the_citizen_and_every_step_is_on_the_legal_record(citizen, operator):
    request = _submit(citizen)
    data_requests.personal_data_request_accept(request=request, by=operator)

    data_requests.personal_data_request_complete(request=request, by=operator,
                                                 answer="Đã xóa số điện thoại 0912000111 khỏi tài khoản.")

    request.refresh_from_db()
    assert request.state == S.DONE and request.handled_by == operator and request.closed_at
    told = Notification.objects.filter(recipient=citizen, channel="email").latest("id")
    assert "đã được thực hiện" in told.subject and "0912000111" in told.body
    assert list(LegalEvent.objects.filter(action__startswith="personal_data_request.").order_by("sequence")
                .values_list("action", flat=True)) == ["personal_data_request.submit", "personal_data_request.accept",
                                                       "personal_data_request.complete"]


def test_the_operator_answers_in_the_admin(client, citizen, operator):
    request = _submit(citizen)
    _admin_client(client, operator)
    page = reverse("admin:accounts_personaldatarequest_change", args=[request.pk])

    html = client.get(page).content.decode()
    assert 'data-testid="data-request-handle"' in html and 'value="accept"' in html and 'value="extend"' not in html

    response = client.post(reverse("admin:accounts_personaldatarequest_handle", args=[request.pk]),
                           {"action": "complete", "text": "Đã xóa địa chỉ cũ."})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == S.DONE and request.answer == "Đã xóa địa chỉ cũ."
    html = client.get(page).content.decode()
    assert 'data-testid="data-request-handle"' not in html and "Đã thực hiện" in html


def test_a_refusal_in_the_admin_keeps_what_was_typed(client, citizen, operator):
    request = _submit(citizen)
    data_requests.personal_data_request_cancel(request=request, by=citizen)
    other = _submit(citizen, kind=DataRequestKind.OBJECT)
    _admin_client(client, operator)
    handle = reverse("admin:accounts_personaldatarequest_handle", args=[request.pk])

    response = client.post(handle, {"action": "complete", "text": "Một câu trả lời dài đã gõ."}, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã hủy" in html and "không thực hiện được thao tác này" in html
    request.refresh_from_db()
    assert request.state == S.CANCELLED
    # The text comes back on the request it was typed for, not on another.
    html = client.get(reverse("admin:accounts_personaldatarequest_change", args=[other.pk])).content.decode()
    assert "Một câu trả lời dài đã gõ." not in html


def test_a_refused_answer_comes_back_in_the_form(client, citizen, operator):
    request = _in_state(citizen, operator, S.IN_PROGRESS)
    data_requests.personal_data_request_extend(request=request, by=operator, reason="Cần xác minh.")
    _admin_client(client, operator)

    response = client.post(reverse("admin:accounts_personaldatarequest_handle", args=[request.pk]),
                           {"action": "extend", "text": "Lý do thứ hai đã gõ."}, follow=True)

    html = response.content.decode()
    assert "không gia hạn thêm" in html and "Lý do thứ hai đã gõ." in html


def test_the_admin_neither_adds_nor_deletes_requests(client, operator):
    _admin_client(client, operator)
    assert client.get(reverse("admin:accounts_personaldatarequest_add")).status_code == 403
    assert client.get(reverse("admin:accounts_personaldatarequest_changelist")).status_code == 200


# --- withdrawing consent ------------------------------------------------------------------------------------------


def test_withdrawing_consent_takes_effect_at_once_and_is_recorded(client, citizen):
    client.force_login(citizen)

    refused = client.post(PAGE, {"action": "withdraw"})
    assert refused.status_code == 400 and "Đánh dấu ô xác nhận" in refused.content.decode()

    response = client.post(PAGE, {"action": "withdraw", "confirm": "1"})

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.privacy_consent_at is None and citizen.privacy_consent_withdrawn_at is not None
    assert LegalEvent.objects.filter(action="account.privacy_consent_withdrawn", actor=citizen).exists()
    assert "Bạn đã rút lại sự đồng ý lúc" in client.get(PAGE).content.decode()


def test_there_is_nothing_to_withdraw_without_consent(citizen):
    privacy_consent_withdraw(user=citizen)
    with pytest.raises(ApplicationError) as refused:
        privacy_consent_withdraw(user=citizen)
    assert refused.value.status == 409


def test_the_rights_page_is_accessible_with_requests_and_with_errors(client, citizen, operator):
    from tests.a11y import a11y_problems

    request = _submit(citizen)
    data_requests.personal_data_request_accept(request=request, by=operator)
    client.force_login(citizen)

    assert a11y_problems(client.get(PAGE).content.decode()) == []
    assert a11y_problems(client.post(PAGE, {"action": "request", "kind": "", "details": ""}).content.decode()) == []
    assert a11y_problems(client.post(PAGE, {"action": "withdraw"}).content.decode()) == []


# --- the morning reminder -------------------------------------------------------------------------------------------


def test_the_operator_is_reminded_each_morning_of_requests_due_within_a_day_or_late(citizen, operator, settings):
    from egov.accounts.tasks import personal_data_requests_remind_task

    assert settings.CELERY_BEAT_SCHEDULE["accounts-remind-data-requests"]["task"] == "accounts.remind_data_requests"
    friday = datetime(2026, 3, 13, 9, 0, tzinfo=HANOI)
    with mock.patch("django.utils.timezone.now", return_value=friday):
        waiting = _submit(citizen)  # to be responded to by Tuesday 09:00
        working = _submit(citizen, kind=DataRequestKind.CORRECT)
        data_requests.personal_data_request_accept(request=working, by=operator)  # to be done by 28/03 09:00
        closed = _submit(citizen, kind=DataRequestKind.OBJECT)
        data_requests.personal_data_request_refuse(request=closed, by=operator, answer="Không có căn cứ.")
    Notification.objects.all().delete()

    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 16, 9, 0, tzinfo=HANOI)):
        personal_data_requests_remind_task()
    assert not Notification.objects.exists()  # Monday: nothing due within a day

    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 17, 10, 0, tzinfo=HANOI)):
        personal_data_requests_remind_task()
    [told] = Notification.objects.filter(recipient=operator)
    assert told.subject.endswith(": 1") and waiting.code in told.body and "quá hạn" in told.body
    assert working.code not in told.body and closed.code not in told.body

    Notification.objects.all().delete()
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 27, 10, 0, tzinfo=HANOI)):
        assert data_requests.personal_data_requests_remind() == 2
    [told] = Notification.objects.filter(recipient=operator)
    assert working.code in told.body and "hạn thực hiện 09:00 28/03/2026" in told.body
    assert not Notification.objects.filter(recipient=citizen).exists()


def test_the_operator_is_reminded_once_a_morning_and_on_working_days_only(citizen, operator):
    """Found in review: a redelivered task or a second beat told everything again; the beat ran on Saturdays."""
    from egov.accounts.tasks import personal_data_requests_remind_task

    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 13, 9, 0, tzinfo=HANOI)):
        waiting = _submit(citizen)  # to be responded to by Tuesday 09:00
    Notification.objects.all().delete()
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 21, 7, 10, tzinfo=HANOI)):  # Saturday
        assert data_requests.personal_data_requests_remind() == 0
    assert not Notification.objects.exists()
    for minute in (10, 12):  # the beat's run, then its redelivery
        with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 23, 7, minute, tzinfo=HANOI)):
            personal_data_requests_remind_task()
    [told] = Notification.objects.filter(recipient=operator)
    assert waiting.code in told.body


def test_an_answer_sent_without_choosing_an_action_is_offered_again(client, citizen, operator):
    request = _submit(citizen)
    _admin_client(client, operator)

    response = client.post(reverse("admin:accounts_personaldatarequest_handle", args=[request.pk]),
                           {"text": "Câu trả lời chưa chọn thao tác."}, follow=True)

    html = response.content.decode()
    assert "Chọn một thao tác." in html and "Câu trả lời chưa chọn thao tác." in html
    request.refresh_from_db()
    assert request.state == S.RECEIVED


# --- the same through the citizens' API -----------------------------------------------------------------------------

API_REQUESTS, API_CONSENT = "/api/v1/citizens/me/personal-data-requests/", "/api/v1/citizens/me/privacy-consent/"


@pytest.fixture
def api(citizen):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=citizen).key}")
    return client


def test_a_citizen_sends_lists_and_cancels_requests_through_the_api(api, citizen, operator):
    sent = api.post(API_REQUESTS, {"kind": "object", "details": "Phản đối dùng email để khảo sát."}, format="json")

    assert sent.status_code == 201
    body = sent.json()
    assert body["code"].startswith("DLCN-") and body["state"] == "received" and body["respond_due_at"]
    assert [e["action"] for e in body["events"]] == ["submit"]
    again = api.post(API_REQUESTS, {"kind": "object", "details": "Lần nữa."}, format="json")
    assert again.status_code == 409 and "kind" in again.json()["error"]["fields"]
    cancelled = api.post(f"{API_REQUESTS}{body['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert [r["code"] for r in api.get(API_REQUESTS).json()] == [body["code"]]


def test_the_api_refuses_bad_requests_others_ids_and_staff(api, citizen):
    invalid = api.post(API_REQUESTS, {"kind": "sell", "details": ""}, format="json")
    assert invalid.status_code == 400 and {"kind", "details"} <= set(invalid.json()["error"]["fields"])
    theirs = _submit(UserFactory(citizen=True))
    assert api.post(f"{API_REQUESTS}{theirs.public_id}/cancel/").status_code == 404
    api.force_authenticate(UserFactory(clerk=True))
    assert api.get(API_REQUESTS).status_code == 403


def test_the_api_list_reads_a_constant_number_of_queries(api, citizen, operator, django_assert_num_queries):
    _submit(citizen)
    api.get(API_REQUESTS)
    with CaptureQueriesContext(connection) as one:
        assert len(api.get(API_REQUESTS).json()) == 1
    for kind in (DataRequestKind.CORRECT, DataRequestKind.RESTRICT, DataRequestKind.OBJECT):
        data_requests.personal_data_request_accept(request=_submit(citizen, kind=kind), by=operator)

    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api.get(API_REQUESTS).json()) == 4


def test_consent_is_read_withdrawn_and_given_again_through_the_api(api, citizen):
    assert api.get(API_CONSENT).json()["given_at"]

    withdrawn = api.delete(API_CONSENT)

    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"] and withdrawn.json()["given_at"] is None
    assert api.delete(API_CONSENT).status_code == 409
    refused = api.post(API_CONSENT, {"privacy_consent": False}, format="json")
    assert refused.status_code == 400 and "privacy_consent" in refused.json()["error"]["fields"]
    given = api.post(API_CONSENT, {"privacy_consent": True}, format="json")
    assert given.status_code == 200 and given.json()["given_at"] and given.json()["withdrawn_at"] is None
    assert LegalEvent.objects.filter(action="account.privacy_consent", actor=citizen).count() == 2  # the fixture's, this one


def test_the_personal_data_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert API_REQUESTS in schema and API_CONSENT in schema and "/cancel/" in schema


def test_the_rights_page_reads_in_english_once_the_citizen_chooses_it(client, citizen, operator):
    from django.conf import settings as django_settings

    request = _submit(citizen)
    data_requests.personal_data_request_accept(request=request, by=operator)
    client.force_login(citizen)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(PAGE).content.decode()

    assert '<html lang="en"' in html and "<h1>Your personal data rights</h1>" in html
    assert "Withdraw consent" in html and "Delete data" in html and "Send the request" in html
    for vietnamese in ("Rút lại sự đồng ý", "Loại yêu cầu", "Xóa dữ liệu", "Gửi yêu cầu", "Quá trình xử lý"):
        assert vietnamese not in html, vietnamese


def test_a_citizen_who_chose_english_reads_the_answer_in_english_and_the_operator_in_vietnamese(citizen, operator):
    from django.utils import translation
    from django.utils.translation import gettext as _

    from egov.accounts.services import user_language_set

    user_language_set(user=citizen, language="en")
    request = _submit(citizen)
    data_requests.personal_data_request_accept(request=request, by=operator)

    with translation.override("en"):
        received = _("Đã nhận yêu cầu %(code)s về dữ liệu cá nhân") % {"code": request.code}
        accepted = _("Yêu cầu %(code)s đang được xử lý") % {"code": request.code}
    to_citizen = set(Notification.objects.filter(recipient=citizen).values_list("subject", flat=True))
    assert to_citizen == {received, accepted} and accepted.startswith("Request ")
    # The operator's staff are told in the portal's language.
    to_operator = list(Notification.objects.filter(recipient=operator).values_list("subject", flat=True))
    assert to_operator == [f"Yêu cầu về dữ liệu cá nhân {request.code}: Xóa dữ liệu"]
