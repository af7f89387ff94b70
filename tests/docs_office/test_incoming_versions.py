"""The newest incoming documents are kept in the worker until the agency's version changes
(docs_office.models.changes): a document registered, changed or deleted, a reader of a secret one added, a
register renamed, a document type renamed. These tests commit (transaction=True): versions are transaction
ids, and a writer's own uncommitted change never lets rows be kept."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from docs_office.constants import Confidentiality
from docs_office.models import DocumentType, IncomingChange, IncomingDocument, Register
from docs_office.selectors import _newest, incoming_version_sql
from egov.accounts.roles import Role
from tests.docs_office.factories import another_leader, ensure_document_types, register_scan
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db(transaction=True)
PAGE, API = "/van-ban/den/", "/api/v1/incoming-documents/"


@pytest.fixture(autouse=True)
def _types():
    from docs_office.filters import document_type_choices

    ensure_document_types()
    _newest.clear()  # another test's rows under the same ids
    # The search form's types, which a worker reads at most once a minute (docs_office.filters), already read: the
    # visits compared below then differ only in what the kept list spares.
    document_type_choices()


def _version(agency_id, seconds: float = 20):
    """The agency's version, once it may be trusted: NULL while another session of the shared test server holds an
    older transaction (right in production; a coin toss on a shared server), so it is read again for a while."""
    import time

    until = time.monotonic() + seconds
    while True:
        with connection.cursor() as cursor:
            cursor.execute(incoming_version_sql("%s"), [agency_id])
            version = cursor.fetchone()[0]
        if version is not None or time.monotonic() >= until:
            return version
        time.sleep(0.2)


def _settled(client) -> None:
    """Wait until the signed-in user's agency version may be trusted (see _version)."""
    from egov.accounts.models import User

    _version(User.objects.get(pk=client.session["_auth_user_id"]).agency_id)


def _view(client, path=PAGE) -> tuple[str, list[str]]:
    _settled(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    # The CSRF token differs on every response.
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return page, [q["sql"] for q in queries.captured_queries]


def test_the_list_is_kept_until_a_document_of_the_agency_changes(staff, agency):
    clerk = staff[Role.RECORDS_CLERK]
    client = signed_in(Client(), clerk)
    first = register_scan(clerk, summary="Về việc thứ nhất")
    page, queries = _view(client)
    assert "Về việc thứ nhất" in page
    kept_page, kept_queries = _view(client)
    assert kept_page == page and len(kept_queries) == len(queries)
    # The second visit handed the statement the version it keeps: the statement read no document.
    assert f", {_version(agency.pk)}, 100)" in kept_queries[-1]
    register_scan(clerk, summary="Về việc thứ hai")
    page, queries = _view(client)
    assert "Về việc thứ hai" in page and "Về việc thứ nhất" in page and len(queries) == len(kept_queries)
    IncomingDocument.objects.filter(pk=first.pk).update(summary="Về việc đã sửa")
    assert "Về việc đã sửa" in _view(client)[0]
    IncomingDocument.objects.filter(pk=first.pk).delete()
    assert "Về việc đã sửa" not in _view(client)[0]


def test_a_version_moves_only_with_its_agency_or_every_agency(staff, agency, other_agency):
    clerk = staff[Role.RECORDS_CLERK]
    register_scan(clerk)
    mine, theirs = _version(agency.pk), _version(other_agency.pk)
    assert mine is not None and theirs is not None
    Register.objects.filter(agency=other_agency).update(name="Sổ đi đã đổi tên")
    assert _version(agency.pk) == mine and _version(other_agency.pk) > theirs
    DocumentType.objects.filter(pk=DocumentType.objects.order_by("pk").first().pk).update(name="Loại đã đổi tên")
    assert _version(agency.pk) > mine
    DocumentType.objects.update(ordering=7)  # the names shown are the same: no change
    assert IncomingChange.objects.filter(agency_id__isnull=True).count() == 1


def test_a_secret_document_shows_once_its_reader_is_added_and_never_to_others(staff, agency, other_agency):
    from tests.docs_office.conftest import office_staff

    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    stranger = office_staff(other_agency)[Role.RECORDS_CLERK]
    register_scan(clerk, summary="Văn bản thường của tỉnh")
    secret = register_scan(clerk, number="16", symbol="", summary="Văn bản mật của tỉnh",
                           confidentiality=Confidentiality.CONFIDENTIAL, readers=[clerk, another_leader(agency)])
    leader_client, stranger_client = signed_in(Client(), leader), signed_in(Client(), stranger)
    page = _view(leader_client)[0]
    assert "Văn bản thường của tỉnh" in page and "Văn bản mật của tỉnh" not in page
    assert "Văn bản mật của tỉnh" in _view(signed_in(Client(), clerk))[0]
    secret.readers.add(leader)
    assert "Văn bản mật của tỉnh" in _view(leader_client)[0]
    secret.readers.remove(leader)
    assert "Văn bản mật của tỉnh" not in _view(leader_client)[0]
    for _visit in range(2):  # kept or not: another agency's clerk sees none of them
        assert "của tỉnh" not in _view(stranger_client)[0]
        api = _view(stranger_client, API)[0]
        assert '"results":[]' in api.replace(" ", "")


def test_a_renamed_register_shows_at_the_next_visit(staff, registers):
    clerk = staff[Role.RECORDS_CLERK]
    client = signed_in(Client(), clerk)
    register_scan(clerk)
    assert "Sổ văn bản đến (PDF)" in _view(client)[0]
    Register.objects.filter(pk=registers["incoming"].pk).update(name="Sổ đến 2027")
    assert "Sổ đến 2027 (PDF)" in _view(client)[0]


def test_the_api_list_is_kept_and_pages_on_with_its_cursor(staff):
    from docs_office.selectors import INCOMING_ROW_FIELDS, incoming_visible_to

    clerk = staff[Role.RECORDS_CLERK]
    documents = [register_scan(clerk, number=str(n), summary=f"Văn bản số {n}") for n in range(1, 56)]
    api = APIClient()
    api.force_authenticate(clerk)
    first = api.get(API).json()
    again = api.get(API).json()
    assert again == first and len(first["results"]) == 50 and first["next"]
    rest = api.get(first["next"]).json()
    ids = [item["id"] for item in first["results"] + rest["results"]]
    assert ids == list(incoming_visible_to(user=clerk).values_list("id", flat=True))
    assert sorted(ids) == sorted(d.pk for d in documents) and rest["next"] is None
    register_scan(clerk, number="99", summary="Văn bản mới nhất")
    assert api.get(API).json()["results"][0]["summary"] == "Văn bản mới nhất"
    assert set(first["results"][0]) == {"id", "arrival_number", "arrival_year", "received_at", "number_symbol",
                                        "issuer_name", "issued_on", "document_type", "summary", "urgency",
                                        "confidentiality", "deadline", "state"}
    assert INCOMING_ROW_FIELDS[0] == "id"


def test_pruning_keeps_every_version(staff, agency, other_agency):
    from docs_office.services.changes import incoming_changes_prune

    clerk = staff[Role.RECORDS_CLERK]
    for n in range(3):
        register_scan(clerk, number=str(n))
    Register.objects.update(is_active=True)  # both agencies
    before = _version(agency.pk), _version(other_agency.pk)
    assert incoming_changes_prune() > 0
    assert (_version(agency.pk), _version(other_agency.pk)) == before
    assert IncomingChange.objects.filter(agency_id=agency.pk).count() == 1


def test_the_bulk_load_changes_every_version(staff, agency, other_agency):
    import io

    from django.core.management import call_command

    register_scan(staff[Role.RECORDS_CLERK])
    before = _version(agency.pk)
    call_command("seed_bench_documents", count=20, agency=agency.exchange_code, share=0.5, stdout=io.StringIO())
    assert _version(agency.pk) > before


def test_the_pruning_is_scheduled_nightly(settings):
    from egov.celery import app

    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE["docs-office-prune-incoming-changes"]["task"] in app.tasks
