"""An approved document waits for the leader who approved it, and only that leader can sign it. When that leader can
no longer sign (moved to another agency, no longer a leader, account locked), a leader or the records clerk of the
agency sends it back to the leaders' review ("Chuyển lãnh đạo khác ký"), and another leader approves and signs it."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from docs_office.constants import OutgoingState
from docs_office.services.outgoing import (
    outgoing_actions_for,
    outgoing_review,
    outgoing_sign_request,
    outgoing_signer_change,
)
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from signatures.constants import CertificateKind, SignatureState
from signatures.services import signature_request_withdraw
from tests.docs_office.signing import certificates_for, confirm
from tests.docs_office.test_outgoing import approved
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory
from tests.signatures.factories import import_certificate
from tests.signatures.factories import signer_deactivated as _deactivated
from tests.signatures.factories import signer_demoted as _demoted
from tests.signatures.factories import signer_moved as _moved

pytestmark = pytest.mark.django_db

REASON = "Đồng chí Giám đốc đã chuyển công tác sang Sở Nội vụ"





@pytest.fixture
def certificates(staff, demo_pki):
    return certificates_for(demo_pki, leader=staff[Role.LEADER], records_clerk=staff[Role.RECORDS_CLERK])


@pytest.fixture
def signing(staff, certificates):
    """Approved by the leader, who asked to sign it: the request waits for their code."""
    leader = staff[Role.LEADER]
    document = outgoing_sign_request(leader=leader, document=approved(staff), certificate=certificates[0])
    assert document.state == OutgoingState.SIGNING
    return document


@pytest.mark.parametrize("change", [_moved, _demoted, _deactivated], ids=["moved", "demoted", "deactivated"])
def test_the_clerk_sends_a_document_whose_signer_lost_the_authority_back_to_the_leaders(staff, signing, change):
    change(staff[Role.LEADER])
    clerk = staff[Role.RECORDS_CLERK]
    assert "change_signer" in outgoing_actions_for(user=clerk, document=signing)
    document = outgoing_signer_change(user=clerk, document=signing, reason=REASON)
    assert document.state == OutgoingState.LEADER_REVIEW and document.signer is None
    request = document.leader_signature
    request.refresh_from_db()
    assert request.state == SignatureState.WITHDRAWN and request.withdrawn_by == clerk
    event = document.events.get(action="change_signer")
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        clerk, OutgoingState.SIGNING, OutgoingState.LEADER_REVIEW, REASON)


def test_another_leader_then_approves_and_signs(staff, signing, demo_pki, django_capture_on_commit_callbacks):
    _moved(staff[Role.LEADER])
    other = UserFactory(agency=staff[Role.RECORDS_CLERK].agency, roles=[Role.LEADER], full_name="Nguyễn Thị Lan")
    TOTPDevice.objects.create(user=other, name="app", confirmed=True)
    certificate = import_certificate(demo_pki, "leader2", kind=CertificateKind.PERSONAL, owner=other)
    document = outgoing_signer_change(user=other, document=signing, reason=REASON)
    assert "leader_approve" in outgoing_actions_for(user=other, document=document)
    document = outgoing_review(user=other, document=document, action="leader_approve")
    document = outgoing_sign_request(leader=other, document=document, certificate=certificate)
    request = confirm(document.leader_signature, other, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.SIGNED, request.error
    document.refresh_from_db()
    assert document.state == OutgoingState.SIGNED and document.signer == other


def test_an_approved_document_not_yet_asked_to_sign_goes_back_too(staff, certificates):
    document = approved(staff)
    _demoted(staff[Role.LEADER])
    other = UserFactory(agency=document.agency, roles=[Role.LEADER])
    document = outgoing_signer_change(user=other, document=document, reason=REASON)
    assert document.state == OutgoingState.LEADER_REVIEW and document.signer is None
    assert document.events.get(action="change_signer").from_state == OutgoingState.APPROVED


def test_while_the_signer_is_entitled_nobody_else_changes_the_signer(staff, signing):
    clerk = staff[Role.RECORDS_CLERK]
    assert "change_signer" not in outgoing_actions_for(user=clerk, document=signing)
    with pytest.raises(ApplicationError) as refused:
        outgoing_signer_change(user=clerk, document=signing, reason=REASON)
    assert refused.value.status == 409
    signing.refresh_from_db()
    assert signing.state == OutgoingState.SIGNING


def test_only_the_agency_s_leaders_and_records_clerk_change_the_signer(staff, signing, other_agency):
    _moved(staff[Role.LEADER])
    for user in (staff[Role.SPECIALIST], staff[Role.HEAD_OF_DIVISION], UserFactory(agency=other_agency,
                                                                                    roles=[Role.LEADER])):
        assert "change_signer" not in outgoing_actions_for(user=user, document=signing)
        with pytest.raises(ApplicationError) as refused:
            outgoing_signer_change(user=user, document=signing, reason=REASON)
        assert refused.value.status in (403, 404)
    with pytest.raises(ApplicationError) as refused:
        outgoing_signer_change(user=staff[Role.RECORDS_CLERK], document=signing, reason=" ")
    assert refused.value.status == 400 and "reason" in refused.value.fields


def test_the_leader_handing_the_request_back_sends_the_document_back_to_the_leaders(staff, signing):
    leader = staff[Role.LEADER]
    signature_request_withdraw(request=signing.leader_signature, user=leader, reason="Cần sửa trích yếu")
    signing.refresh_from_db()
    assert signing.state == OutgoingState.LEADER_REVIEW
    assert signing.events.get(action="change_signer").note == "Cần sửa trích yếu"


def test_the_page_offers_the_change_to_the_clerk_once_the_signer_lost_the_authority(client, staff, signing):
    clerk = staff[Role.RECORDS_CLERK]
    signed_in(client, clerk)
    url = reverse("docs_office:outgoing_detail", args=[signing.pk])
    assert 'data-form="change_signer"' not in client.get(url).content.decode()
    _moved(staff[Role.LEADER])
    page = client.get(url).content.decode()
    assert 'data-form="change_signer"' in page and "Chuyển lãnh đạo khác ký" in page
    action = reverse("docs_office:outgoing_action", args=[signing.pk, "change_signer"])
    refused = client.post(action, {"reason": ""})
    assert refused.status_code == 400
    response = client.post(action, {"reason": REASON})
    assert response.status_code == 302
    signing.refresh_from_db()
    assert signing.state == OutgoingState.LEADER_REVIEW
    assert "Chuyển lãnh đạo khác ký" in client.get(url).content.decode()  # in the history


def test_the_api_changes_the_signer(staff, signing):
    _demoted(staff[Role.LEADER])
    api = APIClient()
    api.force_authenticate(staff[Role.RECORDS_CLERK])
    response = api.post(f"/api/v1/outgoing-documents/{signing.pk}/actions/change_signer/", {"reason": REASON},
                        format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == OutgoingState.LEADER_REVIEW


def test_the_page_offering_the_change_runs_the_same_queries_for_one_or_more_appendices(
        client, staff, signing, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from docs_office.models import OutgoingAttachment
    from tests.docs_office.factories import TINY_PDF

    _moved(staff[Role.LEADER])
    signed_in(client, staff[Role.RECORDS_CLERK])
    url = reverse("docs_office:outgoing_detail", args=[signing.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    from django.core.files.base import ContentFile

    for index in range(3):
        attachment = OutgoingAttachment(document=signing, original_name=f"phu-luc-{index}.pdf", size=len(TINY_PDF),
                                        uploaded_by=staff[Role.SPECIALIST], uploaded_at=timezone.now())
        attachment.file.save(f"phu-luc-{index}.pdf", ContentFile(TINY_PDF), save=False)
        attachment.save()
    with django_assert_num_queries(len(one.captured_queries)):
        assert 'data-form="change_signer"' in client.get(url).content.decode()


def test_an_older_request_of_another_leader_withdrawn_later_leaves_the_document_alone(staff, signing):
    from signatures.models import SignatureRequest

    leader = staff[Role.LEADER]
    old = signing.leader_signature
    SignatureRequest.objects.filter(pk=old.pk).update(state=SignatureState.FAILED, error="TSA")
    from docs_office.models import OutgoingDocument

    OutgoingDocument.objects.filter(pk=signing.pk).update(state=OutgoingState.APPROVED)
    document = outgoing_review(user=leader, document=signing, action="return", note="Sửa lại")
    for user, action in ((staff[Role.SPECIALIST], "submit"), (staff[Role.HEAD_OF_DIVISION], "head_approve")):
        document = outgoing_review(user=user, document=document, action=action)
    other = UserFactory(agency=document.agency, roles=[Role.LEADER])
    document = outgoing_review(user=other, document=document, action="leader_approve")
    signature_request_withdraw(request=old, user=leader, reason="Không ký bản cũ")
    document.refresh_from_db()
    assert document.state == OutgoingState.APPROVED and document.signer == other
    assert not document.events.filter(action="change_signer").exists()
