from egov.core.tasks import egov_task


@egov_task(name="accounts.clear_expired_sessions", max_retries=0)
def sessions_clear_expired_task() -> None:
    """Expired sessions are never read (their statement asks for an unexpired row) but stay in the table
    until deleted: Django's `clearsessions`, nightly."""
    from egov.accounts.sessions import SessionStore

    SessionStore.clear_expired()
