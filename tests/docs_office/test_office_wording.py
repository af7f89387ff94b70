"""Texts found wrong by exploratory testing: the example place (Hà Giang merged into Tuyên Quang in 2025), an edXML
report's reasons beginning in lower case, the issued PDF named "2026-01.pdf" rather than by its number and symbol."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from docs_office.edxml import EdxmlError, edxml_build, edxml_parse
from docs_office.services.registers import number_symbol_file_stem
from egov.accounts.roles import Role
from tests.docs_office.test_edxml import package
from tests.docs_office.test_outgoing import issued_unsigned
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


def test_the_place_is_exemplified_by_a_province_that_exists(client, staff):
    page = signed_in(client, staff[Role.RECORDS_CLERK]).get(reverse("docs_office:incoming_register")).content.decode()

    assert "ví dụ: Lạng Sơn" in page and "Hà Giang" not in page


def test_every_reason_of_an_edxml_report_begins_with_a_capital():
    data = edxml_build(package()).replace(b"<edXML:PromulgationDate>2026-11-23", b"<edXML:PromulgationDate>23/11/2026")
    assert data != edxml_build(package())

    with pytest.raises(EdxmlError) as refused:
        edxml_parse(data)

    assert refused.value.problems == ["Ngày ban hành không đúng định dạng ngày (YYYY-MM-DD): “23/11/2026”."]
    assert all(problem[0].isupper() for problem in EdxmlError(["thiếu x.", "Đủ."]).problems)


@pytest.mark.parametrize(("number", "symbol", "stem"), [
    (1, "STP-HCTP", "01-STP-HCTP"), (12, "QĐ-UBND", "12-QD-UBND"), (7, "UBND-VP", "07-UBND-VP"),
    (3, "TTr/ĐHĐ x", "03-TTr-DHD-x"),
])
def test_a_numbered_documents_file_is_named_by_its_number_and_symbol_in_ascii(number, symbol, stem):
    assert number_symbol_file_stem(number=number, symbol=symbol) == stem


def test_the_issued_pdf_downloads_under_its_number_and_symbol(client, staff, registers):
    document = issued_unsigned(staff, registers["outgoing"])  # 07/QĐ-UBND
    leader = staff[Role.LEADER]

    page = signed_in(client, leader).get(reverse("docs_office:outgoing_file", args=[document.pk]))
    api = APIClient()
    api.force_authenticate(leader)
    served = api.get(f"/api/v1/outgoing-documents/{document.pk}/file/")

    for response in (page, served):
        assert response.status_code == 200
        assert 'filename="07-QD-UBND.pdf"' in response["Content-Disposition"]
