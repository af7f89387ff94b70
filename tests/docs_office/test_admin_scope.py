"""An agency administrator manages their own agency's registers and divisions in the admin, and only those (found by
review: every agency's were listed, opened and changed, and every user of the system was offered as a member). A
system administrator still sees all."""

import pytest
from django.urls import reverse

from docs_office.models import Division, Register
from egov.accounts.roles import Role
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_admin(agency, registers):
    return UserFactory(agency=agency, roles=[Role.AGENCY_ADMIN], is_staff=True, full_name="Nông Văn Quản")


@pytest.fixture
def other_division(other_agency):
    return Division.objects.create(agency=other_agency, name="Phòng Hành chính tư pháp", short_name="HCTP")


def test_an_agency_administrator_lists_only_their_own_registers_and_divisions(client, agency, agency_admin, division,
                                                                             other_division):
    signed_in(client, agency_admin)
    registers = client.get(reverse("admin:docs_office_register_changelist"))
    divisions = client.get(reverse("admin:docs_office_division_changelist"))
    assert registers.status_code == divisions.status_code == 200
    assert {r.agency_id for r in registers.context["cl"].result_list} == {agency.pk}
    assert list(divisions.context["cl"].result_list) == [division]


def test_an_agency_administrator_cannot_open_or_change_another_agencys_register_or_division(
        client, agency_admin, other_agency, other_division):
    signed_in(client, agency_admin)
    register = Register.objects.filter(agency=other_agency).first()
    for url in (reverse("admin:docs_office_register_change", args=[register.pk]),
                reverse("admin:docs_office_division_change", args=[other_division.pk])):
        assert client.get(url).status_code == 302  # "does not exist", back to the admin's index
    response = client.post(reverse("admin:docs_office_division_change", args=[other_division.pk]), {
        "agency": other_agency.pk, "name": "Đã sửa", "short_name": "HCTP"})
    assert response.status_code == 302
    other_division.refresh_from_db()
    assert other_division.name == "Phòng Hành chính tư pháp"


def test_the_division_form_offers_only_the_own_agency_and_its_active_staff(client, agency, agency_admin, other_agency,
                                                                          staff):
    outsider = UserFactory(agency=other_agency, roles=[Role.SPECIALIST])
    former = UserFactory(agency=agency, roles=[Role.SPECIALIST], is_active=False)
    signed_in(client, agency_admin)
    form = client.get(reverse("admin:docs_office_division_add")).context["adminform"].form
    assert list(form.fields["agency"].queryset) == [agency]
    members = set(form.fields["members"].queryset)
    assert set(staff.values()) <= members and agency_admin in members
    assert outsider not in members and former not in members
    register_form = client.get(reverse("admin:docs_office_register_add")).context["adminform"].form
    assert list(register_form.fields["agency"].queryset) == [agency]


def test_an_agency_administrator_cannot_create_a_division_of_another_agency_or_with_its_staff(
        client, agency, agency_admin, other_agency):
    outsider = UserFactory(agency=other_agency, roles=[Role.SPECIALIST])
    signed_in(client, agency_admin)
    response = client.post(reverse("admin:docs_office_division_add"), {
        "agency": other_agency.pk, "name": "Phòng Tư pháp", "short_name": "PTP", "members": [outsider.pk]})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "agency" in errors and "members" in errors
    assert not Division.objects.filter(short_name="PTP").exists()


def test_a_division_keeps_the_staff_of_its_own_agency_only_even_for_a_system_administrator(
        client, agency, other_agency):
    outsider = UserFactory(agency=other_agency, roles=[Role.SPECIALIST])
    signed_in(client, UserFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:docs_office_division_add"), {
        "agency": agency.pk, "name": "Văn phòng", "short_name": "VP", "members": [outsider.pk]})
    assert response.status_code == 200
    assert "Phòng, ban chỉ gồm cán bộ của cùng cơ quan." in response.context["adminform"].form.errors["members"]


def test_a_system_administrator_still_sees_every_agencys_registers_and_divisions(client, agency, registers, division,
                                                                                other_division):
    signed_in(client, UserFactory(is_staff=True, is_superuser=True))
    registers = client.get(reverse("admin:docs_office_register_changelist")).context["cl"].result_list
    divisions = client.get(reverse("admin:docs_office_division_changelist")).context["cl"].result_list
    assert {r.agency_id for r in registers} == {agency.pk, other_division.agency_id}
    assert set(divisions) == {division, other_division}
