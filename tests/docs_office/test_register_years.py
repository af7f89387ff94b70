"""The lists print a register for any year it has numbered in, not only the current one."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from docs_office.services.registers import register_number_allocate
from egov.accounts.roles import Role
from tests.docs_office.factories import at_local, register_scan
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(staff):
    year = timezone.localdate().year - 1
    register_scan(staff[Role.RECORDS_CLERK], when=at_local(year, 3, 2, 9), issued_on=date(year, 3, 1), number="3")
    register_scan(staff[Role.RECORDS_CLERK], number="4")
    return year


def test_the_incoming_list_offers_the_years_its_register_numbered_in(client, staff, registers, last_year):
    signed_in(client, staff[Role.RECORDS_CLERK])
    page = client.get(reverse("docs_office:incoming_list")).content.decode()
    this_year = last_year + 1
    assert f'<option value="{this_year}" selected>{this_year}</option><option value="{last_year}">' in page
    assert reverse("docs_office:register_export", args=[registers["incoming"].pk, this_year]) in page
    page = client.get(reverse("docs_office:incoming_list"), {"nam": str(last_year), "q": "cai cach"}).content.decode()
    assert reverse("docs_office:register_export", args=[registers["incoming"].pk, last_year]) in page
    assert reverse("docs_office:register_export_xlsx", args=[registers["incoming"].pk, last_year]) in page
    assert '<input type="hidden" name="q" value="cai cach">' in page


def test_a_year_without_a_register_is_said_and_the_current_year_shown(client, staff, registers, last_year):
    signed_in(client, staff[Role.LEADER])
    for asked in ("1999", "abc", "²"):
        response = client.get(reverse("docs_office:incoming_list"), {"nam": asked})
        page = response.content.decode()
        assert response.status_code == 200
        assert f"Không có sổ văn bản năm {asked}" in page
        assert f'data-registers-year="{last_year + 1}"' in page


def test_the_outgoing_list_offers_the_years_of_its_registers(client, staff, registers):
    year = timezone.localdate().year - 2
    register_number_allocate(register=registers["outgoing"], at=at_local(year, 6, 1, 8))
    signed_in(client, staff[Role.RECORDS_CLERK])
    page = client.get(reverse("docs_office:outgoing_list")).content.decode()
    assert f'<option value="{year}">{year}</option>' in page
    page = client.get(reverse("docs_office:outgoing_list"), {"nam": str(year)}).content.decode()
    assert reverse("docs_office:register_export_xlsx", args=[registers["outgoing"].pk, year]) in page


def test_last_years_register_exports(client, staff, registers, last_year):
    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.get(reverse("docs_office:register_export_xlsx", args=[registers["incoming"].pk, last_year]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-{last_year}.xlsx"')


def test_a_specialist_sees_no_register_year(client, staff, last_year):
    signed_in(client, staff[Role.SPECIALIST])
    page = client.get(reverse("docs_office:incoming_list"), {"nam": "1999"}).content.decode()
    assert 'name="nam"' not in page and "Không có sổ văn bản năm" not in page
