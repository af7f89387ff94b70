"""Text pasted from Word carries characters XML cannot hold (a manual line break is a vertical tab): one summary with
one made the agency's whole XLSX register unreadable, and would have made its edXML package ill-formed."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.text import xml_safe
from tests.docs_office.factories import register_scan
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


def test_xml_safe_keeps_text_and_line_breaks_and_drops_what_xml_cannot_hold():
    assert xml_safe("Kế hoạch\x0bdòng hai\x0cba\x01\x1f\ufffe\tx\r\ny") == "Kế hoạch\ndòng hai\nba\tx\r\ny"
    assert xml_safe(None) == ""


def test_a_pasted_line_break_is_stored_as_one_and_the_register_still_opens(client, staff, registers):
    from openpyxl import load_workbook

    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, number="9", summary="Kế hoạch triển khai\x0bdòng hai\x07", signer_name="Lê Văn\x0bA")
    document.refresh_from_db()
    assert document.summary == "Kế hoạch triển khai\ndòng hai" and document.signer_name == "Lê Văn\nA"

    document.summary = "Dữ liệu cũ\x0bcòn ký tự điều khiển"  # stored before the services cleaned text
    document.save(update_fields=["summary"])
    signed_in(client, clerk)
    response = client.get(reverse("docs_office:register_export_xlsx",
                                  args=[registers["incoming"].pk, timezone.localdate().year]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=6).value.endswith("Dữ liệu cũ\ncòn ký tự điều khiển")
