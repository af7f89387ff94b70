import pytest

from docs_office.constants import RegisterKind
from docs_office.models import Division
from docs_office.services.registers import register_create
from egov.accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory


def office_staff(agency):
    return {role: UserFactory(agency=agency, roles=[role]) for role in
            (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER, Role.RECORDS_CLERK)}


def office_registers(agency):
    return {"incoming": register_create(agency=agency, kind=RegisterKind.INCOMING, name="Sổ văn bản đến"),
            "outgoing": register_create(agency=agency, kind=RegisterKind.OUTGOING, name="Sổ văn bản đi")}


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Ủy ban nhân dân tỉnh Lạng Sơn", province=True, exchange_code="000.00.00.H41")


@pytest.fixture
def other_agency(db):
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Lạng Sơn", short_name="STP", exchange_code="000.00.03.H41")
    office_registers(agency)
    return agency


@pytest.fixture
def registers(agency):
    return office_registers(agency)


@pytest.fixture
def staff(agency, registers):
    return office_staff(agency)


@pytest.fixture
def division(agency, staff):
    division = Division.objects.create(agency=agency, name="Văn phòng", short_name="VP")
    division.members.add(staff[Role.SPECIALIST], staff[Role.HEAD_OF_DIVISION])
    return division


# The signing tests share the session's demo PKI (CRL, OCSP and TSA served on loopback).
from tests.signatures.conftest import demo_pki  # noqa: E402, F401
