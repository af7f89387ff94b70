"""Outgoing documents with appendices: PDFs added to the draft, each signed at issue by the agency without image,
top right of page 1, with number, symbol and time (Decree 30, appendix I), on the clerk's one confirmation; then
delivered with the document, inside the system and in edXML packages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from docs_office.constants import DeliveryState, OutgoingState
from docs_office.edxml import edxml_parse
from docs_office.models import IncomingDocument
from docs_office.services.attachments import ATTACHMENT_FIELD, outgoing_attachment_add
from docs_office.services.edxml import incoming_import_edxml, outgoing_edxml_export
from docs_office.services.exchange import exchange_send
from docs_office.services.outgoing import outgoing_issue, outgoing_sign_request
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from signatures.constants import SignatureState
from tests.docs_office.factories import TINY_PDF
from tests.docs_office.signing import certificates_for, confirm, decision_pdf
from tests.docs_office.test_api import client_for
from tests.docs_office.test_outgoing import approved, draft, issued_unsigned
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def appendix(name="phu-luc-1.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, decision_pdf(), content_type="application/pdf")


def test_the_drafter_adds_appendix_pdfs_and_the_history_says_so(staff):
    document = draft(staff)
    attachments = outgoing_attachment_add(user=staff[Role.SPECIALIST], document=document,
                                          uploads=[appendix("Phụ lục I.pdf"), appendix("Phụ lục II.pdf")])
    assert [a.original_name for a in attachments] == ["Phụ lục I.pdf", "Phụ lục II.pdf"]
    assert attachments[0].size == len(decision_pdf()) and not attachments[0].signed_file
    event = document.events.order_by("-id").first()
    assert (event.action, event.note) == ("attachment_add", "Phụ lục I.pdf, Phụ lục II.pdf")


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("bang.docx", b"PK\x03\x04junk"), "không đúng định dạng cho phép (PDF)"),
    (SimpleUploadedFile("hong.pdf", b"%PDF-1.4\ngarbage"), "là tệp PDF hỏng hoặc không đầy đủ"),
])
def test_an_appendix_that_is_no_readable_pdf_is_refused_in_vietnamese(staff, upload, message):
    document = draft(staff)
    with pytest.raises(ApplicationError) as refused:
        outgoing_attachment_add(user=staff[Role.SPECIALIST], document=document, uploads=[upload])
    assert refused.value.status == 400
    assert message in refused.value.fields["attachments"][0]
    assert document.attachments.count() == 0


def test_appendices_are_closed_once_the_leader_approved_and_to_others_than_the_holder(staff):
    document = draft(staff)
    with pytest.raises(ApplicationError) as refused:
        outgoing_attachment_add(user=staff[Role.LEADER], document=document, uploads=[appendix()])
    assert refused.value.status == 403
    document = approved(staff)
    with pytest.raises(ApplicationError) as refused:
        outgoing_attachment_add(user=staff[Role.SPECIALIST], document=document, uploads=[appendix()])
    assert refused.value.status == 409


@pytest.fixture
def issued_with_appendices(staff, demo_pki, other_agency, django_capture_on_commit_callbacks):
    """Two appendices; the leader signs the document, the clerk issues and confirms once."""
    leader, clerk = staff[Role.LEADER], staff[Role.RECORDS_CLERK]
    personal, seal = certificates_for(demo_pki, leader=leader, records_clerk=clerk)
    document = draft(staff, recipient_agencies=[other_agency])
    outgoing_attachment_add(user=staff[Role.SPECIALIST], document=document,
                            uploads=[appendix("Phụ lục I.pdf"), appendix("Phụ lục II.pdf")])
    from docs_office.services.outgoing import outgoing_review

    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    document = outgoing_review(user=leader, document=document, action="leader_approve")
    document = outgoing_sign_request(leader=leader, document=document, certificate=personal)
    assert confirm(document.leader_signature, leader, django_capture_on_commit_callbacks).state == SignatureState.SIGNED
    document.refresh_from_db()
    document = outgoing_issue(clerk=clerk, document=document, certificate=seal)
    attachments = list(document.attachments.all())
    assert all(a.signature.batch_id == document.agency_signature_id for a in attachments)
    assert document.state == OutgoingState.ISSUING
    request = confirm(document.agency_signature, clerk, django_capture_on_commit_callbacks)  # one code for all
    assert request.state == SignatureState.SIGNED, request.error
    document.refresh_from_db()
    return document


def test_one_confirmation_signs_every_appendix_and_then_the_document_is_sent(issued_with_appendices):
    document = issued_with_appendices
    assert document.state == OutgoingState.ISSUED
    assert [e.action for e in document.events.all()][-2:] == ["issue", "dispatch"]
    for attachment in document.attachments.select_related("signature"):
        assert attachment.signature.state == SignatureState.SIGNED, attachment.signature.error
        assert attachment.signed_file
        # Number, symbol and the ISO 8601 time, without the seal image.
        assert attachment.signature.stamp_text == {
            "lines": [document.agency.name, f"Số: {document.number_symbol}", "{time}"], "image": False}


def test_a_signed_appendix_validates_and_its_signature_sits_top_right_of_page_one(issued_with_appendices):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from signatures.verification import pdf_verify

    attachment = issued_with_appendices.attachments.first()
    with attachment.signed_file.open("rb") as handle:
        signed = handle.read()
    report = pdf_verify(signed)
    assert report.signature_count == 1
    assert report.is_valid, report.message
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    signature = next(s for s in reader.embedded_regular_signatures if s.field_name == ATTACHMENT_FIELD)
    widget = signature.sig_field
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    page = reader.root["/Pages"]["/Kids"][0].get_object()
    box = page["/MediaBox"]
    width, height = float(box[2]), float(box[3])
    assert widget["/P"].get_object() == page
    assert x2 > width * 0.6 and y2 > height * 0.9  # top right
    # No image in the stamp: its appearance draws text only.
    appearance = widget["/AP"]["/N"].get_object()
    resources = appearance.get("/Resources", {})
    assert "/Im" not in str(resources.get("/XObject", {}))


def test_pdfsig_finds_the_appendix_signature_intact(issued_with_appendices, tmp_path):
    from tests.signatures.test_signing import _pdfsig

    attachment = issued_with_appendices.attachments.first()
    path = tmp_path / "phu-luc.pdf"
    with attachment.signed_file.open("rb") as handle:
        path.write_bytes(handle.read())
    out = _pdfsig(path)
    assert "Signature is Valid" in out and "Digest Mismatch" not in out, out


def test_the_recipient_gets_the_signed_appendices_as_incoming_attachments(issued_with_appendices, other_agency):
    document = issued_with_appendices
    incoming = IncomingDocument.objects.get(agency=other_agency)
    received = list(incoming.attachments.all())
    sent = list(document.attachments.all())
    assert [a.original_name for a in received] == ["Phụ lục I.pdf", "Phụ lục II.pdf"]
    for got, signed in zip(received, sent, strict=True):
        with got.file.open("rb") as a, signed.signed_file.open("rb") as b:
            assert a.read() == b.read()
    assert document.deliveries.get().state == DeliveryState.RECEIVED


def test_the_edxml_export_carries_the_signed_appendices_and_imports_them(issued_with_appendices, staff):
    from egov.agencies.models import Agency as AgencyModel
    from tests.factories import AgencyFactory

    document = issued_with_appendices
    outside = AgencyFactory(name="Sở Y tế tỉnh Cao Bằng", exchange_code="000.00.05.H11")
    data = outgoing_edxml_export(user=document.issued_by, document=document, recipient_code=outside.exchange_code,
                                 recipient_name=outside.name)
    package = edxml_parse(data)
    signed = [a.signed_file.open("rb").read() for a in document.attachments.all()]
    assert [a.data for a in package.appendices] == signed
    assert [a.name for a in package.appendices] == ["Phụ lục I.pdf", "Phụ lục II.pdf"]
    clerk = UserFactory(agency=AgencyModel.objects.get(pk=outside.pk), roles=[Role.RECORDS_CLERK])
    incoming = incoming_import_edxml(clerk=clerk, data=data)
    assert incoming.attachments.count() == 2


def test_a_failed_appendix_signature_holds_the_document_until_it_is_signed_again(
        staff, demo_pki, other_agency, django_capture_on_commit_callbacks):
    from unittest import mock

    from signatures.services import signature_request_reopen

    leader, clerk = staff[Role.LEADER], staff[Role.RECORDS_CLERK]
    personal, seal = certificates_for(demo_pki, leader=leader, records_clerk=clerk)
    document = draft(staff, recipient_agencies=[other_agency])
    outgoing_attachment_add(user=staff[Role.SPECIALIST], document=document, uploads=[appendix()])
    from docs_office.services.outgoing import outgoing_review

    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    document = outgoing_review(user=leader, document=document, action="leader_approve")
    document = outgoing_sign_request(leader=leader, document=document, certificate=personal)
    confirm(document.leader_signature, leader, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    document = outgoing_issue(clerk=clerk, document=document, certificate=seal)
    attachment = document.attachments.get()
    real_sign = __import__("signatures.pades", fromlist=["pdf_sign"]).pdf_sign

    def fail_for_the_appendix(**kwargs):
        if kwargs["field_name"] == ATTACHMENT_FIELD:
            raise ValueError("boom")
        return real_sign(**kwargs)

    with mock.patch("signatures.services.requests.pdf_sign", side_effect=fail_for_the_appendix):
        confirm(document.agency_signature, clerk, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    attachment.refresh_from_db()
    assert attachment.signature.state == SignatureState.FAILED
    assert document.state == OutgoingState.ISSUING and document.signed_file
    assert document.events.order_by("-id").first().action == "agency_sign_failed"
    assert not IncomingDocument.objects.filter(agency=other_agency).exists()
    request = signature_request_reopen(request=attachment.signature, user=clerk)
    assert confirm(request, clerk, django_capture_on_commit_callbacks).state == SignatureState.SIGNED
    document.refresh_from_db()
    assert document.state == OutgoingState.ISSUED
    assert IncomingDocument.objects.get(agency=other_agency).attachments.count() == 1


def test_the_internal_exchange_delivers_appendices_of_a_document_issued_directly(staff, registers, other_agency):
    from django.core.files.base import ContentFile

    from docs_office.models import OutgoingAttachment

    document = issued_unsigned(staff, registers["outgoing"], recipient_agencies=[other_agency])
    attachment = OutgoingAttachment(document=document, original_name="pl.pdf", size=len(TINY_PDF),
                                    uploaded_by=staff[Role.SPECIALIST], uploaded_at=document.issued_at)
    attachment.file.save("pl.pdf", ContentFile(TINY_PDF))
    exchange_send(document=document, actor=staff[Role.RECORDS_CLERK])
    assert [a.original_name for a in IncomingDocument.objects.get(agency=other_agency).attachments.all()] == ["pl.pdf"]


def test_the_detail_page_and_the_api_list_appendices_in_constant_queries(client, staff, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    specialist = staff[Role.SPECIALIST]
    one, several = draft(staff), draft(staff)
    outgoing_attachment_add(user=specialist, document=one, uploads=[appendix()])
    outgoing_attachment_add(user=specialist, document=several, uploads=[appendix(), appendix(), appendix()])
    signed_in(client, specialist)
    client.get(reverse("docs_office:outgoing_detail", args=[one.pk]))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("docs_office:outgoing_detail", args=[one.pk]))
    assert response.content.decode().count('data-attachment="') == 1
    with django_assert_num_queries(len(captured.captured_queries)):
        response = client.get(reverse("docs_office:outgoing_detail", args=[several.pk]))
    assert response.content.decode().count('data-attachment="') == 3
    api = client_for(specialist)
    with CaptureQueriesContext(connection) as captured:
        assert len(api.get(f"/api/v1/outgoing-documents/{one.pk}/").json()["attachments"]) == 1
    with django_assert_num_queries(len(captured.captured_queries)):
        body = api.get(f"/api/v1/outgoing-documents/{several.pk}/").json()
    assert [a["signed"] for a in body["attachments"]] == [False, False, False]
    response = api.get(body["attachments"][0]["url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_page_and_the_api_add_appendices_and_refuse_a_bad_file_with_a_4xx(client, staff):
    specialist = staff[Role.SPECIALIST]
    document = draft(staff)
    signed_in(client, specialist)
    url = reverse("docs_office:outgoing_attachment_add", args=[document.pk])
    assert client.post(url, {"attachments": [appendix()]}).status_code == 302
    response = client.post(url, {"attachments": [SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n")]})
    assert response.status_code == 400 and "không đúng định dạng cho phép" in response.content.decode()
    api = client_for(specialist)
    response = api.post(f"/api/v1/outgoing-documents/{document.pk}/attachments/", {"attachments": [appendix()]},
                        format="multipart")
    assert response.status_code == 201 and len(response.json()["attachments"]) == 2
    response = api.post(f"/api/v1/outgoing-documents/{document.pk}/attachments/",
                        {"attachments": [SimpleUploadedFile("hong.pdf", b"%PDF-1.4\ngarbage")]}, format="multipart")
    assert response.status_code == 400
    assert "“hong.pdf” là tệp PDF hỏng" in response.json()["error"]["message"]


def test_a_request_joins_only_a_pending_request_of_the_same_signer(staff, demo_pki):
    from signatures.constants import SignatureRole
    from signatures.services import signature_request_create

    leader, clerk = staff[Role.LEADER], staff[Role.RECORDS_CLERK]
    personal, seal = certificates_for(demo_pki, leader=leader, records_clerk=clerk)
    document = outgoing_sign_request(leader=leader, document=approved(staff), certificate=personal)
    with pytest.raises(ApplicationError) as refused:
        signature_request_create(pdf=decision_pdf(), certificate=seal, signer=clerk, role=SignatureRole.ORGANISATION,
                                 field_name="X", title="x", batch=document.leader_signature)
    assert refused.value.code == "invalid_batch"


def test_a_draft_starts_with_its_appendices_on_the_page_and_the_api(client, staff):
    from docs_office.models import OutgoingDocument
    from tests.docs_office.factories import doc_type
    from tests.docs_office.signing import pdf_upload

    specialist = staff[Role.SPECIALIST]
    signed_in(client, specialist)
    response = client.post(reverse("docs_office:outgoing_create"), {
        "document_type": doc_type("cong-van").pk, "summary": "V/v báo cáo", "urgency": "normal",
        "confidentiality": "normal", "file": pdf_upload(), "attachments": [appendix("pl1.pdf"), appendix("pl2.pdf")]})
    assert response.status_code == 302
    assert [a.original_name for a in OutgoingDocument.objects.get().attachments.all()] == ["pl1.pdf", "pl2.pdf"]
    response = client.post(reverse("docs_office:outgoing_create"), {
        "document_type": doc_type("cong-van").pk, "summary": "V/v khác", "urgency": "normal",
        "confidentiality": "normal", "file": pdf_upload(), "attachments": [SimpleUploadedFile("x.pdf", b"%PDF-1.4\ngarbage")]})
    assert response.status_code == 400 and "là tệp PDF hỏng hoặc không đầy đủ" in response.content.decode()
    assert response.content.decode().count("là tệp PDF hỏng hoặc không đầy đủ") == 1  # at the field only
    assert OutgoingDocument.objects.count() == 1
    response = client_for(specialist).post("/api/v1/outgoing-documents/", {
        "document_type": "cong-van", "summary": "V/v báo cáo", "file": pdf_upload(), "attachments": [appendix()]},
        format="multipart")
    assert response.status_code == 201, response.json()
    assert [a["name"] for a in response.json()["attachments"]] == ["phu-luc-1.pdf"]
