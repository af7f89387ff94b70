"""An agency administrator manages their own agency's staff and record in the admin, and nothing above it (found in
review: with the permission to change users, every account of the province was theirs to edit — a superuser flag,
any role, another agency's leader's password — and every agency's record, its code and place in the tree)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from egov.accounts.models import User
from egov.accounts.roles import Role
from tests.docs_office.test_views import signed_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory(name="Sở Tư pháp tỉnh Lạng Sơn", exchange_code="000.00.03.H41")


@pytest.fixture
def other_agency():
    return AgencyFactory(name="Sở Nội vụ tỉnh Lạng Sơn", exchange_code="000.00.04.H41")


@pytest.fixture
def agency_admin(agency):
    return UserFactory(agency=agency, roles=[Role.AGENCY_ADMIN], is_staff=True, full_name="Nông Văn Quản")


def _change_form(client, user) -> dict:
    """The user's change form as the admin fills it, ready to post back."""
    response = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("groups", "user_permissions"):
            data[name] = [getattr(v, "pk", v) for v in (value or [])]
        elif value is None:
            data[name] = ""
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    return {k: v for k, v in data.items() if v is not False}


def test_an_agency_administrator_cannot_make_anyone_a_superuser_or_a_system_administrator(client, agency,
                                                                                         agency_admin):
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK], is_staff=False)
    signed_in(client, agency_admin)
    system_admin = Group.objects.get(name=Role.SYSTEM_ADMIN)
    for target in (clerk, agency_admin):
        data = {**_change_form(client, target), "is_superuser": "on", "is_staff": "on",
                "groups": [system_admin.pk]}
        client.post(reverse("admin:accounts_user_change", args=[target.pk]), data)
        target.refresh_from_db()
        assert not target.is_superuser and not target.has_role(Role.SYSTEM_ADMIN)
    form = client.get(reverse("admin:accounts_user_change", args=[clerk.pk])).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    assert system_admin not in form.fields["groups"].queryset


def test_an_agency_administrator_sees_and_changes_only_their_own_agencys_staff(client, agency, other_agency,
                                                                            agency_admin):
    own = UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name="Hoàng Thị Mai")
    elsewhere = UserFactory(agency=other_agency, roles=[Role.LEADER], full_name="Lý Văn Sơn")
    citizen = UserFactory(roles=[Role.CITIZEN], full_name="Đinh Thị Hoa")
    signed_in(client, agency_admin)
    listed = set(client.get(reverse("admin:accounts_user_changelist")).context["cl"].result_list)
    assert own in listed and elsewhere not in listed and citizen not in listed
    for target in (elsewhere, citizen):
        assert client.get(reverse("admin:accounts_user_change", args=[target.pk])).status_code == 302
        client.post(reverse("admin:auth_user_password_change", args=[target.pk]),
                    {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026"})
        target.refresh_from_db()
        assert not target.check_password("Mat-khau-moi-2026")
    # A new account goes to their own agency, whatever is posted.
    client.post(reverse("admin:accounts_user_add"), {"username": "can_bo_moi", "full_name": "Cán bộ Mới",
                                                     "agency": other_agency.pk, "password1": "Mat-khau-moi-2026",
                                                     "password2": "Mat-khau-moi-2026", "usable_password": "true"})
    assert not User.objects.filter(username="can_bo_moi", agency=other_agency).exists()


def test_an_agency_administrator_edits_their_agencys_contact_details_not_its_code_or_place(client, agency,
                                                                                       other_agency, agency_admin):
    signed_in(client, agency_admin)
    listed = list(client.get(reverse("admin:agencies_agency_changelist")).context["cl"].result_list)
    assert listed == [agency]
    assert client.get(reverse("admin:agencies_agency_change", args=[other_agency.pk])).status_code == 302
    form = client.get(reverse("admin:agencies_agency_change", args=[agency.pk])).context["adminform"].form
    assert {"exchange_code", "parent", "kind", "is_active"}.isdisjoint(form.fields) and "phone" in form.fields
