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
