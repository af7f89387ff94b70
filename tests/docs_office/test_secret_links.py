"""Links between documents never name a secret document to someone who may not read it (the review's findings):
the answer linked when closing, the incoming document a draft answers, and the letter an edXML reply answers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.constants import Confidentiality
from docs_office.edxml import Agency, edxml_build
from docs_office.models import OutgoingDocument
from docs_office.selectors import incoming_visible_to, outgoing_visible_to
from docs_office.services.edxml import incoming_import_edxml
from docs_office.services.incoming import incoming_close
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import assign_to, doc_type, register_scan
from tests.docs_office.test_edxml import package
from tests.docs_office.test_outgoing import draft, issued_unsigned
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_secret_answer_linked_at_closing_is_named_only_to_its_readers(client, staff, registers):
    specialist, clerk = staff[Role.SPECIALIST], staff[Role.RECORDS_CLERK]
    letter = assign_to(staff[Role.LEADER], register_scan(clerk, number="45", symbol="BNV-VP"), lead=specialist,
                       deadline=timezone.localdate() + timedelta(days=3))
    answer = issued_unsigned(staff, registers["outgoing"], confidentiality=Confidentiality.SECRET,
                             readers=[specialist, staff[Role.HEAD_OF_DIVISION], staff[Role.LEADER], clerk])
    incoming_close(user=specialist, document=letter, result="Đã trả lời", answered_by=answer)
    # Another records clerk, who reads the letter but is not named on the answer.
    other_clerk = UserFactory(agency=clerk.agency, roles=[Role.RECORDS_CLERK])
    assert not outgoing_visible_to(user=other_clerk).filter(pk=answer.pk).exists()
    signed_in(client, other_clerk)
    page = client.get(reverse("docs_office:incoming_detail", args=[letter.pk])).content.decode()
    assert 'data-field="answered-by"' not in page and answer.number_symbol not in page
    assert _api(other_clerk).get(reverse("api-incoming-document-detail", args=[letter.pk])).json()["answered_by"] is None
    # The closer, who reads it, still sees the link.
    signed_in(client, specialist)
    assert 'data-field="answered-by"' in client.get(reverse("docs_office:incoming_detail", args=[letter.pk])).content.decode()
    body = _api(specialist).get(reverse("api-incoming-document-detail", args=[letter.pk])).json()
    assert body["answered_by"]["number_symbol"] == answer.number_symbol


def test_a_draft_cannot_answer_a_secret_document_its_drafter_may_not_read(client, staff):
    secret = register_scan(staff[Role.RECORDS_CLERK], number="99", symbol="BCA-MAT", issuer_name="Bộ Công an",
                           confidentiality=Confidentiality.SECRET, readers=[staff[Role.LEADER]])
    specialist = staff[Role.SPECIALIST]
    assert not incoming_visible_to(user=specialist).filter(pk=secret.pk).exists()
    with pytest.raises(ApplicationError) as refused:
        draft(staff, answers=secret)
    assert refused.value.code == "invalid_answer"
    response = _api(specialist).post(reverse("api-outgoing-document-list"), {
        "document_type": "cong-van", "summary": "Trả lời", "answers": secret.pk, "composition": {
            "body": "Nội dung.", "place": "Lạng Sơn", "signer_title": "Giám đốc", "signer_name": "Lê Văn Hùng"}},
        format="json")
    assert response.status_code == 400 and "Bộ Công an" not in response.content.decode()
    assert "answers" in response.json()["error"]["fields"], response.json()
    signed_in(client, specialist)
    page = client.post(reverse("docs_office:outgoing_create"), {
        "document_type": doc_type("thong-bao").pk, "summary": "Trả lời", "urgency": "normal", "confidentiality": "normal",
        "body": "Nội dung.", "place": "Lạng Sơn", "signer_title": "Giám đốc", "signer_name": "Lê Văn Hùng",
        "answers": secret.pk})
    assert page.status_code == 400 and "99/BCA-MAT" not in page.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_an_answer_to_a_document_a_later_reader_may_not_see_is_not_named_to_them(client, staff):
    """A draft made by a reader of the secret document it answers: a colleague who reads the draft but not the secret
    document is not told which document it answers."""
    leader, head = staff[Role.LEADER], staff[Role.HEAD_OF_DIVISION]
    secret = register_scan(staff[Role.RECORDS_CLERK], number="99", symbol="BCA-MAT", issuer_name="Bộ Công an",
                           confidentiality=Confidentiality.SECRET, readers=[leader, staff[Role.SPECIALIST]])
    answer = draft(staff, answers=secret)
    assert outgoing_visible_to(user=head).filter(pk=answer.pk).exists()
    assert not incoming_visible_to(user=head).filter(pk=secret.pk).exists()
    signed_in(client, head)
    page = client.get(reverse("docs_office:outgoing_detail", args=[answer.pk])).content.decode()
    assert "99/BCA-MAT" not in page
    assert _api(head).get(reverse("api-outgoing-document-detail", args=[answer.pk])).json()["answers"] is None
    signed_in(client, leader)
    assert "99/BCA-MAT" in client.get(reverse("docs_office:outgoing_detail", args=[answer.pk])).content.decode()


def test_an_edxml_reply_is_never_linked_to_a_secret_document_of_the_same_number(staff, registers, agency):
    from docs_office.services.registers import register_outgoing_for

    letter = issued_unsigned(staff, registers["outgoing"])
    secret_register = register_outgoing_for(agency=agency, document_type=doc_type("quyet-dinh"), secret=True)
    secret = issued_unsigned(staff, secret_register, confidentiality=Confidentiality.SECRET,
                             readers=[staff[Role.SPECIALIST], staff[Role.HEAD_OF_DIVISION], staff[Role.LEADER],
                                      staff[Role.RECORDS_CLERK]])
    OutgoingDocument.objects.filter(pk=secret.pk).update(issued_at=timezone.now() - timedelta(minutes=5))
    assert OutgoingDocument.objects.get(pk=secret.pk).number_symbol == letter.number_symbol  # its own series
    reply = incoming_import_edxml(clerk=staff[Role.RECORDS_CLERK], data=edxml_build(package(
        recipients=[Agency(agency.exchange_code, agency.name)], document_id="000.00.00.G12,2026-12-01,9/UBND",
        promulgation_date=timezone.localdate(), response_for=f"{agency.name},{letter.number_symbol}")))
    assert reply.in_reply_to_id == letter.pk
