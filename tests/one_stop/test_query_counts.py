"""Lists and lookups run a constant number of queries whatever the number of dossiers; the bench seeder
leaves codes and counters a real receipt can continue from."""

import re
from collections import defaultdict
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egov.accounts.roles import Role
from one_stop.models import Dossier, DossierCodeCounter, DossierEvent, QueueChange
from one_stop.selectors import QUEUE_OPEN_STATES, QUEUE_PAGE_SIZE, dossiers_queue_page, due_horizons
from one_stop.services.dossiers import dossier_receive_at_counter
from tests.one_stop.factories import APPLICANT, at_local, receive_at_counter

CODE = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4})$")


@pytest.fixture
def receive_many(staff, procedure):
    received = []

    def receive(count: int) -> list[Dossier]:
        start = at_local(2026, 3, 2, 8, 0) + timedelta(minutes=len(received))
        received.extend(receive_at_counter(staff, procedure, start + timedelta(minutes=i)) for i in range(count))
        return received

    return receive


def queries_of(client, url: str, params=None) -> tuple[int, object]:
    client.get(url, params)  # the first request of a session fills caches (content types, roles)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(captured.captured_queries), response


# --- the same number of queries with 1 and with 30 dossiers -----------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("search", ["", "dang van cong"])
def test_staff_queue_page_runs_the_same_queries_for_1_and_30_dossiers(client, staff, receive_many,
                                                                       django_assert_num_queries, search):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    first = receive_many(1)[0]
    with_one, response = queries_of(client, "/mot-cua/ho-so/", {"q": search})
    assert first.code in response.content.decode()

    receive_many(29)
    with django_assert_num_queries(with_one):
        response = client.get("/mot-cua/ho-so/", {"q": search})
    page = response.content.decode()
    assert page.count('<tr class="row-') == min(30, QUEUE_PAGE_SIZE)
    assert "30 hồ sơ" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("search", "queries"), [("", 3), ("dang van cong", 2)])
def test_staff_queue_page_runs_three_queries(client, staff, receive_many, django_assert_num_queries, search, queries):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    receive_many(3)
    client.get("/mot-cua/ho-so/")
    # The user with their agency and role names (one statement), the page with its count (one statement), every
    # tab's count (one statement); the session comes from the cache, and so does the staff menu after the first page
    # (its "Ký số" check is the fourth query of a first page). Was 8: session, user, roles, the page's ids, its rows,
    # the agency, and two certificate checks. A search's page counts no tab (its tabs link back without counts).
    with django_assert_num_queries(queries):
        response = client.get("/mot-cua/ho-so/", {"q": search})
    assert response.content.decode().count('<tr class="row-') == 3


@pytest.mark.django_db
def test_dossier_list_api_runs_the_same_queries_for_1_and_30_dossiers(client, staff, receive_many,
                                                                     django_assert_num_queries):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    receive_many(1)
    with_one, response = queries_of(client, "/api/v1/dossiers/")
    assert len(response.json()["results"]) == 1

    dossiers = receive_many(29)
    with django_assert_num_queries(with_one):
        response = client.get("/api/v1/dossiers/")
    rows = response.json()["results"]
    assert [row["code"] for row in rows] == [d.code for d in reversed(dossiers)]  # newest first
    assert rows[0]["applicant_name"] == "Đặng Văn Công"
    # Every dossier of the page carries its history (the issue: "a dossier in any response"), in the same queries.
    assert all([(e["action"], e["from_state"], e["to_state"]) for e in row["history"]]
               == [("receive", "submitted", "received")] for row in rows)
    assert rows[0]["history"][0]["actor"] == staff[Role.ONE_STOP_CLERK].full_name


@pytest.mark.django_db
def test_dossier_list_api_searches_like_the_queue(client, staff, receive_many):
    dossiers = receive_many(3)
    client.force_login(staff[Role.ONE_STOP_CLERK])
    assert len(client.get("/api/v1/dossiers/", {"q": "Văn Công"}).json()["results"]) == 3
    tail = dossiers[1].code.split("-", 1)[1]
    assert [r["code"] for r in client.get("/api/v1/dossiers/", {"q": tail}).json()["results"]] == [dossiers[1].code]
    assert client.get("/api/v1/dossiers/", {"q": "nguyen"}).json()["results"] == []
    assert len(client.get("/api/v1/dossiers/", {"q": "Công"}).json()["results"]) == 3  # the given name alone
    assert client.get("/api/v1/dossiers/", {"q": "ong"}).json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/tra-cuu-ho-so/{code}/", "/api/v1/lookup/{code}/"])
def test_public_lookup_runs_the_same_queries_for_1_and_30_dossiers(client, receive_many, django_assert_num_queries,
                                                                   url):
    first = receive_many(1)[0]
    with_one, response = queries_of(client, url.format(code=first.code))
    assert first.code in response.content.decode()

    last = receive_many(29)[-1]
    with django_assert_num_queries(with_one):
        response = client.get(url.format(code=last.code))
    assert response.status_code == 200 and last.code in response.content.decode()


# --- the queue's pages ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_queue_pages_list_every_open_dossier_once_in_due_order(staff, agency, procedure, monkeypatch):
    call_command("seed_bench_dossiers", count=240, agencies=[agency.exchange_code], years=0.05, stdout=_Quiet())
    clerk = staff[Role.ONE_STOP_CLERK]
    expected = list(Dossier.objects.filter(receiving_agency=agency, state__in=QUEUE_OPEN_STATES)
                    .order_by("due_at", "code").values_list("code", flat=True))
    assert len(expected) > 2 * QUEUE_PAGE_SIZE  # recent dossiers are mostly open

    pages, number = [], 1
    while True:
        page = dossiers_queue_page(user=clerk, page=number)
        pages.append(page)
        if not page.has_next:
            break
        number += 1
    assert [d.code for p in pages for d in p.dossiers] == expected
    assert all(p.count == len(expected) and not p.count_capped for p in pages)
    assert not pages[0].has_previous and pages[-1].has_previous

    monkeypatch.setattr("one_stop.selectors.QUEUE_COUNT_CAP", 10)
    capped = dossiers_queue_page(user=clerk)
    assert capped.count_capped and capped.count == 10 and len(capped.dossiers) == QUEUE_PAGE_SIZE


@pytest.mark.django_db
def test_queue_page_links_to_the_next_page_and_keeps_the_search(client, staff, agency, procedure):
    call_command("seed_bench_dossiers", count=160, agencies=[agency.exchange_code], years=0.05, stdout=_Quiet())
    client.force_login(staff[Role.ONE_STOP_CLERK])
    page = client.get("/mot-cua/ho-so/").content.decode()
    assert 'trang=2" rel="next"' in page and 'rel="prev"' not in page
    second = client.get("/mot-cua/ho-so/", {"trang": "2"}).content.decode()
    assert 'trang=1" rel="prev"' in second
    assert client.get("/mot-cua/ho-so/", {"trang": "abc"}).status_code == 200


# --- the seeding command ----------------------------------------------------------------------------------

class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


@pytest.mark.django_db
def test_seeded_codes_are_unique_well_formed_and_continue_the_counters(staff, agency, procedure):
    from django.apps import apps

    DossierHistory = apps.get_model("one_stop", "DossierHistory")
    history_before = DossierHistory.objects.count()
    assert not QueueChange.objects.filter(agency_id=None, citizen_id=None).exists()
    call_command("seed_bench_dossiers", count=300, agencies=[agency.exchange_code], events_share=1.0, stdout=_Quiet())
    with connection.cursor() as cursor:  # the test's transaction, the seeder's too
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        transaction_id = cursor.fetchone()[0]

    dossiers = list(Dossier.objects.all())
    assert len(dossiers) == 300 and len({d.code for d in dossiers}) == 300
    numbers = defaultdict(list)
    for dossier in dossiers:
        match = CODE.match(dossier.code)
        assert match and match[1] == agency.exchange_code, dossier.code
        day = timezone.localtime(dossier.created_at).date()
        assert match[2] == f"{day:%y%m%d}", dossier.code
        numbers[day].append(int(match[3]))
        assert dossier.applicant_name_folded and dossier.applicant_name_folded.isascii()
    # Each day's numbers run 1..n without gaps, and the day's counter stands at n.
    counters = {c.day: c.last for c in DossierCodeCounter.objects.filter(agency=agency)}
    assert counters == {day: len(seqs) for day, seqs in numbers.items()}
    assert all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in numbers.values())
    # Closed and open states over three years; the triggers were bypassed (no history row per dossier).
    states = {d.state for d in dossiers}
    assert "returned" in states and states & set(QUEUE_OPEN_STATES) and len(states) >= 5, states
    assert DossierHistory.objects.count() == history_before
    # Events point at seeded dossiers (foreign keys are not checked while triggers are off).
    events = DossierEvent.objects.all()
    assert events.exists() and not events.exclude(dossier__in=dossiers).exists()
    # Nor did the queues' triggers record the load: the seeder records a change of every queue itself.
    assert list(QueueChange.objects.filter(agency_id=None, citizen_id=None).values_list("transaction_id", flat=True)) == [
        transaction_id]

    receipt = dossier_receive_at_counter(clerk=staff[Role.ONE_STOP_CLERK], procedure=procedure, applicant=APPLICANT)
    today = timezone.localtime(receipt.received_at).date()
    assert receipt.code == f"{agency.exchange_code}-{today:%y%m%d}-{counters.get(today, 0) + 1:04d}"
    assert counters.get(today, 0) >= 1  # the newest seeded dossier is today's, so the counter mattered
    assert receipt.history.count() == 1  # triggers are back on after the seeding


@pytest.mark.django_db
def test_seeding_twice_continues_the_numbers(agency, procedure):
    call_command("seed_bench_dossiers", count=20, agencies=[agency.exchange_code], stdout=_Quiet())
    call_command("seed_bench_dossiers", count=20, agencies=[agency.exchange_code], seed=7, stdout=_Quiet())
    assert Dossier.objects.values("code").distinct().count() == 40


@pytest.mark.django_db
def test_seeding_without_agencies_or_procedures_says_what_to_run(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_bench_dossiers", count=5, stdout=_Quiet())


@pytest.mark.django_db
def test_queue_search_finds_the_name_from_its_start_with_or_without_the_family_name(staff, receive_many):
    dossier = receive_many(1)[0]
    clerk = staff[Role.ONE_STOP_CLERK]
    tail = dossier.code.split("-", 1)[1]
    # The given name alone too ("Công": what a clerk calls the applicant by; found by exploratory testing).
    for found in ("dang van cong", "Đặng Văn", "  văn công ", "VAN C", "Công", "cong", "CÔN", dossier.code,
                  dossier.code.lower(), tail, tail.replace("-000", "-"), "020095001234"):
        assert [d.code for d in dossiers_queue_page(user=clerk, search=found).dossiers] == [dossier.code], found
    for missed in ("ong", "nguyen van cong", "van dang", "cong van", "020095001"):
        assert dossiers_queue_page(user=clerk, search=missed).dossiers == [], missed
    # The clerk of another desk finds nothing of it, whatever is typed.
    from tests.factories import AgencyFactory, UserFactory

    other = UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK])
    for search in ("dang van cong", "van cong", "cong", dossier.code, tail, "020095001234"):
        assert dossiers_queue_page(user=other, search=search).dossiers == [], search


def test_queue_search_takes_any_last_character_and_treats_wildcards_as_text(client, staff, receive_many):
    """A prefix is read as a range up to its last character's successor: the last characters there are,
    the one before the surrogates, and LIKE's wildcards all answer a page, not a 500."""
    receive_many(1)
    clerk = staff[Role.ONE_STOP_CLERK]
    client.force_login(clerk)
    for typed in ("Đặng\U0010FFFF", "dang\ud7ff", "%", "_", "dang%", "0200950012_4"):
        assert dossiers_queue_page(user=clerk, search=typed).dossiers == [], typed
        assert client.get("/mot-cua/ho-so/", {"q": typed}).status_code == 200, typed


@pytest.mark.django_db
def test_queue_pages_stop_where_the_count_stops(staff, receive_many, monkeypatch):
    monkeypatch.setattr("one_stop.selectors.QUEUE_COUNT_CAP", 2 * QUEUE_PAGE_SIZE)
    receive_many(3)
    page = dossiers_queue_page(user=staff[Role.ONE_STOP_CLERK], page=999)
    assert page.number == 2 and page.dossiers == [] and page.count == 3


@pytest.mark.django_db
def test_queue_search_reads_a_names_matches_from_the_name_indexes_alone(staff, receive_many, monkeypatch):
    """Both name branches can be answered by index-only scans: their indexes hold every column the search
    filters by (visibility), sorts by and joins back by (SEARCH_COVERED). A column left out would force a
    visit to the table for every match — a thousand for a company's name."""
    import one_stop.selectors as selectors

    receive_many(3)
    statements = []

    def capture(sql, params):
        statements.append((sql, params))
        return []

    monkeypatch.setattr(selectors, "fetchall_prepared", capture)
    # One word may also be the given name alone: a third branch, on the index of the name's last word.
    for search, indexes in (("dang van cong", ("dossier_name_prefix_idx", "dossier_given_name_prefix_idx")),
                            ("cong", ("dossier_name_prefix_idx", "dossier_given_name_prefix_idx",
                                      "dossier_name_last_word_idx"))):
        dossiers_queue_page(user=staff[Role.ONE_STOP_CLERK], search=search)
        sql, params = statements.pop()
        with connection.cursor() as cursor:
            # A three-row table would be read whole: ask for the plan PostgreSQL would use at any size.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        for index in indexes:
            assert f"Index Only Scan using {index}" in plan, plan
        assert ("dossier_name_last_word_idx" in plan) == (search == "cong"), plan


@pytest.mark.django_db
def test_a_name_of_several_words_is_looked_up_in_the_name_indexes_only(staff, receive_many, monkeypatch):
    """Codes and ID numbers hold no spaces: "dang van cong" reads no code or ID-number index; one word may be
    either, and a spaced number is none (no statement at all)."""
    import one_stop.selectors as selectors

    receive_many(1)
    clerk = staff[Role.ONE_STOP_CLERK]
    statements = []
    real = selectors.fetchall_prepared
    monkeypatch.setattr(selectors, "fetchall_prepared", lambda sql, params: statements.append(sql) or real(sql, params))
    assert [d.applicant_name for d in dossiers_queue_page(user=clerk, search="dang van cong").dossiers] == ["Đặng Văn Công"]
    assert "applicant_id_number" not in statements[-1] and "code::text ~>=~" not in statements[-1]
    dossiers_queue_page(user=clerk, search="dang")
    assert "applicant_id_number" in statements[-1] and "code::text ~>=~" in statements[-1]
    count = len(statements)
    page = dossiers_queue_page(user=clerk, search="020 095 001 234")
    assert page.dossiers == [] and page.count == 0 and len(statements) == count


@pytest.mark.django_db
@pytest.mark.parametrize("search", ["", "000.00.00.H41"])
def test_a_queue_page_past_the_end_still_counts_the_dossiers_in_its_one_statement(
        staff, receive_many, monkeypatch, django_assert_num_queries, search):
    monkeypatch.setattr("one_stop.selectors.QUEUE_PAGE_SIZE", 4)
    received = receive_many(6)
    clerk = staff[Role.ONE_STOP_CLERK]
    dossiers_queue_page(user=clerk, search=search)  # the first statement of a shape is prepared
    horizons = due_horizons()  # the view's, from the calendar kept per worker and day

    with django_assert_num_queries(1):
        past = dossiers_queue_page(user=clerk, search=search, page=5, horizons=horizons)
    last = dossiers_queue_page(user=clerk, search=search, page=past.last_number)

    assert past.dossiers == [] and past.count == len(received) and past.last_number == 2
    assert [d.code for d in last.dossiers] == sorted(d.code for d in received)[4:] and not last.has_next


@pytest.mark.django_db
@pytest.mark.parametrize("search", ["", "000.00.00.H41"])
def test_the_queue_sends_a_page_past_the_end_to_the_last_page(client, staff, receive_many, search):
    received = receive_many(6)
    client.force_login(staff[Role.ONE_STOP_CLERK])

    response = client.get("/mot-cua/ho-so/", {"q": search, "trang": "9"}, follow=True)

    last = "?q=000.00.00.H41&trang=1" if search else "?trang=1"
    assert response.redirect_chain == [(f"/mot-cua/ho-so/{last}", 302)]
    page = response.content.decode()
    assert page.count('<tr class="row-') == len(received) and "6 hồ sơ" in page and 'rel="prev"' not in page
