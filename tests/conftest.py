import pytest
from django.conf import settings


def service_missing(reason: str):
    """Skip on a laptop without the service; fail in CI, where EGOV_REQUIRE_SERVICES=1."""
    if settings.EGOV_REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EGOV_DEMO_PKI_DIR = tmp_path / "pki"


@pytest.fixture(autouse=True)
def _broker_not_known_down(monkeypatch):
    # The outbox remembers a broker failure for a while (per process); each test starts afresh.
    from egov.core import outbox

    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)


@pytest.fixture(autouse=True)
def _fresh_template_fragments():
    # The layouts' cached fragments (a user's staff menu) live in this process's memory: each test
    # starts without them, as a freshly started worker would.
    from docs_office.filters import document_types_forget
    from egov.core import staff_pages
    from egov.core.templatetags import fragments

    fragments.clear()
    staff_pages.clear()
    # The document types the lists offer are kept for a minute: read afresh by each test, not expiring mid-test
    # after another test's read.
    document_types_forget()


@pytest.fixture(autouse=True)
def _portal_language_between_tests():
    # A page asked for in English leaves this thread's active language English (the language middleware
    # activates it for the request and never switches back): each test starts, and leaves the next, in the
    # portal's language, as a worker's next request or task would be.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def today_is_a_working_day(db):
    """For a test that runs a morning reminder on the real today: the reminders send on working days only, so today
    is made one the way an admin would (a CalendarDay), whatever day the suite runs on."""
    from django.utils import timezone

    from egov.workdays.models import CalendarDay, DayKind

    today = timezone.localdate()
    CalendarDay.objects.update_or_create(date=today, defaults={"kind": DayKind.WORKING_DAY, "note": "test"})
    return today
