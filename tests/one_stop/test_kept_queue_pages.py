"""The staff queue is kept per user and per rows shown (egov.core.staff_pages): never another user's page,
never stale, and its CSRF token is fresh and valid on every response."""

import re

import pytest
from django.contrib import messages
from django.test import Client

from egov.accounts.roles import Role
from tests.factories import UserFactory
from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_two_clerks_of_one_desk_each_see_their_own_name(staff, agency):
    first = staff[Role.ONE_STOP_CLERK]
    second = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK], full_name="Lò Thị Mai")
    for _ in range(2):  # rendered, then kept
        assert first.full_name in _client(first).get("/mot-cua/ho-so/").content.decode()
        page = _client(second).get("/mot-cua/ho-so/").content.decode()
        assert "Lò Thị Mai" in page and first.full_name not in page


def test_a_new_dossier_shows_on_the_next_page(staff, procedure):
    clerk = _client(staff[Role.ONE_STOP_CLERK])
    assert "Không có hồ sơ nào cần xử lý." in clerk.get("/mot-cua/ho-so/").content.decode()
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    assert dossier.code in clerk.get("/mot-cua/ho-so/").content.decode()


def test_a_role_given_shows_in_the_menu_of_the_next_page(staff):
    from egov.accounts.services import user_set_roles

    specialist = staff[Role.SPECIALIST]
    client = _client(specialist)
    assert "Nộp trực tuyến" not in client.get("/mot-cua/ho-so/").content.decode()
    user_set_roles(user=specialist, roles=[Role.SPECIALIST, Role.ONE_STOP_CLERK])
    assert "Nộp trực tuyến" in client.get("/mot-cua/ho-so/").content.decode()


def test_each_response_has_its_own_token_and_a_kept_page_s_token_is_accepted(staff):
    client = _client(staff[Role.ONE_STOP_CLERK], enforce_csrf_checks=True)
    tokens = [TOKEN.search(client.get("/mot-cua/ho-so/").content.decode())[1] for _ in range(3)]
    assert len(set(tokens)) == 3 and not any("placeholder" in token for token in tokens)
    # The log-out form of a kept page works: its token matches the browser's CSRF cookie.
    response = client.post("/tai-khoan/dang-xuat/", {"csrfmiddlewaretoken": tokens[-1]})
    assert response.status_code == 302
    assert client.get("/mot-cua/ho-so/").status_code == 302  # signed out: sent to sign in


def test_a_message_waiting_is_shown_once_on_the_page_that_follows(staff, rf):
    """As after a POST that says what it did and sends the clerk back to the queue."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse

    client = _client(staff[Role.ONE_STOP_CLERK])
    client.get("/mot-cua/ho-so/")  # a page is kept
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Đã chuyển hồ sơ đến UBND xã Tân Thanh.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    assert "Đã chuyển hồ sơ đến UBND xã Tân Thanh." in client.get("/mot-cua/ho-so/").content.decode()
    assert "Đã chuyển hồ sơ đến UBND xã Tân Thanh." not in client.get("/mot-cua/ho-so/").content.decode()


def test_a_worker_keeps_pages_up_to_its_byte_limit_then_starts_afresh(staff, monkeypatch):
    from egov.core import staff_pages

    client = _client(staff[Role.ONE_STOP_CLERK])
    client.get("/mot-cua/ho-so/")
    one_page = staff_pages._kept_bytes
    assert len(staff_pages._pages) == 1 and one_page > 1000
    monkeypatch.setattr(staff_pages, "_LIMIT_BYTES", one_page + one_page // 2)
    client.get("/mot-cua/ho-so/", {"trang": "2"})  # over the limit: the first page goes
    assert len(staff_pages._pages) == 1 and staff_pages._kept_bytes <= one_page + one_page // 2


def test_only_the_queue_s_own_page_is_keyed_by_its_version(staff):
    """The queue's version is a content fact: a dossier changing renders the queue again, not every other
    kept page of the user (the dashboard, the eOffice list), whose layouts do not show it."""
    from django.contrib.sessions.backends.base import SessionBase
    from django.test import RequestFactory

    from egov.core.staff_pages import _layout_key
    from one_stop.selectors import QUEUE_VERSION_FACT

    def key(**facts):
        request = RequestFactory().get("/bang-dieu-khien/")
        request.session, request.user = SessionBase(), staff[Role.LEADER]
        request.user.signed_in_facts = {"can_sign": False, QUEUE_VERSION_FACT: 5, **facts}
        return _layout_key(request)

    assert key() == key(**{QUEUE_VERSION_FACT: 6}) == key(**{QUEUE_VERSION_FACT: None})
    assert key() != key(can_sign=True)  # what the menu shows stays in the key


NEXT = re.compile(r'<input name="next" type="hidden" value="([^"]*)">')


def test_searches_share_a_kept_layout_but_each_shows_its_own_rows_address_and_token(staff, procedure, monkeypatch):
    from egov.core import staff_pages

    monkeypatch.setattr(staff_pages, "_pages", {})
    first = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    second = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 5))
    client = _client(staff[Role.ONE_STOP_CLERK], enforce_csrf_checks=True)
    tokens = []
    for dossier, other in ((first, second), (second, first), (first, second)):
        page = client.get("/mot-cua/ho-so/", {"q": dossier.code}).content.decode()
        assert dossier.code in page and other.code not in page
        assert NEXT.search(page)[1] == f"/mot-cua/ho-so/?q={dossier.code}"  # the language switch comes back here
        assert "placeholder" not in page
        tokens.append(TOKEN.search(page)[1])
    # One layout kept for every search of this clerk, filled per request.
    assert [key[1] for key in staff_pages._pages] == ["around"]
    assert len(set(tokens)) == 3
    assert client.post("/tai-khoan/dang-xuat/", {"csrfmiddlewaretoken": tokens[-1]}).status_code == 302


def test_what_a_search_typed_is_escaped_in_the_address_and_the_content(staff):
    client = _client(staff[Role.ONE_STOP_CLERK])
    for _ in range(2):  # the layout rendered, then kept
        page = client.get("/mot-cua/ho-so/", {"q": '"><script>x</script>&'}).content.decode()
        assert "<script>x</script>" not in page
        assert NEXT.search(page)[1] == "/mot-cua/ho-so/?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E%26"
        assert "&quot;&gt;&lt;script&gt;x&lt;/script&gt;&amp;" in page  # the search box shows what was typed


def test_another_clerk_never_gets_a_search_layout_kept_for_someone_else(staff, agency):
    first = staff[Role.ONE_STOP_CLERK]
    second = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK], full_name="Lò Thị Mai")
    for _ in range(2):
        assert first.full_name in _client(first).get("/mot-cua/ho-so/", {"q": "nguyen"}).content.decode()
        page = _client(second).get("/mot-cua/ho-so/", {"q": "nguyen"}).content.decode()
        assert "Lò Thị Mai" in page and first.full_name not in page
