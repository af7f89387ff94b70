"""Outgoing documents: draft and versions, the review chain, the leader's signature, issue and exchange."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from docs_office.constants import Confidentiality, DeliveryState, IncomingState, OutgoingState
from docs_office.models import IncomingDocument
from docs_office.selectors import incoming_visible_to
from docs_office.services.incoming import incoming_accept, incoming_return
from docs_office.services.outgoing import (
    outgoing_actions_for,
    outgoing_create,
    outgoing_issue,
    outgoing_recall,
    outgoing_review,
    outgoing_send_more,
    outgoing_sign_request,
    outgoing_version_add,
)
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from signatures.constants import SignatureState
from tests.docs_office.conftest import office_staff
from tests.docs_office.factories import doc_type
from tests.docs_office.signing import certificates_for, confirm, pdf_upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

def docx_upload():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile("du-thao.docx", buffer.getvalue())


def draft(staff, *, upload=None, type_code="quyet-dinh", **extra):
    return outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type(type_code),
                           summary="Về việc phê duyệt kế hoạch cải cách hành chính năm 2027",
                           upload=upload or pdf_upload(), **extra)


def approved(staff, **extra):
    document = draft(staff, **extra)
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    return outgoing_review(user=staff[Role.LEADER], document=document, action="leader_approve")


def issued_unsigned(staff, register, **extra):
    """An approved draft put in the issued state directly, with a stand-in signed PDF: for tests of what follows
    issuing (exchange, edXML), without the signing ceremony."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from docs_office.models import OutgoingDocument
    from tests.docs_office.factories import TINY_PDF

    document = approved(staff, **extra)
    document.signed_file.save("da-ky.pdf", ContentFile(TINY_PDF), save=False)
    OutgoingDocument.objects.filter(pk=document.pk).update(
        state=OutgoingState.ISSUED, register=register, number=7, year=2026, symbol="QĐ-UBND",
        issued_at=timezone.now() - timedelta(hours=1), issued_by=staff[Role.RECORDS_CLERK],
        signed_file=document.signed_file.name)
    return OutgoingDocument.objects.get(pk=document.pk)


def test_a_specialist_drafts_with_a_docx_and_adds_a_pdf_version(staff):
    document = draft(staff, upload=docx_upload())
    assert document.state == OutgoingState.DRAFT
    version = outgoing_version_add(user=staff[Role.SPECIALIST], document=document, upload=pdf_upload(), note="Bản PDF")
    assert version.number == 2
    assert [v.content_type for v in document.versions.all()] == ["application/pdf", "application/vnd.openxmlformats-"
                                                                 "officedocument.wordprocessingml.document"]



def test_a_version_s_history_note_is_written_in_vietnamese_by_a_specialist_working_in_english(staff):
    from django.utils import translation

    document = draft(staff, upload=docx_upload())
    with translation.override("en"):
        outgoing_version_add(user=staff[Role.SPECIALIST], document=document, upload=pdf_upload(), note="Bản PDF")

    assert document.events.get(action="version").note == "Phiên bản 2. Bản PDF"

def test_a_draft_file_of_another_type_is_refused(staff):
    with pytest.raises(ApplicationError) as refused:
        draft(staff, upload=SimpleUploadedFile("a.pdf", b"\x89PNG\r\n\x1a\n0000"))
    assert refused.value.code == "invalid_file"


def test_the_review_chain_goes_specialist_head_leader_and_records_every_step(staff):
    document = approved(staff)
    assert (document.state, document.signer) == (OutgoingState.APPROVED, staff[Role.LEADER])
    steps = [(e.action, e.from_state, e.to_state, e.actor) for e in document.events.all()]
    assert steps == [
        ("create", "", "draft", staff[Role.SPECIALIST]),
        ("submit", "draft", "head_review", staff[Role.SPECIALIST]),
        ("head_approve", "head_review", "leader_review", staff[Role.HEAD_OF_DIVISION]),
        ("leader_approve", "leader_review", "approved", staff[Role.LEADER]),
    ]


def test_a_reviewer_returns_the_draft_with_comments_and_the_drafter_is_told(staff):
    from egov.notifications.models import Notification

    document = draft(staff)
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    with pytest.raises(ApplicationError) as refused:
        outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="return")
    assert refused.value.code == "reason_required"
    document = outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="return",
                               note="Sửa căn cứ pháp lý")
    assert document.state == OutgoingState.DRAFT
    assert document.events.last().note == "Sửa căn cứ pháp lý"
    assert Notification.objects.filter(recipient=staff[Role.SPECIALIST]).exists()


@pytest.mark.parametrize("state, action, role, allowed", [
    ("draft", "submit", Role.SPECIALIST, True),
    ("draft", "submit", Role.HEAD_OF_DIVISION, False),  # not the drafter
    ("draft", "head_approve", Role.HEAD_OF_DIVISION, False),
    ("head_review", "head_approve", Role.HEAD_OF_DIVISION, True),
    ("head_review", "head_approve", Role.LEADER, False),
    ("head_review", "leader_approve", Role.LEADER, False),
    ("head_review", "return", Role.HEAD_OF_DIVISION, True),
    ("head_review", "return", Role.SPECIALIST, False),
    ("leader_review", "leader_approve", Role.LEADER, True),
    ("leader_review", "leader_approve", Role.HEAD_OF_DIVISION, False),
    ("leader_review", "return", Role.LEADER, True),
    ("leader_review", "return", Role.HEAD_OF_DIVISION, False),
    ("leader_review", "submit", Role.SPECIALIST, False),
])
def test_who_may_take_each_review_step(staff, state, action, role, allowed):
    document = draft(staff)
    if state in ("head_review", "leader_review"):
        outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    if state == "leader_review":
        outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    document.refresh_from_db()
    assert (action in outgoing_actions_for(user=staff[role], document=document)) == allowed
    if allowed:
        outgoing_review(user=staff[role], document=document, action=action, note="Ghi chú")
    else:
        with pytest.raises(ApplicationError):
            outgoing_review(user=staff[role], document=document, action=action, note="Ghi chú")


def test_a_reviewer_of_another_agency_is_refused(staff, other_agency):
    document = draft(staff)
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    with pytest.raises(ApplicationError) as refused:
        outgoing_review(user=UserFactory(agency=other_agency, roles=[Role.HEAD_OF_DIVISION]), document=document,
                        action="head_approve")
    assert refused.value.status == 403


def test_a_secret_draft_cannot_be_addressed_to_agencies_of_the_system(staff, other_agency):
    with pytest.raises(ApplicationError) as refused:
        draft(staff, confidentiality=Confidentiality.SECRET, recipient_agencies=[other_agency])
    assert refused.value.code == "secret_not_exchanged"


def test_signing_needs_a_pdf_version(staff, demo_pki):
    personal, _seal = certificates_for(demo_pki, leader=staff[Role.LEADER], records_clerk=staff[Role.RECORDS_CLERK])
    document = approved(staff, upload=docx_upload())
    with pytest.raises(ApplicationError) as refused:
        outgoing_sign_request(leader=staff[Role.LEADER], document=document, certificate=personal)
    assert refused.value.code == "pdf_required"


def signed_by_leader(staff, document, personal, capture):
    """`document`, approved, signed by the staff's leader with `personal` (their certificate)."""
    leader = staff[Role.LEADER]
    document = outgoing_sign_request(leader=leader, document=document, certificate=personal)
    assert document.state == OutgoingState.SIGNING
    request = confirm(document.leader_signature, leader, capture)
    assert request.state == SignatureState.SIGNED, request.error
    document.refresh_from_db()
    assert document.state == OutgoingState.SIGNED
    return document


def signed_and_issued(staff, document, personal, seal, capture):
    """`document`, approved, signed by the leader, then numbered and sealed by the records clerk with `seal`."""
    clerk = staff[Role.RECORDS_CLERK]
    document = outgoing_issue(clerk=clerk, document=signed_by_leader(staff, document, personal, capture),
                              certificate=seal)
    request = confirm(document.agency_signature, clerk, capture)
    assert request.state == SignatureState.SIGNED, request.error
    document.refresh_from_db()
    return document


@pytest.fixture
def signed_flow(staff, demo_pki, other_agency, django_capture_on_commit_callbacks):
    """An approved decision signed by the leader, issued by the clerk, sent to another agency."""
    personal, seal = certificates_for(demo_pki, leader=staff[Role.LEADER], records_clerk=staff[Role.RECORDS_CLERK])
    return signed_and_issued(staff, approved(staff, recipient_agencies=[other_agency]), personal, seal,
                             django_capture_on_commit_callbacks)


def test_the_clerk_issues_with_the_next_number_and_the_document_is_signed_twice(signed_flow):
    from signatures.verification import pdf_verify

    document = signed_flow
    assert document.state == OutgoingState.ISSUED
    assert document.number_symbol == "01/QĐ-UBND"
    with document.signed_file.open("rb") as handle:
        report = pdf_verify(handle.read())
    assert report.signature_count == 2
    assert report.is_valid, report.message
    actions = [e.action for e in document.events.all()]
    assert actions[-4:] == ["sign", "signed", "issue", "dispatch"]


def test_the_issued_document_arrives_at_the_recipient_with_the_signed_pdf(signed_flow, other_agency):
    document = signed_flow
    delivery = document.deliveries.get()
    assert (delivery.recipient, delivery.state) == (other_agency, DeliveryState.RECEIVED)
    incoming = IncomingDocument.objects.get(agency=other_agency)
    assert incoming.state == IncomingState.RECEIVED
    assert (incoming.number, incoming.symbol, incoming.issuer_agency) == ("01", "QĐ-UBND", document.agency)
    assert incoming.acknowledged_at is not None
    # The envelope an edXML package would carry: place, signer (an uploaded PDF: no competence read), Nơi nhận, trace.
    assert (incoming.place, incoming.signer_competence, incoming.signer_position, incoming.to_places) == (
        "Lạng Sơn", "", document.signer.position_title, [other_agency.name])
    # The route: issued by the sender, then arrived here.
    assert incoming.trace_hops == [(document.agency.exchange_code, document.issued_at.replace(microsecond=0)),
                                   (other_agency.exchange_code, incoming.received_at.replace(microsecond=0))]
    with incoming.file.open("rb") as a, document.signed_file.open("rb") as b:
        assert a.read() == b.read()
    clerk = UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK])
    assert incoming in incoming_visible_to(user=clerk)
    incoming = incoming_accept(clerk=clerk, document=incoming)
    assert (incoming.state, incoming.arrival_number) == (IncomingState.REGISTERED, 1)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.REGISTERED


def test_a_recipient_returns_a_wrongly_addressed_document_with_a_reason(signed_flow, other_agency):
    from egov.notifications.models import Notification

    incoming = IncomingDocument.objects.get(agency=other_agency)
    clerk = UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK])
    incoming = incoming_return(clerk=clerk, document=incoming, reason="Không thuộc thẩm quyền")
    assert incoming.state == IncomingState.RETURNED
    delivery = signed_flow.deliveries.get()
    assert (delivery.state, delivery.reason) == (DeliveryState.RETURNED, "Không thuộc thẩm quyền")
    assert Notification.objects.filter(recipient=signed_flow.drafter, body__contains="Không thuộc thẩm quyền").exists()


def test_returned_as_wrongly_addressed_the_clerk_sends_it_on_to_the_right_agency(signed_flow, other_agency, staff,
                                                                                client):
    """Found in review: a recipient could return a document as not theirs, and the sender had no way to send it to the
    agency it was for. Sent on (gửi bổ sung) from the page: a new delivery and copy there, the event naming it."""
    from django.urls import reverse

    from tests.docs_office.test_views import signed_in
    from tests.factories import AgencyFactory

    right = AgencyFactory(name="Sở Nội vụ tỉnh Lạng Sơn", short_name="SNV", exchange_code="000.00.04.H41")
    incoming_return(clerk=UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK]),
                    document=IncomingDocument.objects.get(agency=other_agency), reason="Không thuộc thẩm quyền")
    clerk = staff[Role.RECORDS_CLERK]
    signed_in(client, clerk)
    detail = reverse("docs_office:outgoing_detail", args=[signed_flow.pk])
    page = client.get(detail).content.decode()
    # Offered: agencies not sent to yet (the one that returned it is not among them).
    assert f'<option value="{right.exchange_code}">' in page and f'value="{other_agency.exchange_code}"' not in page

    action = reverse("docs_office:outgoing_action", args=[signed_flow.pk, "send_more"])
    response = client.post(action, {"agencies": [right.exchange_code]})
    assert response.status_code == 302
    copy = IncomingDocument.objects.get(agency=right)
    assert (copy.state, copy.symbol) == (IncomingState.RECEIVED, "QĐ-UBND")
    assert signed_flow.deliveries.get(recipient=right).state == DeliveryState.RECEIVED
    event = signed_flow.events.get(action="send_more")
    assert (event.actor, event.note) == (clerk, "Gửi bổ sung: Sở Nội vụ tỉnh Lạng Sơn")

    again = client.post(action, {"agencies": [right.exchange_code]})  # sent already: refused, said, nothing new
    assert again.status_code == 409 and "Văn bản đã được gửi cho: Sở Nội vụ tỉnh Lạng Sơn." in again.content.decode()
    assert IncomingDocument.objects.filter(agency=right).count() == 1
    assert client.post(action, {}).status_code == 400  # nothing chosen

    from rest_framework.test import APIClient

    third = AgencyFactory(name="Sở Tài chính tỉnh Lạng Sơn", short_name="STC", exchange_code="000.00.05.H41")
    api = APIClient()
    api.force_authenticate(clerk)
    url = f"/api/v1/outgoing-documents/{signed_flow.pk}/actions/send_more/"
    assert api.post(url, {"agencies": ["000.00.99.H41"]}, format="json").status_code == 400  # no such agency
    sent = api.post(url, {"agencies": [third.exchange_code]}, format="json")
    assert sent.status_code == 200
    assert {d["state"] for d in sent.json()["deliveries"]} >= {"received", "returned"}
    assert IncomingDocument.objects.filter(agency=third).exists()


def test_only_the_senders_records_clerk_sends_on_and_never_a_recalled_document(signed_flow, staff, other_agency):
    from tests.factories import AgencyFactory

    right = AgencyFactory(exchange_code="000.00.04.H41")
    for user in (staff[Role.LEADER], staff[Role.SPECIALIST], UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK])):
        with pytest.raises(ApplicationError) as refused:
            outgoing_send_more(clerk=user, document=signed_flow, agencies=[right])
        assert refused.value.status in (403, 404)
    recalled = outgoing_recall(user=staff[Role.RECORDS_CLERK], document=signed_flow, reason="Sai sót")
    with pytest.raises(ApplicationError) as refused:
        outgoing_send_more(clerk=staff[Role.RECORDS_CLERK], document=recalled, agencies=[right])
    assert refused.value.status == 409
    assert not IncomingDocument.objects.filter(agency=right).exists()


def test_the_sender_recalls_and_the_recipients_copy_is_withdrawn(signed_flow, other_agency, staff):
    from egov.notifications.models import Notification

    recipient_clerk = UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK])
    incoming = incoming_accept(clerk=recipient_clerk, document=IncomingDocument.objects.get(agency=other_agency))
    document = outgoing_recall(user=staff[Role.RECORDS_CLERK], document=signed_flow, reason="Sai sót nội dung")
    assert document.state == OutgoingState.RECALLED
    incoming.refresh_from_db()
    assert (incoming.state, incoming.closing_reason) == (IncomingState.WITHDRAWN, "Sai sót nội dung")
    assert document.deliveries.get().state == DeliveryState.RECALLED
    assert Notification.objects.filter(recipient=recipient_clerk, body__contains="thu hồi").exists()
    assert Notification.objects.filter(recipient=staff[Role.SPECIALIST], body__contains="thu hồi").exists()


def test_a_second_document_of_the_same_register_takes_number_two(signed_flow, staff, demo_pki,
                                                                   django_capture_on_commit_callbacks):
    from signatures.constants import CertificateKind
    from signatures.models import Certificate

    leader, clerk = staff[Role.LEADER], staff[Role.RECORDS_CLERK]
    document = approved(staff, type_code="cong-van")
    document = outgoing_sign_request(leader=leader, document=document,
                                     certificate=Certificate.objects.get(owner=leader, kind=CertificateKind.PERSONAL))
    confirm(document.leader_signature, leader, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    document = outgoing_issue(clerk=clerk, document=document, certificate=Certificate.objects.get(
        agency=clerk.agency, kind=CertificateKind.ORGANISATION))
    assert document.number_symbol == "02/UBND"


def test_only_the_approving_leader_signs_and_only_a_records_clerk_issues(staff, demo_pki, agency):
    personal, seal = certificates_for(demo_pki, leader=staff[Role.LEADER], records_clerk=staff[Role.RECORDS_CLERK])
    document = approved(staff)
    other_leader = office_staff(agency)[Role.LEADER]
    with pytest.raises(ApplicationError) as refused:
        outgoing_sign_request(leader=other_leader, document=document, certificate=personal)
    assert refused.value.status == 403
    with pytest.raises(ApplicationError) as refused:
        outgoing_issue(clerk=staff[Role.RECORDS_CLERK], document=document, certificate=seal)
    assert refused.value.status == 409  # not signed yet


def test_an_issued_document_exported_as_edxml_imports_at_the_recipient_with_every_field(signed_flow, other_agency):
    from docs_office.edxml import Agency, edxml_parse
    from docs_office.services.edxml import incoming_import_edxml, outgoing_edxml_export, outgoing_edxml_package

    document = signed_flow
    IncomingDocument.objects.filter(agency=other_agency).delete()  # as if the recipient were outside the system
    to = Agency(other_agency.exchange_code, other_agency.name)
    package = outgoing_edxml_package(document=document, recipients=[to])
    data = outgoing_edxml_export(user=document.issued_by, document=document, recipient_code=to.code,
                                 recipient_name=to.name)
    assert edxml_parse(data) == package
    assert package.code_number == "01" and package.code_notation == "QĐ-UBND"
    clerk = UserFactory(agency=other_agency, roles=[Role.RECORDS_CLERK])
    incoming = incoming_import_edxml(clerk=clerk, data=data)
    assert incoming.state == IncomingState.RECEIVED
    assert (incoming.number_symbol, incoming.issuer_name, incoming.issuer_agency) == (
        "01/QĐ-UBND", document.agency.name, document.agency)
    assert (incoming.summary, incoming.document_type, incoming.signer_name, incoming.page_count, incoming.urgency) == (
        document.summary, document.document_type, document.signer.full_name, document.page_count, document.urgency)
    with incoming.file.open("rb") as a, document.signed_file.open("rb") as b:
        assert a.read() == b.read()
    # Every field of the package, the envelope's too (a composed draft's competence: test_edxml_envelope.py).
    from tests.docs_office.test_edxml_envelope import assert_keeps_every_field

    assert_keeps_every_field(IncomingDocument.objects.get(pk=incoming.pk), package)
    assert (incoming.place, incoming.signer_competence) == ("Lạng Sơn", "")  # an uploaded PDF's block is not read
    with pytest.raises(ApplicationError) as refused:
        incoming_import_edxml(clerk=clerk, data=data)
    assert refused.value.code == "duplicate"
    assert incoming_accept(clerk=clerk, document=incoming).arrival_number == 1


def test_an_edxml_package_for_another_agency_is_refused(signed_flow, agency):
    from docs_office.services.edxml import incoming_import_edxml, outgoing_edxml_export

    data = outgoing_edxml_export(user=signed_flow.issued_by, document=signed_flow, recipient_code="000.00.03.H41",
                                 recipient_name="Sở Tư pháp tỉnh Lạng Sơn")
    stranger = UserFactory(agency=agency, roles=[Role.RECORDS_CLERK])  # the sender itself is not a recipient
    with pytest.raises(ApplicationError) as refused:
        incoming_import_edxml(clerk=stranger, data=data)
    assert refused.value.code == "not_addressed"


def test_only_an_issued_document_is_exported(staff):
    from docs_office.services.edxml import outgoing_edxml_export

    with pytest.raises(ApplicationError) as refused:
        outgoing_edxml_export(user=staff[Role.RECORDS_CLERK], document=draft(staff), recipient_code="000.00.03.H41",
                              recipient_name="Sở Tư pháp tỉnh Lạng Sơn")
    assert refused.value.code == "not_issued"


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_issues_take_numbers_one_to_fifty_without_a_gap(demo_pki):
    import threading

    from django.db import connection

    from docs_office.models import OutgoingDocument
    from tests.docs_office.conftest import office_registers
    from tests.docs_office.factories import ensure_document_types
    from tests.factories import AgencyFactory

    ensure_document_types()
    agency = AgencyFactory(province=True)
    office_registers(agency)
    staff = office_staff(agency)
    leader, clerk = staff[Role.LEADER], staff[Role.RECORDS_CLERK]
    personal, seal = certificates_for(demo_pki, leader=leader, records_clerk=clerk)
    first = outgoing_sign_request(leader=leader, document=approved(staff), certificate=personal)
    with_signature = confirm(first.leader_signature, leader, _run_on_commit_now)
    assert with_signature.state == SignatureState.SIGNED, with_signature.error
    # Fifty more documents signed by the leader (the same signed file serves them all here).
    pks = [approved(staff).pk for _ in range(50)]
    OutgoingDocument.objects.filter(pk__in=pks).update(state=OutgoingState.SIGNED, leader_signature=with_signature)
    barrier = threading.Barrier(50)
    errors = []

    def issue(pk: int) -> None:
        try:
            barrier.wait(timeout=60)
            outgoing_issue(clerk=clerk, document=OutgoingDocument.objects.get(pk=pk), certificate=seal)
        except Exception as exc:  # collected and asserted below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(pk,)) for pk in pks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(OutgoingDocument.objects.filter(pk__in=pks).values_list("number", flat=True))
    assert numbers == list(range(1, 51))


class _run_on_commit_now:
    """In a transactional test every statement commits at once, so on-commit work has already run."""

    def __init__(self, execute=True):
        pass

    def __enter__(self):
        return []

    def __exit__(self, *exc):
        return False


def _composition():
    from docs_office.pdf.compose import Composition

    return Composition(body="Căn cứ Luật Tổ chức chính quyền địa phương;\nỦy ban nhân dân tỉnh thông báo như sau.",
                       place="Lạng Sơn", signer_title="Chủ tịch", signer_name="Hoàng Văn Nam", signer_prefix="TM.",
                       recipients=["Sở Tư pháp", "Sở Tài chính"])


def test_a_draft_composed_on_the_system_is_rendered_in_the_decree_30_layout(staff, tmp_path):
    import shutil
    import subprocess

    from tests.conftest import service_missing

    if not shutil.which("pdftotext"):
        service_missing("poppler-utils (pdftotext) is not installed")
    document = outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type("thong-bao"),
                               summary="Về việc nghỉ Tết Nguyên đán", composition=_composition())
    version = document.versions.get()
    assert version.content_type == "application/pdf" and version.signature_box[0] == 0
    path = tmp_path / "v.pdf"
    with version.file.open("rb") as handle:
        path.write_bytes(handle.read())
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "/TB-UBND", "THÔNG BÁO",
                     "Về việc nghỉ Tết Nguyên đán", "Lạng Sơn, ngày", "Nơi nhận:", "TM.", "CHỦ TỊCH", "Hoàng Văn Nam"):
        assert expected in text, expected


def _composition_signer(staff):
    """The leader the composition's signer block names: only that person signs it (Decree 30)."""
    leader = staff[Role.LEADER]
    leader.full_name = "Hoàng Văn Nam"
    leader.save(update_fields=["full_name"])
    return leader


def test_a_composed_draft_is_signed_in_its_signature_block(staff, demo_pki, django_capture_on_commit_callbacks):
    from pyhanko.pdf_utils.reader import PdfFileReader

    leader = _composition_signer(staff)
    personal, _seal = certificates_for(demo_pki, leader=leader, records_clerk=staff[Role.RECORDS_CLERK])
    document = outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type("thong-bao"),
                               summary="Về việc nghỉ Tết Nguyên đán", composition=_composition())
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    outgoing_review(user=leader, document=document, action="leader_approve")
    document = outgoing_sign_request(leader=leader, document=document, certificate=personal)
    request = confirm(document.leader_signature, leader, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.SIGNED, request.error
    page, *box = document.versions.get().signature_box
    import io

    with request.signed_pdf.open("rb") as handle:
        reader = PdfFileReader(io.BytesIO(handle.read()))
    field = next(s for s in reader.embedded_regular_signatures if s.field_name == "LanhDaoKy")
    rect = [float(v) for v in field.sig_field["/Kids"][0]["/Rect"]] if "/Kids" in field.sig_field \
        else [float(v) for v in field.sig_field["/Rect"]]
    assert [round(v) for v in rect] == [round(v) for v in box]


def test_a_secret_draft_is_reviewed_only_by_the_people_named_on_it(staff, agency):
    from docs_office.selectors import outgoing_visible_to

    head, named_leader = staff[Role.HEAD_OF_DIVISION], staff[Role.LEADER]
    leader = UserFactory(agency=agency, roles=[Role.LEADER])  # a deputy not named on it
    document = draft(staff, confidentiality=Confidentiality.SECRET, readers=[head, named_leader,
                                                                             staff[Role.RECORDS_CLERK]])
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=head, document=document, action="head_approve")
    assert document not in outgoing_visible_to(user=leader)
    with pytest.raises(ApplicationError) as refused:
        outgoing_review(user=leader, document=document, action="leader_approve")
    assert refused.value.status == 403
    assert outgoing_actions_for(user=leader, document=document) == set()


def test_a_composed_document_gets_its_number_and_date_of_issue_and_both_signatures_stay_valid(
        staff, demo_pki, django_capture_on_commit_callbacks):
    """Signed by the leader before it has a number, a composed document has blanks in its number line and date line
    (PDF text fields made before the first signature); the records clerk's issue fills them in an incremental
    revision that the agency's signature covers: form filling, so the leader's signature stays valid."""
    import io

    from django.utils import timezone
    from pyhanko.pdf_utils.reader import PdfFileReader

    from docs_office.services.outgoing import issue_field_values
    from signatures.verification import pdf_verify

    leader, clerk = _composition_signer(staff), staff[Role.RECORDS_CLERK]
    personal, seal = certificates_for(demo_pki, leader=leader, records_clerk=clerk)
    document = outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type("thong-bao"),
                               summary="Về việc nghỉ Tết Nguyên đán", composition=_composition())
    assert set(document.versions.get().issue_fields) == {"SoVanBan", "NgayBanHanh", "ThangBanHanh", "NamBanHanh"}
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    outgoing_review(user=leader, document=document, action="leader_approve")
    document = outgoing_sign_request(leader=leader, document=document, certificate=personal)
    assert confirm(document.leader_signature, leader, django_capture_on_commit_callbacks).state == SignatureState.SIGNED
    document.refresh_from_db()
    document = outgoing_issue(clerk=clerk, document=document, certificate=seal)
    request = confirm(document.agency_signature, clerk, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.SIGNED, request.error
    document.refresh_from_db()
    assert document.state == OutgoingState.ISSUED
    with document.signed_file.open("rb") as handle:
        signed = handle.read()

    report = pdf_verify(signed)
    assert report.signature_count == 2 and report.is_valid, report.message
    leader_report = next(s for s in report.signatures if s.field_name == "LanhDaoKy")
    assert leader_report.intact and leader_report.modifications_allowed
    assert leader_report.modification_level == "form_filling"
    assert set(leader_report.changed_form_fields) >= {"SoVanBan", "NgayBanHanh", "ThangBanHanh", "NamBanHanh"}

    wanted = issue_field_values(number=1, at=document.issued_at)
    assert wanted["SoVanBan"] == "01" and wanted["NamBanHanh"] == str(timezone.localtime(document.issued_at).year)
    reader = PdfFileReader(io.BytesIO(signed))
    fields = {str(f.get_object()["/T"]): f.get_object() for f in reader.root["/AcroForm"]["/Fields"]}
    for name, value in wanted.items():
        assert str(fields[name]["/V"]) == value
        assert f"({value}) Tj".encode() in fields[name]["/AP"]["/N"].data
    # The filling is a revision of its own, before the agency's signature, which covers it.
    seal_report = next(s for s in report.signatures if s.field_name == "VanThuDongDau")
    assert seal_report.covers_entire_file


def test_the_date_of_issue_has_a_leading_zero_below_10_and_for_january_and_february():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from docs_office.services.outgoing import issue_field_values

    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    assert issue_field_values(number=7, at=datetime(2027, 2, 5, 9, tzinfo=hanoi)) == {
        "SoVanBan": "07", "NgayBanHanh": "05", "ThangBanHanh": "02", "NamBanHanh": "2027"}
    assert issue_field_values(number=123, at=datetime(2027, 3, 15, 9, tzinfo=hanoi))["ThangBanHanh"] == "3"
    # 23:30 UTC on 31 December is already New Year's Day in Vietnam.
    assert issue_field_values(number=1, at=datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")))["NamBanHanh"] == "2027"


def test_an_uploaded_pdf_is_issued_unchanged_before_the_agency_signature(staff):
    from signatures.services import pdf_fill_text_fields
    from tests.docs_office.signing import decision_pdf

    assert pdf_fill_text_fields(decision_pdf(), {"SoVanBan": "01"}) == decision_pdf()


def test_signed_by_the_leader_the_page_and_the_api_give_the_pdf_the_leader_signed_not_the_unsigned_draft(
        staff, demo_pki, client, django_capture_on_commit_callbacks):
    """Found in the last review: before issue the records clerk's link read "the newest draft version" and served the
    unsigned draft — the PDF they are about to number and seal is the one the leader signed."""
    from django.urls import reverse
    from rest_framework.test import APIClient

    from signatures.verification import pdf_verify
    from tests.docs_office.test_views import signed_in

    clerk = staff[Role.RECORDS_CLERK]
    personal, _seal = certificates_for(demo_pki, leader=staff[Role.LEADER], records_clerk=clerk)
    document = signed_by_leader(staff, approved(staff), personal, django_capture_on_commit_callbacks)

    signed_in(client, clerk)
    page = client.get(reverse("docs_office:outgoing_detail", args=[document.pk])).content.decode()
    assert "Tải bản lãnh đạo đã ký số (PDF, chưa cấp số)" in page and "Tải phiên bản dự thảo mới nhất" not in page
    from_page = b"".join(client.get(reverse("docs_office:outgoing_file", args=[document.pk])).streaming_content)
    api = APIClient()
    api.force_authenticate(clerk)
    from_api = b"".join(api.get(f"/api/v1/outgoing-documents/{document.pk}/file/").streaming_content)
    for pdf in (from_page, from_api):
        report = pdf_verify(pdf)
        assert (report.signature_count, report.is_valid) == (1, True), report.message
