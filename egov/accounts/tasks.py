from egov.core.tasks import egov_task


@egov_task(name="accounts.clear_expired_sessions", max_retries=0)
def sessions_clear_expired_task() -> None:
    """Expired sessions are never read (their statement asks for an unexpired row) but stay in the table
    until deleted: Django's `clearsessions`, nightly."""
    from egov.accounts.sessions import SessionStore

    SessionStore.clear_expired()


@egov_task(name="accounts.remind_data_requests", max_retries=0)
def personal_data_requests_remind_task() -> None:
    """The morning's list of citizens' personal-data requests due within a day or late, to the operator's staff."""
    from egov.accounts.data_requests import personal_data_requests_remind

    personal_data_requests_remind()
