import pytest

from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.services.catalogue import procedure_upsert
from tests.factories import AgencyFactory, UserFactory
from tests.pdfs import MINIMAL_PDF


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


PDF_BYTES = MINIMAL_PDF


def pdf_file(name="giay-chung-sinh.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


BIRTH_POST = {"dia_chi": "Phường Đông Kinh, Lạng Sơn", "quan_he": "cha", "ho_ten_tre": "Đặng Minh An",
              "ngay_sinh": "2026-11-01", "gioi_tinh": "nam", "noi_sinh": "Bệnh viện Đa khoa tỉnh",
              "ho_ten_me": "Vi Thị Mai", "so_dinh_danh_me": "020195004321"}


@pytest.fixture
def online_birth(birth_procedure):
    from one_stop.selectors import procedure_version_current
    from public_services.demo_forms import BIRTH_REGISTRATION
    from public_services.services import procedure_form_set

    procedure_form_set(version=procedure_version_current(procedure=birth_procedure), form=BIRTH_REGISTRATION)
    return birth_procedure


@pytest.fixture
def desk(commune):
    from egov.accounts.roles import Role

    return {role: UserFactory(agency=commune, roles=[role]) for role in
            (Role.ONE_STOP_CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER)}


@pytest.fixture
def submitted(online_birth, commune, citizen):
    """A birth registration the citizen submitted online, with its PDF."""
    from public_services.services import portal_draft_save, portal_submit

    outcome = portal_draft_save(citizen=citizen, procedure=online_birth, form_data=BIRTH_POST, agency_id=commune.pk,
                                uploads=[("giay_chung_sinh", pdf_file())])
    assert outcome.errors == {}
    return portal_submit(dossier=outcome.dossier, citizen=citizen)
