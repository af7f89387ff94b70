"""The signed-in user of each request comes with their agency and role names in one query."""

import pytest

from egov.accounts.backends import IdentifierBackend
from egov.accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_one_query_loads_the_user_their_agency_and_role_names(django_assert_num_queries):
    agency = AgencyFactory()
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK, Role.SPECIALIST])
    with django_assert_num_queries(1):
        user = IdentifierBackend().get_user(str(clerk.pk))
        assert user == clerk and user.username == clerk.username and user.full_name == clerk.full_name
        assert user.agency == agency and user.agency.name == agency.name
        assert user.role_names() == {Role.ONE_STOP_CLERK, Role.SPECIALIST} and user.is_agency_staff
    user.full_name = "Tên mới"
    user.save()  # an instance the ORM can save like any other
    clerk.refresh_from_db()
    assert clerk.full_name == "Tên mới"


def test_without_agency_or_roles_and_for_no_one():
    citizen = UserFactory(agency=None)
    user = IdentifierBackend().get_user(citizen.pk)
    assert user == citizen and user.agency is None and user.role_names() == set()
    inactive = UserFactory(is_active=False)
    assert IdentifierBackend().get_user(inactive.pk) is None
    assert IdentifierBackend().get_user(10**9) is None
    assert IdentifierBackend().get_user("not-a-number") is None


def test_signed_in_pages_see_the_roles_given_since_the_last_request(client):
    from egov.accounts.services import user_set_roles

    clerk = UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK])
    client.force_login(clerk)
    assert client.get("/mot-cua/ho-so/").status_code == 200
    user_set_roles(user=clerk, roles=[Role.CITIZEN])
    assert client.get("/mot-cua/ho-so/").status_code == 404
