"""The applicant who came to the counter rates the service on the public lookup page, proving who they are by the ID
number or tax code given at submission (as the API does), once per dossier, never shown their personal data."""

import re
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from egov.accounts.roles import Role
from one_stop.models import Dossier, DossierRating
from one_stop.services.dossiers import dossier_act
from tests.a11y import a11y_problems
from tests.one_stop.factories import APPLICANT, at_local, receive_at_counter

pytestmark = pytest.mark.django_db

PRIVATE = (APPLICANT.full_name, APPLICANT.id_number, "0912345678", "912 345 678", APPLICANT.address)


@pytest.fixture
def address():
    # A fresh documentation address per test: the lookup's per-address counters live in the shared cache.
    address = f"203.0.113.{uuid.uuid4().int % 250 + 1}"
    cache.delete(f"throttle_lookup_{address}")
    yield address
    cache.delete(f"throttle_lookup_{address}")


def _returned(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    for user, action in ((Role.SPECIALIST, "start"), (Role.LEADER, "resolve"), (Role.ONE_STOP_CLERK, "return_result")):
        dossier = dossier_act(dossier=Dossier.objects.get(pk=dossier.pk), user=staff[user], action=action)
    return dossier


def _rate(client, dossier, address, **data):
    return client.post(reverse("one_stop:lookup_rate", args=[dossier.code]), data, REMOTE_ADDR=address)


def test_the_form_appears_only_once_the_result_is_returned(client, staff, procedure):
    waiting = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    returned = _returned(staff, procedure)

    assert "Đánh giá mức độ hài lòng" not in client.get(reverse("one_stop:lookup_code", args=[waiting.code])).content.decode()
    page = client.get(reverse("one_stop:lookup_code", args=[returned.code])).content.decode()
    assert "Đánh giá mức độ hài lòng" in page and reverse("one_stop:lookup_rate", args=[returned.code]) in page
    for level in ("Hài lòng", "Chấp nhận được", "Không hài lòng"):
        assert level in page
    assert a11y_problems(page) == []
    assert not [private for private in PRIVATE if private in page]


def test_the_applicant_rates_once_with_their_id_number(client, staff, procedure, address):
    dossier = _returned(staff, procedure)

    response = _rate(client, dossier, address, level="acceptable", comment="Cán bộ nhiệt tình", id_number=APPLICANT.id_number)
    thanked = client.get(response["Location"]).content.decode()
    again = _rate(client, dossier, address, level="unsatisfied", id_number=APPLICANT.id_number)

    assert response.status_code == 302 and response["Location"] == reverse("one_stop:lookup_code", args=[dossier.code])
    rating = DossierRating.objects.get(dossier=dossier)
    assert (rating.level, rating.comment) == ("acceptable", "Cán bộ nhiệt tình")
    assert "Cảm ơn ông/bà đã đánh giá" in thanked and "Hồ sơ này đã được đánh giá" in thanked
    assert 'name="id_number"' not in thanked  # no second form
    assert again.status_code == 409 and "Hồ sơ này đã được đánh giá." in again.content.decode()
    assert DossierRating.objects.get(dossier=dossier).level == "acceptable"


def test_a_wrong_id_number_is_refused_in_vietnamese_and_keeps_the_rest_of_what_was_typed(client, staff, procedure, address):
    dossier = _returned(staff, procedure)

    response = _rate(client, dossier, address, level="unsatisfied", comment="Chờ lâu", id_number="001099000001")

    html = response.content.decode()
    assert response.status_code == 403 and not DossierRating.objects.exists()
    assert "Số định danh không khớp với người nộp hồ sơ." in html and "Không khớp." in html
    assert "Chờ lâu" in html and re.search(r'<input[^>]*value="unsatisfied"[^>]*checked', html)
    assert "001099000001" not in html  # the ID number typed is never written back into the page
    assert not [private for private in PRIVATE if private in html]
    assert a11y_problems(html) == [] and 'aria-invalid="true"' in html


def test_a_missing_level_or_id_number_is_named_on_its_field(client, staff, procedure, address):
    dossier = _returned(staff, procedure)

    response = _rate(client, dossier, address, comment="Tốt")

    html = response.content.decode()
    assert response.status_code == 400 and not DossierRating.objects.exists()
    assert "Đánh giá chưa gửi được: xem lỗi ở từng mục." in html and html.count('class="field-error"') == 2
    assert a11y_problems(html) == []


def test_a_dossier_not_yet_returned_cannot_be_rated_from_the_page(client, staff, procedure, address):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))

    response = _rate(client, dossier, address, level="satisfied", id_number=APPLICANT.id_number)

    assert response.status_code == 409 and "Chỉ đánh giá sau khi đã nhận kết quả." in response.content.decode()
    assert not DossierRating.objects.exists()


def test_an_unknown_code_is_not_found(client, address):
    response = client.post(reverse("one_stop:lookup_rate", args=["000.00.00.H41-990101-0001"]),
                           {"level": "satisfied", "id_number": "1"}, REMOTE_ADDR=address)

    assert response.status_code == 404


@override_settings(EGOV_LOOKUP_THROTTLE="2/min")
def test_guessing_id_numbers_meets_the_lookups_per_address_limit(client, staff, procedure, address):
    dossier = _returned(staff, procedure)

    statuses = [_rate(client, dossier, address, level="satisfied", id_number=f"00109900000{i}").status_code
                for i in range(3)]
    blocked = _rate(client, dossier, address, level="satisfied", id_number=APPLICANT.id_number)

    assert statuses == [403, 403, 429] and blocked.status_code == 429
    assert "Gửi quá nhiều lần" in blocked.content.decode() and not DossierRating.objects.exists()


@override_settings(EGOV_LOOKUP_THROTTLE="1/min")
def test_a_signed_in_account_meets_the_same_limit(client, staff, procedure, address):
    from tests.factories import UserFactory

    dossier = _returned(staff, procedure)
    client.force_login(UserFactory(citizen=True))

    statuses = [_rate(client, dossier, address, level="satisfied", id_number=f"00109900000{i}").status_code
                for i in range(2)]

    assert statuses == [403, 429]


def test_the_return_message_tells_a_walk_in_applicant_where_to_rate(staff, procedure):
    from egov.notifications.models import Notification

    dossier = _returned(staff, procedure)

    sms = Notification.objects.filter(payload__dossier=dossier.code, channel="sms").order_by("pk").last()
    assert "Mời ông/bà đánh giá mức độ hài lòng tại trang tra cứu hồ sơ (mã QR trên giấy tiếp nhận)." in sms.body
