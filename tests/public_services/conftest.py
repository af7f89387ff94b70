import pytest

from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.services.catalogue import procedure_upsert
from tests.factories import AgencyFactory, UserFactory


def make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh", **fields):
    data = ProcedureData(code=code, name=name, **{"field": "Hộ tịch", "levels": ["commune"], **fields})
    return procedure_upsert(data=data)[0]


@pytest.fixture
def birth_procedure(db):
    return make_procedure(
        online_level="partial", processing_days=1, fee_vnd=0, fee_text="Miễn phí", agency="Ủy ban nhân dân cấp xã",
        result="Giấy khai sinh", legal_basis="Luật Hộ tịch 2014",
        required_documents=[RequiredDocument(name="Tờ khai đăng ký khai sinh", copies="1 bản chính",
                                             form="Mau To khai.docx"),
                            RequiredDocument(name="Giấy chứng sinh", copies="1 bản chính, 02 bản sao")],
        source_url="https://dichvucong.gov.vn/p/1")


@pytest.fixture
def commune(db):
    return AgencyFactory(commune=True, name="Ủy ban nhân dân Phường Đông Kinh")


@pytest.fixture
def citizen(db):
    return UserFactory(citizen=True, full_name="Đặng Văn Công")


@pytest.fixture
def other_citizen(db):
    return UserFactory(citizen=True, full_name="Người Khác")
