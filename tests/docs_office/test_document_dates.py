"""A document's dates fall in a plausible range (not before 02/09/1945, deadlines at most ten years ahead) on the
page, the API and the edXML import; the spreadsheet register writes any day it can receive as the day it is (found
by exploratory testing: 1900-01-01 read back as 02/01/1900, year 1 as a negative serial)."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.edxml import EdxmlError, edxml_build, edxml_parse
from docs_office.models import IncomingDocument
from docs_office.services.dates import deadline_problem, document_date_problem, latest_deadline
from docs_office.xlsx import date_serial, xlsx_build
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import doc_type, register_scan
from tests.docs_office.test_edxml import package
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db

TOO_EARLY = "Ngày văn bản không thể trước ngày 02/09/1945."


def _form(**overrides) -> dict:
    return {"number": "15", "symbol": "QĐ-UBND", "issuer_name": "UBND tỉnh Lạng Sơn",
            "issued_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "document_type": doc_type("quyet-dinh").pk,
            "summary": "Về việc giao chỉ tiêu", "urgency": "normal", "confidentiality": "normal", **overrides}


def test_the_range_rule():
    today = date(2026, 12, 8)
    assert document_date_problem(date(1945, 9, 2)) is None
    assert document_date_problem(date(1945, 9, 1)) == TOO_EARLY
    assert deadline_problem(date(2036, 12, 8), today=today) is None
    assert deadline_problem(date(2036, 12, 9), today=today) == \
        "Hạn xử lý không thể sau ngày 08/12/2036 (quá 10 năm tới)."
    assert deadline_problem(date(1, 1, 1), today=today) == "Hạn xử lý không thể trước ngày 02/09/1945."
    assert latest_deadline(date(2028, 2, 29)) == date(2038, 2, 28)


@pytest.mark.parametrize("issued_on", ["0001-01-01", "1900-01-01", "1945-09-01"])
def test_the_page_refuses_a_document_dated_before_1945_at_its_field(client, staff, issued_on):
    signed_in(client, staff[Role.RECORDS_CLERK])

    response = client.post(reverse("docs_office:incoming_register"), _form(issued_on=issued_on))

    assert response.status_code == 400
    assert response.context["form"].errors["issued_on"] == [TOO_EARLY]
    assert not IncomingDocument.objects.exists()


def test_the_page_refuses_a_deadline_more_than_ten_years_ahead_at_its_field(client, staff):
    signed_in(client, staff[Role.RECORDS_CLERK])

    response = client.post(reverse("docs_office:incoming_register"), _form(deadline="9999-12-31"))

    assert response.status_code == 400
    assert response.context["form"].errors["deadline"] == [deadline_problem(date(9999, 12, 31))]
    assert "(quá 10 năm tới)" in response.context["form"].errors["deadline"][0]


@pytest.mark.parametrize(("field", "value"), [("issued_on", "1900-01-01"), ("deadline", "9999-12-31")])
def test_the_api_refuses_them_at_their_field(staff, field, value):
    client = APIClient()
    client.force_authenticate(staff[Role.RECORDS_CLERK])
    body = {"number": "15", "symbol": "QĐ-UBND", "issuer_name": "UBND tỉnh Lạng Sơn", "document_type": "quyet-dinh",
            "issued_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "summary": "Về việc giao chỉ tiêu",
            field: value}

    response = client.post("/api/v1/incoming-documents/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert "không thể" in response.json()["error"]["fields"][field][0]


def test_the_service_refuses_them_for_any_caller(staff):
    with pytest.raises(ApplicationError) as refused:
        register_scan(staff[Role.RECORDS_CLERK], issued_on=date(1, 1, 1))
    assert refused.value.fields == {"issued_on": [TOO_EARLY]}
    with pytest.raises(ApplicationError) as refused:
        register_scan(staff[Role.RECORDS_CLERK], deadline=date(9999, 12, 31))
    assert list(refused.value.fields) == ["deadline"]


def test_an_assignment_deadline_more_than_ten_years_ahead_is_refused(staff):
    from tests.docs_office.factories import assign_to

    document = register_scan(staff[Role.RECORDS_CLERK])
    with pytest.raises(ApplicationError) as refused:
        assign_to(staff[Role.LEADER], document, lead=staff[Role.SPECIALIST], deadline=date(9999, 12, 31))
    assert refused.value.code == "invalid_deadline"


def test_an_edxml_package_with_absurd_dates_is_refused_saying_why():
    with pytest.raises(EdxmlError) as refused:
        edxml_parse(edxml_build(package(promulgation_date=date(1900, 1, 1), due_date=date(9999, 12, 31))))

    problems = refused.value.problems
    assert "Ngày ban hành (PromulgationDate) không thể trước ngày 02/09/1945." in problems
    assert any(p.startswith("Hạn xử lý (DueDate) không thể sau ngày ") for p in problems)


def _read_back(values: list) -> list:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx_build(sheet_name="Sổ", rows=[values]))).active
    return [cell.value for cell in next(sheet.iter_rows())]


@pytest.mark.parametrize("day", [date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(1945, 9, 2),
                                 date(2026, 12, 31), date(9999, 12, 31)])
def test_the_spreadsheet_reads_back_the_day_written(day):
    assert [value.date() for value in _read_back([day])] == [day]


def test_the_serials_are_the_spreadsheets_own():
    # As Excel numbers them: 1/1/1900 is 1, 28/2/1900 is 59, (the fictitious 29/2/1900 is 60), 1/3/1900 is 61.
    assert [date_serial(d) for d in (date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(2026, 1, 1))] == \
        [1, 59, 61, 46023]


def test_a_day_before_1900_is_written_as_text_not_as_a_negative_serial():
    assert date_serial(date(1, 1, 1)) is None
    assert _read_back([date(1, 1, 1), date(1899, 12, 31)]) == ["01/01/0001", "31/12/1899"]
