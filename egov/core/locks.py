"""Locks on a name, held until the transaction ends (PostgreSQL advisory locks).

For a check-then-insert that no row can be locked for, because the row is what the check looks for: two sendings of
one form, one edXML package, one registration. Each takes the lock of its name first, so the second waits until the
first has committed, then finds what the first stored.
"""

from django.db import connection


def lock_until_commit(name: str) -> None:
    """Wait for, then hold until this transaction ends, the lock of `name` (hashed to 64 bits: another name sharing
    the hash merely waits its turn). Call inside transaction.atomic."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
