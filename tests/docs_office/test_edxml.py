"""edXML packages: every header field round-trips; malformed packages are refused with their reasons."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docs_office.edxml import STATUS_CODES, Agency, EdxmlError, EdxmlPackage, edxml_build, edxml_parse, edxml_status
from tests.docs_office.factories import TINY_PDF


def package(**overrides) -> EdxmlPackage:
    fields = dict(
        document_id="000.00.00.H41,2026-11-23,15/QĐ-UBND", sender=Agency("000.00.00.H41", "Ủy ban nhân dân tỉnh Lạng Sơn"),
        recipients=[Agency("000.00.03.H41", "Sở Tư pháp"), Agency("000.00.04.H41", "Sở Tài chính")],
        code_number="15", code_notation="QĐ-UBND", place="Lạng Sơn", promulgation_date=date(2026, 11, 23),
        type_code="quyet-dinh", type_name="Quyết định", subject="Về việc phê duyệt kế hoạch năm 2027 & <khác>",
        signer_competence="TM.", signer_position="Chủ tịch", signer_name="Hoàng Văn Nam", priority="very_urgent",
        page_count=3, due_date=date(2026, 12, 31), to_places=["Như Điều 3", "Lưu: VT"],
        response_for="Bộ Nội vụ,45/BNV-VP", trace=["000.00.00.H41,2026-11-23T09:00:00+07:00"],
        attachment_name="15.pdf", attachment=TINY_PDF)
    fields.update(overrides)
    return EdxmlPackage(**fields)


def test_every_field_round_trips():
    original = package()
    assert edxml_parse(edxml_build(original)) == original


def test_optional_fields_may_be_absent():
    original = package(due_date=None, page_count=None, response_for="", to_places=[], trace=[], attachment=b"",
                       attachment_name="", signer_competence="", signer_position="")
    assert edxml_parse(edxml_build(original)) == original


@settings(max_examples=40, deadline=None)
@given(subject=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200)
       .filter(lambda s: s.strip() == s and s.strip()),
       number=st.from_regex(r"\A[0-9]{1,5}\Z"))
def test_any_subject_and_number_round_trip(subject, number):
    original = package(subject=subject, code_number=number)
    assert edxml_parse(edxml_build(original)) == original


def _refusal(data: bytes) -> list[str]:
    with pytest.raises(EdxmlError) as refused:
        edxml_parse(data)
    return refused.value.problems


def test_missing_fields_are_each_reported():
    data = edxml_build(package(subject="", signer_name="", document_id=""))
    problems = " ".join(_refusal(data))
    assert "trích yếu" in problems and "người ký" in problems and "DocumentId" in problems


def test_a_bad_agency_code_is_refused():
    problems = _refusal(edxml_build(package(sender=Agency("H41", "Ủy ban"))))
    assert any("Mã định danh của nơi gửi không hợp lệ" in p for p in problems)


def test_a_bad_priority_or_date_is_refused():
    data = edxml_build(package()).replace(b"<edXML:Priority>2<", b"<edXML:Priority>9<")
    data = data.replace(b"2026-12-31", b"31/12/2026")
    problems = " ".join(_refusal(data))
    assert "Mã độ khẩn không hợp lệ" in problems and "hạn xử lý không đúng định dạng" in problems.lower()


def test_a_package_in_another_encoding_is_refused():
    data = edxml_build(package()).decode("utf-8").replace("utf-8", "windows-1258").encode("cp1258", errors="replace")
    assert "UTF-8" in " ".join(_refusal(data))


def test_not_xml_and_foreign_xml_are_refused():
    assert "XML" in _refusal(b"%PDF-1.4 not xml")[0]
    assert "edXMLEnvelope" in _refusal(b"<?xml version='1.0' encoding='utf-8'?><goi><van-ban/></goi>")[0]


def test_entity_declarations_are_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    assert "DOCTYPE" in _refusal(data)[0]


def test_an_attachment_that_is_not_a_pdf_is_refused():
    assert "không phải PDF" in " ".join(_refusal(edxml_build(package(attachment=b"MZ executable"))))


def test_the_status_message_carries_code_description_time_and_staff():
    from xml.etree import ElementTree as ET

    from docs_office.edxml import P

    data = edxml_status(document_id="x", sender=Agency("000.00.03.H41", "Sở Tư pháp"),
                        recipient=Agency("000.00.00.H41", "UBND tỉnh"), code="03", staff="Phạm Thị Thu")
    root = ET.fromstring(data)
    assert root.find(P + "StatusCode").text == "03"
    assert root.find(P + "Description").text == STATUS_CODES["03"]
    assert root.find(P + "StaffInfo").text == "Phạm Thị Thu"
    with pytest.raises(ValueError):
        edxml_status(document_id="x", sender=Agency("a", "b"), recipient=Agency("c", "d"), code="99")


def test_the_status_message_states_its_time_in_local_time():
    from datetime import UTC, datetime
    from xml.etree import ElementTree as ET

    from docs_office.edxml import P

    data = edxml_status(document_id="x", sender=Agency("000.00.03.H41", "Sở Tư pháp"),
                        recipient=Agency("000.00.00.H41", "UBND tỉnh"), code="03",
                        at=datetime(2026, 12, 6, 19, 42, 57, tzinfo=UTC))
    assert ET.fromstring(data).find(P + "Timestamp").text == "2026-12-07T02:42:57+07:00"
