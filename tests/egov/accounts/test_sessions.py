"""Sessions in PostgreSQL, read with the signed-in user in one statement (egov.accounts.sessions)."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egov.accounts.models import SignedInSession
from egov.accounts.roles import Role
from tests.factories import PASSWORD, AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
QUEUE = "/mot-cua/ho-so/"


@pytest.fixture
def clerk():
    return UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK])


def _session_row(client) -> SignedInSession:
    return SignedInSession.objects.get(pk=client.cookies["sessionid"].value)


def _signed_in_as(client) -> str | None:
    """Whose menu the home page shows: the username of the page's user, or None for a visitor."""
    response = client.get(reverse("accounts:profile"))
    return None if response.status_code == 302 else response.wsgi_request.user.username


def test_signing_in_stores_the_session_with_its_user_and_signing_out_forgets_it(client, clerk):
    assert client.post(reverse("accounts:login"), {"username": clerk.username, "password": PASSWORD}).status_code == 302
    row = _session_row(client)
    assert row.user_id == clerk.pk and row.get_decoded()[SESSION_KEY] == str(clerk.pk)
    client.post(reverse("accounts:logout"))
    assert not SignedInSession.objects.filter(pk=row.pk).exists()


def test_a_signed_in_page_reads_its_session_and_user_in_one_statement(client, clerk):
    client.force_login(clerk)
    search = QUEUE + "?q=Nguyen"  # a search: never a kept page, so the view's own statement runs each time
    client.get(search)  # the statements are prepared on this connection; now count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(search)
    assert response.status_code == 200 and response.wsgi_request.user == clerk
    statements = [q["sql"] for q in queries.captured_queries]
    # Two statements, both prepared: the session with its user (asked by the session's key), and the search.
    assert len(statements) == 2, statements
    assert len([sql for sql in statements if client.cookies["sessionid"].value in sql]) == 1, statements
    user = response.wsgi_request.user
    assert user.agency == clerk.agency and user.role_names() == {Role.ONE_STOP_CLERK}


def test_a_changed_password_signs_the_other_sessions_out(client, clerk):
    client.force_login(clerk)
    assert _signed_in_as(client) == clerk.username
    clerk.set_password("mot-mat-khau-moi-rat-dai")
    clerk.save()
    assert _signed_in_as(client) is None
    # Django's rule: the session that no longer matches is emptied, not left signed in for later.
    assert SESSION_KEY not in client.session


def test_a_deactivated_or_deleted_user_is_nobody_on_the_next_page(client, clerk):
    client.force_login(clerk)
    clerk.is_active = False
    clerk.save()
    assert _signed_in_as(client) is None
    client.force_login(other := UserFactory(agency=clerk.agency, roles=[Role.ONE_STOP_CLERK]))
    key, other_id = client.cookies["sessionid"].value, other.pk
    other.delete()
    assert _signed_in_as(client) is None
    session = client.session  # saving a session whose user is gone does not fail
    session["note"] = "x"
    session.save()
    assert SignedInSession.objects.get(pk=key).user_id == other_id


def test_an_expired_session_signs_nobody_in(client, clerk):
    client.force_login(clerk)
    SignedInSession.objects.filter(user_id=clerk.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert _signed_in_as(client) is None


def test_the_user_is_the_one_the_session_data_name_not_the_copied_column(client, clerk):
    """The column is a copy for the join; a row whose copy disagrees with its data (edited by hand, say) signs
    in the data's user, through Django's own path."""
    someone_else = UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK])
    client.force_login(clerk)
    SignedInSession.objects.filter(pk=client.cookies["sessionid"].value).update(user_id=someone_else.pk)
    assert _signed_in_as(client) == clerk.username


def test_a_session_signed_with_a_retired_secret_key_is_renewed_not_dropped(client, clerk, settings):
    client.force_login(clerk)
    old_key = client.cookies["sessionid"].value
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-" + "x" * 30
    assert _signed_in_as(client) == clerk.username
    assert client.cookies["sessionid"].value != old_key  # Django's rule: a new key, hashed with the new secret
    assert _signed_in_as(client) == clerk.username


def test_the_nightly_task_deletes_expired_sessions_only(client, clerk):
    from egov.accounts.tasks import sessions_clear_expired_task

    client.force_login(clerk)
    live = client.cookies["sessionid"].value
    other = _client_signed_in(UserFactory(agency=clerk.agency, roles=[Role.ONE_STOP_CLERK]))
    SignedInSession.objects.filter(pk=other).update(expire_date=timezone.now() - timedelta(seconds=1))
    sessions_clear_expired_task.apply()
    assert list(SignedInSession.objects.values_list("pk", flat=True)) == [live]


def _client_signed_in(user) -> str:
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other.cookies["sessionid"].value
