"""The incoming document's page as a person reads it (found by exploratory testing): the arrival number in one form
("04") wherever it is shown, one heading over the attachments, the assignments lead first, and the opinions and
progress reports in the history with every other step."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from docs_office.constants import AssignmentRole
from docs_office.models import IncomingDocument
from docs_office.services.incoming import AssignmentData, incoming_assign, incoming_opinion_add
from egov.accounts.roles import Role
from tests.docs_office.factories import register_scan
from tests.docs_office.test_display import _history
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _page(client, document) -> str:
    return client.get(reverse("docs_office:incoming_detail", args=[document.pk])).content.decode()


def test_the_arrival_number_reads_04_in_the_message_the_page_the_list_and_the_register(client, staff, registers):
    from openpyxl import load_workbook

    from tests.docs_office.factories import doc_type

    clerk = staff[Role.RECORDS_CLERK]
    for number in range(1, 4):
        register_scan(clerk, number=str(number))
    signed_in(client, clerk)
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from tests.docs_office.factories import TINY_PDF

    response = client.post(reverse("docs_office:incoming_register"), {
        "number": "4", "symbol": "CV-STP", "issuer_name": "Sở Tư pháp", "document_type": doc_type("cong-van").pk,
        "issued_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "summary": "V/v báo cáo",
        "urgency": "normal", "confidentiality": "normal", "file": SimpleUploadedFile("scan.pdf", TINY_PDF)},
        follow=True)
    document = IncomingDocument.objects.get(number="4")
    assert document.arrival_number == 4
    page = response.content.decode()
    assert "Đã vào sổ văn bản đến, số đến 04." in page
    assert re.search(r'<dd data-field="arrival-number">04</dd>', page)
    listing = client.get(reverse("docs_office:incoming_list")).content.decode()
    assert "<tr><td>04</td>" in listing
    book = client.get(reverse("docs_office:register_export_xlsx", args=[registers["incoming"].pk,
                                                                        document.arrival_year]))
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["01", "02", "03", "04"]
    # The API gives the number as a number, as it did.
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(clerk)
    assert api.get(f"/api/v1/incoming-documents/{document.pk}/").json()["arrival_number"] == 4


def test_the_attachments_heading_appears_once(client, staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk)

    page = _page(signed_in(client, clerk), document)

    assert page.count("Tệp đính kèm, phụ lục") == 1
    assert 'data-action="attachment_add"' in page  # the form to add is there, under that one heading


@pytest.fixture
def assigned(staff, agency):
    """Assigned in the order a leader may pick the rows: for information first, then lead, then supporting."""
    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    info, lead, support = (UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name=name)
                           for name in ("Người Để Biết", "Người Xử Lý Chính", "Người Phối Hợp"))
    return incoming_assign(leader=leader, document=register_scan(clerk), assignments=[
        AssignmentData(role=AssignmentRole.INFO, user=info), AssignmentData(role=AssignmentRole.LEAD, user=lead),
        AssignmentData(role=AssignmentRole.SUPPORT, user=support)])


def test_the_assignments_are_listed_lead_supporting_for_information(client, staff, assigned):
    page = _page(signed_in(client, staff[Role.LEADER]), assigned)

    listed = page.split("Phân công xử lý</h2>", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<strong>(.*?)</strong>: (.*?)</li>", listed) == [
        ("Xử lý chính", "Người Xử Lý Chính"), ("Phối hợp", "Người Phối Hợp"), ("Để biết", "Người Để Biết")]
    rows = re.findall(r'<tr data-role="(\w+)">', page)
    assert rows == ["lead", "support", "support", "info"]  # the reassignment's rows, and one more supporting row


def test_the_api_lists_them_lead_first_too(staff, assigned):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff[Role.LEADER])
    detail = api.get(f"/api/v1/incoming-documents/{assigned.pk}/").json()
    assert [a["role"] for a in detail["assignments"]] == ["lead", "support", "info"]


def test_opinions_and_progress_reports_are_steps_of_the_history(client, staff, assigned):
    lead = assigned.assignments.get(role=AssignmentRole.LEAD).user
    incoming_opinion_add(user=lead, document=assigned, text="Đã nghiên cứu, đang dự thảo trả lời", progress=40)
    incoming_opinion_add(user=staff[Role.LEADER], document=assigned, text="Đề nghị khẩn trương")

    rows = _history(_page(signed_in(client, staff[Role.LEADER]), assigned))

    assert [row[1] for row in rows] == ["Vào sổ", "Phân công xử lý", "Báo cáo tiến độ", "Bắt đầu xử lý",
                                        "Cho ý kiến xử lý"]
    assert rows[2][2:] == ["Người Xử Lý Chính", "—", "—", "Đã nghiên cứu, đang dự thảo trả lời (tiến độ 40%)"]
    assert rows[4][5] == "Đề nghị khẩn trương"


def test_the_history_costs_no_query_per_opinion(client, staff, assigned, django_assert_num_queries):
    lead = assigned.assignments.get(role=AssignmentRole.LEAD).user
    signed_in(client, staff[Role.LEADER])
    incoming_opinion_add(user=lead, document=assigned, text="Một", progress=10)
    _page(client, assigned)  # the session's first page fills its caches
    with CaptureQueriesContext(connection) as one:
        _page(client, assigned)
    for n in range(5):
        incoming_opinion_add(user=lead, document=assigned, text=f"Ý kiến {n}", progress=20 + n)
        incoming_opinion_add(user=staff[Role.LEADER], document=assigned, text=f"Chỉ đạo {n}")

    with django_assert_num_queries(len(one.captured_queries)):
        page = _page(client, assigned)
    assert page.count('<td data-action="progress">') == 6 and page.count('<td data-action="opinion">') == 5
