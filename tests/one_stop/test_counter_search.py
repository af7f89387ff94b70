"""The counter form's procedure search (by name or code, without diacritics or case), with and without JavaScript,
and the link to the desk's register (form 06)."""

import re

import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.services.catalogue import procedure_upsert
from tests.a11y import a11y_problems
from tests.one_stop.factories import at_local

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    def add(code, name, field="Hộ tịch", documents=()):
        return procedure_upsert(data=ProcedureData(
            code=code, name=name, field=field, processing_days=5,
            required_documents=[RequiredDocument(name=d) for d in documents]), effective_from=at_local(2025, 7, 1, 0, 0))[0]

    add("1.001193", "Thủ tục đăng ký khai sinh", documents=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"))
    add("1.000894", "Thủ tục đăng ký kết hôn")
    add("1.009994", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", field="Xây dựng")
    return add


@pytest.fixture
def clerk_client(client, staff):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    return client


def _picks(html: str) -> list[str]:
    return re.findall(r'<a class="procedure-pick" href="/mot-cua/tiep-nhan/\?procedure=([^"]+)" data-procedure="\1">', html)


@pytest.mark.parametrize("typed", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "Khai Sinh", "1.001193"])
def test_a_search_without_javascript_lists_the_matches_on_the_counter_page(clerk_client, catalogue, typed):
    html = clerk_client.get(reverse("one_stop_staff:counter"), {"tim": typed}).content.decode()

    assert _picks(html) == ["1.001193"]
    assert f'value="{typed}"' in html  # the search box keeps what was typed
    assert "Tìm thấy 1 thủ tục. Chọn một thủ tục:" in html


def test_a_name_search_ranks_and_lists_every_match(clerk_client, catalogue):
    html = clerk_client.get(reverse("one_stop_staff:counter"), {"tim": "dang ky"}).content.decode()

    assert set(_picks(html)) == {"1.001193", "1.000894"}


def test_a_search_finding_nothing_says_so(clerk_client, catalogue):
    html = clerk_client.get(reverse("one_stop_staff:counter"), {"tim": "khong co thu tuc nay"}).content.decode()

    assert _picks(html) == [] and "Không tìm thấy thủ tục nào" in html


def test_a_picked_match_opens_the_form_with_its_code_and_checklist(clerk_client, catalogue):
    html = clerk_client.get(reverse("one_stop_staff:counter"), {"procedure": "1.001193"}).content.decode()

    assert re.search(r'<input type="text" name="procedure" value="1.001193"', html)
    assert re.findall(r'name="received" value="(\d)"', html) == ["0", "1"]
    assert not re.findall(r'name="received" value="\d" checked', html)  # the clerk ticks each paper handed in
    assert a11y_problems(html) == []


def test_a_picked_code_no_longer_in_force_shows_an_empty_checklist_and_no_error(clerk_client, catalogue):
    response = clerk_client.get(reverse("one_stop_staff:counter"), {"procedure": "9.999999"})

    assert response.status_code == 200 and 'name="received"' not in response.content.decode()


def test_the_search_as_you_type_fragment_lists_the_same_matches_and_announces_their_count(clerk_client, catalogue):
    html = clerk_client.get(reverse("one_stop_staff:counter_procedures"), {"tim": "giay phep xay dung"}).content.decode()

    assert _picks(html) == ["1.009994"]
    assert '<p id="procedure-matches-status" hx-swap-oob="innerHTML">Tìm thấy 1 thủ tục.</p>' in html


def test_an_empty_search_lists_nothing_and_reads_nothing(clerk_client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(0):
        from one_stop.selectors import procedures_counter_search

        assert procedures_counter_search(query="  ") == []
    html = clerk_client.get(reverse("one_stop_staff:counter_procedures"), {"tim": ""}).content.decode()
    assert _picks(html) == []


def test_the_search_runs_the_same_queries_for_a_small_and_a_large_catalogue(
        clerk_client, catalogue, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("one_stop_staff:counter_procedures")
    with CaptureQueriesContext(connection) as small:
        clerk_client.get(url, {"tim": "thu tuc"})
    for n in range(30):
        catalogue(f"2.{n:06d}", f"Thủ tục thử nghiệm số {n}")
    with django_assert_num_queries(len(small.captured_queries)):
        html = clerk_client.get(url, {"tim": "thu tuc"}).content.decode()
    assert len(_picks(html)) == 10 and "gõ thêm từ để thu hẹp" in html


def test_the_counter_page_with_matches_is_accessible_and_has_no_inline_script(clerk_client, catalogue):
    html = clerk_client.get(reverse("one_stop_staff:counter"), {"tim": "dang ky"}).content.decode()

    assert a11y_problems(html) == []
    # The content security policy allows scripts from the portal's own files only (script-src 'self').
    assert all(' src="' in tag for tag in re.findall(r"<script[^>]*>", html))
    assert '<script src="/static/js/counter.js" defer></script>' in html
    assert re.search(r'<form method="get" action="/mot-cua/tiep-nhan/" role="search"', html)


def test_the_search_is_for_the_desks_clerks_only(client, staff, catalogue):
    client.force_login(staff[Role.SPECIALIST])

    assert client.get(reverse("one_stop_staff:counter_procedures"), {"tim": "khai sinh"}).status_code == 404


# --- form 06, the desk's register, from the counter page -------------------------------------------------------

def test_the_counter_page_offers_the_days_register_with_today_chosen(clerk_client):
    from django.utils import timezone

    html = clerk_client.get(reverse("one_stop_staff:counter")).content.decode()

    form = re.search(r'<form method="get" action="/mot-cua/so-theo-doi/" class="register-form">.*?</form>', html, re.S)[0]
    assert f'type="date" name="ngay" value="{timezone.localdate():%Y-%m-%d}"' in form
    assert "Mở sổ (PDF)" in form


@pytest.mark.parametrize("typed", ["2026-12-01", "01/12/2026"])
def test_a_chosen_day_leads_to_its_register_pdf(clerk_client, typed):
    response = clerk_client.get(reverse("one_stop_staff:register_choose"), {"ngay": typed})

    assert response.status_code == 302 and response["Location"] == "/mot-cua/so-theo-doi/2026-12-01.pdf"
    pdf = clerk_client.get(response["Location"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Chọn ngày cần in sổ."), ("31/02/2026", "Ngày không hợp lệ"), ("1999-12-31", "Sổ theo dõi có từ năm 2000"),
    ("9999-12-31", "Sổ theo dõi có từ năm 2000")])
def test_a_wrong_day_is_said_on_the_registers_page(clerk_client, typed, message):
    response = clerk_client.get(reverse("one_stop_staff:register_choose"), {"ngay": typed})

    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert a11y_problems(html) == []


def test_the_registers_page_without_a_day_offers_today(clerk_client):
    response = clerk_client.get(reverse("one_stop_staff:register_choose"))

    assert response.status_code == 200 and 'name="ngay"' in response.content.decode()


def test_only_a_desks_clerk_opens_the_register(client, staff):
    client.force_login(staff[Role.SPECIALIST])

    assert client.get(reverse("one_stop_staff:register_choose"), {"ngay": "2026-12-01"}).status_code == 404


def test_the_clerks_queue_links_to_the_register(clerk_client, client, staff):
    html = clerk_client.get(reverse("one_stop_staff:queue")).content.decode()

    assert '<a href="/mot-cua/so-theo-doi/">Sổ theo dõi hồ sơ (mẫu số 06)</a>' in html
