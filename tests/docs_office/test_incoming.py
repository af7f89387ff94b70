"""Incoming documents: registration from a scan, duplicates, secrets, assignment, handling, closing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from docs_office.constants import PAGE_COUNT_MAX, AssignmentRole, Confidentiality, IncomingState
from docs_office.models import IncomingEvent
from docs_office.selectors import incoming_visible_to
from docs_office.services.incoming import (
    AssignmentData,
    incoming_actions_for,
    incoming_assign,
    incoming_close,
    incoming_opinion_add,
    incoming_register_scan,
)
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import assign_to, at_local, incoming_data, register_scan, scan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_scan_is_stored_under_a_name_of_ours_by_its_content_not_the_scanners(staff):
    document = incoming_register_scan(clerk=staff[Role.RECORDS_CLERK], data=incoming_data(),
                                      upload=scan("Nguyễn Văn A - CCCD 020195004321.PDF"))
    stored = document.file.name.rsplit("/", 1)[-1]
    assert stored.startswith("van-ban-den") and stored.endswith(".pdf")
    assert "020195004321" not in document.file.name and "CCCD" not in document.file.name


def test_the_records_clerk_registers_a_scan_with_its_arrival_number_and_acknowledgement(staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, when=at_local(2026, 11, 23, 9, 30))
    assert document.state == IncomingState.REGISTERED
    assert (document.arrival_number, document.arrival_year) == (1, 2026)
    assert document.number_symbol == "15/QĐ-UBND"
    assert document.acknowledged_at == document.registered_at == at_local(2026, 11, 23, 9, 30)
    assert document.file.name.endswith(".pdf")
    event = document.events.get()
    assert (event.action, event.from_state, event.to_state, event.actor) == ("register", "", "registered", clerk)


def test_only_the_records_clerk_registers(staff):
    with pytest.raises(ApplicationError) as refused:
        incoming_register_scan(clerk=staff[Role.SPECIALIST], data=incoming_data(), upload=scan())
    assert refused.value.status == 403


def test_missing_fields_are_refused_each_with_its_message(staff):
    with pytest.raises(ApplicationError) as refused:
        incoming_register_scan(clerk=staff[Role.RECORDS_CLERK], data=incoming_data(number="", summary=" "),
                               upload=scan())
    assert set(refused.value.fields) == {"number", "summary"}


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(staff):
    with pytest.raises(ApplicationError) as refused:
        incoming_register_scan(clerk=staff[Role.RECORDS_CLERK], data=incoming_data(),
                               upload=scan("scan.pdf", b"MZ\x90\x00 not a pdf"))
    assert refused.value.code == "invalid_file"
    assert "file" in refused.value.fields


def test_a_duplicate_is_flagged_before_registering_and_registered_only_when_confirmed(staff):
    clerk = staff[Role.RECORDS_CLERK]
    register_scan(clerk)
    data = incoming_data(issuer_name="ủy ban nhân dân TỈNH Lạng Sơn")  # same issuer, other spelling
    with pytest.raises(ApplicationError) as refused:
        incoming_register_scan(clerk=clerk, data=data, upload=scan())
    assert (refused.value.code, refused.value.status) == ("duplicate", 409)
    assert "số đến 01" in refused.value.message
    second = incoming_register_scan(clerk=clerk, data=data, upload=scan(), confirm_duplicate=True)
    assert second.arrival_number == 2


def test_a_different_number_is_not_a_duplicate(staff):
    clerk = staff[Role.RECORDS_CLERK]
    register_scan(clerk)
    assert incoming_register_scan(clerk=clerk, data=incoming_data(number="16"), upload=scan()).arrival_number == 2


def test_a_secret_document_is_registered_as_metadata_only(staff):
    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    with pytest.raises(ApplicationError) as refused:
        incoming_register_scan(clerk=clerk, data=incoming_data(confidentiality=Confidentiality.SECRET),
                               upload=scan(), readers=[leader])
    assert refused.value.code == "secret_file"
    with pytest.raises(ApplicationError) as refused:
        incoming_register_scan(clerk=clerk, data=incoming_data(confidentiality=Confidentiality.SECRET))
    assert refused.value.code == "readers_required"
    document = register_scan(clerk, confidentiality=Confidentiality.SECRET, readers=[leader])
    assert not document.file
    assert set(document.readers.all()) == {leader, clerk}


def test_a_secret_document_is_visible_only_to_the_named_people(staff, agency):
    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    document = register_scan(clerk, confidentiality=Confidentiality.CONFIDENTIAL, readers=[leader])
    other_leader = UserFactory(agency=agency, roles=[Role.LEADER])
    assert document in incoming_visible_to(user=leader)
    assert document in incoming_visible_to(user=clerk)
    assert document not in incoming_visible_to(user=other_leader)
    assert document not in incoming_visible_to(user=staff[Role.SPECIALIST])


def test_secret_documents_are_assigned_only_to_named_people_who_then_may_read_them(staff, division):
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    document = register_scan(clerk, confidentiality=Confidentiality.SECRET, readers=[leader])
    with pytest.raises(ApplicationError) as refused:
        assign_to(leader, document, division=division)
    assert refused.value.code == "secret_named_only"
    assign_to(leader, document, lead=specialist)
    assert document in incoming_visible_to(user=specialist)


def test_a_specialist_sees_only_what_is_assigned_to_them_or_their_unit(staff, division, agency):
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    to_me = assign_to(leader, register_scan(clerk, number="1"), lead=specialist)
    to_my_unit = assign_to(leader, register_scan(clerk, number="2"), division=division)
    someone_else = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    to_another = assign_to(leader, register_scan(clerk, number="3"), lead=someone_else)
    unassigned = register_scan(clerk, number="4")
    visible = set(incoming_visible_to(user=specialist))
    assert visible == {to_me, to_my_unit}
    assert set(incoming_visible_to(user=leader)) == {to_me, to_my_unit, to_another, unassigned}


def test_staff_of_another_agency_see_none_of_the_documents(staff, other_agency):
    document = register_scan(staff[Role.RECORDS_CLERK])
    for role in (Role.LEADER, Role.RECORDS_CLERK, Role.SPECIALIST):
        assert document not in incoming_visible_to(user=UserFactory(agency=other_agency, roles=[role]))
    assert document not in incoming_visible_to(user=UserFactory(citizen=True))


def test_the_leader_assigns_one_lead_with_supporters_deadlines_and_instructions(staff, division, agency):
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    supporter = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    deadline = timezone.localdate() + timedelta(days=5)
    document = incoming_assign(leader=leader, document=register_scan(clerk), assignments=[
        AssignmentData(role=AssignmentRole.LEAD, user=specialist, deadline=deadline, instruction="Tham mưu trả lời"),
        AssignmentData(role=AssignmentRole.SUPPORT, user=supporter, deadline=deadline),
        AssignmentData(role=AssignmentRole.INFO, division=division),
    ])
    assert document.state == IncomingState.ASSIGNED
    lead = document.assignments.get(role=AssignmentRole.LEAD)
    assert (lead.user, lead.deadline, lead.instruction, lead.assigned_by) == (specialist, deadline, "Tham mưu trả lời",
                                                                              leader)
    assert document.assignments.count() == 3
    event = document.events.get(action="assign")
    assert (event.from_state, event.to_state, event.actor) == ("registered", "assigned", leader)
    from egov.notifications.models import Notification

    assert Notification.objects.filter(recipient__in=[specialist, supporter]).count() == 2


def test_a_notification_on_the_workspace_leads_to_its_document(client, staff, division, agency):
    """Found by exploratory testing: the workspace listed "Văn bản đến cần xử lý: …" with no way to open it."""
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    document = incoming_assign(leader=leader, document=register_scan(clerk), assignments=[
        AssignmentData(role=AssignmentRole.LEAD, user=specialist, deadline=timezone.localdate() + timedelta(days=5))])
    client.force_login(specialist)
    page = client.get("/lam-viec/").content.decode()
    assert f'<a href="/van-ban/den/{document.pk}/">Văn bản đến cần xử lý: {document.number_symbol}</a>' in page


def test_a_notification_links_only_to_a_path_of_this_site():
    from egov.notifications.models import Notification

    for link, shown in (("/van-ban/den/1/", "/van-ban/den/1/"), ("//evil.example/x", ""), ("https://evil.example", ""),
                        ("javascript:alert(1)", ""), (None, ""), (5, "")):
        assert Notification(payload={"link": link}).link == shown, link


def test_an_assignment_needs_exactly_one_lead(staff):
    leader, clerk = staff[Role.LEADER], staff[Role.RECORDS_CLERK]
    with pytest.raises(ApplicationError) as refused:
        incoming_assign(leader=leader, document=register_scan(clerk), assignments=[
            AssignmentData(role=AssignmentRole.SUPPORT, user=staff[Role.SPECIALIST])])
    assert refused.value.code == "one_lead"


def test_only_a_leader_of_the_agency_assigns(staff, other_agency):
    document = register_scan(staff[Role.RECORDS_CLERK])
    for user in (staff[Role.HEAD_OF_DIVISION], UserFactory(agency=other_agency, roles=[Role.LEADER])):
        with pytest.raises(ApplicationError) as refused:
            assign_to(user, document, lead=staff[Role.SPECIALIST])
        assert refused.value.status == 403


def test_the_leads_opinion_starts_the_handling_and_the_lead_closes_with_a_result(staff):
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    document = assign_to(leader, register_scan(clerk), lead=specialist)
    incoming_opinion_add(user=specialist, document=document, text="Đang dự thảo công văn trả lời", progress=50)
    document.refresh_from_db()
    assert document.state == IncomingState.IN_PROGRESS
    closed = incoming_close(user=specialist, document=document, result="Đã có công văn trả lời")
    assert (closed.state, closed.result) == (IncomingState.CLOSED, "Đã có công văn trả lời")
    actions = list(IncomingEvent.objects.filter(document=document).values_list("action", "from_state", "to_state"))
    assert actions == [("register", "", "registered"), ("assign", "registered", "assigned"),
                       ("start", "assigned", "in_progress"), ("close", "in_progress", "closed")]


def test_someone_not_assigned_can_neither_give_an_opinion_nor_close(staff, agency):
    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    document = assign_to(leader, register_scan(clerk), lead=staff[Role.SPECIALIST])
    stranger = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    with pytest.raises(ApplicationError):
        incoming_opinion_add(user=stranger, document=document, text="?")
    with pytest.raises(ApplicationError):
        incoming_close(user=stranger, document=document, result="?")


def test_a_closed_document_cannot_be_closed_again(staff):
    leader, specialist = staff[Role.LEADER], staff[Role.SPECIALIST]
    document = assign_to(leader, register_scan(staff[Role.RECORDS_CLERK]), lead=specialist)
    incoming_close(user=specialist, document=document, result="Xong")
    with pytest.raises(ApplicationError) as refused:
        incoming_close(user=specialist, document=document, result="Lại")
    assert refused.value.status == 409


@pytest.mark.parametrize("state_steps, role, expected", [
    ("registered", Role.LEADER, {"assign"}),
    ("registered", Role.SPECIALIST, set()),
    ("registered", Role.RECORDS_CLERK, set()),
    ("assigned", Role.SPECIALIST, {"opinion", "close"}),
    ("assigned", Role.LEADER, {"assign", "opinion", "close"}),
    ("assigned", Role.HEAD_OF_DIVISION, set()),
    ("closed", Role.SPECIALIST, set()),
    ("closed", Role.LEADER, set()),
])
def test_actions_offered_per_state_and_role(staff, state_steps, role, expected):
    leader, specialist = staff[Role.LEADER], staff[Role.SPECIALIST]
    document = register_scan(staff[Role.RECORDS_CLERK], deadline=date(2026, 12, 31))
    if state_steps in ("assigned", "closed"):
        document = assign_to(leader, document, lead=specialist)
    if state_steps == "closed":
        document = incoming_close(user=specialist, document=document, result="Xong")
    assert incoming_actions_for(user=staff[role], document=document) == expected


def test_the_readers_of_a_secret_document_belong_to_the_agency(staff, other_agency):
    outsider = UserFactory(agency=other_agency, roles=[Role.LEADER])
    with pytest.raises(ApplicationError) as refused:
        incoming_register_scan(clerk=staff[Role.RECORDS_CLERK],
                               data=incoming_data(confidentiality=Confidentiality.SECRET), readers=[outsider])
    assert refused.value.code == "other_agency"


@pytest.mark.parametrize("pages", [0, PAGE_COUNT_MAX + 1, 99_999_999_999])
def test_a_page_count_out_of_range_is_refused_by_the_service(staff, pages):
    with pytest.raises(ApplicationError) as refused:
        register_scan(staff[Role.RECORDS_CLERK], page_count=pages)
    assert refused.value.code == "invalid_page_count" and "page_count" in refused.value.fields


def test_a_document_dated_after_its_receipt_is_refused(staff):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ApplicationError) as refused:
        register_scan(staff[Role.RECORDS_CLERK], issued_on=tomorrow)
    assert refused.value.code == "issued_on_future" and list(refused.value.fields) == ["issued_on"]


def test_the_day_of_receipt_is_the_local_one(staff):
    from zoneinfo import ZoneInfo

    # 20:30 UTC on 31 December is already 1 January in Hà Nội: a document of 1 January is not in the future.
    evening = timezone.datetime(2026, 12, 31, 20, 30, tzinfo=ZoneInfo("UTC"))
    document = register_scan(staff[Role.RECORDS_CLERK], when=evening, issued_on=date(2027, 1, 1))
    assert document.issued_on == date(2027, 1, 1)
    with pytest.raises(ApplicationError) as refused:
        register_scan(staff[Role.RECORDS_CLERK], when=evening, issued_on=date(2027, 1, 2), number="16")
    assert refused.value.code == "issued_on_future"


@pytest.mark.parametrize("twice", ["person", "unit"])
def test_one_person_or_unit_takes_one_role_in_an_assignment(staff, division, twice):
    document = register_scan(staff[Role.RECORDS_CLERK])
    who = {"user": staff[Role.SPECIALIST]} if twice == "person" else {"division": division}
    with pytest.raises(ApplicationError) as refused:
        incoming_assign(leader=staff[Role.LEADER], document=document, assignments=[
            AssignmentData(role=AssignmentRole.LEAD, **who), AssignmentData(role=AssignmentRole.INFO, **who)])
    assert refused.value.code == "assignee_twice" and "assignments" in refused.value.fields
    document.refresh_from_db()
    assert document.state == IncomingState.REGISTERED and not document.assignments.exists()
