from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from egov.accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory
from tests.pdfs import MINIMAL_PDF

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = MINIMAL_PDF


def local(*args) -> datetime:
    return datetime(*args, tzinfo=HCM)


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Sở Tư pháp", short_name="STP", exchange_code="000.00.03.H41")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="Sở Xây dựng", short_name="SXD", exchange_code="000.00.05.H41")


@pytest.fixture
def citizen(db):
    return UserFactory(citizen=True, full_name="Đặng Văn Công")


@pytest.fixture
def head(agency):
    return UserFactory(agency=agency, roles=[Role.HEAD_OF_DIVISION], full_name="Lê Thị Lan")


@pytest.fixture
def specialist(agency):
    return UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name="Trần Văn Minh")


@pytest.fixture
def editor(agency):
    return UserFactory(agency=agency, roles=[Role.EDITOR], is_staff=True, full_name="Ngô Thị Biên")
