import pytest
from django.contrib.auth.models import Group

from egov.accounts.roles import Role
from egov.accounts.services import user_create, user_set_roles
from egov.core.errors import ApplicationError
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.parametrize(("role", "permission", "allowed"), [
    (Role.CITIZEN, "agencies.view_agency", False),
    (Role.ONE_STOP_CLERK, "agencies.view_agency", True),
    (Role.ONE_STOP_CLERK, "agencies.change_agency", False),
    (Role.ONE_STOP_CLERK, "accounts.add_user", False),
    (Role.AGENCY_ADMIN, "accounts.add_user", True),
    (Role.AGENCY_ADMIN, "agencies.delete_agency", False),
    (Role.SYSTEM_ADMIN, "agencies.delete_agency", True),
    (Role.SYSTEM_ADMIN, "workdays.add_calendarday", True),
    (Role.LEADER, "workdays.add_calendarday", False),
    (Role.SYSTEM_ADMIN, "audit.view_legalevent", True),
    (Role.SYSTEM_ADMIN, "audit.change_legalevent", False),
])
def test_role_permissions(role, permission, allowed):
    user = UserFactory(roles=[role])
    assert user.has_perm(permission) is allowed


def test_user_create_refuses_a_bad_id_number_field_by_field():
    with pytest.raises(ApplicationError) as info:
        user_create(username="x", full_name="Nguyễn Văn A", password="mot-mat-khau-dai", national_id="12345",
                    phone="123", roles=[Role.CITIZEN])
    assert set(info.value.fields) == {"national_id", "phone"}
    assert info.value.fields["national_id"] == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]


def test_user_create_stores_the_phone_in_domestic_form_and_the_roles():
    user = user_create(username="dan", full_name="Nguyễn Văn A", password="mot-mat-khau-dai",
                       phone="+84 912 111 222", roles=[Role.CITIZEN])
    assert user.phone == "0912111222"
    assert user.is_citizen and not user.is_agency_staff


def test_an_unknown_role_is_refused():
    user = UserFactory(agency=AgencyFactory())
    with pytest.raises(ApplicationError):
        user_set_roles(user=user, roles=["mayor"])
