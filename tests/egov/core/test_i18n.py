"""Vietnamese is the portal's language; English is a complete translation a visitor can switch to."""

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

CATALOG_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


@dataclass
class PoEntry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0


def _parse_po(path: Path) -> list[PoEntry]:
    """Read a .po file into entries: enough of the format for the catalogs `makemessages` writes.

    Obsolete entries (`#~`) are ignored; a string continues on following lines that start with a quote.
    """
    entries: list[PoEntry] = []
    entry = PoEntry()
    target: tuple[str, int] | None = None  # which field the next continuation line extends

    def finish():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = PoEntry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()  # a comment after a msgstr starts the next entry
            if line.startswith("#,") and "fuzzy" in line:
                entry.fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            value, key = ast.literal_eval(line), target
        else:
            value = ast.literal_eval(rest)
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            if keyword.startswith("msgstr["):
                key = ("msgstr", int(keyword[len("msgstr[") : -1]))
            else:
                key = (keyword, 0)
            if keyword == "msgid":
                entry.line = number
        if key is None:
            raise AssertionError(f"{path}:{number}: text outside an entry")
        name, index = key
        if name == "msgstr":
            entry.msgstrs[index] = entry.msgstrs.get(index, "") + value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)
        target = key
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[PoEntry]:
    return [e for e in _parse_po(CATALOG_DIR / "django.po") if e.msgid]  # the header has an empty msgid


@pytest.fixture(scope="module")
def mo_catalog() -> gettext.GNUTranslations:
    with open(CATALOG_DIR / "django.mo", "rb") as handle:
        return gettext.GNUTranslations(handle)


@pytest.mark.django_db
def test_the_home_page_speaks_vietnamese_by_default(client):
    response = client.get(reverse("home"))

    page = response.content.decode()
    assert '<html lang="vi"' in page
    assert "Đăng nhập" in page


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_vietnamese_until_the_visitor_chooses(client):
    """Many Vietnamese citizens' browsers ask for English first: the administration's language stays the default,
    and only the footer's choice (the language cookie) changes it. Pages vary by that cookie, not the header."""
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi"' in page.content.decode() and page["Content-Language"] == "vi"
    assert "Cookie" in page["Vary"] and "Accept-Language" not in page["Vary"]

    client.get("/ngon-ngu/", {"language": "en", "next": "/"})
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi")
    assert '<html lang="en"' in page.content.decode() and page["Content-Language"] == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"  # not a language of the portal
    assert '<html lang="vi"' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_the_api_answers_in_the_language_its_client_asks_for(client):
    """An API client sets Accept-Language on purpose (it has no footer to click): honoured there, Vietnamese
    otherwise."""
    def message(**headers):
        return client.get("/api/v1/dossiers/KHONG-CO/", **headers).json()["error"]["message"]

    assert message() == "Chưa cung cấp thông tin xác thực (đăng nhập hoặc token)."
    assert message(HTTP_ACCEPT_LANGUAGE="en") == "Authentication credentials were not provided."


@pytest.mark.django_db
def test_the_api_framework_s_own_errors_read_in_vietnamese(client):
    """Django REST framework's Vietnamese catalogue covers 20 of its messages; locale/vi adds those the API can
    answer (authentication, choices, numbers, pages, throttling…), so bad input gets a Vietnamese reason."""
    from egov.accounts.roles import Role
    from tests.factories import AgencyFactory, UserFactory

    assert client.get("/api/v1/dossiers/X/", HTTP_AUTHORIZATION="Token sai").json()["error"]["message"] == "Token không hợp lệ."
    client.force_login(UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK]))
    fields = client.post("/api/v1/dossiers/", {"channel": "fax"}, content_type="application/json").json()["error"]["fields"]
    assert fields["channel"] == ["“fax” không phải là một lựa chọn hợp lệ."]
    assert client.get("/api/v1/incoming-documents/", {"cursor": "zzz"}).json()["error"]["message"] == (
        "Vị trí trang (cursor) không hợp lệ")
    with translation.override("vi"):
        from rest_framework.exceptions import Throttled

        assert str(Throttled(wait=30).detail) == "Yêu cầu quá nhiều lần trong thời gian ngắn. Hãy thử lại sau 30 giây."


@pytest.mark.parametrize(("password", "message"), [
    ("12345abcd", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),  # Django 5.2's %d text, absent from its vi catalogue
    ("password123", "Mật khẩu này quá phổ biến."),
    ("1234567890123", "Mật khẩu này hoàn toàn là số."),
])
def test_every_password_rule_reads_in_vietnamese(password, message):
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    with translation.override("vi"), pytest.raises(ValidationError) as refusal:
        password_validation.validate_password(password)
    assert message in refusal.value.messages


@pytest.mark.django_db
def test_a_nul_in_an_api_text_field_is_refused_in_vietnamese(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(citizen=True))
    response = client.patch("/api/v1/citizens/me/", {"address": "a\x00b"}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["address"] == ["Dữ liệu không được chứa ký tự NUL."]


@pytest.mark.django_db
def test_a_visitor_who_chooses_english_sees_the_home_page_in_english(client):
    home = reverse("home")

    response = client.post(reverse("set_language"), {"language": "en", "next": home}, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == home
    assert '<html lang="en"' in page
    assert "Sign in" in page
    assert "Đăng nhập" not in page


def test_the_english_catalog_has_entries(po_entries):
    assert len(po_entries) > 50


def test_no_english_translation_is_left_empty(po_entries):
    untranslated = [f"line {e.line}: {e.msgid!r}" for e in po_entries if not e.msgstrs or not all(e.msgstrs.values())]

    assert untranslated == []


def test_no_english_translation_is_marked_fuzzy(po_entries):
    # gettext drops fuzzy entries when compiling, so a fuzzy entry shows Vietnamese to English readers.
    assert [e.msgid for e in po_entries if e.fuzzy] == []


def test_the_compiled_english_catalog_matches_the_po_file(po_entries, mo_catalog):
    stale = []
    for entry in po_entries:
        if entry.msgid_plural is not None:
            found = [
                mo_catalog.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt
                else mo_catalog.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
            expected = [entry.msgstrs.get(0), entry.msgstrs.get(1)]
        else:
            found = [mo_catalog.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else mo_catalog.gettext(entry.msgid)]
            expected = [entry.msgstrs.get(0)]
        if found != expected:
            stale.append(entry.msgid)

    assert stale == [], "django.mo is older than django.po: run `manage.py compilemessages -l en`"


@pytest.mark.django_db
def test_the_footer_switches_language_by_get_and_returns_to_the_page(client):
    from django.conf import settings

    response = client.get(reverse("language_choose"), {"language": "en", "next": "/tra-cuu-ho-so/?ma=X"})
    assert response.status_code == 302 and response["Location"] == "/tra-cuu-ho-so/?ma=X"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in client.get(reverse("home")).content.decode()
    # Another site is never a destination, and an unknown language changes nothing.
    away = client.get(reverse("language_choose"), {"language": "xx", "next": "https://evil.example/"})
    assert away["Location"] == "/" and settings.LANGUAGE_COOKIE_NAME not in away.cookies


@pytest.mark.django_db
def test_the_footer_names_each_language_in_itself(client):
    """A visitor who reads no Vietnamese looks for "English", not "Tiếng Anh"; each option says its language."""
    for language in ("vi", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(reverse("home")).content.decode()
        assert '<option value="vi" lang="vi"' in page and ">Tiếng Việt</option>" in page
        assert '<option value="en" lang="en"' in page and ">English</option>" in page


@pytest.mark.django_db
def test_a_public_page_sets_no_cookie_for_an_anonymous_visitor(client):
    # No CSRF token on public pages (the language switch is a GET): nothing per visitor to store or vary on.
    response = client.get(reverse("home"))
    assert response.status_code == 200 and not response.cookies
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()


_TRANSLATING = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def test_no_text_to_translate_is_inside_an_f_string():
    """makemessages (xgettext) does not read calls inside f-strings: a text translated there never reaches the
    catalog, and English visitors read Vietnamese (the empty desk queue did)."""
    hidden = []
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        relative = path.relative_to(settings.BASE_DIR)
        if relative.parts[0] in (".venv", "tests", "node_modules", ".data") or "migrations" in relative.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{relative}:{call.lineno} {ast.unparse(call)}" for call in ast.walk(node)
                           if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in _TRANSLATING]
    assert hidden == []


@pytest.mark.django_db
def test_an_empty_desk_queue_reads_in_english(client):
    from egov.accounts.roles import Role
    from tests.factories import AgencyFactory, UserFactory

    client.force_login(UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/mot-cua/ho-so/").content.decode()
    assert "No dossiers to handle." in page and "Không có hồ sơ nào cần xử lý." not in page


@pytest.mark.django_db
def test_an_english_page_names_the_portal_in_english_in_its_title_and_header(client, settings):
    settings.EGOV_PORTAL_NAME, settings.EGOV_PORTAL_NAME_EN = "Cổng Chính quyền điện tử tỉnh Lạng Sơn", "Lạng Sơn e-Portal"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("public_services:catalogue")).content.decode()

    assert "<title>Online public services — Lạng Sơn e-Portal</title>" in page
    assert "<strong>Lạng Sơn e-Portal</strong>" in page and "Cổng Chính quyền điện tử" not in page


@pytest.mark.django_db
def test_the_portal_keeps_its_vietnamese_name_in_vietnamese_and_where_no_english_name_is_set(client, settings):
    settings.EGOV_PORTAL_NAME, settings.EGOV_PORTAL_NAME_EN = "Cổng Chính quyền điện tử tỉnh Lạng Sơn", "Lạng Sơn e-Portal"
    assert "<strong>Cổng Chính quyền điện tử tỉnh Lạng Sơn</strong>" in client.get(reverse("home")).content.decode()

    settings.EGOV_PORTAL_NAME_EN = ""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<strong>Cổng Chính quyền điện tử tỉnh Lạng Sơn</strong>" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_a_token_of_a_deactivated_account_is_refused_in_vietnamese(client):
    from rest_framework.authtoken.models import Token

    from egov.accounts.roles import Role
    from tests.factories import AgencyFactory, UserFactory

    user = UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK], is_active=False)
    token = Token.objects.create(user=user)

    body = client.get("/api/v1/dossiers/X/", HTTP_AUTHORIZATION=f"Token {token.key}").json()

    assert body["error"]["message"] == "Tài khoản đã bị khóa hoặc đã bị xóa."
