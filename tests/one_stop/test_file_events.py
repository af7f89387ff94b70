"""A file added to (or removed from) a dossier after its draft is an event of its history: who, when, which file —
on the dossier page, the control slip's data and the API; the applicant reads their own files' events, not the
staff's (an unapproved result is not theirs)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egov.accounts.roles import Role
from one_stop.constants import DocumentKind
from one_stop.constants import DossierState as S
from one_stop.services.documents import dossier_document_add, dossier_document_delete
from one_stop.services.dossiers import dossier_act, dossier_draft_create, dossier_submit
from public_services.selectors import citizen_history
from tests.factories import UserFactory
from tests.pdfs import MINIMAL_PDF

PDF = MINIMAL_PDF

pytestmark = pytest.mark.django_db


def pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def citizen():
    return UserFactory(citizen=True, full_name="Hoàng Thị Lan", national_id="020195004321")


@pytest.fixture
def online(citizen, procedure, agency):
    draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    dossier_document_add(dossier=draft, user=citizen, file=pdf("to-khai.pdf"), requirement="Tờ khai")
    return dossier_submit(dossier=draft, citizen=citizen)


def _file_events(dossier):
    return list(dossier.events.filter(action__contains="file_").values_list("action", "actor_id", "note", "to_state"))


def test_a_drafts_files_are_not_events_the_staffs_and_the_supplements_are(staff, citizen, online):
    assert _file_events(online) == []  # the draft's file is part of the submission, its own event
    clerk, specialist = staff[Role.ONE_STOP_CLERK], staff[Role.SPECIALIST]
    dossier = dossier_act(dossier=online, user=clerk, action="request_supplement", note="Thiếu giấy chứng sinh")
    dossier_document_add(dossier=dossier, user=citizen, file=pdf("chung-sinh.pdf"), kind=DocumentKind.SUPPLEMENT,
                         requirement="Giấy chứng sinh")
    extra = dossier_document_add(dossier=dossier, user=citizen, file=pdf("nham.pdf"), kind=DocumentKind.SUPPLEMENT)
    dossier_document_delete(document=extra, user=citizen)
    dossier.refresh_from_db()
    from one_stop.services.dossiers import dossier_supplement_submit

    dossier = dossier_supplement_submit(dossier=dossier, citizen=citizen)
    dossier = dossier_act(dossier=dossier, user=clerk, action="receive")
    dossier = dossier_act(dossier=dossier, user=specialist, action="start")
    dossier_document_add(dossier=dossier, user=specialist, file=pdf("ket-qua.pdf"), kind=DocumentKind.RESULT)
    assert _file_events(dossier) == [
        ("applicant_file_add", citizen.pk, "chung-sinh.pdf (Giấy chứng sinh)", S.SUPPLEMENT_REQUESTED),
        ("applicant_file_add", citizen.pk, "nham.pdf", S.SUPPLEMENT_REQUESTED),
        ("applicant_file_delete", citizen.pk, "nham.pdf", S.SUPPLEMENT_REQUESTED),
        ("file_add", specialist.pk, "Kết quả giải quyết: ket-qua.pdf", S.IN_PROGRESS),
    ]
    staff_event = dossier.events.get(action="file_add")
    assert staff_event.agency_id == specialist.agency_id and staff_event.due_at == dossier.due_at
    # The applicant reads their own files' events with the file's name, never the staff's addition.
    shown = citizen_history(dossier.events.select_related("agency"))
    mine = [(event.action, event.citizen_note) for event in shown if "file_" in event.action]
    assert mine == [("applicant_file_add", "chung-sinh.pdf (Giấy chứng sinh)"), ("applicant_file_add", "nham.pdf"),
                    ("applicant_file_delete", "nham.pdf")]


def test_a_refused_addition_records_nothing(staff, online):
    outsider = UserFactory(agency=None, roles=[])
    from egov.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        dossier_document_add(dossier=online, user=outsider, file=pdf("x.pdf"))
    with pytest.raises(ApplicationError):  # the wrong type, by its content
        dossier_document_add(dossier=online, user=staff[Role.ONE_STOP_CLERK],
                             file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"))
    assert _file_events(online) == []


def test_the_counters_scans_belong_to_the_receipt(staff, procedure, client):
    from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter

    clerk = staff[Role.ONE_STOP_CLERK]
    dossier = dossier_receive_at_counter(
        clerk=clerk, procedure=procedure, channel="counter", scans=[("Tờ khai", pdf("to-khai.pdf"))],
        applicant=ApplicantData(full_name="Lê Văn Tư", id_number="020095001111", phone="0912000111",
                                address="Lạng Sơn"))
    assert list(dossier.events.values_list("action", flat=True)) == ["receive"]
    assert dossier.documents.count() == 1
    # A scan the clerk adds afterwards, from the dossier page, is an event the page shows with its file's name.
    client.force_login(clerk)
    answer = client.post(reverse("one_stop_staff:upload", args=[dossier.code, DocumentKind.SUBMITTED]),
                         {"file": pdf("giay-uy-quyen.pdf"), "requirement": "Giấy ủy quyền"})
    assert answer.status_code == 302
    page = client.get(reverse("one_stop_staff:dossier", args=[dossier.code])).content.decode()
    assert "Thêm tệp" in page and "Thành phần hồ sơ: giay-uy-quyen.pdf (Giấy ủy quyền)" in page
