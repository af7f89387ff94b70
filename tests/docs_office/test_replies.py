"""A letter asks for an answer by a date, and its answer finds its way back: the recipient's deadline comes from the
sender's date (internal exchange and edXML), and an answer arriving names, at the sender, the letter it answers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.edxml import Agency, edxml_build, edxml_parse
from docs_office.models import IncomingDocument
from docs_office.services.edxml import incoming_import_edxml, outgoing_edxml_package
from docs_office.services.exchange import exchange_send
from docs_office.services.incoming import incoming_accept
from egov.accounts.roles import Role
from tests.docs_office.conftest import office_staff
from tests.docs_office.factories import assign_to
from tests.docs_office.test_edxml import package
from tests.docs_office.test_outgoing import issued_unsigned
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


def test_the_recipient_gets_the_senders_date_and_the_answer_comes_back_linked(client, staff, registers, agency,
                                                                              other_agency):
    due = timezone.localdate() + timedelta(days=10)
    letter = issued_unsigned(staff, registers["outgoing"], recipient_agencies=[other_agency], reply_due_on=due)
    exchange_send(document=letter, actor=staff[Role.RECORDS_CLERK])
    arrived = IncomingDocument.objects.get(agency=other_agency)
    assert arrived.deadline == due and arrived.in_reply_to is None

    # The other agency registers it and gives it to a specialist, whose answer arrives back here naming our letter.
    theirs = office_staff(other_agency)
    incoming_accept(clerk=theirs[Role.RECORDS_CLERK], document=arrived)
    assign_to(theirs[Role.LEADER], arrived, lead=theirs[Role.SPECIALIST])
    answer = issued_unsigned(theirs, other_agency.office_registers.get(kind="outgoing"), answers=arrived,
                             recipient_agencies=[agency])
    exchange_send(document=answer, actor=theirs[Role.RECORDS_CLERK])
    reply = IncomingDocument.objects.get(agency=agency)
    assert reply.in_reply_to == letter and reply.deadline is None

    signed_in(client, staff[Role.LEADER])
    page = client.get(reverse("docs_office:outgoing_detail", args=[letter.pk])).content.decode()
    assert f'data-field="reply-due">{due:%d/%m/%Y}<' in page
    assert reverse("docs_office:incoming_detail", args=[reply.pk]) in page.split('data-field="replies"')[1][:400]
    signed_in(client, staff[Role.RECORDS_CLERK])
    page = client.get(reverse("docs_office:incoming_detail", args=[reply.pk])).content.decode()
    assert reverse("docs_office:outgoing_detail", args=[letter.pk]) in page.split('data-field="in-reply-to"')[1][:300]

    api = APIClient()
    api.force_authenticate(staff[Role.LEADER])
    detail = api.get(f"/api/v1/outgoing-documents/{letter.pk}/").json()
    assert detail["reply_due_on"] == due.isoformat() and [r["id"] for r in detail["replies"]] == [reply.pk]
    assert api.get(f"/api/v1/incoming-documents/{reply.pk}/").json()["in_reply_to"]["id"] == letter.pk


def test_the_date_travels_in_the_edxml_package_and_an_answers_response_for_links_it(staff, registers, agency):
    due = timezone.localdate() + timedelta(days=7)
    letter = issued_unsigned(staff, registers["outgoing"], reply_due_on=due)
    sent = outgoing_edxml_package(document=letter, recipients=[Agency("000.00.00.G12", "UBND tỉnh Cao Bằng")])
    assert edxml_parse(edxml_build(sent)).due_date == due

    # The answer from outside names "<our name>,<number>/<symbol>" as this system writes ResponseFor.
    answer = package(recipients=[Agency(agency.exchange_code, agency.name)], document_id="000.00.00.G12,2026-12-01,9/UBND",
                     promulgation_date=timezone.localdate(), response_for=f"{agency.name},{letter.number_symbol}")
    reply = incoming_import_edxml(clerk=staff[Role.RECORDS_CLERK], data=edxml_build(answer))
    assert reply.in_reply_to == letter

    # Another agency's letter of that number, or an unreadable reference (5,000 digits: int() refused them, a 500),
    # links nothing.
    for n, response_for in enumerate((f"Bộ Nội vụ,{letter.number_symbol}", "khong-hop-le", f"{agency.name},99/QĐ-UBND",
                                      f"{agency.name},{'1' * 5000}/QĐ-UBND")):
        other = package(recipients=[Agency(agency.exchange_code, agency.name)], response_for=response_for,
                        document_id=f"000.00.00.G12,2026-12-01,{n + 10}/UBND",
                        promulgation_date=timezone.localdate())
        assert incoming_import_edxml(clerk=staff[Role.RECORDS_CLERK], data=edxml_build(other)).in_reply_to is None


def test_a_reply_date_in_the_past_is_refused_on_its_field(staff):
    api = APIClient()
    api.force_authenticate(staff[Role.SPECIALIST])
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.docs_office.factories import TINY_PDF

    response = api.post("/api/v1/outgoing-documents/", {
        "document_type": "cong-van", "summary": "V/v báo cáo", "file": SimpleUploadedFile("du-thao.pdf", TINY_PDF),
        "reply_due_on": (timezone.localdate() - timedelta(days=1)).isoformat()}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["reply_due_on"] == ["Hạn trả lời không thể ở quá khứ."]


def test_the_compose_page_names_the_incoming_document_it_answers_if_the_drafter_may_see_it(client, staff):
    """Found by exploratory testing: "Soạn văn bản trả lời" opened a compose page saying nothing of what it answered.
    A secret document the drafter is no reader of is neither named nor answered."""
    from docs_office.constants import Confidentiality
    from docs_office.models import OutgoingDocument
    from tests.docs_office.factories import doc_type, register_scan
    from tests.docs_office.signing import pdf_upload

    specialist, clerk, leader = staff[Role.SPECIALIST], staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    mine = assign_to(leader, register_scan(clerk), lead=specialist)
    secret = register_scan(clerk, confidentiality=Confidentiality.SECRET, readers=[leader], summary="Về việc mật")
    signed_in(client, specialist)
    url = reverse("docs_office:outgoing_create")
    page = client.get(url, {"tra-loi": mine.pk}).content.decode()
    assert f"Trả lời văn bản đến {mine.number_symbol}: {mine.summary}" in page
    page = client.get(url, {"tra-loi": secret.pk}).content.decode()
    assert "Trả lời văn bản đến" not in page and "Về việc mật" not in page
    response = client.post(url, {"document_type": doc_type("cong-van").pk, "summary": "Trả lời", "urgency": "normal",
                                 "confidentiality": "normal", "file": pdf_upload(), "answers": secret.pk})
    assert response.status_code == 400 and "Về việc mật" not in response.content.decode()
    assert not OutgoingDocument.objects.filter(summary="Trả lời").exists()
