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
    assert _found(clerk, "kh-snv") == []  # a symbol is typed in capitals; lower case is a word search
    assert _found(clerk, "KH-SNV") == [documents["plan"]]
    assert _found(clerk, "2") == [documents["plan"]]


def test_punctuation_cannot_break_the_query(staff, documents):
    assert _found(staff[Role.RECORDS_CLERK], "hội & nghị | !(:*") != []
    assert _found(staff[Role.RECORDS_CLERK], "!!! ???") == list(incoming_search(user=staff[Role.RECORDS_CLERK]))


def test_the_word_search_expression_is_the_indexed_one(staff, documents):
    from docs_office.models import IncomingDocument
    from docs_office.selectors import text_search

    queryset = text_search(IncomingDocument.objects.all(), query="hoi nghi",
                           fields=("summary_folded", "issuer_name_folded"))
    with connection.cursor() as cursor, CaptureQueriesContext(connection):
        # Tiny tables favour other plans: leave the planner only the bitmap scan a GIN index gives.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "incoming_search_idx" in plan, plan
