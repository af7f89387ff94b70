"""Anonymous visitors share the public statistics page from the cache; nobody else is served it."""

import pytest
from django.contrib import messages
from django.test import Client

from tests.factories import UserFactory
from tests.reports.fixtures import october

pytestmark = pytest.mark.django_db

OCT = {"ky": "thang", "nam": 2026, "thang": 10}


def test_a_second_visitor_gets_the_same_page_without_a_query(cached_a_minute, commune, department, birth, land,
                                                             django_assert_num_queries):
    october(commune=commune, department=department, birth=birth, land=land)
    first = Client().get("/thong-ke/", OCT)
    assert first.status_code == 200 and "UBND phường Đông Kinh" in first.content.decode()
    with django_assert_num_queries(0):
        second = Client().get("/thong-ke/", OCT)
    assert second.status_code == 200 and second.content == first.content
    assert second["Content-Language"] == "vi" and second["Content-Security-Policy"]  # the middleware still runs
    # Another period, another page.
    assert Client().get("/thong-ke/", {"ky": "nam", "nam": 2025}).content != first.content


def test_each_language_has_its_own_page(cached_a_minute, db):
    vietnamese = Client().get("/thong-ke/", OCT).content.decode()
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = english_client.get("/thong-ke/", OCT).content.decode()
    assert 'lang="vi"' in vietnamese and 'lang="en"' in english


def test_a_signed_in_user_is_neither_served_nor_the_source_of_the_shared_page(cached_a_minute, db):
    citizen = UserFactory(citizen=True, full_name="Trần Thị Bích Ngọc")
    signed_in = Client()
    signed_in.force_login(citizen)
    assert "Trần Thị Bích Ngọc" in signed_in.get("/thong-ke/", OCT).content.decode()
    assert "Trần Thị Bích Ngọc" not in Client().get("/thong-ke/", OCT).content.decode()
    # And the other way round: after a visitor filled the cache, the user still sees their own header.
    assert "Trần Thị Bích Ngọc" in signed_in.get("/thong-ke/", OCT).content.decode()


def test_a_visitor_with_a_message_waiting_sees_it_and_it_is_not_shared(cached_a_minute, db, rf):
    from django.contrib.messages.storage.cookie import CookieStorage

    request = rf.get("/")
    storage = CookieStorage(request)
    storage.add(messages.INFO, "Bạn đã đăng xuất.")
    from django.http import HttpResponse

    response = HttpResponse()
    storage.update(response)
    visitor = Client()
    visitor.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value
    assert "Bạn đã đăng xuất." in visitor.get("/thong-ke/", OCT).content.decode()
    assert "Bạn đã đăng xuất." not in Client().get("/thong-ke/", OCT).content.decode()


def test_an_invalid_period_is_not_kept(cached_a_minute, db):
    bad = {"ky": "thang", "nam": 2025, "thang": 13}
    assert Client().get("/thong-ke/", bad).status_code == 400
    assert Client().get("/thong-ke/", bad).status_code == 400


def _page_keys(cache) -> list[str]:
    return [key for key in cache._cache if "visitor-page:" in key]


def test_the_page_is_kept_no_longer_than_its_figures_stay_fresh(cached_a_minute, db, monkeypatch):
    """A page built on figures cached 59.5 s ago would outlive them: it is not kept."""
    import time

    from django.core.cache import cache

    Client().get("/thong-ke/", OCT)  # figures and page cached now
    assert _page_keys(cache)
    for key in _page_keys(cache):  # the page goes, the figures stay
        del cache._cache[key], cache._expire_info[key]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 59.5)
    assert Client().get("/thong-ke/", OCT).status_code == 200  # from the figures, 59.5 s old
    assert not _page_keys(cache)
