"""Secret documents are numbered in registers of their own (Decree 30/2020), and an exported register (PDF book,
XLSX) leaves the system: a secret document's line shows what numbers it and no summary or handler — it showed the
summary to a leader the document does not name."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from docs_office.constants import Confidentiality
from egov.accounts.roles import Role
from tests.conftest import service_missing
from tests.docs_office.factories import another_leader, register_scan
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db
SECRET = "Tài liệu mật về an ninh trật tự"


@pytest.fixture
def secret(staff):
    clerk = staff[Role.RECORDS_CLERK]
    register_scan(clerk, number="1", summary="Kế hoạch công khai năm 2027")
    return register_scan(clerk, number="2", summary=SECRET, confidentiality=Confidentiality.SECRET,
                         readers=[staff[Role.SPECIALIST], another_leader(staff[Role.SPECIALIST].agency)])


def _rows(client, register) -> list[list]:
    from openpyxl import load_workbook

    response = client.get(reverse("docs_office:register_export_xlsx", args=[register.pk, timezone.localdate().year]))
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]


def test_a_secret_document_is_numbered_in_the_secret_register_from_01(staff, registers, secret):
    from docs_office.models import Register

    public = registers["incoming"]
    assert secret.register != public and secret.register.for_secret and secret.register.name == "Sổ văn bản mật đến"
    assert secret.arrival_number == 1
    # The ordinary series goes on without a gap.
    assert register_scan(staff[Role.RECORDS_CLERK], number="3", summary="Công văn thường").arrival_number == 2
    assert register_scan(staff[Role.RECORDS_CLERK], number="4", summary="Mật lần hai",
                         confidentiality=Confidentiality.SECRET,
                         readers=[staff[Role.SPECIALIST], another_leader(staff[Role.SPECIALIST].agency)]).arrival_number == 2
    assert Register.objects.filter(agency=public.agency, for_secret=True).count() == 1


def test_an_agencys_own_secret_register_is_used_and_an_ordinary_one_never_numbers_a_secret_document(staff, registers):
    from docs_office.constants import RegisterKind
    from docs_office.services.registers import register_create, register_outgoing_for
    from tests.docs_office.factories import doc_type

    agency = registers["incoming"].agency
    own = register_create(agency=agency, kind=RegisterKind.INCOMING, name="Sổ đăng ký văn bản mật đến")
    type(own).objects.filter(pk=own.pk).update(for_secret=True)
    secret = register_scan(staff[Role.RECORDS_CLERK], number="9", summary=SECRET,
                           confidentiality=Confidentiality.SECRET,
                           readers=[staff[Role.SPECIALIST], another_leader(staff[Role.SPECIALIST].agency)])
    assert secret.register == own and secret.arrival_number == 1
    decision = doc_type("quyet-dinh")
    assert register_outgoing_for(agency=agency, document_type=decision) == registers["outgoing"]
    secret_out = register_outgoing_for(agency=agency, document_type=decision, secret=True)
    assert secret_out.for_secret and secret_out.kind == RegisterKind.OUTGOING and secret_out.name == "Sổ văn bản mật đi"


def test_the_spreadsheet_shows_a_secret_documents_metadata_only(client, staff, registers, secret):
    signed_in(client, staff[Role.LEADER])
    public = " ".join(str(value) for row in _rows(client, registers["incoming"]) for value in row if value)
    assert "Kế hoạch công khai năm 2027" in public and secret.number_symbol not in public
    rows = _rows(client, secret.register)
    texts = " ".join(str(value) for row in rows for value in row if value)
    assert SECRET not in texts
    line = next(row for row in rows if row[3] == secret.number_symbol)
    assert line[1] == "01" and "không ghi trích yếu" in line[5] and "Tối mật" in line[8]


def test_the_printed_book_shows_a_secret_documents_metadata_only(client, staff, registers, secret):
    if shutil.which("pdftotext") is None:
        service_missing("pdftotext (poppler-utils) is not installed")
    signed_in(client, staff[Role.LEADER])
    for register in (registers["incoming"], secret.register):
        response = client.get(reverse("docs_office:register_export", args=[register.pk, timezone.localdate().year]))
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,  # noqa: S607
                              check=True).stdout.decode()
        assert "an ninh trật tự" not in text
        assert ("Kế hoạch công khai năm 2027" in text) == (register == registers["incoming"])
        assert (secret.number_symbol in text) == (register == secret.register)
