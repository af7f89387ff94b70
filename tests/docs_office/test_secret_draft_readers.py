"""A secret draft names everyone who reviews, signs and issues it, or it is refused: its readers are fixed when it is
created, and nobody else sees it (found by review: one with no head of division among its readers stayed waiting for
the head's review for ever, seen by nobody who could approve it)."""

import pytest
from django.urls import reverse

from docs_office.constants import Confidentiality, OutgoingState
from docs_office.models import Division, OutgoingDocument
from docs_office.selectors import outgoing_to_act_on
from docs_office.services.outgoing import outgoing_review
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.test_api import client_for
from tests.docs_office.test_outgoing import draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_secret_draft_without_its_head_leader_and_clerk_among_its_readers_is_refused(staff):
    with pytest.raises(ApplicationError) as refused:
        draft(staff, confidentiality=Confidentiality.SECRET, readers=[staff[Role.LEADER]])
    assert (refused.value.code, refused.value.status) == ("readers_incomplete", 400)
    assert refused.value.message.endswith("Còn thiếu: lãnh đạo phòng, văn thư.")
    assert refused.value.fields == {"readers": [refused.value.message]}
    assert not OutgoingDocument.objects.exists()


def test_the_head_must_be_of_the_drafting_unit(staff, agency, division):
    other_head = UserFactory(agency=agency, roles=[Role.HEAD_OF_DIVISION])
    Division.objects.create(agency=agency, name="Phòng Kinh tế", short_name="KT").members.add(other_head)
    with pytest.raises(ApplicationError) as refused:
        draft(staff, confidentiality=Confidentiality.CONFIDENTIAL, division=division,
              readers=[other_head, staff[Role.LEADER], staff[Role.RECORDS_CLERK]])
    assert refused.value.message.endswith("Còn thiếu: lãnh đạo phòng của đơn vị soạn thảo.")


def test_a_reader_of_another_agency_counts_for_nothing(staff, other_agency):
    outsiders = [UserFactory(agency=other_agency, roles=[role]) for role in (Role.LEADER, Role.RECORDS_CLERK)]
    with pytest.raises(ApplicationError) as refused:
        draft(staff, confidentiality=Confidentiality.SECRET, readers=[staff[Role.HEAD_OF_DIVISION], *outsiders])
    assert refused.value.message.endswith("Còn thiếu: lãnh đạo cơ quan, văn thư.")


def test_a_secret_draft_naming_the_review_chain_reaches_each_of_them_in_turn(staff, division):
    head, leader, clerk = staff[Role.HEAD_OF_DIVISION], staff[Role.LEADER], staff[Role.RECORDS_CLERK]
    document = draft(staff, confidentiality=Confidentiality.SECRET, division=division, readers=[head, leader, clerk])
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    assert document in outgoing_to_act_on(user=head)
    outgoing_review(user=head, document=document, action="head_approve")
    assert document in outgoing_to_act_on(user=leader)
    outgoing_review(user=leader, document=document, action="leader_approve")
    OutgoingDocument.objects.filter(pk=document.pk).update(state=OutgoingState.SIGNED)  # the signature, skipped
    assert document in outgoing_to_act_on(user=clerk)


def test_a_head_drafting_a_secret_document_is_its_own_head(staff, division):
    from docs_office.services.outgoing import outgoing_create
    from tests.docs_office.factories import doc_type
    from tests.docs_office.test_outgoing import pdf_upload

    head = staff[Role.HEAD_OF_DIVISION]
    document = outgoing_create(drafter=head, document_type=doc_type("cong-van"), summary="V/v bảo vệ bí mật",
                               upload=pdf_upload(), division=division, confidentiality=Confidentiality.SECRET,
                               readers=[staff[Role.LEADER], staff[Role.RECORDS_CLERK]])
    assert set(document.readers.all()) == {head, staff[Role.LEADER], staff[Role.RECORDS_CLERK]}


def test_the_api_reports_the_missing_roles_on_readers(staff):
    response = client_for(staff[Role.SPECIALIST]).post(reverse("api-outgoing-document-list"), {
        "document_type": "cong-van", "summary": "V/v bảo vệ bí mật nhà nước", "confidentiality": "secret",
        "readers": [staff[Role.HEAD_OF_DIVISION].pk], "composition": {"body": "Nội dung", "signer_name": "A"}},
        format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "readers_incomplete" and list(error["fields"]) == ["readers"]
    assert "Còn thiếu: lãnh đạo cơ quan, văn thư." in error["message"]
