"""An edXML import that is refused says why in Vietnamese: where the XML breaks (line and column), and which agency
a package for someone else is addressed to."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from docs_office.edxml import Agency, EdxmlError, edxml_build, edxml_parse
from docs_office.models import IncomingDocument
from docs_office.services.edxml import incoming_import_edxml
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.test_edxml import package
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


def _problems(data: bytes) -> str:
    with pytest.raises(EdxmlError) as refused:
        edxml_parse(data)
    return " ".join(refused.value.problems)


@pytest.mark.parametrize(("data", "expected"), [
    (b"not xml", "Tệp không phải XML hợp lệ: lỗi cú pháp ở dòng 1, cột 1."),  # the tester's "syntax error: line 1, column 0"
    (b"%PDF-1.4 not xml", "Tệp không phải XML hợp lệ: có ký tự không hợp lệ ở dòng 1, cột 9."),
    (b"", "Tệp không phải XML hợp lệ: tệp rỗng hoặc bị cắt cụt ở dòng 1, cột 1."),
    (b"<?xml version='1.0'?>\n<goi>\n  <van-ban></goi>", "Tệp không phải XML hợp lệ: thẻ đóng không khớp với thẻ mở "
                                                         "ở dòng 3, cột 14."),
])
def test_xml_that_does_not_parse_is_refused_in_vietnamese_with_its_line_and_column(data, expected):
    problems = _problems(data)

    assert problems == expected
    assert "syntax error" not in problems and "line" not in problems


def test_the_import_page_shows_the_parser_problem_in_vietnamese_and_saves_nothing(client, staff):
    signed_in(client, staff[Role.RECORDS_CLERK])

    response = client.post(reverse("docs_office:incoming_import"),
                           {"file": SimpleUploadedFile("goi.xml", b"not xml at all")})

    assert response.status_code == 400
    assert "Tệp không phải XML hợp lệ: lỗi cú pháp ở dòng 1, cột 1." in response.content.decode()
    assert IncomingDocument.objects.count() == 0


def test_a_package_for_another_agency_names_the_agency_it_is_addressed_to(staff, agency):
    data = edxml_build(package(recipients=[Agency("000.00.04.H41", "Sở Tài chính tỉnh Lạng Sơn")]))

    with pytest.raises(ApplicationError) as refused:
        incoming_import_edxml(clerk=staff[Role.RECORDS_CLERK], data=data)

    assert refused.value.code == "not_addressed"
    assert str(refused.value.message) == ("Gói edXML gửi cho Sở Tài chính tỉnh Lạng Sơn (000.00.04.H41), không phải "
                                          f"cơ quan của bạn ({agency.exchange_code}).")
    assert refused.value.fields == {"file": ["Sai nơi nhận: gói tin gửi cho Sở Tài chính tỉnh Lạng Sơn (000.00.04.H41)."]}
    assert IncomingDocument.objects.count() == 0
