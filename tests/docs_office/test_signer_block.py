"""Decree 30 (appendix I): the signer block of a composed draft names who signs — the leader who signs digitally
must be that person, and the envelope (edXML, exchange) names the signer from one source."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from docs_office.constants import OutgoingState
from docs_office.demo import demo_office_seed
from docs_office.models import OutgoingDocument
from docs_office.pdf.compose import Composition
from docs_office.services.edxml import outgoing_envelope
from docs_office.services.outgoing import outgoing_create, outgoing_review, outgoing_sign_request
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import TINY_PDF, doc_type
from tests.docs_office.signing import certificates_for
from tests.docs_office.test_demo_documents import demo_department  # noqa: F401

pytestmark = pytest.mark.django_db


def _approved_composed(staff, *, signer_name="Lê Văn Hùng", signer_title="PHÓ GIÁM ĐỐC", prefix="KT."):
    composition = Composition(body="Sở Tư pháp hướng dẫn như sau.", place="Lạng Sơn", signer_title=signer_title,
                              signer_name=signer_name, signer_prefix=prefix, head_title="GIÁM ĐỐC")
    document = outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type("cong-van"),
                               summary="hướng dẫn liên thông thủ tục hành chính", composition=composition)
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    return outgoing_review(user=staff[Role.LEADER], document=document, action="leader_approve")


def _leader_named(staff, full_name, position_title="Giám đốc Sở"):
    leader = staff[Role.LEADER]
    leader.full_name, leader.position_title = full_name, position_title
    leader.save(update_fields=["full_name", "position_title"])
    return leader


def test_a_leader_the_signer_block_does_not_name_cannot_sign_the_composed_draft(staff, demo_pki):
    leader = _leader_named(staff, "Hoàng Văn Nam")
    personal, _seal = certificates_for(demo_pki, leader=leader, records_clerk=staff[Role.RECORDS_CLERK])
    document = _approved_composed(staff)

    with pytest.raises(ApplicationError) as refused:
        outgoing_sign_request(leader=leader, document=document, certificate=personal)

    assert (refused.value.code, refused.value.status) == ("signer_mismatch", 409)
    message = str(refused.value.message)
    assert "Lê Văn Hùng" in message and "Hoàng Văn Nam" in message and "sửa khối chữ ký" in message
    document.refresh_from_db()
    assert document.state == OutgoingState.APPROVED and document.leader_signature is None


def test_the_named_leader_signs_whatever_case_diacritics_or_spacing_the_drafter_typed(staff, demo_pki):
    leader = _leader_named(staff, "Lê Văn Hùng", "Phó Giám đốc Sở")
    personal, _seal = certificates_for(demo_pki, leader=leader, records_clerk=staff[Role.RECORDS_CLERK])
    document = _approved_composed(staff, signer_name="LE  VAN HUNG")

    document = outgoing_sign_request(leader=leader, document=document, certificate=personal)

    assert document.state == OutgoingState.SIGNING


def test_the_leader_sees_whom_the_block_names_and_is_told_in_vietnamese_why_signing_is_refused(client, staff, demo_pki):
    from django.urls import reverse

    from tests.docs_office.test_views import signed_in

    leader = _leader_named(staff, "Hoàng Văn Nam")
    certificates_for(demo_pki, leader=leader, records_clerk=staff[Role.RECORDS_CLERK])
    document = _approved_composed(staff)
    signed_in(client, leader)
    page = client.get(reverse("docs_office:outgoing_detail", args=[document.pk])).content.decode()
    assert "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Lê Văn Hùng" in page

    answer = client.post(reverse("docs_office:outgoing_action", args=[document.pk, "sign"]), follow=True)

    page = answer.content.decode()
    assert "Khối chữ ký của dự thảo ghi người ký là Lê Văn Hùng, không phải Hoàng Văn Nam" in page
    document.refresh_from_db()
    assert document.state == OutgoingState.APPROVED


def _issue_without_ceremony(document, staff, registers):
    document.signed_file.save("da-ky.pdf", ContentFile(TINY_PDF), save=False)
    OutgoingDocument.objects.filter(pk=document.pk).update(
        state=OutgoingState.ISSUED, register=registers["outgoing"], number=3, year=2026, symbol="SP-STP",
        issued_at=timezone.now(), issued_by=staff[Role.RECORDS_CLERK], signed_file=document.signed_file.name)
    return OutgoingDocument.objects.get(pk=document.pk)


def test_the_envelope_names_the_signer_from_the_signer_block_alone(staff, registers):
    # The account's title is written differently from the block: the block is what the document says.
    _leader_named(staff, "Lê Văn Hùng", "Phó Giám đốc Sở Tư pháp")
    document = _issue_without_ceremony(_approved_composed(staff), staff, registers)

    envelope = outgoing_envelope(document)

    assert (envelope.signer_competence, envelope.signer_position, envelope.signer_name) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Văn Hùng")


def test_an_uploaded_document_s_envelope_names_the_signing_leader_s_account(staff, registers):
    from tests.docs_office.test_outgoing import approved

    leader = _leader_named(staff, "Hoàng Văn Nam", "Giám đốc Sở")
    document = _issue_without_ceremony(approved(staff), staff, registers)

    envelope = outgoing_envelope(document)

    assert (envelope.signer_competence, envelope.signer_position, envelope.signer_name) == (
        "", "Giám đốc Sở", leader.full_name)


def test_the_demo_draft_names_the_leader_who_will_sign_it(demo_department):  # noqa: F811
    _department, users = demo_department
    demo_office_seed(stdout=lambda *_: None)

    version = OutgoingDocument.objects.get().versions.get()

    assert version.signer_name == users["demo_leader"].full_name and version.signer_competence == ""
