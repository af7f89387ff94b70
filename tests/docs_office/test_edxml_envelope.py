"""The whole envelope (Decree 30 appendix VI metadata) reaches the recipient: an edXML export imported elsewhere
keeps every field of its package, the exchange inside the system carries the same, malformed values are refused
with their reasons, and the acknowledgments of receipt are ready without a further step."""

import dataclasses
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.constants import OutgoingState
from docs_office.edxml import (
    Agency,
    EdxmlError,
    EdxmlPackage,
    edxml_build,
    edxml_parse,
    edxml_status_parse,
    trace_hop_line,
)
from docs_office.models import IncomingDocument, OutgoingDocument
from docs_office.pdf.compose import Composition, signer_competence
from docs_office.services.edxml import (
    incoming_import_edxml,
    incoming_status_message,
    outgoing_edxml_export,
    outgoing_edxml_package,
)
from docs_office.services.outgoing import outgoing_create, outgoing_review
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import TINY_PDF, doc_type, register_scan
from tests.docs_office.signing import pdf_upload
from tests.docs_office.test_edxml import package
from tests.docs_office.test_outgoing import issued_unsigned
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_keeps_every_field(incoming: IncomingDocument, sent: EdxmlPackage) -> None:
    """Each field of the package against what the incoming document kept of it; a field added to the package and
    not compared here fails the test."""
    compared = {
        "document_id": incoming.external_id == sent.document_id,
        "sender": (incoming.external_sender_code, incoming.issuer_name) == (sent.sender.code, sent.sender.name),
        "recipients": incoming.agency.exchange_code in {r.code for r in sent.recipients},
        "code_number": incoming.number == sent.code_number,
        "code_notation": incoming.symbol == sent.code_notation,
        "place": incoming.place == sent.place,
        "promulgation_date": incoming.issued_on == sent.promulgation_date,
        "type_code": incoming.document_type.code == sent.type_code,
        "type_name": incoming.document_type.name == sent.type_name,
        "subject": incoming.summary == sent.subject,
        "signer_competence": incoming.signer_competence == sent.signer_competence,
        "signer_position": incoming.signer_position == sent.signer_position,
        "signer_name": incoming.signer_name == sent.signer_name,
        "priority": incoming.urgency == sent.priority,
        "page_count": incoming.page_count == sent.page_count,
        "due_date": incoming.deadline == sent.due_date,
        "to_places": incoming.to_places == sent.to_places,
        # ResponseFor names a letter of the recipient's: kept as the link to it (none here: it answers nothing).
        "response_for": (incoming.in_reply_to is None) == (not sent.response_for),
        # The sender's route, then the recipient's own hop: its code at the time the document arrived.
        "trace": incoming.trace == [*sent.trace, trace_hop_line(incoming.agency.exchange_code, incoming.received_at)],
        "attachment_name": True,  # the sender's say-so: the file is stored under a name of ours (test_edxml_import)
        "attachment": incoming.file.open("rb").read() == sent.attachment,
        "appendices": [(a.original_name, a.file.open("rb").read()) for a in incoming.attachments.all()]
        == [(f.name, f.data) for f in sent.appendices],
    }
    assert set(compared) == {f.name for f in dataclasses.fields(EdxmlPackage)}
    assert [name for name, kept in compared.items() if not kept] == []


def _composed_issued(staff, register, **extra) -> OutgoingDocument:
    """A decision composed on the system (signed KT. by the deputy), put in the issued state without the signing
    ceremony, with an appendix."""
    composition = Composition(body="Ủy ban nhân dân tỉnh quyết định.", place="Lạng Sơn", signer_title="Phó Chủ tịch",
                              signer_name="Hoàng Văn Nam", signer_prefix="KT.", head_title="Chủ tịch")
    document = outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type("quyet-dinh"),
                               summary="Về việc phê duyệt kế hoạch năm 2027", composition=composition,
                               recipients_text="- Như Điều 3;\nLưu: VT, VP.",
                               reply_due_on=timezone.localdate() + timedelta(days=10),
                               attachments=[pdf_upload("Phụ lục I.pdf")], **extra)
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    outgoing_review(user=staff[Role.LEADER], document=document, action="leader_approve")
    document.signed_file.save("da-ky.pdf", ContentFile(TINY_PDF), save=False)
    OutgoingDocument.objects.filter(pk=document.pk).update(
        state=OutgoingState.ISSUED, register=register, number=12, year=2026, symbol="QĐ-UBND",
        issued_at=timezone.now() - timedelta(hours=1), issued_by=staff[Role.RECORDS_CLERK],
        signed_file=document.signed_file.name)
    return OutgoingDocument.objects.get(pk=document.pk)


@pytest.fixture
def composed(staff, registers, other_agency):
    staff[Role.LEADER].position_title = "Phó Chủ tịch"
    staff[Role.LEADER].save(update_fields=["position_title"])
    return _composed_issued(staff, registers["outgoing"], recipient_agencies=[other_agency])


def test_a_composed_document_exported_and_imported_elsewhere_keeps_every_field(composed, other_agency):
    to = Agency(other_agency.exchange_code, other_agency.name)
    data = outgoing_edxml_export(user=composed.issued_by, document=composed, recipient_code=to.code,
                                 recipient_name=to.name)
    sent = edxml_parse(data)
    assert sent == outgoing_edxml_package(document=composed, recipients=[to])
    # Competence from the composed signer block, place the province's name (not an address), Nơi nhận in full.
    assert (sent.signer_competence, sent.signer_position, sent.place) == ("KT. CHỦ TỊCH", "Phó Chủ tịch", "Lạng Sơn")
    assert sent.to_places == ["Sở Tư pháp tỉnh Lạng Sơn", "Như Điều 3", "Lưu: VT, VP"]
    assert len(sent.trace) == 1 and sent.trace[0].startswith("000.00.00.H41,")
    assert [f.name for f in sent.appendices] == ["Phụ lục I.pdf"]

    incoming = incoming_import_edxml(clerk=UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK]), data=data)
    assert_keeps_every_field(IncomingDocument.objects.get(pk=incoming.pk), sent)


def test_an_uploaded_pdf_is_sent_without_a_competence_and_with_the_agency_s_place(staff, registers, other_agency):
    document = issued_unsigned(staff, registers["outgoing"])  # an uploaded PDF: its signer block is not read
    sent = outgoing_edxml_package(document=document, recipients=[Agency(other_agency.exchange_code, "Sở Tư pháp")])
    assert (sent.signer_competence, sent.place) == ("", "Lạng Sơn")


def test_the_exchange_inside_the_system_carries_what_the_package_would(composed, other_agency):
    from docs_office.services.exchange import exchange_send

    exchange_send(document=composed, actor=composed.issued_by)
    incoming = IncomingDocument.objects.get(agency=other_agency)
    sent = outgoing_edxml_package(document=composed, recipients=[Agency(other_agency.exchange_code, other_agency.name)])
    assert (incoming.signer_competence, incoming.signer_position, incoming.place, incoming.to_places, incoming.trace) \
        == (sent.signer_competence, sent.signer_position, sent.place, sent.to_places,
            [*sent.trace, trace_hop_line(other_agency.exchange_code, incoming.received_at)])
    assert incoming.signer_competence == "KT. CHỦ TỊCH" and incoming.trace[0].startswith(composed.agency.exchange_code)


@pytest.mark.parametrize(("composition", "expected"), [
    (dict(signer_prefix="", signer_title="Giám đốc"), ""),
    (dict(signer_prefix="TM.", signer_title="Chủ tịch"), "TM. ỦY BAN NHÂN DÂN"),
    (dict(signer_prefix="TM.", signer_title="Phó Chủ tịch"), "TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH"),
    (dict(signer_prefix="KT.", signer_title="Phó Giám đốc"), "KT. GIÁM ĐỐC"),
    (dict(signer_prefix="Q.", signer_title="Phó Giám đốc"), "Q. GIÁM ĐỐC"),
    (dict(signer_prefix="TL.", signer_title="Chánh Văn phòng", head_title="Giám đốc"), "TL. GIÁM ĐỐC"),
    (dict(signer_prefix="TUQ.", signer_title="Trưởng phòng", head_title="Giám đốc"), "TUQ. GIÁM ĐỐC"),
])
def test_the_competence_is_what_the_signer_block_prints_above_the_title(composition, expected):
    block = Composition(body="x", place="Hà Giang", signer_name="Nguyễn Văn A", **composition)
    assert signer_competence(block, agency_name="Ủy ban nhân dân") == expected


# Malformed values of the envelope: refused, every reason at once, each in Vietnamese (nothing is cut short).

def _problems(**overrides) -> list[str]:
    with pytest.raises(EdxmlError) as refused:
        edxml_parse(edxml_build(package(**overrides)))
    return refused.value.problems


@pytest.mark.parametrize("line", ["000.00.00.H41", "000.00.00.H41;2026-11-23T09:00:00+07:00",
                                  "H41,2026-11-23T09:00:00+07:00", "000.00.00.H41,23/11/2026 09:00",
                                  "000.00.00.H41,2026-11-23T09:00:00"])  # the last has no offset: which time?
def test_a_trace_hop_that_is_not_a_code_and_an_iso_time_is_refused(line):
    problems = _problems(trace=["000.00.00.H41,2026-11-23T09:00:00+07:00", line])
    assert problems == [f"Bước thứ 2 của vết chuyển văn bản (TraceHeader) không đúng dạng “mã định danh,thời điểm ISO "
                        f"8601” (ví dụ 000.00.00.H41,2026-11-23T09:00:00+07:00): “{line}”."]


def test_overlong_envelope_values_are_refused_each_with_its_limit():
    problems = _problems(place="Lạng Sơn" * 20, signer_position="P" * 151, signer_competence="K" * 401,
                         to_places=["Như Điều 3", "N" * 501])
    assert problems == ["Địa danh ban hành dài 160 ký tự, vượt quá 100 ký tự cho phép.",
                        "Thẩm quyền ký (Competence) dài 401 ký tự, vượt quá 400 ký tự cho phép.",
                        "Chức vụ người ký (Position) dài 151 ký tự, vượt quá 150 ký tự cho phép.",
                        "Nơi nhận thứ 2 (ToPlaces) dài 501 ký tự, vượt quá 500 ký tự cho phép."]


def test_too_many_recipients_or_hops_are_refused():
    problems = _problems(to_places=[f"Nơi {i}" for i in range(201)],
                         trace=["000.00.00.H41,2026-11-23T09:00:00+07:00"] * 51)
    assert problems == ["Gói tin có 201 nơi nhận (ToPlaces), vượt quá 200.",
                        "Vết chuyển văn bản (TraceHeader) có 51 bước, vượt quá 50."]


def test_a_package_with_a_bad_trace_is_refused_at_import_and_nothing_is_saved(staff, agency):
    data = edxml_build(package(recipients=[Agency(agency.exchange_code, agency.name)], trace=["hôm qua"]))
    with pytest.raises(ApplicationError) as refused:
        incoming_import_edxml(clerk=staff[Role.RECORDS_CLERK], data=data)
    assert refused.value.code == "invalid_edxml" and "vết chuyển văn bản" in refused.value.fields["file"][0]
    assert not IncomingDocument.objects.exists()


def test_blank_recipient_lines_are_dropped_and_spaces_folded():
    parsed = edxml_parse(edxml_build(package(to_places=["  Như   Điều 3 ", "", "Lưu: VT"])))
    assert parsed.to_places == ["Như Điều 3", "Lưu: VT"]


# What the recipient sees.

@pytest.fixture
def imported(staff, agency):
    """A package from outside the system imported by the clerk: (document, clerk)."""
    clerk = staff[Role.RECORDS_CLERK]
    clerk.full_name, clerk.position_title = "Phạm Thị Thu", "Văn thư"
    clerk.save(update_fields=["full_name", "position_title"])
    sent = package(recipients=[Agency(agency.exchange_code, agency.name)], sender=Agency("000.00.00.G12", "Bộ Nội vụ"),
                   signer_competence="KT. BỘ TRƯỞNG", signer_position="Thứ trưởng", place="Hà Nội",
                   to_places=["Như trên", "Lưu: VT, VP"], trace=["000.00.00.G12,2026-11-23T09:00:00+07:00"])
    return incoming_import_edxml(clerk=clerk, data=edxml_build(sent)), clerk


def test_the_page_and_the_api_show_the_envelope(imported, client):
    document, clerk = imported
    page = signed_in(client, clerk).get(reverse("docs_office:incoming_detail", args=[document.pk])).content.decode()
    for expected in ('data-field="signer-competence">KT. BỘ TRƯỞNG<', 'data-field="signer-position">Thứ trưởng<',
                     'data-field="place">Hà Nội<', "<li>Như trên</li><li>Lưu: VT, VP</li>",
                     "<li>000.00.00.G12 · 09:00 23/11/2026</li>",
                     f"<li>{clerk.agency.exchange_code} · {timezone.localtime(document.received_at):%H:%M %d/%m/%Y}</li>"):
        assert expected in page, expected
    api = APIClient()
    api.force_authenticate(clerk)
    detail = api.get(f"/api/v1/incoming-documents/{document.pk}/").json()
    assert {k: detail[k] for k in ("signer_competence", "signer_position", "signer_name", "place", "to_places", "trace")} \
        == {"signer_competence": "KT. BỘ TRƯỞNG", "signer_position": "Thứ trưởng", "signer_name": "Hoàng Văn Nam",
            "place": "Hà Nội", "to_places": ["Như trên", "Lưu: VT, VP"],
            "trace": ["000.00.00.G12,2026-11-23T09:00:00+07:00",
                      trace_hop_line(clerk.agency.exchange_code, document.received_at)]}


def test_the_schema_documents_the_envelope_fields():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    detail = schema["components"]["schemas"]["IncomingDetail"]["properties"]
    assert detail["to_places"]["type"] == "array" and detail["trace"]["items"]["type"] == "string"
    assert {"signer_position", "signer_competence", "place"} <= set(detail)
    parameters = schema["paths"]["/api/v1/incoming-documents/{id}/edxml-status/"]["get"]["parameters"]
    assert any(p["name"] == "code" for p in parameters)


def test_the_acknowledgment_of_arrival_is_ready_at_import_and_that_of_registration_once_registered(imported, client):
    document, clerk = imported
    signed_in(client, clerk)
    url = reverse("docs_office:incoming_detail", args=[document.pk])
    page = client.get(url).content.decode()
    assert "Thông báo đã đến (gửi lại cho nơi gửi)" in page and 'data-edxml-status="01"' in page
    assert 'data-edxml-status="03"' not in page
    arrived = client.get(reverse("docs_office:incoming_edxml_status", args=[document.pk]) + "?ma=01")
    assert arrived["Content-Disposition"].endswith(f'trang-thai-edxml-{document.pk}-01.xml"')
    status = edxml_status_parse(arrived.content)
    assert (status.code, status.recipient.code, status.staff) == ("01", "000.00.00.G12", "Phạm Thị Thu, Văn thư")

    done = client.post(reverse("docs_office:incoming_action", args=[document.pk, "accept"]), follow=True)
    assert "Thông báo đã tiếp nhận (mã 03) sẵn sàng để gửi lại cho nơi gửi." in done.content.decode()
    page = client.get(url).content.decode()
    assert 'data-edxml-status="01"' in page and "Thông báo đã tiếp nhận (gửi lại cho nơi gửi)" in page
    registered = edxml_status_parse(client.get(reverse("docs_office:incoming_edxml_status", args=[document.pk])
                                               + "?ma=03").content)
    document.refresh_from_db()
    assert registered.code == "03" and abs(registered.at - document.registered_at) < timedelta(seconds=2)
    # The acknowledgment of arrival stays at hand, the same as at import.
    again = client.get(reverse("docs_office:incoming_edxml_status", args=[document.pk]) + "?ma=01")
    assert again.content == arrived.content


def test_a_status_the_document_never_had_is_refused(imported):
    document, clerk = imported
    with pytest.raises(ApplicationError) as refused:
        incoming_status_message(user=clerk, document=document, code="06")
    assert (refused.value.code, refused.value.status) == ("status_not_reached", 409)
    assert "Văn bản chưa từng ở trạng thái “Hoàn thành”." == refused.value.message
    api = APIClient()
    api.force_authenticate(clerk)
    assert api.get(f"/api/v1/incoming-documents/{document.pk}/edxml-status/?code=99").status_code == 400
    assert api.get(f"/api/v1/incoming-documents/{document.pk}/edxml-status/?code=06").status_code == 409
    assert edxml_status_parse(api.get(f"/api/v1/incoming-documents/{document.pk}/edxml-status/?code=01").content) \
        .code == "01"


def test_the_clerk_may_enter_the_signer_s_position_and_the_place_of_a_paper_document(staff, client):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, signer_position="Phó Chủ tịch", place="Hà Giang")
    assert (document.signer_position, document.place) == ("Phó Chủ tịch", "Hà Giang")
    page = signed_in(client, clerk).get(reverse("docs_office:incoming_register")).content.decode()
    assert 'name="signer_position"' in page and 'name="place"' in page
    plain = register_scan(clerk, number="16")  # both optional
    assert (plain.signer_position, plain.place, plain.to_places, plain.trace) == ("", "", [], [])
