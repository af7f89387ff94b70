"""Incoming documents with more than one file: appendices at registration and later, on the page and the API,
from edXML packages and from the internal exchange; secret documents keep none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from docs_office.constants import Confidentiality, IncomingState
from docs_office.edxml import Agency, EdxmlError, EdxmlFile, edxml_build, edxml_parse
from docs_office.models import IncomingAttachment, IncomingDocument
from docs_office.services.attachments import incoming_attachment_add
from docs_office.services.edxml import incoming_import_edxml
from docs_office.services.incoming import incoming_withdraw
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import TINY_PDF, assign_to, register_scan, scan
from tests.docs_office.test_api import client_for
from tests.docs_office.test_edxml import package
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def docx(name="bang-tong-hop.docx") -> SimpleUploadedFile:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def appendices(n: int) -> list[SimpleUploadedFile]:
    return [scan(f"phu-luc-{i}.pdf") for i in range(1, n + 1)]


def test_the_clerk_registers_a_scan_with_its_appendices(staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, attachments=[scan("Phụ lục I.pdf"), docx(), SimpleUploadedFile("anh.png", PNG)])
    attachments = list(document.attachments.all())
    assert [(a.original_name, a.content_type, a.uploaded_by) for a in attachments] == [
        ("Phụ lục I.pdf", "application/pdf", clerk),
        ("bang-tong-hop.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", clerk),
        ("anh.png", "image/png", clerk)]
    assert attachments[0].size == len(TINY_PDF)
    # Stored under a name of ours, never the uploader's.
    assert "Ph" not in attachments[0].file.name and attachments[1].file.name.endswith(".docx")


def test_an_appendix_of_a_type_not_accepted_is_refused_in_vietnamese_and_nothing_is_saved(staff):
    with pytest.raises(ApplicationError) as refused:
        register_scan(staff[Role.RECORDS_CLERK], attachments=[scan("a.pdf"), SimpleUploadedFile("x.html", b"<html>")])
    assert refused.value.status == 400
    assert "không đúng định dạng cho phép" in refused.value.fields["attachments"][0]
    assert IncomingDocument.objects.count() == 0 and IncomingAttachment.objects.count() == 0


@override_settings(EGOV_MAX_UPLOAD_MB=1)
def test_an_appendix_too_large_is_refused(staff):
    big = scan("lon.pdf", TINY_PDF + b"0" * (1024 * 1024))
    with pytest.raises(ApplicationError) as refused:
        register_scan(staff[Role.RECORDS_CLERK], attachments=[big])
    assert (refused.value.status, refused.value.code) == (400, "invalid_file")
    assert "quá lớn" in refused.value.message


def test_a_secret_document_keeps_no_appendix(staff):
    clerk = staff[Role.RECORDS_CLERK]
    with pytest.raises(ApplicationError) as refused:
        register_scan(clerk, confidentiality=Confidentiality.SECRET, readers=[staff[Role.LEADER]],
                      attachments=[scan()])
    assert refused.value.code == "secret_file"
    secret = register_scan(clerk, confidentiality=Confidentiality.SECRET, readers=[staff[Role.LEADER]])
    with pytest.raises(ApplicationError) as refused:
        incoming_attachment_add(clerk=clerk, document=secret, uploads=[scan()])
    assert refused.value.code == "secret_file"


def test_the_clerk_adds_an_appendix_while_the_document_is_open_and_the_history_says_so(staff):
    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    document = assign_to(leader, register_scan(clerk), lead=staff[Role.SPECIALIST])
    incoming_attachment_add(clerk=clerk, document=document, uploads=[scan("phu-luc-bo-sung.pdf")])
    assert [a.original_name for a in document.attachments.all()] == ["phu-luc-bo-sung.pdf"]
    event = document.events.order_by("-id").first()
    assert (event.action, event.actor, event.note) == ("attachment_add", clerk, "phu-luc-bo-sung.pdf")
    with pytest.raises(ApplicationError) as refused:
        incoming_attachment_add(clerk=leader, document=document, uploads=[scan()])
    assert refused.value.status == 403
    incoming_withdraw(document=document, reason="Gửi nhầm", actor=None)
    with pytest.raises(ApplicationError) as refused:
        incoming_attachment_add(clerk=clerk, document=document, uploads=[scan()])
    assert refused.value.status == 409


def test_the_detail_page_lists_the_appendices_in_a_constant_number_of_queries(client, staff,
                                                                               django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk = staff[Role.RECORDS_CLERK]
    one = register_scan(clerk, attachments=appendices(1))
    several = register_scan(clerk, number="16", attachments=appendices(3))
    signed_in(client, clerk)
    client.get(reverse("docs_office:incoming_detail", args=[one.pk]))  # the session's first page fills its caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("docs_office:incoming_detail", args=[one.pk]))
    assert response.content.decode().count('data-attachment="') == 1
    with django_assert_num_queries(len(captured.captured_queries)):
        response = client.get(reverse("docs_office:incoming_detail", args=[several.pk]))
    assert response.content.decode().count('data-attachment="') == 3


def test_an_appendix_is_served_to_whoever_sees_the_document_and_to_nobody_else(client, staff, other_agency):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, attachments=[docx()])
    attachment = document.attachments.get()
    url = reverse("docs_office:incoming_attachment_file", args=[document.pk, attachment.pk])
    signed_in(client, staff[Role.LEADER])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(staff[Role.SPECIALIST])  # not assigned: does not see the document
    assert client.get(url).status_code == 404
    signed_in(client, UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK]))
    assert client.get(url).status_code == 404
    other = register_scan(clerk, number="16")
    signed_in(client, clerk)
    assert client.get(reverse("docs_office:incoming_attachment_file", args=[other.pk, attachment.pk])).status_code == 404


def test_the_page_adds_appendices_and_shows_a_bad_file_s_reason(client, staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk)
    signed_in(client, clerk)
    url = reverse("docs_office:incoming_attachment_add", args=[document.pk])
    response = client.post(url, {"attachments": [scan("a.pdf"), scan("b.pdf")]})
    assert response.status_code == 302
    assert document.attachments.count() == 2
    response = client.post(url, {"attachments": [SimpleUploadedFile("x.exe", b"MZ\x90\0")]})
    assert response.status_code == 400
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert document.attachments.count() == 2


def test_a_bad_file_s_reason_is_said_once_at_the_field(client, staff):
    """Found by exploratory testing: the reason was above the form (.form-error) and at the field (.field-error)."""
    document = register_scan(staff[Role.RECORDS_CLERK])
    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.post(reverse("docs_office:incoming_attachment_add", args=[document.pk]),
                           {"attachments": [SimpleUploadedFile("x.exe", b"MZ\x90\0")]})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("không đúng định dạng cho phép") == 1
    assert 'id="id_attachments_error"' in page and 'class="form-error"' not in page


def test_a_damaged_pdf_is_refused_as_an_attachment_and_as_a_scan(client, staff):
    """Found by exploratory testing: "%PDF-1.4 garbage" was accepted, only its first bytes being read."""
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk)
    signed_in(client, clerk)
    response = client.post(reverse("docs_office:incoming_attachment_add", args=[document.pk]),
                           {"attachments": [SimpleUploadedFile("hong.pdf", b"%PDF-1.4\ngarbage")]})
    assert response.status_code == 400 and "là tệp PDF hỏng" in response.content.decode()
    assert document.attachments.count() == 0
    with pytest.raises(ApplicationError):
        register_scan(clerk, number="16", upload=SimpleUploadedFile("quet.pdf", b"%PDF-1.4\ngarbage"))
    assert IncomingDocument.objects.count() == 1


def test_the_register_form_takes_several_appendices(client, staff):
    from tests.docs_office.factories import doc_type

    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.post(reverse("docs_office:incoming_register"), {
        "number": "123", "symbol": "UBND-VP", "issuer_name": "Ủy ban nhân dân tỉnh Lạng Sơn", "issued_on": "2026-11-20",
        "document_type": doc_type("cong-van").pk, "summary": "V/v báo cáo kết quả", "urgency": "normal",
        "confidentiality": "normal", "file": scan(), "attachments": [scan("pl1.pdf"), docx()]})
    assert response.status_code == 302
    assert [a.original_name for a in IncomingDocument.objects.get().attachments.all()] == ["pl1.pdf", "bang-tong-hop.docx"]


def test_the_api_detail_lists_appendices_with_links_that_serve_them(staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, attachments=[scan("pl.pdf")])
    api = client_for(staff[Role.LEADER])
    body = api.get(f"/api/v1/incoming-documents/{document.pk}/").json()
    attachment = document.attachments.get()
    assert body["attachments"] == [{
        "id": attachment.pk, "name": "pl.pdf", "content_type": "application/pdf", "size": len(TINY_PDF),
        "uploaded_at": body["attachments"][0]["uploaded_at"],
        "url": f"/api/v1/incoming-documents/{document.pk}/attachments/{attachment.pk}/"}]
    response = api.get(body["attachments"][0]["url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert api.get(f"/api/v1/incoming-documents/{document.pk}/attachments/999999/").status_code == 404
    assert api.get(f"/api/v1/incoming-documents/{document.pk}/attachments/abc/").status_code == 404


def test_the_api_detail_runs_the_same_queries_for_one_or_several_appendices(staff, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk = staff[Role.RECORDS_CLERK]
    api = client_for(staff[Role.LEADER])
    one = register_scan(clerk, attachments=appendices(1))
    several = register_scan(clerk, number="16", attachments=appendices(4))
    api.get(f"/api/v1/incoming-documents/{one.pk}/")
    with CaptureQueriesContext(connection) as captured:
        assert len(api.get(f"/api/v1/incoming-documents/{one.pk}/").json()["attachments"]) == 1
    with django_assert_num_queries(len(captured.captured_queries)):
        assert len(api.get(f"/api/v1/incoming-documents/{several.pk}/").json()["attachments"]) == 4


def test_the_api_registers_with_appendices_and_adds_more(staff):
    from tests.docs_office.factories import doc_type

    api = client_for(staff[Role.RECORDS_CLERK])
    response = api.post("/api/v1/incoming-documents/", {
        "number": "5", "symbol": "UBND-VP", "issuer_name": "UBND huyện", "issued_on": "2026-11-20",
        "document_type": doc_type("cong-van").code, "summary": "V/v báo cáo", "file": scan(),
        "attachments": [scan("pl1.pdf"), scan("pl2.pdf")]}, format="multipart")
    assert response.status_code == 201, response.json()
    assert [a["name"] for a in response.json()["attachments"]] == ["pl1.pdf", "pl2.pdf"]
    pk = response.json()["id"]
    response = api.post(f"/api/v1/incoming-documents/{pk}/attachments/", {"attachments": [docx()]}, format="multipart")
    assert response.status_code == 201
    assert len(response.json()["attachments"]) == 3
    response = api.post(f"/api/v1/incoming-documents/{pk}/attachments/",
                        {"attachments": [SimpleUploadedFile("a.txt", b"hello")]}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["attachments"]
    response = api.post(f"/api/v1/incoming-documents/{pk}/attachments/", {}, format="multipart")
    assert response.status_code == 400


def test_an_edxml_package_keeps_every_appendix(staff, agency):
    data = edxml_build(package(recipients=[Agency(agency.exchange_code, agency.name)], appendices=[
        EdxmlFile("Phụ lục I.pdf", TINY_PDF), EdxmlFile("Phụ lục II.png", PNG)]))
    document = incoming_import_edxml(clerk=staff[Role.RECORDS_CLERK], data=data)
    assert document.state == IncomingState.RECEIVED
    assert [(a.original_name, a.content_type) for a in document.attachments.all()] == [
        ("Phụ lục I.pdf", "application/pdf"), ("Phụ lục II.png", "image/png")]
    with document.attachments.first().file.open("rb") as handle:
        assert handle.read() == TINY_PDF


def test_the_appendices_round_trip_through_the_package():
    original = package(appendices=[EdxmlFile("pl1.pdf", TINY_PDF), EdxmlFile("pl2.pdf", TINY_PDF + b"2")])
    assert edxml_parse(edxml_build(original)) == original


def test_a_bad_appendix_in_a_package_is_refused_with_its_position():
    import base64
    from xml.etree import ElementTree as ET

    from docs_office.edxml import P

    root = ET.fromstring(edxml_build(package(appendices=[EdxmlFile("a.pdf", TINY_PDF)])))
    body = root.find(f"{P}edXMLBody")
    bad = ET.SubElement(body, P + "Attachment")
    bad.text = base64.b64encode(b"<html>").decode()
    worse = ET.SubElement(body, P + "Attachment")
    worse.text = "not base64!"
    with pytest.raises(EdxmlError) as refused:
        edxml_parse(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    assert refused.value.problems == ["Tệp phụ lục thứ 2 không phải PDF, JPEG, PNG hoặc DOCX.",
                                      "Tệp phụ lục thứ 3 không đúng mã hóa base64."]
