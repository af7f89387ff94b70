"""Browser journeys: Playwright drives Debian's chromium against pytest-django's live server."""

import base64
import hashlib
import hmac
import os
import shutil
import struct
import time

import pytest

from tests.conftest import service_missing

# Playwright's sync API runs an event loop in the test's thread; Django would otherwise refuse the ORM
# calls the tests make there (factories, assertions on the database).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def totp_code(secret: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The RFC 6238 one-time code (HMAC-SHA1) an authenticator app shows for a base32 secret."""
    cleaned = secret.strip().replace(" ", "").upper()
    key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F  # RFC 4226 dynamic truncation
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


# Package scope, not session: Playwright's sync API keeps an event loop running in this thread
# while it is started, and every later test that calls asyncio.run (pyHanko's sync API) would fail.
@pytest.fixture(scope="package")
def browser():
    executable = os.environ.get("EGOV_CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(executable) or shutil.which(executable)):
        service_missing("chromium not installed")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    # Assertions wait as long as actions: at the end of a full run on two busy cores an htmx answer took longer than
    # expect's own 5 s once (the counter's procedure search).
    expect.set_options(timeout=10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _role_groups(live_server):
    # The live server's tests flush the database after each test; make sure the role groups the
    # factories assign are there whatever ran before.
    from egov.accounts.roles import roles_sync_permissions

    roles_sync_permissions()


@pytest.fixture(autouse=True)
def _sms_kept(settings):
    # The live server sends right after each commit, and a sent notification no longer holds its one-time code: the
    # journeys read it from the SMS, as the citizen does (tests.egov.notifications.codes).
    from tests.egov.notifications.codes import MemorySmsProvider

    settings.EGOV_SMS_PROVIDER = MemorySmsProvider.name
    MemorySmsProvider.sent = []


@pytest.fixture
def totp():
    return totp_code
