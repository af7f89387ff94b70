"""Search: words without diacritics in any order, the last as a prefix, ranked; numbers and symbols exactly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from docs_office.selectors import incoming_search
from egov.accounts.roles import Role
from tests.docs_office.factories import register_scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(staff):
    clerk = staff[Role.RECORDS_CLERK]
    return {
        "meeting": register_scan(clerk, number="1", symbol="TB-UBND", summary="Về việc tổ chức Hội nghị tổng kết năm"),
        "plan": register_scan(clerk, number="2", symbol="KH-SNV", summary="Kế hoạch cải cách hành chính năm 2027",
                              issuer_name="Sở Nội vụ"),
        "letter": register_scan(clerk, number="15", symbol="UBND-VP", summary="V/v báo cáo hội nghị, hội thảo"),
    }


def _found(user, query):
    return list(incoming_search(user=user, query=query))


def test_words_match_without_diacritics_in_any_order(staff, documents):
    clerk = staff[Role.RECORDS_CLERK]
    assert _found(clerk, "tong ket hoi nghi") == [documents["meeting"]]
    assert _found(clerk, "CẢI CÁCH hành chính") == [documents["plan"]]


def test_the_last_word_is_a_prefix(staff, documents):
    assert _found(staff[Role.RECORDS_CLERK], "cai cach hanh ch") == [documents["plan"]]


def test_the_issuer_is_searched_too(staff, documents):
    assert _found(staff[Role.RECORDS_CLERK], "so noi vu") == [documents["plan"]]


def test_more_matches_rank_first(staff, documents):
    # "hội nghị" twice in the letter's summary ("hội nghị, hội thảo"), once in the meeting's.
    assert _found(staff[Role.RECORDS_CLERK], "hoi")[0] == documents["letter"]


def test_a_number_and_symbol_match_exactly(staff, documents):
    clerk = staff[Role.RECORDS_CLERK]
    assert _found(clerk, "15/UBND-VP") == [documents["letter"]]
    assert _found(clerk, "KH-SNV") == [documents["plan"]]
    assert _found(clerk, "2") == [documents["plan"]]
    assert len(_found(clerk, "²")) == 3  # no word, no number: a digit to str.isdigit(), not to int()


@pytest.mark.parametrize("typed", ["1/TB-UBND", "1/tb-ubnd", "TB-UBND", "tb-Ubnd"])
def test_a_symbol_matches_in_any_case(staff, documents, typed):
    assert _found(staff[Role.RECORDS_CLERK], typed) == [documents["meeting"]]


@pytest.mark.parametrize("typed", ["45/QĐ-UBND", "45/QD-UBND", "45/qđ-ubnd", "qd-ubnd", "Qđ-UBND"])
def test_a_symbol_matches_with_or_without_diacritics(staff, typed):
    from docs_office.selectors import incoming_search_rows

    clerk = staff[Role.RECORDS_CLERK]
    decision = register_scan(clerk, number="45", symbol="QĐ-UBND", summary="Quyết định phê duyệt kế hoạch")
    register_scan(clerk, number="46", symbol="QĐ-SNV", summary="Quyết định khác")
    assert _found(clerk, typed) == [decision]
    assert [row[0] for row in incoming_search_rows(user=clerk, query=typed, limit=10)[1]] == [decision.pk]


def test_punctuation_cannot_break_the_query(staff, documents):
    assert _found(staff[Role.RECORDS_CLERK], "hội & nghị | !(:*") != []
    assert _found(staff[Role.RECORDS_CLERK], "!!! ???") == list(incoming_search(user=staff[Role.RECORDS_CLERK]))


def _plan(queryset) -> str:
    with connection.cursor() as cursor, CaptureQueriesContext(connection):
        # Tiny tables favour other plans: leave the planner only the bitmap scan a GIN index gives.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("model", ["IncomingDocument", "OutgoingDocument"])
def test_the_word_search_is_one_lookup_of_words_and_agency_in_the_stored_vector_index(staff, documents, model):
    from docs_office import models
    from docs_office.selectors import text_search

    agency_id = staff[Role.RECORDS_CLERK].agency_id
    documents = getattr(models, model).objects.all()
    plan = _plan(text_search(documents, query="hoi nghi tong k", agency_id=agency_id, ranked=False))
    assert f"{model.replace('Document', '').lower()}_vector_idx" in plan, plan
    # The agency's own lexemes are the index condition: the GIN index alone keeps to the agency.
    conditions = [line for line in plan.splitlines() if "Index Cond" in line and "search_vector" in line]
    # (EXPLAIN prints the tsquery as a literal: its quotes doubled.)
    assert conditions and all(f"''{agency_id}:hoi'' & ''{agency_id}:nghi''" in line for line in conditions), plan


def test_several_words_span_summary_and_issuer_in_any_order(staff, documents):
    clerk = staff[Role.RECORDS_CLERK]
    assert _found(clerk, "noi vu ke hoach 2027") == [documents["plan"]]
    assert _found(clerk, "hanh chinh so noi") == [documents["plan"]]  # "noi" as a prefix
    assert _found(clerk, "hanh chinh so noi vu tong ket") == []  # every word must match


def test_only_the_last_word_is_a_prefix(staff, documents):
    clerk = staff[Role.RECORDS_CLERK]
    assert _found(clerk, "hoi ngh") != []
    assert _found(clerk, "ho nghi") == []  # "ho" is a whole word here, not the start of "hoi"


def test_another_agencys_lexemes_cannot_be_typed(staff, documents, other_agency):
    from tests.docs_office.conftest import office_staff

    theirs = register_scan(office_staff(other_agency)[Role.RECORDS_CLERK], summary="Về việc tổ chức Hội nghị tổng kết")
    clerk = staff[Role.RECORDS_CLERK]
    other = other_agency.pk
    for query in (f"{other}:hoi nghi", f"'{other}:hoi'", f"{other}:hoi:*", f"'{other}:hoi' | '{other}:nghi'", "agency"):
        assert theirs not in _found(clerk, query), query
    assert _found(clerk, "a") == []


def test_another_agency_never_finds_the_documents(staff, documents, other_agency):
    from tests.docs_office.conftest import office_staff

    theirs = office_staff(other_agency)
    mine = register_scan(theirs[Role.RECORDS_CLERK], summary="Về việc tổ chức Hội nghị tổng kết năm")
    assert _found(theirs[Role.RECORDS_CLERK], "hoi nghi tong ket") == [mine]
    assert _found(staff[Role.RECORDS_CLERK], "hoi nghi tong ket") == [documents["meeting"]]


def test_a_secret_document_is_found_only_by_its_readers(staff, documents):
    from docs_office.constants import Confidentiality

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    secret = register_scan(clerk, number="9", summary="Về việc bảo vệ bí mật nhà nước hội nghị",
                           confidentiality=Confidentiality.SECRET, readers=[leader])
    assert _found(leader, "bi mat hoi nghi") == [secret]
    assert _found(specialist, "bi mat hoi nghi") == []
    assert _found(clerk, "bi mat hoi nghi") == list(incoming_search(user=clerk).filter(pk=secret.pk))


def test_a_specialist_finds_only_what_is_assigned(staff, documents):
    from tests.docs_office.factories import assign_to

    specialist = staff[Role.SPECIALIST]
    assert _found(specialist, "hoi nghi") == []
    assign_to(staff[Role.LEADER], documents["meeting"], lead=specialist)
    assert _found(specialist, "hoi nghi") == [documents["meeting"]]


def test_an_edited_summary_is_searched_at_once(staff, documents):
    from egov.core.text import fold_vietnamese

    meeting = documents["meeting"]
    meeting.summary = "Về việc phòng chống thiên tai"
    meeting.summary_folded = fold_vietnamese(meeting.summary)
    meeting.save(update_fields=["summary", "summary_folded"])
    clerk = staff[Role.RECORDS_CLERK]
    assert _found(clerk, "thien tai") == [meeting]
    assert _found(clerk, "tong ket") == []


def test_ranking_looks_at_the_newest_matches_only(staff, documents, monkeypatch):
    from docs_office import selectors

    clerk = staff[Role.RECORDS_CLERK]
    assert set(_found(clerk, "hoi")) == {documents["meeting"], documents["letter"]}
    monkeypatch.setattr(selectors, "RANK_WINDOW", 1)
    # The letter (registered last, so newest) is the only one ranked; the API order is unaffected.
    assert _found(clerk, "hoi") == [documents["letter"]]
    assert len(incoming_search(user=clerk, query="hoi", ranked=False)) == 2


def test_an_anonymous_user_finds_nothing(documents):
    from django.contrib.auth.models import AnonymousUser

    assert _found(AnonymousUser(), "hoi nghi") == []


def test_outgoing_search_is_scoped_to_the_agency(staff, other_agency):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from docs_office.selectors import outgoing_search
    from docs_office.services.outgoing import outgoing_create
    from tests.docs_office.conftest import office_staff
    from tests.docs_office.factories import TINY_PDF, doc_type

    def draft(user, summary):
        return outgoing_create(drafter=user, document_type=doc_type("cong-van"), summary=summary,
                               upload=SimpleUploadedFile("d.pdf", TINY_PDF, content_type="application/pdf"))

    ours = draft(staff[Role.SPECIALIST], "V/v triển khai chuyển đổi số năm 2027")
    theirs = draft(office_staff(other_agency)[Role.SPECIALIST], "V/v triển khai chuyển đổi số năm 2027")
    leader = staff[Role.LEADER]
    assert list(outgoing_search(user=leader, query="chuyen doi s")) == [ours]
    assert list(outgoing_search(user=leader, query="so chuyen doi trien", ranked=False)) == [ours]
    assert theirs not in outgoing_search(user=leader, query="chuyen doi so")


@pytest.mark.parametrize("plan", ["walk", "lookup"])
def test_the_index_walk_and_the_gin_lookups_find_the_same(staff, documents, other_agency, monkeypatch, plan):
    from docs_office import selectors
    from tests.docs_office.conftest import office_staff

    register_scan(office_staff(other_agency)[Role.RECORDS_CLERK], summary="Về việc tổ chức Hội nghị tổng kết năm")
    # A huge walk budget always walks; a budget of one row never does.
    monkeypatch.setattr(selectors, "WALK_BUDGET", 10**12 if plan == "walk" else 1)
    clerk = staff[Role.RECORDS_CLERK]
    assert _found(clerk, "hoi nghi tong k") == [documents["meeting"]]
    assert _found(clerk, "hoi nghi tong") == [documents["meeting"]]
    assert _found(clerk, "hoi nghi tong ketx") == []  # the prefix is checked, whichever index answered
    assert set(_found(clerk, "hoi")) == {documents["meeting"], documents["letter"]}
    assert list(incoming_search(user=clerk, query="hoi", ranked=False)[:1]) == [documents["letter"]]
    assert _found(clerk, "a") == _found(clerk, "agency") == []


def test_a_word_search_is_one_statement_whichever_branch_runs(staff, documents):
    from docs_office.selectors import WordSearch

    clerk = staff[Role.RECORDS_CLERK]
    found = incoming_search(user=clerk, query="hoi nghi", ranked=False)
    assert isinstance(found, WordSearch)
    with CaptureQueriesContext(connection) as queries:
        assert [d.pk for d in found.order_by("-received_at", "-id")[:10]] == [documents["letter"].pk,
                                                                              documents["meeting"].pk]
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert sql.count("UNION ALL") == 1 and sql.count("AS probe(counts)") == 2


def test_a_query_longer_than_the_search_box_is_cut_on_the_pages_and_refused_by_the_api(client, staff, documents):
    """A word of thousands of letters reached PostgreSQL's tsquery ("word is too long"): a 500."""
    from pathlib import Path

    from django.conf import settings
    from rest_framework.test import APIClient

    from docs_office.selectors import SEARCH_MAX_LENGTH

    clerk = staff[Role.RECORDS_CLERK]
    huge = "a" * 5000
    assert _found(clerk, huge) == []
    client.force_login(clerk)
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=clerk, name="test")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    for page in ("/van-ban/den/", "/van-ban/di/"):
        assert client.get(page, {"q": huge}).status_code == 200
    api = APIClient()
    api.force_authenticate(clerk)
    for url in ("/api/v1/incoming-documents/", "/api/v1/outgoing-documents/"):
        refused = api.get(url, {"q": huge})
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "search_too_long"
        assert api.get(url, {"q": "a" * SEARCH_MAX_LENGTH}).status_code == 200
    box = (Path(settings.BASE_DIR) / "templates" / "docs_office" / "_list_search.html").read_text()
    assert f'maxlength="{SEARCH_MAX_LENGTH}"' in box


@pytest.mark.parametrize("typed", ["BNV", "bnv", "45/BNV", "45/bnv", "45 BNV", "BNV VP"])
def test_part_of_a_symbol_finds_the_document_as_words_do(staff, typed):
    from docs_office.selectors import incoming_search_rows

    clerk = staff[Role.RECORDS_CLERK]
    letter = register_scan(clerk, number="45", symbol="BNV-VP", issuer_name="Bộ Nội vụ",
                           summary="V/v hướng dẫn sắp xếp tổ chức bộ máy")
    register_scan(clerk, number="46", symbol="QĐ-UBND", summary="Quyết định khác")
    register_scan(clerk, number="44", symbol="BTC-VP", summary="Công văn khác")
    assert _found(clerk, typed) == [letter]
    assert [row[0] for row in incoming_search_rows(user=clerk, query=typed, limit=10)[1]] == [letter.pk]


def test_a_symbol_part_does_not_reach_another_agencys_documents(staff, other_agency):
    from tests.factories import UserFactory

    register_scan(staff[Role.RECORDS_CLERK], number="45", symbol="BNV-VP")
    assert _found(UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK]), "BNV") == []


@pytest.mark.parametrize("typed", ["QĐ", "7/QĐ", "07/qd", "qd ubnd", "07"])
def test_part_of_an_issued_documents_symbol_finds_it(staff, registers, typed):
    from docs_office.selectors import outgoing_search
    from tests.docs_office.test_outgoing import draft, issued_unsigned

    issued = issued_unsigned(staff, registers["outgoing"])  # 07/QĐ-UBND
    draft(staff)  # the same summary, no number yet
    assert list(outgoing_search(user=staff[Role.RECORDS_CLERK], query=typed)) == [issued]


@pytest.mark.parametrize("model", ["IncomingDocument", "OutgoingDocument"])
def test_a_symbol_part_is_one_lookup_of_the_stored_vector_index(staff, documents, model):
    from docs_office import models
    from docs_office.selectors import text_search

    agency_id = staff[Role.RECORDS_CLERK].agency_id
    plan = _plan(text_search(getattr(models, model).objects.all(), query="45/BNV", agency_id=agency_id, ranked=False))
    assert f"{model.replace('Document', '').lower()}_vector_idx" in plan, plan
    conditions = [line for line in plan.splitlines() if "Index Cond" in line and "search_vector" in line]
    assert conditions and all(f"''{agency_id}:45'' & ''{agency_id}:bnv'':*" in line for line in conditions), plan


# ------------------------------------------------------------------ the start of a symbol (issue #5)


@pytest.fixture
def symbols(staff):
    """Three symbols of which one is "QĐ-UB" itself, registered oldest first."""
    from datetime import timedelta

    from django.utils import timezone

    clerk = staff[Role.RECORDS_CLERK]
    now = timezone.now()
    return {
        "longer_old": register_scan(clerk, number="45", symbol="QĐ-UBND", summary="Quyết định một",
                                    when=now - timedelta(days=3)),
        "exact": register_scan(clerk, number="46", symbol="QĐ-UB", summary="Quyết định hai", when=now - timedelta(days=2)),
        "longer_new": register_scan(clerk, number="47", symbol="QĐ-UBND", summary="Quyết định ba",
                                    when=now - timedelta(days=1)),
        "other": register_scan(clerk, number="45", symbol="BNV-VP", summary="Công văn", when=now),
    }


def _rows(user, query, **kwargs):
    from docs_office.selectors import incoming_search_rows

    return [row[0] for row in incoming_search_rows(user=user, query=query, limit=10, **kwargs)[1]]


@pytest.mark.parametrize("typed", ["QĐ-UB", "qd-ub", "Qđ-Ub"])
def test_the_start_of_a_symbol_finds_the_exact_symbol_first_then_the_longer_ones_newest_first(staff, symbols, typed):
    clerk = staff[Role.RECORDS_CLERK]
    expected = [symbols["exact"], symbols["longer_new"], symbols["longer_old"]]
    assert _found(clerk, typed) == expected
    assert _rows(clerk, typed) == [d.pk for d in expected]


def test_a_symbol_typed_up_to_its_dash_is_its_start(staff, symbols):
    clerk = staff[Role.RECORDS_CLERK]
    newest_first = [symbols["longer_new"], symbols["exact"], symbols["longer_old"]]  # none is "QĐ-" itself
    assert _found(clerk, "QĐ-") == newest_first
    assert _rows(clerk, "qd-") == [d.pk for d in newest_first]


def test_the_api_order_is_by_date_with_exact_and_longer_symbols_alike(staff, symbols):
    clerk = staff[Role.RECORDS_CLERK]
    newest_first = [symbols["longer_new"], symbols["exact"], symbols["longer_old"]]
    assert list(incoming_search(user=clerk, query="QĐ-UB", ranked=False)) == newest_first
    assert _rows(clerk, "QĐ-UB", ranked=False) == [d.pk for d in newest_first]


@pytest.mark.parametrize(("typed", "found"), [("45/BNV-V", ["other"]), ("45/bnv-", ["other"]), ("45/QĐ-U", ["longer_old"]),
                                              ("46/QĐ-UBND", []), ("BNV-VPX", []), ("UB-QĐ", [])])
def test_a_number_and_the_start_of_a_symbol(staff, symbols, typed, found):
    clerk = staff[Role.RECORDS_CLERK]
    assert _found(clerk, typed) == [symbols[name] for name in found]
    assert _rows(clerk, typed) == [symbols[name].pk for name in found]


def test_the_statement_kept_for_a_shape_takes_each_searchs_own_symbol(staff, symbols):
    """The per-worker statement (selectors._search_statement) is written with a sentinel symbol: each search's
    prefix replaces it in both branches and both ends of the range."""
    clerk = staff[Role.RECORDS_CLERK]
    assert _rows(clerk, "BNV-V") == [symbols["other"].pk]
    assert _rows(clerk, "QĐ-UBN") == [symbols["longer_new"].pk, symbols["longer_old"].pk]
    assert _rows(clerk, "QĐ-UBND") == [symbols["longer_new"].pk, symbols["longer_old"].pk]
    assert _rows(clerk, "45/QĐ-UB") == [symbols["longer_old"].pk]
    assert _rows(clerk, "45/BNV-V") == [symbols["other"].pk]


def test_the_start_of_a_symbol_never_reaches_another_agency(staff, symbols, other_agency):
    from tests.docs_office.conftest import office_staff

    theirs = office_staff(other_agency)[Role.RECORDS_CLERK]
    register_scan(theirs, number="45", symbol="QĐ-UBND")
    assert all(d.agency_id == staff[Role.RECORDS_CLERK].agency_id for d in _found(staff[Role.RECORDS_CLERK], "QĐ-U"))
    assert [d.symbol for d in _found(theirs, "QĐ-U")] == ["QĐ-UBND"]


def test_the_start_of_an_issued_outgoing_symbol_finds_it(staff, registers):
    from docs_office.selectors import outgoing_search
    from tests.docs_office.test_outgoing import draft, issued_unsigned

    issued = issued_unsigned(staff, registers["outgoing"])  # 07/QĐ-UBND
    draft(staff)
    clerk = staff[Role.RECORDS_CLERK]
    for typed in ("QĐ-UB", "7/qd-u", "07/QĐ-"):
        assert list(outgoing_search(user=clerk, query=typed)) == [issued], typed
        assert list(outgoing_search(user=clerk, query=typed, ranked=False)) == [issued], typed
    assert list(outgoing_search(user=clerk, query="8/QĐ-UB")) == []


def _btree_plan(queryset) -> str:
    """The plan of `queryset` when the folded-symbol index is the table's only way in: the tests ask whether that index
    can serve the condition (as an Index Cond), which on a tiny table the planner would otherwise answer with whichever
    index is narrowest (the agency's, with a Filter) — a coin toss on the table's statistics. The indexes are dropped
    inside the test's transaction, which is rolled back."""
    table = queryset.model._meta.db_table
    wanted = f"{queryset.model.__name__.replace('Document', '').lower()}_symbol_prefix_idx"
    with connection.cursor() as cursor, CaptureQueriesContext(connection):
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: a scan would be cheaper than any index
        cursor.execute("SELECT i.indexname FROM pg_indexes i WHERE i.tablename = %s AND i.indexname <> %s AND NOT EXISTS "
                       "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [table, wanted])
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("model", ["IncomingDocument", "OutgoingDocument"])
@pytest.mark.parametrize("strict", [True, False])
def test_the_start_of_a_symbol_is_a_range_of_the_folded_symbol_index(staff, symbols, model, strict):
    """What text_search asks of a symbol's start (and SymbolSearch of the longer ones only) is the index's condition:
    compared byte-wise, as the index is, or PostgreSQL could not read the range from it."""
    from docs_office import models
    from docs_office.search import SymbolPrefix, symbol_key_bytes

    agency_id = staff[Role.RECORDS_CLERK].agency_id
    found = getattr(models, model).objects.filter(agency_id=agency_id).filter(
        SymbolPrefix(symbol_key_bytes(), "QD-UB", strict=strict))
    plan = _btree_plan(found.order_by())
    assert "Seq Scan" not in plan, plan
    assert f"{model.replace('Document', '').lower()}_symbol_prefix_idx" in plan, plan
    conditions = [line for line in plan.splitlines() if "Index Cond" in line and "upper(translate" in line]
    # The typed prefix from below, prefix || U+10FFFF from above: a range of the index, nothing left to filter.
    lower = "> 'QD-UB'::text" if strict else ">= 'QD-UB'::text"
    assert conditions and all(lower in line and "< 'QD-UB\U0010ffff'::text" in line for line in conditions), plan
    assert "Filter" not in plan, plan


@pytest.mark.parametrize("model", ["IncomingDocument", "OutgoingDocument"])
def test_an_exact_symbol_is_an_equality_of_the_same_index(staff, symbols, model):
    from docs_office import models
    from docs_office.search import symbol_key_bytes

    agency_id = staff[Role.RECORDS_CLERK].agency_id
    found = getattr(models, model).objects.filter(agency_id=agency_id).alias(key=symbol_key_bytes()).filter(key="QD-UB")
    plan = _btree_plan(found.order_by())
    assert f"{model.replace('Document', '').lower()}_symbol_prefix_idx" in plan, plan
    assert any("Index Cond" in line and "= 'QD-UB'::text" in line for line in plan.splitlines()), plan


def test_a_ranked_symbol_search_is_one_statement_of_two_branches(staff, symbols):
    from docs_office.selectors import SymbolSearch

    found = incoming_search(user=staff[Role.RECORDS_CLERK], query="QĐ-UB")
    assert isinstance(found, SymbolSearch)
    with CaptureQueriesContext(connection) as queries:
        assert [d.pk for d in found[:2]] == [symbols["exact"].pk, symbols["longer_new"].pk]
    assert len(queries) == 1 and queries[0]["sql"].count("UNION ALL") == 1
