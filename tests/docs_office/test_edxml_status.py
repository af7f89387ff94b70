"""edXML status messages both ways: the recipient reports its document's state, the sender records it.

A malformed, foreign or stale status message is refused with its reason and nothing is saved."""

import unicodedata
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.constants import DeliveryChannel, DeliveryState, IncomingState
from docs_office.edxml import STATUS_CODES, Agency, EdxmlError, P, edxml_status, edxml_status_parse
from docs_office.models import Delivery, IncomingDocument, OutgoingEvent
from docs_office.services.edxml import (
    INCOMING_STATUS_CODES,
    STATUS_DELIVERY_STATES,
    delivery_status_record,
    incoming_import_edxml,
    incoming_status_message,
    outgoing_edxml_export,
)
from docs_office.services.incoming import incoming_accept, incoming_return
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import assign_to
from tests.docs_office.test_outgoing import approved, issued_unsigned, signed_flow  # noqa: F401 - the fixture
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SENDER = Agency("000.00.00.H41", "Ủy ban nhân dân tỉnh Lạng Sơn")
RECIPIENT = Agency("000.00.03.H41", "Sở Tư pháp tỉnh Lạng Sơn")
TO_RECIPIENT = {"recipient_code": RECIPIENT.code, "recipient_name": RECIPIENT.name}


def status(**overrides) -> bytes:
    fields = dict(document_id="000.00.00.H41,2026-11-23,07/QĐ-UBND", sender=RECIPIENT, recipient=SENDER, code="03",
                  staff="Phạm Thị Thu, Văn thư", at=timezone.now() - timedelta(minutes=5))
    fields.update(overrides)
    return edxml_status(**fields)


def refusal(data: bytes) -> str:
    with pytest.raises(EdxmlError) as refused:
        edxml_status_parse(data)
    return " ".join(refused.value.problems)


# The message itself (no database needed, but the module's mark is harmless).

def test_a_status_message_round_trips():
    at = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    parsed = edxml_status_parse(status(at=at, description="Đã tiếp nhận, số đến 12"))
    assert (parsed.document_id, parsed.sender, parsed.recipient, parsed.code, parsed.at, parsed.staff) == (
        "000.00.00.H41,2026-11-23,07/QĐ-UBND", RECIPIENT, SENDER, "03", at, "Phạm Thị Thu, Văn thư")
    assert parsed.description == "Đã tiếp nhận, số đến 12"


def _without(data: bytes, *tags: str) -> bytes:
    root = ET.fromstring(data)
    for tag in tags:
        parent_path, _sep, name = tag.rpartition("/")
        parent = root.find(P + parent_path) if parent_path else root
        parent.remove(parent.find(P + name))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_missing_fields_are_each_reported():
    problems = refusal(_without(status(), "StatusCode", "Timestamp", "Header/DocumentId", "Header/From"))
    assert "mã trạng thái (StatusCode)" in problems and "thời điểm (Timestamp)" in problems
    assert "DocumentId" in problems and "nơi gửi (From)" in problems


def test_an_unknown_code_a_bad_time_or_a_future_time_is_refused():
    assert "Mã trạng thái không hợp lệ: “99”" in refusal(status().replace(b">03<", b">99<"))
    stamp = ET.fromstring(status()).find(P + "Timestamp").text.encode()
    assert "Thời điểm không đúng định dạng" in refusal(status().replace(stamp, b"23/11/2026 09:00"))
    assert "tương lai" in refusal(status(at=timezone.now() + timedelta(days=2)))


def test_another_encoding_foreign_xml_and_doctype_are_refused():
    vietnamese = unicodedata.normalize("NFD", status().decode("utf-8")).replace("utf-8", "windows-1258")
    assert "Thông điệp trạng thái không được mã hóa UTF-8" in refusal(vietnamese.encode("cp1258", errors="replace"))
    latin = b"<?xml version='1.0' encoding='ISO-8859-1'?><Status/>"
    assert "Thông điệp trạng thái khai báo bảng mã ISO-8859-1" in refusal(latin)
    assert "không được mã hóa UTF-8" in refusal("<Status>Đã tiếp nhận</Status>".encode("utf-16"))
    assert "không phải XML hợp lệ" in refusal(b"not xml")
    assert "thiếu Status" in refusal(b"<?xml version='1.0' encoding='utf-8'?><Status/>")
    assert "DOCTYPE" in refusal(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>')


def test_every_code_records_a_delivery_state_and_every_incoming_state_has_a_code():
    assert set(STATUS_DELIVERY_STATES) == set(STATUS_CODES)
    assert set(INCOMING_STATUS_CODES) == set(IncomingState.values)


# The loop between two agencies.

@pytest.fixture
def issued(staff, registers, other_agency):
    """An issued decision for the other agency, without the signing ceremony (the round trip below has it)."""
    return issued_unsigned(staff, registers["outgoing"], recipient_agencies=[other_agency])


@pytest.fixture
def exported(issued, staff, other_agency):
    """The package exported, then imported by the other agency's clerk: (package, incoming document, clerk)."""
    data = outgoing_edxml_export(user=staff[Role.RECORDS_CLERK], document=issued, **TO_RECIPIENT)
    clerk = UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK], full_name="Phạm Thị Thu",
                        position_title="Văn thư")
    return data, incoming_import_edxml(clerk=clerk, data=data), clerk


def _edxml_delivery(document) -> Delivery:
    return Delivery.objects.get(document=document, channel=DeliveryChannel.EDXML)


def test_the_export_records_each_recipient_as_sent_once(issued, staff):
    outgoing_edxml_export(user=staff[Role.RECORDS_CLERK], document=issued, **TO_RECIPIENT)
    outgoing_edxml_export(user=staff[Role.RECORDS_CLERK], document=issued, **TO_RECIPIENT)
    delivery = _edxml_delivery(issued)
    assert (delivery.recipient_code, delivery.recipient_name, delivery.state) == (
        "000.00.03.H41", "Sở Tư pháp tỉnh Lạng Sơn", DeliveryState.SENT)
    assert delivery.exchange_id.startswith("000.00.00.H41,") and delivery.exchange_id.endswith(",07/QĐ-UBND")


def test_the_recipient_reports_each_state_with_who_and_when(exported, staff, other_agency, division):
    _data, incoming, clerk = exported
    assert incoming.external_sender_code == "000.00.00.H41"

    def report():
        incoming.refresh_from_db()
        return edxml_status_parse(incoming_status_message(user=clerk, document=incoming))

    received = report()
    assert (received.code, received.sender.code, received.recipient.code) == ("01", "000.00.03.H41", "000.00.00.H41")
    assert received.document_id == incoming.external_id and received.staff == "Phạm Thị Thu, Văn thư"
    incoming_accept(clerk=clerk, document=incoming)
    registered = report()
    incoming.refresh_from_db()
    assert (registered.code, registered.description) == ("03", STATUS_CODES["03"])
    assert registered.at == incoming.registered_at.replace(microsecond=0)
    leader = UserFactory(agency=other_agency, roles=[Role.LEADER], full_name="Hoàng Văn Nam", position_title="")
    handler = UserFactory(agency=other_agency, roles=[Role.SPECIALIST])
    assign_to(leader, incoming, lead=handler)
    assigned = report()
    assert (assigned.code, assigned.staff) == ("04", "Hoàng Văn Nam")


def test_a_returned_package_reports_the_reason_and_the_sender_sees_it(exported, staff, issued):
    _data, incoming, clerk = exported
    incoming_return(clerk=clerk, document=incoming, reason="Gửi nhầm cơ quan")
    incoming.refresh_from_db()
    message = incoming_status_message(user=clerk, document=incoming)
    assert edxml_status_parse(message).code == "02"
    delivery = delivery_status_record(clerk=staff[Role.RECORDS_CLERK], data=message)
    assert delivery.state == DeliveryState.RETURNED and delivery.reason == "Từ chối tiếp nhận: Gửi nhầm cơ quan"


def test_only_the_receiving_clerk_builds_a_status_and_only_for_a_package(exported, staff, other_agency):
    _data, incoming, clerk = exported
    with pytest.raises(ApplicationError):
        incoming_status_message(user=UserFactory(agency=other_agency, roles=[Role.SPECIALIST]), document=incoming)
    with pytest.raises(ApplicationError):
        incoming_status_message(user=staff[Role.RECORDS_CLERK], document=incoming)  # the sender's clerk
    IncomingDocument.objects.filter(pk=incoming.pk).update(external_id="")
    incoming.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        incoming_status_message(user=clerk, document=incoming)
    assert refused.value.code == "not_edxml"


def _refused(clerk, data: bytes) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        delivery_status_record(clerk=clerk, data=data)
    return refused.value


def test_foreign_or_malformed_status_messages_are_refused_and_nothing_is_saved(exported, staff, issued):
    _data, incoming, _clerk = exported
    clerk = staff[Role.RECORDS_CLERK]
    document_id = incoming.external_id
    cases = {
        "invalid_status": status(document_id=document_id).replace(b">03<", b">42<"),
        "unknown_document": status(document_id=document_id.replace(",07/", ",08/")),
        "not_a_recipient": status(document_id=document_id, sender=Agency("000.00.09.H41", "Sở Y tế")),
        "not_addressed": status(document_id=document_id, recipient=Agency("000.00.04.H41", "Sở Tài chính")),
    }
    events = OutgoingEvent.objects.count()
    for code, data in cases.items():
        error = _refused(clerk, data)
        assert (error.code, error.status) == (code, 400), code
        assert error.fields["file"], code
    assert "Mã trạng thái không hợp lệ: “42”" in _refused(clerk, cases["invalid_status"]).message
    assert _edxml_delivery(issued).state == DeliveryState.SENT and OutgoingEvent.objects.count() == events
    specialist = _refused(staff[Role.SPECIALIST], status(document_id=document_id))
    assert specialist.status == 403


def test_a_repeated_or_older_status_is_refused_as_stale(exported, staff, issued):
    _data, incoming, _clerk = exported
    clerk, now = staff[Role.RECORDS_CLERK], timezone.now()
    registered = status(document_id=incoming.external_id, at=now - timedelta(minutes=1))
    assert delivery_status_record(clerk=clerk, data=registered).state == DeliveryState.REGISTERED
    assert _refused(clerk, registered).status == 409
    older = status(document_id=incoming.external_id, code="01", at=now - timedelta(minutes=30))
    assert _refused(clerk, older).code == "stale_status"
    later = status(document_id=incoming.external_id, code="06", at=now)
    assert delivery_status_record(clerk=clerk, data=later).state == DeliveryState.COMPLETED
    assert list(OutgoingEvent.objects.filter(document=issued, action="edxml_status")
                .values_list("from_state", "to_state")) == [("sent", "registered"), ("registered", "completed")]


def test_the_recall_leaves_outside_recipients_to_their_own_reports(exported, staff, issued, other_agency):
    from docs_office.services.exchange import exchange_recall

    now = timezone.now()
    Delivery.objects.create(document=issued, recipient=other_agency, state=DeliveryState.RECEIVED, sent_at=now,
                            updated_at=now)
    exchange_recall(document=issued, actor=staff[Role.LEADER], reason="Sai sót")
    assert _edxml_delivery(issued).state == DeliveryState.SENT
    assert Delivery.objects.get(document=issued, channel=DeliveryChannel.SYSTEM).state == DeliveryState.RECALLED


def test_round_trip_through_the_pages(signed_flow, other_agency, client):  # noqa: F811 - the fixture
    """Export → import at the other agency → its clerk downloads "registered" → the sender's clerk uploads it →
    the sender's page shows that recipient as registered, with the event."""
    document = signed_flow
    IncomingDocument.objects.filter(agency=other_agency).delete()  # as if the recipient were outside the system
    sender_clerk = document.issued_by
    signed_in(client, sender_clerk)
    exported = client.post(reverse("docs_office:outgoing_edxml", args=[document.pk]), TO_RECIPIENT)
    assert exported.status_code == 200
    assert client.get(reverse("docs_office:outgoing_detail", args=[document.pk])).content.decode().count(
        'data-channel="edxml" data-recipient="000.00.03.H41">Sở Tư pháp tỉnh Lạng Sơn (gói edXML): '
        '<span data-delivery="sent">') == 1

    recipient_clerk = UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK])
    incoming = incoming_import_edxml(clerk=recipient_clerk, data=exported.content)
    incoming_accept(clerk=recipient_clerk, document=incoming)
    other = signed_in(type(client)(), recipient_clerk)
    page = other.get(reverse("docs_office:incoming_detail", args=[incoming.pk])).content.decode()
    assert 'data-edxml-status="03"' in page
    message = other.get(reverse("docs_office:incoming_edxml_status", args=[incoming.pk]))
    assert message.status_code == 200 and message["Content-Type"].startswith("application/xml")
    assert edxml_status_parse(message.content).code == "03"

    upload = reverse("docs_office:outgoing_status_import")
    bad = client.post(upload, {"file": SimpleUploadedFile("s.xml", message.content.replace(b">03<", b">77<"))})
    assert bad.status_code == 400 and "Mã trạng thái không hợp lệ: “77”" in bad.content.decode()
    done = client.post(upload, {"file": SimpleUploadedFile("trang-thai.xml", message.content)})
    assert done.status_code == 302 and done["Location"] == reverse("docs_office:outgoing_detail", args=[document.pk])
    page = client.get(done["Location"]).content.decode()
    assert ('data-channel="edxml" data-recipient="000.00.03.H41">Sở Tư pháp tỉnh Lạng Sơn (gói edXML): '
            '<span data-delivery="registered">Đã vào sổ</span>') in page
    event = OutgoingEvent.objects.get(document=document, action="edxml_status")
    assert (event.from_state, event.to_state, event.actor) == ("sent", "registered", sender_clerk)
    assert "Sở Tư pháp tỉnh Lạng Sơn (000.00.03.H41)" in event.note and recipient_clerk.full_name in event.note
    again = client.post(upload, {"file": SimpleUploadedFile("trang-thai.xml", message.content)})
    assert again.status_code == 409


def test_the_api_offers_both_ends(exported, staff, issued):
    _data, incoming, clerk = exported
    recipient_api, sender_api = APIClient(), APIClient()
    recipient_api.force_authenticate(clerk)
    sender_api.force_authenticate(staff[Role.RECORDS_CLERK])
    message = recipient_api.get(f"/api/v1/incoming-documents/{incoming.pk}/edxml-status/")
    assert message.status_code == 200 and edxml_status_parse(message.content).code == "01"
    url = "/api/v1/outgoing-documents/import-status/"
    bad = sender_api.post(url, {"file": SimpleUploadedFile("s.xml", b"<x/>")}, format="multipart")
    assert bad.status_code == 400 and "thiếu Status" in " ".join(bad.json()["error"]["fields"]["file"])
    done = sender_api.post(url, {"file": SimpleUploadedFile("s.xml", message.content)}, format="multipart")
    assert done.status_code == 200
    assert [(d["channel"], d["recipient_code"], d["state"]) for d in done.json()["deliveries"]
            if d["channel"] == "edxml"] == [("edxml", "000.00.03.H41", "received")]
