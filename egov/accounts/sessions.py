"""Browser sessions in PostgreSQL, read together with the signed-in user (SESSION_ENGINE).

A signed-in page needs its session and then its user: with the session in Redis that was two round trips
before the page's own work (Redis, then the user's statement), on every page of every clerk. Here the
session's row carries the signed-in user's id (SignedInSession.user_id, copied from the session's data on
each save), and one prepared statement returns the session and that user with their agency, roles and
facts (IdentifierBackend's columns). egov.accounts.middleware.AuthenticationMiddleware takes the user from
there when the session vouches for them exactly as Django's get_user would check it; anything else goes
through Django's get_user unchanged.
"""

import functools

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        # The user of the row that load() read, or None (no user id, no such user, or not allowed in).
        self.signed_in_user = None

    @classmethod
    def get_model_class(cls):
        from egov.accounts.models import SignedInSession

        return SignedInSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = _as_user_id(data.get(SESSION_KEY))
        return instance

    def load(self):
        statement = _session_sql()
        # The prepared statement runs on the default database, where the user is.
        if statement is None or self.session_key is None or self.model.objects.db != "default":
            return super().load()
        from egov.accounts.backends import IdentifierBackend
        from egov.core.sql import fetchall_prepared

        rows = fetchall_prepared(statement, [self.session_key, timezone.now()])
        if not rows:  # unknown or expired: a new key is made when something is stored, as Django does
            self._session_key = None
            return {}
        data = self.decode(rows[0][0])
        user = IdentifierBackend().user_from_row(rows[0][1:], "default")
        if user is not None and str(user.pk) == str(data.get(SESSION_KEY)):
            self.signed_in_user = user
        return data


def _as_user_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@functools.cache
def _session_sql() -> str | None:
    """The session (unexpired) and its user: None when the user is loaded by the ORM (backends)."""
    from django.db import connection

    from egov.accounts.backends import signed_in_user_columns, signed_in_user_from
    from egov.accounts.models import SignedInSession

    columns = signed_in_user_columns()
    if columns is None:
        return None
    meta, quote = SignedInSession._meta, connection.ops.quote_name
    return (
        f"SELECT s.{quote(meta.get_field('session_data').column)}, {columns[0]} "  # noqa: S608  (names from the models)
        f"FROM {quote(meta.db_table)} s {signed_in_user_from('s.' + quote(meta.get_field('user_id').column))} "
        f"WHERE s.{quote(meta.pk.column)} = %s AND s.{quote(meta.get_field('expire_date').column)} > %s"
    )
