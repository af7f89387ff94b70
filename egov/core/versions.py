"""Versions of what a kept page shows, from the change rows statement-level triggers append.

The desk's queue (one_stop.models.queue) and the eOffice incoming list (docs_office.models.changes) each keep
a table of (scope, writer's transaction id) rows, one per writing statement. A scope's version is the newest
such id — but ids are handed out at a transaction's first write, not at its commit, so an older writer may
still commit under a smaller id: the newest id is trusted only when the reading snapshot's xmin is past it
(every transaction up to it has finished). Ids are server-wide, so any older writer on the server, in any
database, makes the version unknown (NULL) and nothing is kept meanwhile: correct, only slower.
"""

from django.db import connection


def newest_change_sql(table: str, scopes: list[str]) -> str:
    """SQL of one value: the version of the scopes `scopes` (conditions on the change rows `c` of `table`, each
    read by its own index lookup), or NULL while a transaction up to it may still be running."""
    table = connection.ops.quote_name(table)
    newest = [f"(SELECT c.transaction_id FROM {table} c WHERE {condition} ORDER BY c.transaction_id DESC LIMIT 1)"  # noqa: S608
              for condition in scopes]
    return ("SELECT CASE WHEN latest.v < pg_snapshot_xmin(pg_current_snapshot())::text::bigint THEN latest.v END "  # noqa: S608
            f"FROM (SELECT GREATEST(0, {', '.join(newest)}) AS v) AS latest")


def changes_prune(table: str, scope_columns: list[str]) -> int:
    """Delete every change row of `table` but the newest of each scope (the values of `scope_columns`); the
    number deleted. A version is its scope's newest row's id, so every version stays as it was: no kept page is
    served again or dropped because of the pruning."""
    quote = connection.ops.quote_name
    table, scope = quote(table), ", ".join(quote(column) for column in scope_columns)
    sql = (f"DELETE FROM {table} c WHERE c.id NOT IN (SELECT DISTINCT ON ({scope}) id FROM {table} "  # noqa: S608
           f"ORDER BY {scope}, transaction_id DESC, id DESC)")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def change_record_everything(table: str, scope_columns: list[str]) -> None:
    """Append a change of every scope (each of `scope_columns` NULL) by the current transaction, for writers that
    bypass the triggers (a benchmark's bulk load runs with session_replication_role = replica): every version
    moves past it, so no page kept before it is served again."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in scope_columns)
    nulls = ", ".join("NULL" for _ in scope_columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(table)} ({columns}, transaction_id) "  # noqa: S608  (names from the models)
                       f"VALUES ({nulls}, pg_current_xact_id()::text::bigint)")
