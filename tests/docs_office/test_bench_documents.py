"""seed_bench_documents (the benchmark's million documents) and the query counts it lets us pin: a list or a
search, on the page or the API, runs as many queries with one document as with hundreds."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from docs_office.models import IncomingDocument
from docs_office.selectors import incoming_search
from egov.accounts.roles import Role
from egov.core.text import fold_vietnamese
from tests.docs_office.factories import another_leader, register_scan
from tests.docs_office.test_views import signed_in
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(agency, other_agency):
    """The committee (`agency`, the staff's), a department and two communes."""
    communes = [AgencyFactory(commune=True, exchange_code=f"000.00.{n}.H41") for n in (71, 72)]
    return [agency, other_agency, *communes]


def seed(count, *, agency, share=0.25, reseed=False):
    call_command("seed_bench_documents", count=count, agency=agency.exchange_code, share=share, reseed=reseed,
                 stdout=io.StringIO())


def test_it_adds_only_the_missing_documents_spread_over_the_agencies(province):
    measured = province[0]
    seed(400, agency=measured)
    assert IncomingDocument.objects.count() == 400
    assert IncomingDocument.objects.filter(agency=measured).count() == 100  # a quarter, as asked
    assert set(IncomingDocument.objects.values_list("agency_id", flat=True)) == {a.pk for a in province}
    seed(400, agency=measured)
    assert IncomingDocument.objects.count() == 400  # nothing missing, nothing added
    seed(500, agency=measured)
    assert IncomingDocument.objects.count() == 500
    seed(50, agency=measured, reseed=True)
    assert IncomingDocument.objects.count() == 50


def test_reseed_deletes_what_hangs_on_the_documents_and_nothing_else(province, staff, division):
    from docs_office.models import IncomingAssignment, Task
    from tests.docs_office.factories import assign_to

    leader, specialist = staff[Role.LEADER], staff[Role.SPECIALIST]
    document = register_scan(staff[Role.RECORDS_CLERK])
    assign_to(leader, document, lead=specialist)
    task = Task.objects.create(agency=province[0], division=division, title="Báo cáo quý", deadline="2027-03-31",
                               created_by=leader, directive_incoming=document)
    assert IncomingAssignment.objects.exists()
    seed(30, agency=province[0], reseed=True)
    assert IncomingDocument.objects.count() == 30 and not IncomingAssignment.objects.exists()
    task.refresh_from_db()  # the task stays, without its directive (SET_NULL, as the ORM would)
    assert task.directive_incoming_id is None


def test_the_documents_are_realistic_and_searchable(province, staff):
    measured = province[0]
    seed(2000, agency=measured)
    documents = IncomingDocument.objects.filter(agency=measured)
    newest = documents.order_by("-received_at").first()
    assert newest.summary_folded.split()[-2:] == ["nam", str(newest.received_at.year)]
    assert newest.summary_folded == fold_vietnamese(newest.summary)
    assert len(set(documents.values_list("summary", flat=True))) > 100
    assert {"closed", "registered", "assigned", "in_progress"} >= set(documents.values_list("state", flat=True))
    # The numbers of arrival run 1, 2, 3… per agency and year, in order of arrival.
    year = newest.received_at.year
    numbers = list(documents.filter(arrival_year=year).order_by("received_at").values_list("arrival_number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    # The stored search vector is filled by PostgreSQL for the bulk rows too.
    clerk = staff[Role.RECORDS_CLERK]
    found = list(incoming_search(user=clerk, query="ve viec", ranked=False)[:5])
    assert found and all("ve viec" in d.summary_folded for d in found)
    assert all(d.agency_id == measured.pk for d in incoming_search(user=clerk, query="nam", ranked=False)[:50])


def test_an_unknown_agency_is_refused(province):
    with pytest.raises(CommandError):
        call_command("seed_bench_documents", count=10, agency="999.99.99.H41")


PAGE_SEARCHES = ["", "ve viec", "tim kiem cuu nan tinh lang son", "15/QĐ-UBND"]


def _counts(run) -> list[int]:
    counts = []
    for query in PAGE_SEARCHES:
        run(query)  # a warm-up: nothing cached differs between the two sizes
        with CaptureQueriesContext(connection) as queries:
            run(query)
        counts.append(len(queries))
    return counts


def test_the_page_runs_the_same_queries_for_the_list_and_every_search_at_any_size(client, province, staff):
    signed_in(client, staff[Role.RECORDS_CLERK])

    def page(query):
        assert client.get(reverse("docs_office:incoming_list"), {"q": query} if query else {}).status_code == 200
    register_scan(staff[Role.RECORDS_CLERK])
    small = _counts(page)
    seed(3000, agency=province[0])
    large = _counts(page)
    assert small == large
    assert len(set(large)) == 1, large  # a word search costs what the plain list does


def test_the_api_runs_the_same_queries_for_the_list_and_every_search_at_any_size(province, staff):
    api = APIClient()
    api.force_authenticate(staff[Role.RECORDS_CLERK])

    def call(query):
        assert api.get("/api/v1/incoming-documents/", {"q": query} if query else {}).status_code == 200
    register_scan(staff[Role.RECORDS_CLERK])
    small = _counts(call)
    seed(3000, agency=province[0])
    large = _counts(call)
    assert small == large
    assert len(set(large)) == 1, large


def test_the_api_list_items_are_what_the_list_serializer_gives(staff):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from docs_office.api.serializers import IncomingListSerializer, incoming_list_items
    from docs_office.constants import Confidentiality
    from docs_office.selectors import INCOMING_ROW_FIELDS, incoming_visible_to

    clerk = staff[Role.RECORDS_CLERK]
    register_scan(clerk, deadline=date(2027, 1, 5), when=datetime(2026, 12, 31, 20, 30, tzinfo=ZoneInfo("UTC")))
    register_scan(clerk, number="16", symbol="", summary="Mật: chỉ người được xem", readers=[clerk, another_leader(clerk.agency)],
                  confidentiality=Confidentiality.CONFIDENTIAL)
    visible = incoming_visible_to(user=clerk)
    expected = IncomingListSerializer(list(visible), many=True).data
    assert len(expected) == 2
    assert incoming_list_items(visible.values(*INCOMING_ROW_FIELDS)) == [dict(item) for item in expected]
    api = APIClient()
    api.force_authenticate(clerk)
    assert api.get("/api/v1/incoming-documents/").json()["results"] == [dict(item) for item in expected]


def test_the_page_lines_read_as_before(client, staff):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.template.defaultfilters import truncatewords

    from docs_office.constants import Confidentiality

    clerk = staff[Role.RECORDS_CLERK]
    long_summary = "Về việc tổ chức Hội nghị tổng kết công tác năm 2026 và triển khai nhiệm vụ trọng tâm năm 2027 của toàn tỉnh"
    # 20:30 UTC on 31 December is already 1 January in Hà Nội.
    document = register_scan(clerk, summary=long_summary, deadline=date(2027, 1, 5),
                             when=datetime(2026, 12, 31, 20, 30, tzinfo=ZoneInfo("UTC")))
    register_scan(clerk, number="16", symbol="", summary="Mật", readers=[clerk, another_leader(clerk.agency)],
                  confidentiality=Confidentiality.CONFIDENTIAL)
    register_scan(clerk, number="17", summary="<script>alert(1)</script> & co", issuer_name="<b>Sở</b>")
    signed_in(client, clerk)
    html = client.get(reverse("docs_office:incoming_list")).content.decode()
    url = reverse("docs_office:incoming_detail", args=[document.pk])
    assert f'<a href="{url}">15/QĐ-UBND</a>' in html
    assert "<td>01/01/2027</td>" in html and "<td>05/01/2027</td>" in html
    assert f"<td>{truncatewords(long_summary, 16)}</td>" in html  # what the template's filter printed
    assert "<strong>Mật</strong> · Mật" in html and ">16</a>" in html
    assert "<td>—</td>" in html  # the secret one has no deadline
    assert "<script>alert" not in html and "<td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</td>" in html
    assert "<td>&lt;b&gt;Sở&lt;/b&gt;</td>" in html
    # The state filter keeps its choices and the chosen one.
    assert '<option value="closed">' in html
    chosen = client.get(reverse("docs_office:incoming_list"), {"state": "closed"}).content.decode()
    assert '<option value="closed" selected>' in chosen


@pytest.mark.parametrize("walk_budget", [10**12, 1])  # the index walk, then the GIN lookup
def test_a_search_pages_forward_and_back_with_the_cursor(province, staff, monkeypatch, walk_budget):
    from docs_office import selectors

    monkeypatch.setattr(selectors, "WALK_BUDGET", walk_budget)
    seed(1200, agency=province[0])
    api = APIClient()
    api.force_authenticate(staff[Role.RECORDS_CLERK])
    first = api.get("/api/v1/incoming-documents/", {"q": "nam"}).json()
    assert len(first["results"]) == 50 and first["previous"] is None
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 50
    assert {d["id"] for d in first["results"]}.isdisjoint(d["id"] for d in second["results"])
    dates = [d["received_at"] for d in first["results"] + second["results"]]
    assert dates == sorted(dates, reverse=True)
    back = api.get(second["previous"]).json()
    assert [d["id"] for d in back["results"]] == [d["id"] for d in first["results"]]


@pytest.mark.parametrize("ranked", [True, False])
def test_a_search_written_once_per_shape_finds_what_the_orm_finds_for_each_user(province, staff, division, ranked):
    """The statement of a shape (selectors.incoming_search_rows) is written with sentinels and reused: for every
    user and query its rows are the selector's, in its order, whoever asked the shape first."""
    from docs_office.constants import Confidentiality
    from docs_office.selectors import INCOMING_ROW_FIELDS, _statements, incoming_search_rows
    from tests.docs_office.conftest import office_staff
    from tests.docs_office.factories import assign_to

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    seed(3000, agency=province[0])
    secret = register_scan(clerk, number="15", symbol="QĐ-UBND", summary="Về việc bí mật xyzbimat",
                           confidentiality=Confidentiality.CONFIDENTIAL, readers=[clerk, another_leader(clerk.agency)])
    assign_to(leader, register_scan(clerk, number="15", symbol="QĐ-UBND", summary="Về việc hội nghị xyzgiaoban"),
              lead=specialist)
    stranger = office_staff(province[1])[Role.RECORDS_CLERK]
    _statements.clear()
    queries = ["ve viec", "hoi ngh", "xyzbimat", "bo noi vu hoi nghi", "15/QĐ-UBND", "QĐ-UBND", "15", "", "!!", "zzz khong co"]
    for user in (clerk, stranger, specialist, leader):
        for query in queries:
            for state in ("", "closed"):
                expected = [tuple(row[f] for f in INCOMING_ROW_FIELDS) for row in incoming_search(
                    user=user, query=query, state=state, ranked=ranked).values(*INCOMING_ROW_FIELDS)[:100]]
                _registers, rows = incoming_search_rows(user=user, query=query, state=state, limit=100, ranked=ranked)
                assert list(rows) == expected, (user.username, query, state)
    # Every word search's probe is read once (selectors._probe_once), both branches' gates from it.
    words = [sql for key, (sql, _slots) in _statements.items() if key[2] == "words"]
    assert words and all(sql.count("WITH probe AS MATERIALIZED") == 1 for sql in words)
    assert secret.pk in {row[0] for row in incoming_search_rows(user=clerk, query="xyzbimat", limit=100)[1]}
    assert not incoming_search_rows(user=leader, query="xyzbimat", limit=100)[1]
    assert len(incoming_search_rows(user=specialist, query="hoi nghi", limit=100)[1]) == 1  # only what is assigned
    assert len(incoming_search_rows(user=clerk, query="xyzgiaoban", limit=100)[1]) == 1
    assert not incoming_search_rows(user=stranger, query="xyzgiaoban", limit=100)[1]
