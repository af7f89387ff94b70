"""A supporter given no deadline supports by the lead's, through the API as on the page (found by review: through the
API, the supporter's list showed the document's deadline, later than the lead's)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from docs_office.constants import AssignmentRole
from docs_office.selectors import assignments_to_handle
from egov.accounts.roles import Role
from tests.docs_office.factories import register_scan
from tests.docs_office.test_api import INCOMING, client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def day(n: int):
    return timezone.localdate() + timedelta(days=n)


def test_a_supporter_without_a_deadline_gets_the_leads_through_the_api(staff, agency):
    supporter, reader = (UserFactory(agency=agency, roles=[Role.SPECIALIST]) for _ in range(2))
    document = register_scan(staff[Role.RECORDS_CLERK], deadline=day(10))
    response = client_for(staff[Role.LEADER]).post(f"{INCOMING}{document.pk}/actions/assign/", {"assignments": [
        {"role": "lead", "user": staff[Role.SPECIALIST].pk, "deadline": day(4).isoformat()},
        {"role": "support", "user": supporter.pk},
        {"role": "info", "user": reader.pk}]}, format="json")
    assert response.status_code == 200, response.content
    deadlines = dict(document.assignments.values_list("role", "deadline"))
    assert deadlines == {AssignmentRole.LEAD: day(4), AssignmentRole.SUPPORT: day(4), AssignmentRole.INFO: None}
    assert assignments_to_handle(user=supporter).get().effective_deadline == day(4)
    assert "Phối hợp" in document.events.get(action="assign").note and day(4).strftime("%d/%m/%Y") in \
        document.events.get(action="assign").note.split(";")[1]


def test_a_supporters_own_deadline_is_kept(staff, agency):
    supporter = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    document = register_scan(staff[Role.RECORDS_CLERK], deadline=day(10))
    client_for(staff[Role.LEADER]).post(f"{INCOMING}{document.pk}/actions/assign/", {"assignments": [
        {"role": "lead", "user": staff[Role.SPECIALIST].pk, "deadline": day(4).isoformat()},
        {"role": "support", "user": supporter.pk, "deadline": day(2).isoformat()}]}, format="json")
    assert document.assignments.get(role=AssignmentRole.SUPPORT).deadline == day(2)
