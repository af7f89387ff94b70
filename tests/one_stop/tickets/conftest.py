import pytest

from egov.accounts.roles import Role
from one_stop.tickets.models import Counter, ServiceArea
from tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def centre(db):
    return AgencyFactory(name="Trung tâm Phục vụ hành chính công tỉnh", exchange_code="000.01.01.H41")


@pytest.fixture
def area_a(centre):
    return ServiceArea.objects.create(agency=centre, prefix="A", name="Tư pháp – Hộ tịch", position=1)


@pytest.fixture
def area_b(centre):
    return ServiceArea.objects.create(agency=centre, prefix="B", name="Đất đai – Môi trường", position=2)


def make_counter(agency, number, *areas) -> Counter:
    counter = Counter.objects.create(agency=agency, number=number)
    counter.areas.set(areas)
    return counter


@pytest.fixture
def counter(centre, area_a, area_b):
    return make_counter(centre, 1, area_a, area_b)


@pytest.fixture
def clerk(centre):
    return UserFactory(agency=centre, roles=[Role.ONE_STOP_CLERK], full_name="Nguyễn Thị Hoa")
