"""Fuzz the HTML forms that take free text (portal and desk): NUL, very long strings, odd Unicode never give a 500.

Django's test client re-raises an exception a view lets escape, so a server error fails the example outright; the
status is checked as well, for errors a view turns into a 5xx page itself.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=40, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

# Text a browser can send (any code point but lone surrogates, which UTF-8 cannot carry), plus hand-picked trouble.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
NASTY = st.sampled_from([
    "", " ", "\x00", "a\x00b", "%00", "\r\n", "\t", "\u200b", "\u202etxet", "\ufeff", "𝕳𝖊𝖑𝖑𝖔", "Z̷̢͎a̵l̶g̸o̷", "١٢٣٤",
    "Nguyễn Văn A", "nguyen van a", "' OR 1=1 --", '"><script>alert(1)</script>', "{{ 7*7 }}", "../../etc/passwd",
    "a/b", "a?b#c", "%", "%%", "0" * 12, "020095001234", "-1", "1e309", "NaN", "2026-02-30", "9" * 400,
])
LONG = st.builds(lambda piece, times: piece * times, st.sampled_from(["a", "Đ", "😀", "\x00", "x/"]),
                 st.sampled_from([255, 256, 5_000, 100_000]))
TEXT = ANY_TEXT | NASTY | LONG


def never_a_server_error(response):
    assert response.status_code < 500, response.status_code


@pytest.fixture
def clerk(db):
    from tests.factories import AgencyFactory

    return UserFactory(agency=AgencyFactory(commune=True), roles=[Role.ONE_STOP_CLERK])


@FUZZ
@given(ma=TEXT)
def test_the_public_lookup_never_fails_whatever_is_typed(client, ma):
    response = client.get(reverse("one_stop:lookup"), {"ma": ma}, follow=True)
    never_a_server_error(response)


@FUZZ
@given(code=TEXT.filter(lambda text: text.strip(" /") and "\x00" not in text))
def test_the_lookup_page_of_any_code_never_fails(client, code):
    from urllib.parse import quote

    never_a_server_error(client.get(f"/tra-cuu-ho-so/{quote(code, safe='')}/"))


@FUZZ
@given(fields=st.fixed_dictionaries({name: TEXT for name in (
    "full_name", "national_id", "phone", "email", "password1", "password2")}))
def test_sign_up_never_fails_whatever_is_typed(client, fields):
    never_a_server_error(client.post(reverse("accounts:signup"), fields))


@FUZZ
@given(fields=st.fixed_dictionaries({
    "procedure": TEXT | st.just("1.001193"),
    "full_name": TEXT, "id_number": TEXT, "phone": TEXT, "email": TEXT, "address": TEXT, "fee_exempt_reason": TEXT,
}, optional={"checklist_shown": TEXT, "received": st.lists(TEXT | st.sampled_from(["0", "1", "99"]), max_size=3)}))
def test_counter_receipt_never_fails_whatever_is_typed(client, clerk, birth_procedure, fields):
    client.force_login(clerk)
    never_a_server_error(client.post(reverse("one_stop_staff:counter"), fields))


@FUZZ
@given(q=TEXT, page=TEXT)
def test_the_staff_queue_search_never_fails(client, clerk, q, page):
    client.force_login(clerk)
    never_a_server_error(client.get(reverse("one_stop_staff:queue"), {"q": q, "trang": page}))


@FUZZ
@given(params=st.fixed_dictionaries({}, optional={"q": TEXT, "linh_vuc": TEXT, "muc_do": TEXT, "cap": TEXT,
                                                  "co_quan": TEXT, "trang": TEXT}))
def test_the_catalogue_search_never_fails(client, online_birth, params):
    never_a_server_error(client.get(reverse("public_services:catalogue"), params))


def _birth_field_names():
    from public_services.demo_forms import BIRTH_REGISTRATION

    names = []
    for section in BIRTH_REGISTRATION["sections"]:
        for field in section["fields"]:
            if field["type"] == "group":
                names += [f"{field['name']}-0-{sub['name']}" for sub in field.get("fields", [])]
                names += [f"{field['name']}-0-_", f"{field['name']}-999-_"]
            else:
                names.append(field["name"])
    return names


@FUZZ
@given(data=st.data())
def test_the_online_form_never_fails_whatever_is_typed(client, citizen, online_birth, commune, data):
    fields = data.draw(st.fixed_dictionaries({}, optional={name: TEXT for name in _birth_field_names()}))
    fields["agency"] = data.draw(st.just(str(commune.pk)) | TEXT)
    fields["action"] = data.draw(st.sampled_from(["save", "submit"]) | TEXT)
    if data.draw(st.booleans()):
        fields["nhap"] = data.draw(TEXT)
    client.force_login(citizen)
    never_a_server_error(client.post(reverse("public_services:apply", args=[online_birth.code]), fields))


@FUZZ
@given(fields=st.fixed_dictionaries({}, optional={name: TEXT for name in (
    "subject_kind", "sender_kind", "organisation_name", "procedure_code", "regulation", "title", "content", "agency",
    "consent_publish")}))
def test_a_feedback_or_petition_never_fails_whatever_is_typed(client, citizen, fields):
    client.force_login(citizen)
    never_a_server_error(client.post(reverse("portal:feedback_submit"), fields))


@FUZZ
@given(week=TEXT, agency=TEXT, page=TEXT)
def test_the_news_and_calendar_filters_never_fail(client, week, agency, page):
    never_a_server_error(client.get(reverse("portal:calendar"), {"tuan": week, "co-quan": agency}))
    never_a_server_error(client.get(reverse("portal:news"), {"co-quan": agency, "trang": page}))
