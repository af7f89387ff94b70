"""An assignment's deadlines nest: the lead's not after the document's own deadline, a supporter's or a for-information
assignee's not after the lead's; refused at the row's field (page, 400) or with the reasons (service, API). The history
names every assignee with their role and deadline (found by exploratory testing: both accepted silently, and the
note named only the lead)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from docs_office.constants import AssignmentRole, IncomingState
from docs_office.services.incoming import AssignmentData, incoming_assign
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import register_scan
from tests.docs_office.test_api import INCOMING, client_for
from tests.docs_office.test_views import assign_rows, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def day(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def supporter(agency):
    return UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name="Trần Thị Bình")


def _document(staff, deadline=None):
    return register_scan(staff[Role.RECORDS_CLERK], deadline=deadline)


def test_a_lead_deadline_after_the_documents_is_refused(staff):
    document = _document(staff, deadline=day(5))
    with pytest.raises(ApplicationError) as refused:
        incoming_assign(leader=staff[Role.LEADER], document=document, assignments=[
            AssignmentData(role=AssignmentRole.LEAD, user=staff[Role.SPECIALIST], deadline=day(6))])
    assert (refused.value.code, refused.value.status) == ("deadline_after_limit", 400)
    assert "không được sau hạn xử lý của văn bản" in refused.value.fields["deadline"][0]
    document.refresh_from_db()
    assert document.state == IncomingState.REGISTERED and not document.assignments.exists()


@pytest.mark.parametrize("role", [AssignmentRole.SUPPORT, AssignmentRole.INFO])
def test_a_supporting_or_information_deadline_after_the_leads_is_refused(staff, supporter, role):
    document = _document(staff, deadline=day(10))
    with pytest.raises(ApplicationError) as refused:
        incoming_assign(leader=staff[Role.LEADER], document=document, assignments=[
            AssignmentData(role=AssignmentRole.LEAD, user=staff[Role.SPECIALIST], deadline=day(4)),
            AssignmentData(role=role, user=supporter, deadline=day(5))])
    assert refused.value.code == "deadline_after_limit"
    assert "không được sau hạn của xử lý chính" in refused.value.message


def test_deadlines_on_the_limits_and_a_document_without_one_are_accepted(staff, supporter):
    document = incoming_assign(leader=staff[Role.LEADER], document=_document(staff, deadline=day(5)), assignments=[
        AssignmentData(role=AssignmentRole.LEAD, user=staff[Role.SPECIALIST], deadline=day(5)),
        AssignmentData(role=AssignmentRole.SUPPORT, user=supporter, deadline=day(5))])
    assert document.state == IncomingState.ASSIGNED
    other = register_scan(staff[Role.RECORDS_CLERK], number="16")
    assert incoming_assign(leader=staff[Role.LEADER], document=other, assignments=[
        AssignmentData(role=AssignmentRole.LEAD, user=staff[Role.SPECIALIST], deadline=day(30))]).state == \
        IncomingState.ASSIGNED


def test_the_history_names_every_assignee_with_role_and_deadline(staff, supporter, division):
    document = incoming_assign(leader=staff[Role.LEADER], document=_document(staff, deadline=day(10)), assignments=[
        AssignmentData(role=AssignmentRole.LEAD, user=staff[Role.SPECIALIST], deadline=day(8), instruction="Tham mưu"),
        AssignmentData(role=AssignmentRole.SUPPORT, user=supporter, deadline=day(6)),
        AssignmentData(role=AssignmentRole.INFO, division=division)])
    note = document.events.get(action="assign").note
    lead, support = day(8).strftime("%d/%m/%Y"), day(6).strftime("%d/%m/%Y")
    assert note == (f"Xử lý chính: {staff[Role.SPECIALIST].full_name}, hạn {lead} (chỉ đạo: Tham mưu); "
                    f"Phối hợp: Trần Thị Bình, hạn {support}; Để biết: {division.name}, không có hạn.")


def test_the_page_refuses_at_the_rows_deadline_and_keeps_what_was_typed(client, staff, supporter):
    document = _document(staff, deadline=day(5))
    signed_in(client, staff[Role.LEADER])
    response = client.post(reverse("docs_office:incoming_action", args=[document.pk, "assign"]), assign_rows(
        ("lead", f"u:{staff[Role.SPECIALIST].pk}", day(4).isoformat(), "Tham mưu trả lời trước ngày 20"),
        ("support", f"u:{supporter.pk}", day(7).isoformat(), "")))
    page = response.content.decode()
    assert response.status_code == 400
    # The supporter's row (index 1) carries the error, with the date typed; the lead's row does not.
    inputs = {m.group(1): m.group(0) for m in re.finditer(r'<input[^>]*name="(assign-\d-deadline)"[^>]*>', page)}
    assert f'value="{day(7).isoformat()}"' in inputs["assign-1-deadline"]
    assert 'aria-invalid="true"' in inputs["assign-1-deadline"] and "aria-invalid" not in inputs["assign-0-deadline"]
    assert 'id="id_assign-1-deadline_error"' in page and "không được sau hạn của xử lý chính" in page
    assert 'id="id_assign-0-deadline_error"' not in page
    assert "Tham mưu trả lời trước ngày 20" in page
    document.refresh_from_db()
    assert document.state == IncomingState.REGISTERED


def test_the_api_refuses_a_lead_deadline_after_the_documents(staff):
    document = _document(staff, deadline=day(5))
    response = client_for(staff[Role.LEADER]).post(f"{INCOMING}{document.pk}/actions/assign/", {"assignments": [
        {"role": "lead", "user": staff[Role.SPECIALIST].pk, "deadline": day(9).isoformat()}]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "deadline_after_limit"
    assert response.json()["error"]["fields"]["deadline"]


def test_a_secret_documents_assignment_offers_named_people_only(client, staff, division):
    """Found by exploratory testing: units were offered for a secret document, and refused once chosen."""
    from docs_office.constants import Confidentiality

    secret = register_scan(staff[Role.RECORDS_CLERK], confidentiality=Confidentiality.SECRET,
                           readers=[staff[Role.LEADER]])
    normal = _document(staff)
    signed_in(client, staff[Role.LEADER])
    secret_page = client.get(reverse("docs_office:incoming_detail", args=[secret.pk])).content.decode()
    normal_page = client.get(reverse("docs_office:incoming_detail", args=[normal.pk])).content.decode()
    assert f'value="d:{division.pk}"' in normal_page and f'value="d:{division.pk}"' not in secret_page
    assert f'value="u:{staff[Role.SPECIALIST].pk}"' in secret_page
