"""The counter form keeps the checklist through a validation error: rebuilt from the posted procedure with the
clerk's ticks, and a word that the scans must be attached again (a browser never sends them back)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.models import Dossier
from one_stop.services.catalogue import procedure_upsert
from tests.one_stop.factories import at_local
from tests.pdfs import MINIMAL_PDF

pytestmark = pytest.mark.django_db

PDF = MINIMAL_PDF
APPLICANT = {"procedure": "1.001193", "full_name": "Đặng Văn Công", "id_number": "020095001234", "checklist_shown": "1"}


@pytest.fixture
def three_documents(db):
    return procedure_upsert(data=ProcedureData(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch", processing_days=5,
        required_documents=[RequiredDocument(name=name, copies="1 bản chính")
                            for name in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Văn bản ủy quyền")]),
        effective_from=at_local(2025, 7, 1, 0, 0))[0]


def _ticked(html):
    return sorted(int(v) for v in re.findall(r'name="received" value="(\d+)" checked', html))


def test_an_invalid_email_keeps_the_checklist_with_the_clerks_ticks_and_asks_for_the_scans_again(
        client, staff, three_documents):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.post("/mot-cua/tiep-nhan/", {**APPLICANT, "email": "khong-phai-email", "received": ["0", "2"],
                                                   "scan-0": SimpleUploadedFile("to-khai.pdf", PDF)})
    html = response.content.decode()
    assert response.status_code == 400 and not Dossier.objects.exists()
    assert "Giấy chứng sinh" in html and 'name="checklist_shown"' in html
    assert _ticked(html) == [0, 2]
    assert "Các bản quét đã chọn chưa được lưu: hãy đính kèm lại trước khi tiếp nhận." in html


def test_a_refusal_of_the_service_keeps_the_ticks_too(client, staff, three_documents):
    # The procedure's version states no time limit: the service refuses the receipt without one.
    three_documents.versions.update(processing_days=None)
    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.post("/mot-cua/tiep-nhan/", {**APPLICANT, "received": ["1"]})
    html = response.content.decode()
    assert response.status_code == 400 and _ticked(html) == [1]
    assert "đính kèm lại" not in html  # nothing was attached


def test_the_first_display_ticks_no_document(client, staff, three_documents):
    """The clerk ticks each paper handed in. Ticked in advance, optional papers ("nếu có") and a form's alternatives
    (on paper or electronic) were printed on the receipt as received (found by exploratory testing)."""
    client.force_login(staff[Role.ONE_STOP_CLERK])
    html = client.post("/mot-cua/tiep-nhan/", {k: v for k, v in APPLICANT.items() if k != "checklist_shown"}).content.decode()
    assert _ticked(html) == [] and html.count('name="received"') == 3
    assert _ticked(client.get("/mot-cua/tiep-nhan/thanh-phan/", {"procedure": "1.001193"}).content.decode()) == []


def test_non_ascii_digits_in_ticks_or_scan_names_are_ignored_not_a_server_error(client, staff, three_documents):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.post("/mot-cua/tiep-nhan/", {**APPLICANT, "received": ["0", "²", "١"],
                                                   "scan-²": SimpleUploadedFile("quet.pdf", PDF)})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert [item["received"] for item in dossier.checklist] == [True, False, False]
    assert list(dossier.documents.values_list("requirement", flat=True)) == [""]
