"""The online form's one-time key: however it is sent again, one form makes one dossier."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from one_stop.constants import DossierState
from one_stop.models import Dossier
from tests.public_services.conftest import BIRTH_POST, pdf_file


def apply_url(draft=None):
    url = reverse("public_services:apply", args=["1.001193"])
    return f"{url}?nhap={draft}" if draft else url


def form_key(client) -> str:
    body = client.get(apply_url()).content.decode()
    return re.search(r'name="khoa" value="([^"]+)"', body).group(1)


def complete(key, **extra):
    return {**BIRTH_POST, "agency": extra.pop("agency"), "action": "submit", "khoa": key,
            "upload-giay_chung_sinh": pdf_file(), **extra}


@pytest.mark.django_db
def test_a_double_click_on_submit_makes_one_dossier_and_shows_it(client, citizen, online_birth, commune):
    client.force_login(citizen)
    key = form_key(client)

    first = client.post(apply_url(), complete(key, agency=commune.pk))
    second = client.post(apply_url(), complete(key, agency=commune.pk))

    dossier = Dossier.objects.get(citizen=citizen)
    assert dossier.state == DossierState.SUBMITTED
    assert first.url == second.url == reverse("public_services:dossier", args=[dossier.code])
    page = client.get(second.url).content.decode()
    assert f"Hồ sơ {dossier.code} đã được nộp trước đó; không nộp lại." in page
    assert dossier.documents.count() == 1


@pytest.mark.django_db
def test_back_and_submit_again_shows_the_first_submission(client, citizen, online_birth, commune):
    client.force_login(citizen)
    key = form_key(client)
    client.post(apply_url(), complete(key, agency=commune.pk))

    # Back: the browser shows the same page, with the same key, and the citizen presses "Nộp hồ sơ" again.
    again = client.post(apply_url(), complete(key, agency=commune.pk, ho_ten_tre="Đặng Minh Khôi"))

    dossier = Dossier.objects.get(citizen=citizen)
    assert again.url == reverse("public_services:dossier", args=[dossier.code])
    assert dossier.form_data["ho_ten_tre"] == "Đặng Minh An"


@pytest.mark.django_db
def test_the_key_is_kept_when_the_form_comes_back_with_errors(client, citizen, online_birth, commune):
    client.force_login(citizen)
    key = form_key(client)
    post = complete(key, agency=commune.pk)
    del post["ho_ten_tre"]

    refused = client.post(apply_url(), post).content.decode()
    assert f'name="khoa" value="{key}"' in refused

    client.post(apply_url(), complete(key, agency=commune.pk))
    client.post(apply_url(), complete(key, agency=commune.pk))
    assert Dossier.objects.filter(citizen=citizen).count() == 1


@pytest.mark.django_db
def test_a_draft_saved_from_the_form_is_the_one_submitted_from_the_same_page(client, citizen, online_birth, commune):
    client.force_login(citizen)
    key = form_key(client)
    client.post(apply_url(), {"agency": commune.pk, "ho_ten_tre": "Đặng Minh An", "action": "save", "khoa": key})
    client.post(apply_url(), {"agency": commune.pk, "ho_ten_tre": "Đặng Minh An", "action": "save", "khoa": key})

    # Back to the page the draft was saved from, and "Nộp hồ sơ".
    client.post(apply_url(), complete(key, agency=commune.pk))

    dossier = Dossier.objects.get(citizen=citizen)
    assert dossier.state == DossierState.SUBMITTED


@pytest.mark.django_db
def test_a_drafts_page_submitted_twice_submits_once(client, citizen, online_birth, commune):
    client.force_login(citizen)
    client.post(apply_url(), {"agency": commune.pk, "action": "save", "upload-giay_chung_sinh": pdf_file()})
    draft = Dossier.objects.get(citizen=citizen)
    page = client.get(apply_url(draft=draft.code)).content.decode()
    key = re.search(r'name="khoa" value="([^"]+)"', page).group(1)
    # The draft's code is replaced by the desk's code on submission: the page sent again finds it by its key.
    post = {**BIRTH_POST, "nhap": draft.code, "action": "submit", "khoa": key}

    client.post(apply_url(), post)
    again = client.post(apply_url(), post)

    draft.refresh_from_db()
    assert draft.state == DossierState.SUBMITTED and Dossier.objects.filter(citizen=citizen).count() == 1
    assert again.url == reverse("public_services:dossier", args=[draft.code])
    assert "đã được nộp trước đó" in client.get(again.url).content.decode()


@pytest.mark.django_db
def test_back_fetching_the_form_again_then_submit_shows_the_first_submission(client, citizen, online_birth, commune):
    client.force_login(citizen)
    client.post(apply_url(), complete(form_key(client), agency=commune.pk))
    dossier = Dossier.objects.get(citizen=citizen)

    # Back: Chromium fetches the form's page again; the citizen presses "Nộp hồ sơ" with the same answers.
    page = client.get(apply_url()).content.decode()
    again = client.post(apply_url(), complete(re.search(r'name="khoa" value="([^"]+)"', page).group(1),
                                              agency=commune.pk))

    assert Dossier.objects.filter(citizen=citizen).count() == 1
    assert f"Biểu mẫu này đã được nộp thành hồ sơ {dossier.code}" in page
    assert f'href="{reverse("public_services:dossier", args=[dossier.code])}"' in page
    assert again.url == reverse("public_services:dossier", args=[dossier.code])
    assert f"Hồ sơ {dossier.code} đã được nộp trước đó; không nộp lại." in client.get(again.url).content.decode()


@pytest.mark.django_db
def test_another_form_asked_for_after_a_submission_makes_a_second_dossier(client, citizen, online_birth, commune):
    client.force_login(citizen)
    first_key = form_key(client)
    client.post(apply_url(), complete(first_key, agency=commune.pk))

    renewed = client.get(f"{apply_url()}?moi=1")
    second_key = form_key(client)
    client.post(apply_url(), complete(second_key, agency=commune.pk))

    assert renewed.status_code == 302 and renewed.url == apply_url()
    assert second_key != first_key
    assert Dossier.objects.filter(citizen=citizen, state=DossierState.SUBMITTED).count() == 2


@pytest.mark.django_db
def test_the_form_opened_long_after_a_submission_is_a_new_one(client, citizen, online_birth, commune):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(citizen)
    first_key = form_key(client)
    client.post(apply_url(), complete(first_key, agency=commune.pk))
    Dossier.objects.filter(citizen=citizen).update(submitted_at=timezone.now() - timedelta(hours=1))

    page = client.get(apply_url()).content.decode()

    assert f'name="khoa" value="{first_key}"' not in page
    assert "đã được nộp thành hồ sơ" not in page


@pytest.mark.django_db
def test_the_form_reloaded_before_sending_keeps_its_key(client, citizen, online_birth, commune):
    client.force_login(citizen)
    key = form_key(client)

    assert form_key(client) == key


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_form_make_one_dossier(citizen, online_birth, commune):
    from public_services.services import portal_dossier_submit, portal_submission_key

    key = portal_submission_key()
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def send(index):
        try:
            barrier.wait()
            outcomes[index] = portal_dossier_submit(citizen=citizen, procedure=online_birth, form_data=BIRTH_POST,
                                                    agency_id=commune.pk, uploads=[("giay_chung_sinh", pdf_file())],
                                                    submission_key=key)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    dossier = Dossier.objects.get(citizen=citizen)
    assert dossier.state == DossierState.SUBMITTED
    assert {o.dossier.pk for o in outcomes} == {dossier.pk}
    assert sorted(o.repeated for o in outcomes) == [False, True]
