"""egov.core.sql.fetchall_prepared: planned once per connection, one query per call, safe after a failure."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from egov.core.sql import fetchall_prepared

pytestmark = pytest.mark.django_db


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_a_statement_is_prepared_once_and_each_call_is_one_query():
    sql = "SELECT %s::int + 1, 'egov-prepared-test-one'"
    with CaptureQueriesContext(connection) as first:
        assert fetchall_prepared(sql, [1]) == [(2, "egov-prepared-test-one")]
    with CaptureQueriesContext(connection) as second:
        assert fetchall_prepared(sql, [41]) == [(42, "egov-prepared-test-one")]
    assert len(first) == len(second) == 1
    assert "PREPARE" in first[0]["sql"] and "PREPARE" not in second[0]["sql"]
    assert any(name.startswith("egov_") for name in _prepared_names())


def test_a_failed_first_execution_does_not_break_the_statement_for_the_connection():
    # PREPARE succeeds, EXECUTE fails (division by zero); the statement outlives the rollback, so trying
    # to prepare it again under the same name would fail for as long as the connection lives.
    sql = "SELECT 10 / %s::int, 'egov-prepared-test-two'"
    with pytest.raises(DatabaseError), transaction.atomic():
        fetchall_prepared(sql, [0])
    assert fetchall_prepared(sql, [5]) == [(2, "egov-prepared-test-two")]
    assert fetchall_prepared(sql, [2]) == [(5, "egov-prepared-test-two")]

