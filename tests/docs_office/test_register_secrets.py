"""An exported register (PDF book, XLSX) leaves the system: a secret document's line shows what numbers it and no
summary or handler — it showed the summary to a leader the document does not name."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from docs_office.constants import Confidentiality
from egov.accounts.roles import Role
from tests.conftest import service_missing
from tests.docs_office.factories import register_scan
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db
SECRET = "Tài liệu mật về an ninh trật tự"


@pytest.fixture
def secret(staff):
    clerk = staff[Role.RECORDS_CLERK]
    register_scan(clerk, number="1", summary="Kế hoạch công khai năm 2027")
    return register_scan(clerk, number="2", summary=SECRET, confidentiality=Confidentiality.SECRET,
                         readers=[staff[Role.SPECIALIST]])


def test_the_spreadsheet_shows_a_secret_documents_metadata_only(client, staff, registers, secret):
    from openpyxl import load_workbook

    signed_in(client, staff[Role.LEADER])
    response = client.get(reverse("docs_office:register_export_xlsx",
                                  args=[registers["incoming"].pk, timezone.localdate().year]))
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    texts = " ".join(str(value) for row in rows for value in row if value)
    assert "Kế hoạch công khai năm 2027" in texts and SECRET not in texts
    line = next(row for row in rows if row[3] == secret.number_symbol)
    assert line[1] == "02" and "không ghi trích yếu" in line[5] and "Tối mật" in line[8]


def test_the_printed_book_shows_a_secret_documents_metadata_only(client, staff, registers, secret):
    if shutil.which("pdftotext") is None:
        service_missing("pdftotext (poppler-utils) is not installed")
    signed_in(client, staff[Role.LEADER])
    response = client.get(reverse("docs_office:register_export", args=[registers["incoming"].pk,
                                                                        timezone.localdate().year]))
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,  # noqa: S607
                          check=True).stdout.decode()
    assert "Kế hoạch công khai năm 2027" in text and "an ninh trật tự" not in text
