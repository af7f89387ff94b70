"""Housekeeping of the incoming documents' change rows (docs_office.models.changes)."""

from django.db import connection

from docs_office.models import IncomingChange


def incoming_changes_prune() -> int:
    """Delete every change row but the newest of each agency (and of "every agency"); the number deleted.

    A version is its scope's newest row's transaction id, so keeping that row keeps every version as it was:
    no kept list is served again or dropped because of the pruning."""
    table = connection.ops.quote_name(IncomingChange._meta.db_table)
    sql = (f"DELETE FROM {table} c WHERE c.id NOT IN (SELECT DISTINCT ON (agency_id) id FROM {table} "  # noqa: S608
           "ORDER BY agency_id, transaction_id DESC, id DESC)")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def incoming_changes_record_all() -> None:
    """A change of every agency's documents in this transaction: for writers that bypass the triggers (the
    benchmark's bulk load runs with session_replication_role = replica)."""
    table = connection.ops.quote_name(IncomingChange._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (agency_id, transaction_id) VALUES (NULL, pg_current_xact_id()::text::bigint)")  # noqa: S608
