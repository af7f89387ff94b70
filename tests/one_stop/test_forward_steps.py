"""Forwarding a dossier to another agency (một cửa liên thông) moves the open steps of the process with it; each
transition completes only the steps of the agency that takes it."""

from unittest import mock

import pytest

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.models import Dossier
from one_stop.services.dossiers import dossier_act, dossier_forward
from one_stop.services.process import dossier_step_complete
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db


def at(when):
    return mock.patch("django.utils.timezone.now", return_value=when)


@pytest.fixture
def department(db):
    return AgencyFactory(name="Sở Tư pháp", exchange_code="000.00.03.H41")


@pytest.fixture
def department_staff(department):
    return {role: UserFactory(agency=department, roles=[role]) for role in (Role.SPECIALIST, Role.HEAD_OF_DIVISION)}


def _steps(dossier):
    return [(step.name, step.agency.name, step.completed_by) for step in dossier.steps.select_related("agency").order_by("order")]


def test_the_open_steps_of_the_handling_agency_go_with_the_dossier_and_the_desk_keeps_its_own(
        client, staff, procedure, agency, department, department_staff):
    clerk = staff[Role.ONE_STOP_CLERK]
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with at(at_local(2026, 3, 2, 10, 0)):
        dossier_forward(dossier=dossier, user=clerk, to_agency=department, note="Thẩm quyền của Sở")

    assert _steps(dossier) == [("Tiếp nhận hồ sơ", agency.name, clerk),  # done at receipt: its history stays
                               ("Thẩm định, giải quyết", "Sở Tư pháp", None), ("Phê duyệt kết quả", "Sở Tư pháp", None),
                               ("Trả kết quả", agency.name, None)]  # the receiving desk returns the result
    note = dossier.events.get(action="forward").note
    assert "Thẩm định, giải quyết; Phê duyệt kết quả" in note and "Thẩm quyền của Sở" in note
    lookup = client.get(f"/api/v1/lookup/{dossier.code}/").json()
    assert [step["agency"] for step in lookup["steps"]] == [agency.name, "Sở Tư pháp", "Sở Tư pháp", agency.name]
    assert client.get(f"/tra-cuu-ho-so/{dossier.code}/").content.decode().count("Sở Tư pháp") >= 3

    with at(at_local(2026, 3, 4, 9, 0)):
        dossier_step_complete(dossier=dossier, user=department_staff[Role.SPECIALIST], note="Đủ điều kiện")
        dossier_act(dossier=Dossier.objects.get(pk=dossier.pk), user=department_staff[Role.HEAD_OF_DIVISION],
                    action="resolve")
    assert [by for _name, _agency, by in _steps(dossier)] == [
        clerk, department_staff[Role.SPECIALIST], department_staff[Role.HEAD_OF_DIVISION], None]
    with at(at_local(2026, 3, 5, 9, 0)):
        dossier_act(dossier=Dossier.objects.get(pk=dossier.pk), user=clerk, action="return_result")
    assert _steps(dossier)[-1] == ("Trả kết quả", agency.name, clerk)


def test_before_the_forward_the_department_may_not_complete_the_desks_step(staff, procedure, department,
                                                                            department_staff):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with pytest.raises(ApplicationError) as refused:
        dossier_step_complete(dossier=dossier, user=department_staff[Role.SPECIALIST])
    assert refused.value.status == 403


def test_resolving_completes_only_the_resolving_agencys_steps(staff, procedure, agency, department, department_staff):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    # The desk's examination and approval steps, still the desk's (as a forward before steps moved left them).
    Dossier.objects.filter(pk=dossier.pk).update(handling_agency=department)
    dossier = dossier_act(dossier=Dossier.objects.get(pk=dossier.pk), user=department_staff[Role.SPECIALIST],
                          action="start")
    with at(at_local(2026, 3, 4, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=department_staff[Role.HEAD_OF_DIVISION], action="resolve")
    assert [by for _name, _agency, by in _steps(dossier)] == [staff[Role.ONE_STOP_CLERK], None, None, None]
    with at(at_local(2026, 3, 5, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="return_result")
    # The clerk signs off the return, not the specialist's and leader's steps nobody recorded.
    assert [by for _name, _agency, by in _steps(dossier)] == [staff[Role.ONE_STOP_CLERK], None, None,
                                                              staff[Role.ONE_STOP_CLERK]]
