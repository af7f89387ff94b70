"""A change of roles is recorded (who, when, the roles before and after), and an agency administrator does not change
their own (found in review: roles are group memberships, which the row history does not track, and an agency
administrator could make themselves records clerk — the holder of the agency's seal — leaving only "Changed groups.")."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from egov.accounts.roles import Role
from egov.accounts.services import user_create, user_set_roles
from egov.audit.models import LegalEvent
from tests.docs_office.test_views import signed_in
from tests.egov.accounts.test_admin_scope import _change_form
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTION = "account.roles_changed"


@pytest.fixture
def agency():
    return AgencyFactory(name="Sở Tư pháp tỉnh Lạng Sơn")


@pytest.fixture
def agency_admin(agency):
    return UserFactory(agency=agency, roles=[Role.AGENCY_ADMIN], is_staff=True, full_name="Nông Văn Quản")


def _role_events(user):
    return list(LegalEvent.objects.filter(action=ACTION, object_id=str(user.pk)).order_by("sequence"))


def _post_roles(client, user, groups):
    joined = timezone.localtime(user.date_joined)
    data = {**_change_form(client, user), "groups": [g.pk for g in groups],
            "date_joined_0": joined.strftime("%d/%m/%Y"), "date_joined_1": joined.strftime("%H:%M:%S")}
    data.pop("date_joined", None)
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_setting_roles_records_who_changed_them_and_the_roles_before_and_after(agency, agency_admin):
    user = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    user_set_roles(user=user, roles=[Role.SPECIALIST, Role.RECORDS_CLERK], by=agency_admin, ip="10.0.0.7")
    (event,) = _role_events(user)
    assert event.actor == agency_admin and event.ip == "10.0.0.7" and event.occurred_at
    assert event.data["before"] == [Role.SPECIALIST] and event.data["after"] == [Role.RECORDS_CLERK, Role.SPECIALIST]
    assert event.data["added"] == [Role.RECORDS_CLERK] and event.data["removed"] == []


def test_setting_the_same_roles_again_records_nothing(agency):
    user = UserFactory(agency=agency, roles=[Role.LEADER])
    user_set_roles(user=user, roles=[Role.LEADER])
    assert _role_events(user) == []


def test_a_new_accounts_roles_are_part_of_its_creation_not_a_change(agency):
    user = user_create(username="van-thu", full_name="Phạm Thị Thu", password=None, roles=[Role.RECORDS_CLERK],
                       agency=agency)
    assert user.has_role(Role.RECORDS_CLERK) and _role_events(user) == []


def test_roles_changed_in_the_admin_are_recorded_with_the_administrator(client, agency, agency_admin):
    colleague = UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name="Hoàng Thị Mai")
    signed_in(client, agency_admin)
    clerk = Group.objects.get(name=Role.RECORDS_CLERK)
    response = _post_roles(client, colleague, [clerk])
    assert response.status_code == 302, response.context["adminform"].form.errors
    (event,) = _role_events(colleague)
    assert event.actor == agency_admin and event.actor_label == "Nông Văn Quản"
    assert event.data["before"] == [Role.SPECIALIST] and event.data["after"] == [Role.RECORDS_CLERK]


def test_an_agency_administrator_cannot_give_themselves_a_role(client, agency_admin):
    signed_in(client, agency_admin)
    form = client.get(reverse("admin:accounts_user_change", args=[agency_admin.pk])).context["adminform"].form
    assert "groups" not in form.fields
    groups = Group.objects.filter(name__in=[Role.AGENCY_ADMIN, Role.RECORDS_CLERK])
    assert _post_roles(client, agency_admin, groups).status_code == 302
    agency_admin.refresh_from_db()
    agency_admin.__dict__.pop("_role_names", None)
    assert not agency_admin.has_role(Role.RECORDS_CLERK) and agency_admin.has_role(Role.AGENCY_ADMIN)
    assert _role_events(agency_admin) == []


def test_a_system_administrator_still_manages_their_own_roles_in_the_admin(client):
    from tests.factories import login_verified_superuser

    admin = login_verified_superuser(client)
    form = client.get(reverse("admin:accounts_user_change", args=[admin.pk])).context["adminform"].form
    assert "groups" in form.fields
