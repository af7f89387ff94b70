"""The citizen's copy of their own data, from the profile page (Law on Personal Data Protection 91/2025/QH15)."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egov.accounts.privacy import privacy_consent_record
from egov.audit.models import LegalEvent
from egov.notifications.services import notification_send
from tests.factories import UserFactory
from tests.public_services.conftest import BIRTH_POST, pdf_file

pytestmark = pytest.mark.django_db
DOWNLOAD = reverse("public_services:personal_data_download")


def _submit(citizen, procedure, agency):
    from public_services.services import portal_draft_save, portal_submit

    outcome = portal_draft_save(citizen=citizen, procedure=procedure, form_data=BIRTH_POST, agency_id=agency.pk,
                                uploads=[("giay_chung_sinh", pdf_file("ban-sao-giay-chung-sinh.pdf"))])
    return portal_submit(dossier=outcome.dossier, citizen=citizen)


def _pay(dossier, citizen):
    from public_services.payments.models import Payment

    now = timezone.now()
    return Payment.objects.create(dossier=dossier, payer=citizen, amount_vnd=8000, provider="sandbox", txn_ref=f"T-{dossier.pk}",
                                  state="paid", paid_at=now, expires_at=now + timedelta(minutes=15), closed_at=now)


def _download(client, user):
    client.force_login(user)
    return client.post(DOWNLOAD)


def test_the_profile_page_offers_the_download_to_a_citizen(client, citizen):
    client.force_login(citizen)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert f'action="{DOWNLOAD}"' in html and "Tải dữ liệu cá nhân của tôi" in html


def test_the_copy_is_a_json_attachment_never_cached(client, citizen):
    response = _download(client, citizen)

    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="du-lieu-ca-nhan-')
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_copy_holds_the_account_consent_dossiers_files_payments_and_notifications(client, citizen, submitted):
    citizen = privacy_consent_record(user=citizen)
    _pay(submitted, citizen)
    notification_send(template="message", channel="in_app", recipient=citizen,
                      payload={"subject": "Hồ sơ đã được tiếp nhận", "body": "Hồ sơ của bạn đã được tiếp nhận."})

    data = json.loads(_download(client, citizen).content)

    assert data["account"]["full_name"] == "Đặng Văn Công" and data["account"]["national_id"] == citizen.national_id
    assert data["account"]["language"] == ""  # the messages' language, when chosen
    assert data["privacy_consent"]["notice_version"] == citizen.privacy_notice_version and data["privacy_consent"]["given_at"]
    [dossier] = data["dossiers"]
    assert dossier["code"] == submitted.code and dossier["procedure"]["name"] == "Thủ tục đăng ký khai sinh"
    assert dossier["state"] == submitted.state and dossier["submitted_at"]
    assert dossier["applicant"]["name"] == submitted.applicant_name and dossier["form_data"] == submitted.form_data
    assert [f["name"] for f in dossier["files"]] == ["giay-chung-sinh.pdf"]
    assert "file" not in dossier["files"][0] and "%PDF" not in json.dumps(data)
    assert [(p["dossier"], p["amount"], p["state"]) for p in data["payments"]] == [(submitted.code, 8000, "paid")]
    assert "Hồ sơ đã được tiếp nhận" in [n["subject"] for n in data["notifications"]]
    assert "account.privacy_consent" in [e["action"] for e in data["account_events"]]


def test_the_copy_never_holds_another_citizens_data(client, citizen, other_citizen, submitted, online_birth, commune):
    theirs = _submit(other_citizen, online_birth, commune)
    _pay(theirs, other_citizen)
    notification_send(template="message", channel="in_app", recipient=other_citizen, payload={"subject": "Riêng tư", "body": "x"})

    body = _download(client, citizen).content.decode()

    data = json.loads(body)
    assert [d["code"] for d in data["dossiers"]] == [submitted.code]
    assert theirs.code not in body and other_citizen.national_id not in body and "Người Khác" not in body
    assert data["payments"] == [] and "Riêng tư" not in body


def test_the_copy_is_read_in_a_constant_number_of_queries(client, citizen, online_birth, commune,
                                                         django_assert_num_queries):
    client.force_login(citizen)
    dossier = _submit(citizen, online_birth, commune)
    _pay(dossier, citizen)
    client.post(DOWNLOAD)  # the first request after signing in also updates the session
    with CaptureQueriesContext(connection) as one:
        assert len(json.loads(client.post(DOWNLOAD).content)["dossiers"]) == 1
    for _ in range(4):
        _pay(_submit(citizen, online_birth, commune), citizen)

    with django_assert_num_queries(len(one.captured_queries)):
        assert len(json.loads(client.post(DOWNLOAD).content)["dossiers"]) == 5


def test_each_copy_is_recorded_as_a_legal_event_who_and_when(client, citizen):
    before = timezone.now().replace(microsecond=0)

    _download(client, citizen)

    event = LegalEvent.objects.get(action="account.personal_data_export")
    assert event.actor == citizen and event.object_id == str(citizen.pk) and event.occurred_at >= before
    assert event.ip == "127.0.0.1"


def test_staff_get_404_and_nothing_is_recorded(client):
    response = _download(client, UserFactory(clerk=True))
    assert response.status_code == 404
    assert not LegalEvent.objects.filter(action="account.personal_data_export").exists()


def test_the_download_needs_a_post_and_a_signed_in_citizen(client, citizen):
    assert client.post(DOWNLOAD).status_code == 302  # to the sign-in page
    client.force_login(citizen)
    assert client.get(DOWNLOAD).status_code == 405


# --- consent withdrawn (egov.accounts.privacy; the rights page is tested in tests/egov/accounts) -------------------


def test_with_consent_withdrawn_no_new_online_dossier_is_started_until_it_is_given_again(client, citizen, online_birth,
                                                                                         commune):
    from egov.accounts.privacy import privacy_consent_withdraw
    from egov.core.errors import ApplicationError
    from public_services.services import portal_draft_save

    draft = portal_draft_save(citizen=citizen, procedure=online_birth, form_data=BIRTH_POST, agency_id=commune.pk).dossier
    citizen = privacy_consent_withdraw(user=privacy_consent_record(user=citizen))

    for save in (lambda: portal_draft_save(citizen=citizen, procedure=online_birth, form_data=BIRTH_POST,
                                           agency_id=commune.pk),
                 lambda: _submit(citizen, online_birth, commune)):
        with pytest.raises(ApplicationError) as refused:
            save()
        assert refused.value.status == 403 and refused.value.code == "privacy_consent_withdrawn"
    client.force_login(citizen)
    apply = reverse("public_services:apply", args=[online_birth.code])
    response = client.get(apply)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:privacy_consent")) and "next=" in response["Location"]
    api = client.post(reverse("portal-api-submit", args=[draft.code]), content_type="application/json")
    assert api.status_code == 403 and "rút lại sự đồng ý" in api.json()["error"]["message"]

    consent = client.post(response["Location"], {"privacy_consent": "1", "next": apply})

    assert consent.status_code == 302 and consent["Location"] == apply
    citizen.refresh_from_db()
    assert citizen.privacy_consent_withdrawn_at is None and citizen.privacy_consent_at is not None
    assert client.get(apply).status_code == 200
    assert _submit(citizen, online_birth, commune).state == "submitted"


def test_the_copy_holds_the_requests_about_ones_data_and_a_withdrawal(client, citizen):
    from egov.accounts.data_requests import personal_data_request_submit
    from egov.accounts.privacy import privacy_consent_withdraw

    citizen = privacy_consent_record(user=citizen)
    request = personal_data_request_submit(user=citizen, kind="restrict", details="Không gửi tin nhắn quảng bá.")
    privacy_consent_withdraw(user=citizen)

    data = json.loads(_download(client, citizen).content)

    assert [(r["code"], r["kind"], r["state"], r["details"]) for r in data["personal_data_requests"]] == [
        (request.code, "restrict", "received", "Không gửi tin nhắn quảng bá.")]
    assert data["privacy_consent"]["withdrawn_at"] and data["privacy_consent"]["given_at"] is None


def test_a_form_sent_after_consent_was_withdrawn_in_another_tab_keeps_what_was_typed(client, citizen, online_birth, commune):
    from egov.accounts.privacy import privacy_consent_withdraw

    client.force_login(citizen)
    apply = reverse("public_services:apply", args=[online_birth.code])
    assert client.get(apply).status_code == 200  # the form is open…
    privacy_consent_withdraw(user=privacy_consent_record(user=citizen))  # …when consent goes in another tab

    response = client.post(apply, {**BIRTH_POST, "agency": commune.pk, "action": "save"})

    html = response.content.decode()
    assert response.status_code == 400 and "rút lại sự đồng ý" in html
    assert BIRTH_POST["ho_ten_tre"] in html
    assert not citizen.dossiers.exists()
