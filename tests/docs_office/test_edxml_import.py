"""Importing an edXML package: values too long for their columns and unsafe attachments are refused with their
reasons (a 400, nothing saved), and a stored attachment is served only as what its content is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from docs_office.edxml import Agency, EdxmlError, edxml_build, edxml_parse
from docs_office.models import IncomingDocument
from egov.accounts.roles import Role
from tests.docs_office.test_edxml import package
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db

OVERLONG = dict(code_number="1" * 40, document_id="000.00.00.H41," + "x" * 286, code_notation="Q" * 100,
                signer_name="Hoàng Văn Nam " * 15, sender=Agency("000.00.00.H41", "Ủy ban nhân dân " * 20))


def _for(agency, **overrides) -> bytes:
    return edxml_build(package(recipients=[Agency(agency.exchange_code, agency.name)], **overrides))


def _each_overlong_field_is_named(problems: list[str]) -> None:
    text = " ".join(problems)
    for expected in ("Số văn bản (CodeNumber) dài 40 ký tự, vượt quá 20 ký tự cho phép.",
                     "Mã văn bản (DocumentId) dài 300 ký tự, vượt quá 200 ký tự cho phép.",
                     "Ký hiệu văn bản (CodeNotation) dài 100 ký tự, vượt quá 60 ký tự cho phép.",
                     "Họ tên người ký dài 209 ký tự, vượt quá 150 ký tự cho phép.",
                     "Tên cơ quan của nơi gửi (OrganName) dài 319 ký tự, vượt quá 255 ký tự cho phép."):
        assert expected in text, text


def test_the_parser_reports_every_value_longer_than_its_column():
    with pytest.raises(EdxmlError) as refused:
        edxml_parse(edxml_build(package(**OVERLONG)))
    _each_overlong_field_is_named(refused.value.problems)


def test_values_at_their_columns_length_are_accepted():
    at_limit = package(code_number="1" * 20, code_notation="Q" * 60, signer_name="N" * 150,
                       document_id="d" * 200, sender=Agency("000.00.00.H41", "U" * 255))
    assert edxml_parse(edxml_build(at_limit)) == at_limit


def test_an_overlong_package_uploaded_on_the_page_is_refused_with_each_reason(client, staff, agency):
    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.post(reverse("docs_office:incoming_import"),
                           {"file": SimpleUploadedFile("goi.xml", _for(agency, **OVERLONG))})
    assert response.status_code == 400
    _each_overlong_field_is_named([response.content.decode()])
    assert IncomingDocument.objects.count() == 0


def test_an_overlong_package_posted_to_the_api_is_a_400_with_each_reason(staff, agency):
    api = APIClient()
    api.force_authenticate(staff[Role.RECORDS_CLERK])
    response = api.post("/api/v1/incoming-documents/import-edxml/",
                        {"file": SimpleUploadedFile("goi.xml", _for(agency, **OVERLONG))}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_edxml"
    _each_overlong_field_is_named(response.json()["error"]["fields"]["file"])
    assert IncomingDocument.objects.count() == 0


# The attachment: kept under a name of the portal's, served as what its content is.

POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"


def _imported_on_the_page(client, clerk, agency, **overrides):
    signed_in(client, clerk)
    response = client.post(reverse("docs_office:incoming_import"),
                           {"file": SimpleUploadedFile("goi.xml", _for(agency, **overrides))})
    return response, IncomingDocument.objects.filter(agency=agency).first()


@pytest.mark.parametrize("name", ["evil.html", "../../../../x.pdf", "", "a" * 300 + ".pdf"])
def test_the_attachment_is_stored_under_a_name_of_its_type_whatever_the_package_calls_it(client, staff, agency,
                                                                                          name):
    response, document = _imported_on_the_page(client, staff[Role.RECORDS_CLERK], agency, attachment=POLYGLOT,
                                                attachment_name=name)
    assert response.status_code == 302, response.content.decode()[:2000]
    directory, _slash, stored = document.file.name.rpartition("/")
    assert directory.startswith("docs_office/incoming/") and ".." not in directory
    assert stored.startswith("van-ban-den") and stored.endswith(".pdf")
    with document.file.open("rb") as handle:
        assert handle.read() == POLYGLOT


def test_a_stored_attachment_is_served_as_a_pdf_never_as_html(client, staff, agency):
    _response, document = _imported_on_the_page(client, staff[Role.RECORDS_CLERK], agency, attachment=POLYGLOT,
                                                attachment_name="evil.html")
    served = client.get(reverse("docs_office:incoming_file", args=[document.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == f'inline; filename="van-ban-den-{document.pk}.pdf"'
    assert b"".join(served.streaming_content) == POLYGLOT


def test_an_attachment_that_is_no_pdf_is_refused_with_its_reason(client, staff, agency):
    response, document = _imported_on_the_page(client, staff[Role.RECORDS_CLERK], agency,
                                                attachment=b"<html><script>alert(1)</script></html>",
                                                attachment_name="van-ban.pdf")
    assert response.status_code == 400
    assert "Tệp đính kèm không phải PDF." in response.content.decode()
    assert document is None


def test_a_file_stored_before_under_a_dangerous_name_is_served_by_its_content(client, staff):
    """Files kept before the import chose their names: the page and the API both go by the content."""
    from django.core.files.base import ContentFile

    clerk = staff[Role.RECORDS_CLERK]
    from tests.docs_office.factories import register_scan

    pdf, html = register_scan(clerk, number="1"), register_scan(clerk, number="2")
    IncomingDocument.objects.filter(pk=pdf.pk).update(file=pdf.file.storage.save("old/evil.html",
                                                                                  ContentFile(POLYGLOT)))
    IncomingDocument.objects.filter(pk=html.pk).update(file=html.file.storage.save("old/evil.pdf",
                                                                                    ContentFile(b"<html>x</html>")))
    signed_in(client, clerk)
    api = APIClient()
    api.force_authenticate(clerk)
    for served in (client.get(reverse("docs_office:incoming_file", args=[pdf.pk])),
                   api.get(f"/api/v1/incoming-documents/{pdf.pk}/file/")):
        assert (served.status_code, served["Content-Type"], served["X-Content-Type-Options"]) == (
            200, "application/pdf", "nosniff")
    for served in (client.get(reverse("docs_office:incoming_file", args=[html.pk])),
                   api.get(f"/api/v1/incoming-documents/{html.pk}/file/")):
        assert (served.status_code, served["Content-Type"]) == (200, "application/octet-stream")
        assert served["Content-Disposition"] == f'attachment; filename="van-ban-den-{html.pk}.bin"'


@pytest.mark.parametrize("pages", ["²", "99999999999", "0", "10001"])
def test_a_page_count_that_is_no_register_s_number_is_refused(pages):
    """'²' reached int() (a ValueError); thousands of pages reached the database (integer out of range)."""
    built = edxml_build(package(page_count=7)).replace(b"<edXML:PageAmount>7<", f"<edXML:PageAmount>{pages}<".encode())
    with pytest.raises(EdxmlError) as refused:
        edxml_parse(built)
    assert any("Số trang không hợp lệ" in problem for problem in refused.value.problems)


def test_a_document_promulgated_after_the_day_it_arrives_is_refused():
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.localdate() + timedelta(days=3)
    with pytest.raises(EdxmlError) as refused:
        edxml_parse(edxml_build(package(promulgation_date=later)))
    assert any("sau ngày nhận gói" in problem for problem in refused.value.problems)
