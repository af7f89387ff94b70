import pytest

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData
from one_stop.services.catalogue import procedure_upsert
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local


@pytest.fixture
def procedure(db):
    return procedure_upsert(data=ProcedureData(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch",
                                               processing_days=5),
                            effective_from=at_local(2025, 7, 1, 0, 0))[0]


@pytest.fixture
def agency(db):
    return AgencyFactory(exchange_code="000.00.00.H41", commune=True)


@pytest.fixture
def staff(agency):
    return {role: UserFactory(agency=agency, roles=[role]) for role in
            (Role.ONE_STOP_CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER, Role.RECORDS_CLERK)}


@pytest.fixture(autouse=True)
def _fresh_tab_counts():
    # The queue tabs' counts are kept per process by the queue's version (one_stop.views): each test starts afresh.
    from one_stop import views

    views._tab_counts_kept.clear()
