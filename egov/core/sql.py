"""Server-side prepared statements for the hottest hand-written queries.

PostgreSQL plans a statement on every execution unless it is prepared. The desk's queue query (a UNION of
partial-index reads) took longer to plan (≈0.75 ms) than to run, and both are CPU the server spends on
every page view. A prepared statement is planned once per connection (with one generic plan, forced: see
below). Connections persist (CONN_MAX_AGE), so the cost is paid once per connection.

The statement is prepared in the same round trip as its first execution, so a page runs the same
number of queries whether or not its statement was prepared on this connection yet. Write the statement
so that one generic plan suits every parameter value: values the planner must see to choose an index (a
partial index's condition) belong in the SQL as constants, not parameters. Not for use behind a
transaction-pooling proxy (pgbouncer in transaction mode drops session state).
"""

import hashlib
import re

from django.db import connection

_PLACEHOLDER = re.compile(r"%s")


def fetchall_prepared(sql: str, params: list | tuple) -> list[tuple]:
    """Run `sql`, a SELECT (with %s placeholders, no other % signs), as a prepared statement named after
    its text; its rows."""
    key = hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:20]
    connection.ensure_connection()
    raw = connection.connection
    state = getattr(connection, "_egov_prepared", None)
    if state is None or state[0] is not raw:
        # A new database connection knows none of our statements (keeping `raw` keeps its id unique).
        state = connection._egov_prepared = (raw, {}, {})
    prepared, attempts = state[1], state[2]
    placeholders = ", ".join(["%s"] * len(params))
    name = prepared.get(key)
    if name is None:
        # A failed first execution may have left its statement prepared (PREPARE outlives a rollback):
        # each new attempt takes a new name rather than guess.
        name = f"egov_{key}_{attempts.get(key, 0)}"
        numbered = iter(range(1, len(params) + 1))
        prepare = _PLACEHOLDER.sub(lambda _match: f"${next(numbered)}", sql)
        # Left to itself PostgreSQL keeps re-planning a statement whose generic plan it estimates dearer
        # (a LIMIT parameter is enough), which is the cost we came to save. Only our statements are
        # prepared on these connections (psycopg2 binds parameters client-side), so the setting touches
        # nothing else; set again with each preparation, as a rolled-back transaction would undo it.
        execute = f"SET plan_cache_mode = force_generic_plan; PREPARE {name} AS {prepare}; "
    else:
        execute = ""
    execute += f"EXECUTE {name}({placeholders})" if params else f"EXECUTE {name}"
    # pghistory prefixes every statement that does not start with SELECT with two set_config calls (the
    # request's user and URL, for the triggers of audited tables); EXECUTE of a read has no use for them.
    wrappers = connection.execute_wrappers
    saved = list(wrappers)
    wrappers[:] = [wrapper for wrapper in saved if getattr(wrapper, "__module__", "") != "pghistory.runtime"]
    try:
        with connection.cursor() as cursor:
            cursor.execute(execute, params)
            rows = cursor.fetchall()
    except Exception:
        if key not in prepared:
            attempts[key] = attempts.get(key, 0) + 1
        raise
    finally:
        wrappers[:] = saved
    prepared[key] = name
    return rows
