"""Staff pages: lists with constant queries, the register form, the detail's actions, the dashboard."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from docs_office.constants import IncomingState
from docs_office.filters import document_types_forget
from docs_office.models import IncomingDocument
from egov.accounts.roles import Role
from tests.docs_office.factories import TINY_PDF, assign_to, doc_type, register_scan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    """Signed in and, for roles that need it (leader, records clerk), past the second factor."""
    from django_otp.plugins.otp_static.models import StaticDevice

    client.force_login(user)
    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="backup01")
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    return client


@pytest.mark.parametrize("name", ["docs_office:incoming_list", "docs_office:outgoing_list", "docs_office:dashboard"])
def test_lists_run_the_same_queries_for_one_or_many_rows(client, staff, name, django_assert_max_num_queries):
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    assign_to(leader, register_scan(clerk), lead=specialist, deadline=timezone.localdate())
    signed_in(client, specialist if name == "docs_office:dashboard" else leader)
    # Both requests read what a process keeps for a while (the document types): an expiry between them
    # must not look like a query per row.
    document_types_forget()
    with django_assert_max_num_queries(30) as one:
        assert client.get(reverse(name)).status_code == 200
    queries_for_one = len(one.captured_queries)
    for n in range(15):
        assign_to(leader, register_scan(clerk, number=f"9{n}"), lead=specialist, deadline=timezone.localdate())
    document_types_forget()
    with django_assert_max_num_queries(queries_for_one):
        assert client.get(reverse(name)).status_code == 200


def test_the_clerk_registers_through_the_form(client, staff):
    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.post(reverse("docs_office:incoming_register"), {
        "number": "123", "symbol": "UBND-VP", "issuer_name": "Ủy ban nhân dân tỉnh Lạng Sơn", "issued_on": "2026-11-20",
        "document_type": doc_type("cong-van").pk, "summary": "V/v báo cáo kết quả", "urgency": "normal",
        "confidentiality": "normal", "file": SimpleUploadedFile("scan.pdf", TINY_PDF)})
    document = IncomingDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("docs_office:incoming_detail", args=[document.pk])
    assert document.number_symbol == "123/UBND-VP"


def test_a_duplicate_is_shown_on_the_form_and_nothing_is_saved(client, staff):
    register_scan(staff[Role.RECORDS_CLERK])
    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.post(reverse("docs_office:incoming_register"), {
        "number": "15", "symbol": "QĐ-UBND", "issuer_name": "Ủy ban nhân dân tỉnh Lạng Sơn", "issued_on": "2026-11-20",
        "document_type": doc_type("quyet-dinh").pk, "summary": "Trùng", "urgency": "normal",
        "confidentiality": "normal", "file": SimpleUploadedFile("scan.pdf", TINY_PDF)})
    assert response.status_code == 400
    assert "đã được vào sổ" in response.content.decode()
    assert IncomingDocument.objects.count() == 1


def test_after_a_refusal_the_form_asks_for_the_scan_again_at_its_field(client, staff):
    """A browser never keeps a file input: the page says the chosen file must be chosen again (found by exploratory
    testing: the next submit failed with "Cần tệp quét")."""
    register_scan(staff[Role.RECORDS_CLERK])
    signed_in(client, staff[Role.RECORDS_CLERK])
    fields = {"number": "15", "symbol": "QĐ-UBND", "issuer_name": "Ủy ban nhân dân tỉnh Lạng Sơn",
              "issued_on": "2026-11-20", "document_type": doc_type("quyet-dinh").pk, "summary": "Trùng",
              "urgency": "normal", "confidentiality": "normal"}
    response = client.post(reverse("docs_office:incoming_register"),
                           {**fields, "file": SimpleUploadedFile("scan.pdf", TINY_PDF)})
    assert response.status_code == 400
    page = response.content.decode()
    note = page.index('id="id_file_reselect"')
    assert page.index('id="id_file"') < note < page.index('id="id_attachments"')  # at the scan's field
    assert "hãy chọn lại tệp" in page[note:note + 300]
    # No file was chosen: nothing to choose again.
    page = client.post(reverse("docs_office:incoming_register"), fields).content.decode()
    assert 'id="id_file_reselect"' not in page


def test_the_register_form_is_for_records_clerks_only(client, staff):
    signed_in(client, staff[Role.SPECIALIST])
    assert client.get(reverse("docs_office:incoming_register")).status_code == 404


def assign_rows(*rows) -> dict:
    """The assignment page's POST: one row per (role, assignee, deadline, instruction), as the page's rows send them."""
    data = {"assign-TOTAL_FORMS": str(len(rows)), "assign-INITIAL_FORMS": str(len(rows)),
            "assign-MIN_NUM_FORMS": "0", "assign-MAX_NUM_FORMS": "60"}
    for i, (role, assignee, deadline, instruction) in enumerate(rows):
        data.update({f"assign-{i}-role": role, f"assign-{i}-assignee": assignee, f"assign-{i}-deadline": deadline,
                     f"assign-{i}-instruction": instruction})
    return data


def test_the_leader_assigns_from_the_detail_page(client, staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    signed_in(client, staff[Role.LEADER])
    page = client.get(reverse("docs_office:incoming_detail", args=[document.pk])).content.decode()
    assert 'data-action="assign"' in page
    client.post(reverse("docs_office:incoming_action", args=[document.pk, "assign"]), assign_rows(
        ("lead", f"u:{staff[Role.SPECIALIST].pk}", (timezone.localdate() + timedelta(days=3)).isoformat(), "Tham mưu")))
    document.refresh_from_db()
    assert document.state == IncomingState.ASSIGNED


def test_a_refused_action_shows_the_reason_and_changes_nothing(client, staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    signed_in(client, staff[Role.LEADER])
    response = client.post(reverse("docs_office:incoming_action", args=[document.pk, "close"]), {"result": "x"},
                           follow=True)
    assert "Không thể kết thúc xử lý" in response.content.decode()
    document.refresh_from_db()
    assert document.state == IncomingState.REGISTERED


def test_pages_of_another_agencys_document_are_404(client, staff, other_agency):
    document = register_scan(staff[Role.RECORDS_CLERK])
    signed_in(client, UserFactory(agency=other_agency, roles=[Role.LEADER]))
    assert client.get(reverse("docs_office:incoming_detail", args=[document.pk])).status_code == 404
    assert client.get(reverse("docs_office:incoming_file", args=[document.pk])).status_code == 404
    assert client.post(reverse("docs_office:incoming_action", args=[document.pk, "assign"])).status_code == 404


def test_a_citizen_sees_no_office_page(client, db):
    signed_in(client, UserFactory(citizen=True))
    assert client.get(reverse("docs_office:dashboard")).status_code == 404


def test_the_dashboard_flags_overdue_and_due_soon(client, staff):
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    today = timezone.localdate()
    soon = assign_to(leader, register_scan(clerk, number="1", summary="Sắp đến hạn"), lead=specialist,
                     deadline=today + timedelta(days=2))
    later = assign_to(leader, register_scan(clerk, number="2", summary="Còn lâu"), lead=specialist,
                      deadline=today + timedelta(days=20))
    overdue = assign_to(leader, register_scan(clerk, number="3", summary="Quá hạn rồi"), lead=specialist,
                        deadline=today)
    overdue.assignments.update(deadline=today - timedelta(days=1))
    signed_in(client, specialist)
    assignments = client.get(reverse("docs_office:dashboard")).context["assignments"]
    assert [(a.document, a.urgency_rank) for a in assignments] == [(overdue, 0), (soon, 1), (later, 2)]


def test_a_document_led_by_a_person_and_supported_by_their_unit_is_one_line_of_their_dashboard(client, staff, division):
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    assert specialist in division.members.all()
    from docs_office.services.incoming import AssignmentData, incoming_assign

    document = incoming_assign(leader=leader, document=register_scan(clerk, number="1"), assignments=[
        AssignmentData(role="lead", user=specialist), AssignmentData(role="support", division=division)])
    signed_in(client, specialist)
    assignments = client.get(reverse("docs_office:dashboard")).context["assignments"]
    assert [(a.document, a.role) for a in assignments] == [(document, "lead")]
    # A member of the unit who does not lead it sees it once, as a supporter.
    signed_in(client, staff[Role.HEAD_OF_DIVISION])
    assignments = client.get(reverse("docs_office:dashboard")).context["assignments"]
    assert [(a.document, a.role) for a in assignments] == [(document, "support")]


def test_the_leaders_dashboard_lists_what_waits_for_an_assignment_most_urgent_first(client, staff):
    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    today = timezone.localdate()
    plain = register_scan(clerk, number="1", summary="Thường, không hạn")
    due = register_scan(clerk, number="2", summary="Thường, có hạn", deadline=today + timedelta(days=3))
    flash = register_scan(clerk, number="3", summary="Hỏa tốc", urgency="flash")
    assign_to(leader, register_scan(clerk, number="4", summary="Đã phân công"), lead=staff[Role.SPECIALIST])
    signed_in(client, leader)
    page = client.get(reverse("docs_office:dashboard"))
    assert page.context["to_assign"] == [flash, due, plain]
    html = page.content.decode()
    assert html.count('data-waiting="assign"') == 3 and "Không có văn bản đến nào cần bạn xử lý." not in html
    assert f'{reverse("docs_office:incoming_detail", args=[flash.pk])}#phan-cong' in html
    # Constant queries: three more waiting documents read no more.
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("docs_office:dashboard"))
    for number in ("5", "6", "7"):
        register_scan(clerk, number=number, summary="Thêm")
    with CaptureQueriesContext(connection) as after:
        assert len(client.get(reverse("docs_office:dashboard")).context["to_assign"]) == 6
    assert len(after.captured_queries) == len(before.captured_queries)
    # The records clerk and the specialist have no assignment to give.
    for other in (clerk, staff[Role.SPECIALIST]):
        signed_in(client, other)
        assert client.get(reverse("docs_office:dashboard")).context["to_assign"] == []


def test_the_specialist_drafts_through_the_form(client, staff):
    signed_in(client, staff[Role.SPECIALIST])
    response = client.post(reverse("docs_office:outgoing_create"), {
        "document_type": doc_type("cong-van").pk, "summary": "V/v trả lời", "urgency": "normal",
        "confidentiality": "normal", "file": SimpleUploadedFile("d.pdf", TINY_PDF)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-action="submit"' in page


def test_a_malformed_edxml_upload_lists_its_problems_on_the_page(client, staff):
    from docs_office.edxml import edxml_build
    from tests.docs_office.test_edxml import package

    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.post(reverse("docs_office:incoming_import"), {
        "file": SimpleUploadedFile("goi.xml", edxml_build(package(signer_name="")))})
    assert response.status_code == 400
    assert "Thiếu họ tên người ký." in response.content.decode()
    assert IncomingDocument.objects.count() == 0


def test_the_specialist_composes_a_draft_on_the_page(client, staff):
    signed_in(client, staff[Role.SPECIALIST])
    response = client.post(reverse("docs_office:outgoing_create"), {
        "document_type": doc_type("thong-bao").pk, "summary": "Về việc nghỉ Tết", "urgency": "normal",
        "confidentiality": "normal", "body": "Ủy ban nhân dân tỉnh thông báo.", "place": "Lạng Sơn",
        "signer_prefix": "TM.", "signer_title": "Chủ tịch", "signer_name": "Hoàng Văn Nam"})
    assert response.status_code == 302
    from docs_office.models import OutgoingVersion

    assert OutgoingVersion.objects.get().signature_box is not None


def test_a_draft_composed_in_the_english_interface_keeps_its_version_note_in_vietnamese(client, staff, settings):
    """The note is written once and read later in either language (found by exploratory testing: an English-interface
    drafter's version read "Compose in the system" for everyone)."""
    from docs_office.models import OutgoingVersion

    signed_in(client, staff[Role.SPECIALIST])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Draft outgoing document" in client.get(reverse("docs_office:outgoing_create")).content.decode()
    response = client.post(reverse("docs_office:outgoing_create"), {
        "document_type": doc_type("thong-bao").pk, "summary": "Về việc nghỉ Tết", "urgency": "normal",
        "confidentiality": "normal", "body": "Ủy ban nhân dân tỉnh thông báo.", "place": "Lạng Sơn",
        "signer_prefix": "TM.", "signer_title": "Chủ tịch", "signer_name": "Hoàng Văn Nam"})
    assert response.status_code == 302
    assert OutgoingVersion.objects.get().note == "Soạn trên hệ thống"


def test_the_leader_sees_open_work_per_unit_and_person(client, staff, division):
    from docs_office.selectors import open_work_by_unit

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    today = timezone.localdate()
    assign_to(leader, register_scan(clerk, number="1"), division=division, deadline=today + timedelta(days=1))
    late = assign_to(leader, register_scan(clerk, number="2"), division=division, deadline=today)
    late.assignments.update(deadline=today - timedelta(days=2))
    assign_to(leader, register_scan(clerk, number="3"), lead=specialist, deadline=today + timedelta(days=10))
    rows = open_work_by_unit(user=leader)
    assert rows == [{"name": "Văn phòng", "open": 2, "overdue": 1, "due_soon": 1},
                    {"name": specialist.full_name, "open": 1, "overdue": 0, "due_soon": 0}]
    assert open_work_by_unit(user=specialist) == []
    signed_in(client, leader)
    assert "Văn phòng" in client.get(reverse("docs_office:dashboard")).content.decode()


@pytest.mark.parametrize("name", ["docs_office:incoming_list", "docs_office:outgoing_list"])
def test_a_ranked_search_page_runs_the_same_queries_for_one_or_many(client, staff, name, django_assert_max_num_queries):
    from docs_office.services.outgoing import outgoing_create
    from tests.docs_office.factories import doc_type, scan

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]

    def add(n):
        summary = f"Về việc tổ chức Hội nghị tổng kết {n}"
        if name == "docs_office:incoming_list":
            register_scan(clerk, number=f"8{n}", summary=summary)
        else:
            outgoing_create(drafter=specialist, document_type=doc_type("cong-van"), summary=summary, upload=scan())
    add(0)
    signed_in(client, leader)
    with django_assert_max_num_queries(30) as one:
        response = client.get(reverse(name), {"q": "tong ket hoi ng"})
    assert response.status_code == 200 and len(response.context["documents"]) == 1
    queries_for_one = len(one.captured_queries)
    for n in range(1, 12):
        add(n)
    with django_assert_max_num_queries(queries_for_one):
        response = client.get(reverse(name), {"q": "tong ket hoi ng"})
    assert len(response.context["documents"]) == 12


def test_the_kept_incoming_list_shows_each_change_and_only_to_whom_may_see_it(client, staff, other_agency):
    """The list page is kept per user and lines shown (egov.core.staff_pages): a new document, a change of
    state, and nothing of another agency's."""
    from django.test import Client

    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    signed_in(client, clerk)
    first = register_scan(clerk, number="101", summary="Về việc triển khai chuyển đổi số năm 2027")
    assert "101" in client.get(reverse("docs_office:incoming_list")).content.decode()
    second = register_scan(clerk, number="102", summary="Về việc kiểm tra công tác cải cách hành chính")
    page = client.get(reverse("docs_office:incoming_list")).content.decode()
    assert "kiểm tra công tác cải cách hành chính" in page and "chuyển đổi số năm 2027" in page
    assign_to(leader, second, lead=staff[Role.SPECIALIST], deadline=timezone.localdate())
    second.refresh_from_db()
    assert second.state == IncomingState.ASSIGNED
    page = client.get(reverse("docs_office:incoming_list")).content.decode()
    row = next(line for line in page.split("<tr>") if "kiểm tra công tác" in line)
    assert f"<td>{second.get_state_display()}</td></tr>" in row
    outsider = signed_in(Client(), UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK]))
    page = outsider.get(reverse("docs_office:incoming_list")).content.decode()
    assert first.summary not in page and second.summary not in page


def test_a_page_count_beyond_any_document_is_an_error_on_the_register_form(client, staff):
    from docs_office.constants import PAGE_COUNT_MAX

    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.post(reverse("docs_office:incoming_register"), {
        "number": "123", "symbol": "UBND-VP", "issuer_name": "Ủy ban nhân dân tỉnh Lạng Sơn",
        "issued_on": (timezone.localdate() - timedelta(days=2)).isoformat(), "document_type": doc_type("cong-van").pk,
        "summary": "V/v báo cáo kết quả", "urgency": "normal", "confidentiality": "normal", "page_count": "99999999999",
        "file": SimpleUploadedFile("scan.pdf", TINY_PDF)})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Số trang tối đa là {PAGE_COUNT_MAX}." in page and "V/v báo cáo kết quả" in page
    assert not IncomingDocument.objects.exists()


def test_a_document_dated_in_the_future_is_an_error_on_the_register_form(client, staff):
    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.post(reverse("docs_office:incoming_register"), {
        "number": "123", "symbol": "UBND-VP", "issuer_name": "Ủy ban nhân dân tỉnh Lạng Sơn",
        "issued_on": (timezone.localdate() + timedelta(days=1)).isoformat(), "document_type": doc_type("cong-van").pk,
        "summary": "V/v báo cáo kết quả", "urgency": "normal", "confidentiality": "normal",
        "file": SimpleUploadedFile("scan.pdf", TINY_PDF)})
    assert response.status_code == 400
    assert 'id="id_issued_on_error"' in response.content.decode()
    assert not IncomingDocument.objects.exists()


def assign_on_the_page(client, staff, document, *rows):
    signed_in(client, staff[Role.LEADER])
    response = client.post(reverse("docs_office:incoming_action", args=[document.pk, "assign"]), assign_rows(*rows))
    document.refresh_from_db()
    return response, response.content.decode()


def test_an_invalid_assignment_deadline_is_reported_on_its_row_with_the_instruction_kept(client, staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    response, page = assign_on_the_page(client, staff, document,
                                        ("lead", f"u:{staff[Role.SPECIALIST].pk}", "2026-13-45", "Tham mưu văn bản trả lời gấp"))
    assert response.status_code == 400 and document.state == IncomingState.REGISTERED
    assert 'id="id_assign-0-deadline_error"' in page and "Hạn xử lý không phải ngày hợp lệ" in page
    assert "Cần chọn người hoặc đơn vị xử lý chính." not in page
    assert "Tham mưu văn bản trả lời gấp</textarea>" in page


def test_an_assignment_without_a_lead_says_so_above_the_rows(client, staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    response, page = assign_on_the_page(client, staff, document, ("lead", "", "", ""),
                                        ("support", f"u:{staff[Role.SPECIALIST].pk}", "", ""))
    assert response.status_code == 400 and document.state == IncomingState.REGISTERED
    assert "Cần chọn người hoặc đơn vị xử lý chính." in page


def test_the_same_person_leading_and_supporting_is_refused_on_the_form_with_what_was_typed(client, staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    specialist = staff[Role.SPECIALIST]
    deadline = (timezone.localdate() + timedelta(days=3)).isoformat()
    response, page = assign_on_the_page(client, staff, document,
                                        ("lead", f"u:{specialist.pk}", deadline, "Tham mưu văn bản trả lời gấp"),
                                        ("support", f"u:{specialist.pk}", "", ""))
    assert response.status_code == 400 and document.state == IncomingState.REGISTERED
    assert f"{specialist.full_name} được chọn hai lần" in page and 'id="id_assign-1-assignee_error"' in page
    assert "Tham mưu văn bản trả lời gấp</textarea>" in page


def test_each_assignee_gets_their_own_deadline_and_instruction(client, staff, division):
    from docs_office.models import IncomingAssignment

    document = register_scan(staff[Role.RECORDS_CLERK])
    specialist, head, clerk = staff[Role.SPECIALIST], staff[Role.HEAD_OF_DIVISION], staff[Role.RECORDS_CLERK]
    today = timezone.localdate()
    response, _page = assign_on_the_page(
        client, staff, document,
        ("lead", f"u:{specialist.pk}", (today + timedelta(days=5)).isoformat(), "Chủ trì tham mưu"),
        ("support", f"d:{division.pk}", (today + timedelta(days=3)).isoformat(), "Cung cấp số liệu"),
        ("support", f"u:{head.pk}", "", "Góp ý dự thảo"),
        ("info", f"u:{clerk.pk}", "", ""),
        ("info", "", "", ""))
    assert response.status_code == 302 and document.state == IncomingState.ASSIGNED
    rows = {(a.role, a.user_id or a.division_id): (a.deadline, a.instruction)
            for a in IncomingAssignment.objects.filter(document=document)}
    assert rows == {("lead", specialist.pk): (today + timedelta(days=5), "Chủ trì tham mưu"),
                    ("support", division.pk): (today + timedelta(days=3), "Cung cấp số liệu"),
                    # A supporter without a deadline takes the lead's; for information, none.
                    ("support", head.pk): (today + timedelta(days=5), "Góp ý dự thảo"),
                    ("info", clerk.pk): (None, "")}


def test_a_past_deadline_is_refused_on_its_row(client, staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response, page = assign_on_the_page(client, staff, document, ("lead", f"u:{staff[Role.SPECIALIST].pk}", "", ""),
                                        ("support", f"u:{staff[Role.HEAD_OF_DIVISION].pk}", yesterday, ""))
    assert response.status_code == 400 and document.state == IncomingState.REGISTERED
    assert 'id="id_assign-1-deadline_error"' in page and "Hạn xử lý không thể ở quá khứ." in page


def test_a_deadline_on_a_row_without_its_assignee_is_not_dropped(client, staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response, page = assign_on_the_page(client, staff, document, ("lead", f"u:{staff[Role.SPECIALIST].pk}", "", ""),
                                        ("support", "", tomorrow, "Phối hợp"))
    assert response.status_code == 400 and document.state == IncomingState.REGISTERED
    assert 'id="id_assign-1-assignee_error"' in page


def test_a_new_row_keeps_what_was_typed_and_assigns_nothing(client, staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    specialist = staff[Role.SPECIALIST]
    signed_in(client, staff[Role.LEADER])
    data = assign_rows(("lead", f"u:{specialist.pk}", "", "Chủ trì tham mưu"), ("info", "", "", ""))
    response = client.post(reverse("docs_office:incoming_action", args=[document.pk, "assign"]),
                           {**data, "add_row": "support"})
    page = response.content.decode()
    document.refresh_from_db()
    assert response.status_code == 200 and document.state == IncomingState.REGISTERED
    assert "Chủ trì tham mưu</textarea>" in page and f'<option value="u:{specialist.pk}" selected>' in page
    # The new supporter's row goes between the lead and the for-information row.
    assert [line.split('"')[1] for line in page.split('<tr data-role=')[1:]] == ["lead", "support", "info"]
    assert 'name="assign-TOTAL_FORMS" value="3"' in page


def test_the_page_offers_the_current_assignment_again(client, staff):
    from tests.docs_office.factories import assign_to

    document = register_scan(staff[Role.RECORDS_CLERK])
    assign_to(staff[Role.LEADER], document, lead=staff[Role.SPECIALIST], deadline=timezone.localdate())
    signed_in(client, staff[Role.LEADER])
    page = client.get(reverse("docs_office:incoming_detail", args=[document.pk])).content.decode()
    assert f'<option value="u:{staff[Role.SPECIALIST].pk}" selected>' in page
    assert "Đề nghị nghiên cứu, tham mưu văn bản trả lời.</textarea>" in page


def opinion_on_the_page(client, staff, **fields):
    document = register_scan(staff[Role.RECORDS_CLERK])
    assign_to(staff[Role.LEADER], document, lead=staff[Role.SPECIALIST], deadline=timezone.localdate())
    signed_in(client, staff[Role.SPECIALIST])
    response = client.post(reverse("docs_office:incoming_action", args=[document.pk, "opinion"]), fields)
    return response, response.content.decode(), document.opinions.count()


@pytest.mark.parametrize("progress", ["-5", "abc", "150", "4.5", "²"])
def test_a_progress_that_is_no_percentage_is_an_error_and_nothing_is_saved(client, staff, progress):
    response, page, opinions = opinion_on_the_page(client, staff, text="Đã dự thảo văn bản trả lời", progress=progress)
    assert response.status_code == 400 and opinions == 0
    assert 'id="id_progress_error"' in page and "Tiến độ phải là số nguyên từ 0 đến 100." in page
    assert "Đã dự thảo văn bản trả lời</textarea>" in page


def test_an_opinion_with_its_progress_is_saved(client, staff):
    response, _page, opinions = opinion_on_the_page(client, staff, text="Đã dự thảo", progress="40")
    assert response.status_code == 302 and opinions == 1


def test_an_opinion_refused_by_the_service_keeps_the_typed_progress(client, staff):
    response, page, opinions = opinion_on_the_page(client, staff, text="  ", progress="40")
    assert response.status_code == 400 and opinions == 0
    assert 'id="id_text_error"' in page and 'value="40"' in page


def test_a_refused_close_keeps_the_result_typed_beside_the_reason(client, staff, monkeypatch):
    from egov.core.errors import ApplicationError

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    document = register_scan(clerk)
    assign_to(leader, document, lead=specialist, deadline=timezone.localdate() + timedelta(days=3))

    def refuse(**_kwargs):
        raise ApplicationError("other_agency", "Văn bản trả lời phải của cùng cơ quan.")

    monkeypatch.setattr("docs_office.actions.incoming_action_run", refuse)
    signed_in(client, specialist)
    response = client.post(reverse("docs_office:incoming_action", args=[document.pk, "close"]),
                           {"result": "Đã trả lời bằng Công văn số 12/STP-VP"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Đã trả lời bằng Công văn số 12/STP-VP</textarea>" in page and "phải của cùng cơ quan" in page
