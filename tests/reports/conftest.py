"""Fixtures of the statistics tests: a small province, two procedures, dossiers written straight to the
tables with exact timestamps (the one-stop services are tested elsewhere; here we count)."""

import itertools
from datetime import datetime

import pytest
from django.utils import timezone

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.services.catalogue import procedure_upsert
from tests.factories import AgencyFactory, UserFactory

_codes = itertools.count(1)


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture(autouse=True)
def _fresh_figures(settings):
    # Figures are cached for a minute in production; each test reads what it just wrote.
    settings.EGOV_REPORTS_CACHE_SECONDS = 0


@pytest.fixture
def cached_a_minute(settings):
    """Figures (and the pages kept with them) cached a minute, as in production, in a cache of the test's own."""
    settings.EGOV_REPORTS_CACHE_SECONDS = 60
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "reports-cached-a-minute"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def province(db):
    return AgencyFactory(province=True, name="UBND tỉnh Lạng Sơn", exchange_code="000.00.00.H41")


@pytest.fixture
def department(province):
    return AgencyFactory(parent=province, name="Sở Tư pháp", exchange_code="000.01.00.H41")


@pytest.fixture
def commune(province):
    return AgencyFactory(parent=province, commune=True, name="UBND phường Đông Kinh", exchange_code="000.00.20.H41")


@pytest.fixture
def birth(db):
    """A fully online procedure with a fee, published in full (time limit and documents)."""
    return procedure_upsert(data=ProcedureData(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch", processing_days=5, fee_vnd=8000,
        online_level="full", required_documents=[RequiredDocument(name="Tờ khai", copies="1 bản chính")]),
        effective_from=at(2025, 7, 1, 0, 0))[0]


@pytest.fixture
def land(db):
    """A counter-only procedure without stated documents (not published in full)."""
    return procedure_upsert(data=ProcedureData(code="1.004227", name="Đăng ký biến động đất đai", field="Đất đai",
                                               processing_days=10), effective_from=at(2025, 7, 1, 0, 0))[0]


def make_dossier(*, procedure, agency, channel="counter", state="received", received_at=None, due_at=None,
                 resolved_at=None, returned_at=None, original_due_at=None, fee_vnd=None, name="Nguyễn Văn An"):
    from one_stop.models import Dossier

    version = procedure.versions.order_by("-number").first()
    return Dossier.objects.create(
        code=f"{agency.exchange_code}-261101-{next(_codes):04d}", procedure=procedure, procedure_version=version,
        receiving_agency=agency, handling_agency=agency, state=state, channel=channel, applicant_name=name,
        applicant_id_number="020095001234", submitted_at=received_at, received_at=received_at,
        clock_started_at=received_at, due_at=due_at, resolved_at=resolved_at, returned_at=returned_at,
        original_due_at=original_due_at, fee_vnd=fee_vnd)


def close_event(dossier, *, to_state: str, when):
    from one_stop.models import DossierEvent

    DossierEvent.objects.create(dossier=dossier, action="refuse" if to_state == "refused" else "withdraw",
                                from_state="received", to_state=to_state, at=when)


def pay(dossier, *, when, citizen=None):
    from public_services.payments.models import Payment

    citizen = citizen or UserFactory(citizen=True)
    return Payment.objects.create(dossier=dossier, payer=citizen, amount_vnd=8000, provider="sandbox",
                                  txn_ref=f"T{dossier.pk}-{next(_codes)}", state="paid", paid_at=when,
                                  expires_at=when, closed_at=when)


def rate(dossier, *, level: str, when):
    from unittest import mock

    from one_stop.models import DossierRating

    with mock.patch("django.utils.timezone.now", return_value=when):
        return DossierRating.objects.create(dossier=dossier, level=level)


def attach(dossier, *, kind: str):
    from django.core.files.base import ContentFile

    from one_stop.models import DossierDocument

    document = DossierDocument(dossier=dossier, kind=kind, original_name="a.pdf", content_type="application/pdf",
                               size=10, sha256="0" * 64)
    document.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return document


def verified_client(client, user):
    """Sign the user in past the second factor (leaders need it) with a one-time backup code."""
    from django.urls import reverse
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="backup01")
    client.force_login(user)
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    return client


@pytest.fixture
def leader_of():
    def make(agency):
        return UserFactory(agency=agency, roles=[Role.LEADER])
    return make
