"""Receiving an online dossier: the checklist (and form 01) holds what the applicant supplied, matched by the
requirement each file was uploaded for, and what the desk ticks — never every required document by default."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.documents import dossier_document_add
from one_stop.services.dossiers import dossier_act, dossier_draft_create, dossier_submit
from tests.factories import UserFactory
from tests.one_stop.factories import at_local
from tests.pdfs import MINIMAL_PDF

pytestmark = pytest.mark.django_db

PDF = MINIMAL_PDF
NAMES = ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Văn bản ủy quyền", "Giấy tờ tùy thân", "Giấy tờ cư trú"]


@pytest.fixture
def five_documents(db):
    return procedure_upsert(data=ProcedureData(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch", processing_days=5,
        required_documents=[RequiredDocument(name=name, copies="1 bản chính") for name in NAMES],
        form={"version": 1, "sections": [], "uploads": [
            {"name": "giay_chung_sinh", "label": "Giấy chứng sinh", "required": True}]}),
        effective_from=at_local(2025, 7, 1, 0, 0))[0]


@pytest.fixture
def submitted(five_documents, agency):
    """Two of five documents uploaded online: the declaration by its name, the birth certificate by its form slot."""
    citizen = UserFactory(citizen=True, full_name="Hoàng Thị Lan", national_id="020195004321")
    draft = dossier_draft_create(citizen=citizen, procedure=five_documents, handling_agency=agency)
    for requirement in ("Tờ khai đăng ký  khai sinh", "giay_chung_sinh"):
        dossier_document_add(dossier=draft, user=citizen, requirement=requirement,
                             file=SimpleUploadedFile("tep.pdf", PDF, content_type="application/pdf"))
    return dossier_submit(dossier=draft, citizen=citizen)


def _ticks(dossier):
    dossier.refresh_from_db()
    return [item["received"] for item in dossier.checklist]


def test_receiving_from_the_inbox_ticks_only_what_was_uploaded(staff, submitted):
    dossier = dossier_act(dossier=submitted, user=staff[Role.ONE_STOP_CLERK], action="receive")
    assert _ticks(dossier) == [True, True, False, False, False]


def test_the_dossier_page_proposes_the_uploads_and_receives_what_the_clerk_ticks(client, staff, submitted):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    page = client.get(f"/mot-cua/ho-so/{submitted.code}/").content.decode()
    form = page[page.index('data-action="receive"') - 3000:page.index('data-action="receive"')]
    assert 'name="checklist_shown"' in form
    assert 'value="0" checked' in form and 'value="1" checked' in form and 'value="2" checked' not in form
    response = client.post(f"/mot-cua/ho-so/{submitted.code}/thao-tac/receive/",
                           {"checklist_shown": "1", "received": ["0", "3", "²", "99"]})
    assert response.status_code == 302
    assert _ticks(submitted) == [True, False, False, True, False]


def test_the_api_receives_with_the_documents_found_complete(client, staff, submitted):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.post(f"/api/v1/dossiers/{submitted.code}/actions/receive/", {"received": [1, 2]},
                           content_type="application/json")
    assert response.status_code == 200
    assert [item["received"] for item in response.json()["checklist"]] == [False, True, True, False, False]


def test_a_slot_names_the_catalogue_document_it_supplies_by_the_beginning_of_its_name(staff, agency):
    """The national catalogue's names are sentences ("Giấy chứng sinh; trường hợp không có…"): a slot's "document"
    gives their beginning, so the birth certificate and the authorisation are ticked, and nothing else."""
    catalogue = ["Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản "
                 "của người làm chứng xác nhận về việc sinh", "Văn bản ủy quyền (được chứng thực) theo quy định",
                 "Văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản"]
    procedure = procedure_upsert(data=ProcedureData(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch", processing_days=5,
        required_documents=[RequiredDocument(name=name, copies="1 bản chính") for name in catalogue],
        form={"version": 1, "sections": [], "uploads": [
            {"name": "giay_chung_sinh", "label": "Giấy chứng sinh (hoặc văn bản xác nhận việc sinh)",
             "document": "giấy chứng  sinh"},
            {"name": "uy_quyen", "label": "Văn bản ủy quyền", "document": "Văn bản ủy quyền"},
            {"name": "khac", "label": "Giấy tờ khác", "document": "Văn bản"}]}),  # nothing uploaded in it
        effective_from=at_local(2025, 7, 1, 0, 0))[0]
    citizen = UserFactory(citizen=True, full_name="Hoàng Thị Lan", national_id="020195004321")
    draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    for slot in ("giay_chung_sinh", "uy_quyen"):
        dossier_document_add(dossier=draft, user=citizen, requirement=slot,
                             file=SimpleUploadedFile("tep.pdf", PDF, content_type="application/pdf"))
    dossier = dossier_act(dossier=dossier_submit(dossier=draft, citizen=citizen), user=staff[Role.ONE_STOP_CLERK],
                          action="receive")
    assert _ticks(dossier) == [False, True, True, False]


def test_a_slots_document_must_be_text():
    from public_services.forms.schema import form_schema_errors

    errors = form_schema_errors({"version": 1, "sections": [], "uploads": [{"name": "a", "label": "A", "document": 5}]})
    assert "uploads[0].document" in " ".join(errors)
