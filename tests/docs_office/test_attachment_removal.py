"""Removing an attachment added by mistake: an outgoing appendix while the draft may be edited (never once issued),
an incoming file the records clerk added before the document is assigned (never the sender's); recorded as events,
on the pages (a button the browser confirms) and the API."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from docs_office.constants import IncomingState, OutgoingState
from docs_office.models import IncomingAttachment, OutgoingAttachment
from docs_office.services.attachments import (
    incoming_attachment_remove,
    incoming_attachments_store,
    outgoing_attachment_add,
    outgoing_attachment_remove,
)
from docs_office.services.outgoing import outgoing_review
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import TINY_PDF, assign_to, register_scan, scan
from tests.docs_office.signing import decision_pdf
from tests.docs_office.test_api import client_for
from tests.docs_office.test_outgoing import approved, draft, issued_unsigned
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


def appendix(name="Phụ lục I.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, decision_pdf(), content_type="application/pdf")


@pytest.fixture
def with_appendices(staff):
    document = draft(staff)
    first, second = outgoing_attachment_add(user=staff[Role.SPECIALIST], document=document,
                                            uploads=[appendix("Phụ lục I.pdf"), appendix("Phụ lục II.pdf")])
    return document, first, second


def _refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        call()
    return refused.value


# ------------------------------------------------------------------------------------------------ outgoing


def test_the_drafter_removes_an_appendix_and_the_history_says_who_when_and_which(staff, with_appendices,
                                                                                 django_capture_on_commit_callbacks):
    document, first, second = with_appendices
    storage, name = first.file.storage, first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        outgoing_attachment_remove(user=staff[Role.SPECIALIST], document=document, attachment_id=first.pk)
    assert list(document.attachments.all()) == [second]
    assert not storage.exists(name)  # the file goes with it, once the removal is committed
    event = document.events.order_by("-id").first()
    assert (event.action, event.actor, event.note, event.to_state) == (
        "attachment_remove", staff[Role.SPECIALIST], "Phụ lục I.pdf", OutgoingState.DRAFT)
    assert event.at is not None and event.action_label == "Gỡ phụ lục"


def test_the_reviewer_holding_the_draft_removes_one_and_nobody_else_does(staff, with_appendices):
    document, first, _second = with_appendices
    assert _refusal(lambda: outgoing_attachment_remove(user=staff[Role.LEADER], document=document,
                                                       attachment_id=first.pk)).status == 403
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    assert _refusal(lambda: outgoing_attachment_remove(user=staff[Role.SPECIALIST], document=document,
                                                       attachment_id=first.pk)).status == 403
    outgoing_attachment_remove(user=staff[Role.HEAD_OF_DIVISION], document=document, attachment_id=first.pk)
    assert not OutgoingAttachment.objects.filter(pk=first.pk).exists()


def test_an_approved_draft_keeps_its_appendices_until_it_is_returned(staff):
    document = draft(staff)
    (attached,) = outgoing_attachment_add(user=staff[Role.SPECIALIST], document=document, uploads=[appendix()])
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    outgoing_review(user=staff[Role.LEADER], document=document, action="leader_approve")
    refused = _refusal(lambda: outgoing_attachment_remove(user=staff[Role.LEADER], document=document,
                                                          attachment_id=attached.pk))
    assert refused.status == 409 and "đã trình ký" in refused.message
    assert document.attachments.count() == 1


def test_an_issued_documents_appendix_is_never_removed(staff, registers):
    document = issued_unsigned(staff, registers["outgoing"])
    attached = OutgoingAttachment(document=document, original_name="pl.pdf", size=len(TINY_PDF),
                                  uploaded_by=staff[Role.SPECIALIST], uploaded_at=document.issued_at)
    attached.file.save("pl.pdf", ContentFile(TINY_PDF))
    for user in (staff[Role.SPECIALIST], staff[Role.RECORDS_CLERK], staff[Role.LEADER]):
        refused = _refusal(lambda u=user: outgoing_attachment_remove(user=u, document=document, attachment_id=attached.pk))
        assert (refused.status, refused.message) == (409, "Văn bản đã phát hành, không gỡ được phụ lục.")
    assert document.attachments.count() == 1


def test_another_documents_appendix_is_not_found(staff, with_appendices):
    _document, first, _second = with_appendices
    other = draft(staff)
    refused = _refusal(lambda: outgoing_attachment_remove(user=staff[Role.SPECIALIST], document=other,
                                                          attachment_id=first.pk))
    assert refused.status == 404 and OutgoingAttachment.objects.filter(pk=first.pk).exists()


def test_the_page_offers_removal_with_a_question_and_removes(client, staff, with_appendices):
    document, first, second = with_appendices
    signed_in(client, staff[Role.SPECIALIST])
    page = client.get(reverse("docs_office:outgoing_detail", args=[document.pk])).content.decode()
    url = reverse("docs_office:outgoing_attachment_remove", args=[document.pk, first.pk])
    assert f'action="{url}"' in page and 'data-confirm="Gỡ tệp “Phụ lục I.pdf” khỏi văn bản?"' in page
    assert "js/confirm.js" in page
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][1] == 302 and "Đã gỡ phụ lục." in response.content.decode()
    assert list(document.attachments.all()) == [second]


def test_the_page_offers_no_removal_to_others_and_refuses_it_after_issue(client, staff, registers):
    document = issued_unsigned(staff, registers["outgoing"])
    attached = OutgoingAttachment(document=document, original_name="pl.pdf", size=len(TINY_PDF),
                                  uploaded_by=staff[Role.SPECIALIST], uploaded_at=document.issued_at)
    attached.file.save("pl.pdf", ContentFile(TINY_PDF))
    signed_in(client, staff[Role.SPECIALIST])
    page = client.get(reverse("docs_office:outgoing_detail", args=[document.pk])).content.decode()
    assert 'data-action="attachment_remove"' not in page
    response = client.post(reverse("docs_office:outgoing_attachment_remove", args=[document.pk, attached.pk]))
    assert response.status_code == 409
    assert "Văn bản đã phát hành, không gỡ được phụ lục." in response.content.decode()


def test_the_api_removes_an_appendix_and_refuses_with_the_error_shape(staff, with_appendices):
    document, first, _second = with_appendices
    api = client_for(staff[Role.SPECIALIST])
    url = f"/api/v1/outgoing-documents/{document.pk}/attachments/{first.pk}/"
    assert api.delete(url).status_code == 204
    assert api.delete(url).status_code == 404
    assert api.delete(f"/api/v1/outgoing-documents/{document.pk}/attachments/abc/").status_code == 404
    assert len(api.get(f"/api/v1/outgoing-documents/{document.pk}/").json()["attachments"]) == 1
    assert client_for(staff[Role.LEADER]).delete(
        f"/api/v1/outgoing-documents/{document.pk}/attachments/{_second.pk}/").status_code == 403


def test_the_api_refuses_removal_once_approved(staff):
    document = approved(staff)
    attached = OutgoingAttachment(document=document, original_name="pl.pdf", size=len(TINY_PDF),
                                  uploaded_by=staff[Role.SPECIALIST], uploaded_at=document.created_at)
    attached.file.save("pl.pdf", ContentFile(TINY_PDF))
    response = client_for(staff[Role.SPECIALIST]).delete(
        f"/api/v1/outgoing-documents/{document.pk}/attachments/{attached.pk}/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_editable"


# ------------------------------------------------------------------------------------------------ incoming


def test_the_clerk_removes_a_file_added_by_mistake_before_assignment(staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, attachments=[scan("nham.pdf"), scan("dung.pdf")])
    wrong, right = document.attachments.all()
    incoming_attachment_remove(clerk=clerk, document=document, attachment_id=wrong.pk)
    assert list(document.attachments.all()) == [right]
    event = document.events.order_by("-id").first()
    assert (event.action, event.actor, event.note, event.action_label) == (
        "attachment_remove", clerk, "nham.pdf", "Gỡ tệp đính kèm")


def test_once_assigned_the_files_stay(staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, attachments=[scan("pl.pdf")])
    assign_to(staff[Role.LEADER], document, lead=staff[Role.SPECIALIST])
    document.refresh_from_db()
    assert document.state == IncomingState.ASSIGNED
    refused = _refusal(lambda: incoming_attachment_remove(clerk=clerk, document=document,
                                                          attachment_id=document.attachments.get().pk))
    assert refused.status == 409 and "phân công" in refused.message


def test_the_senders_files_are_never_removed_and_only_the_clerk_removes(staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, attachments=[scan("cua-minh.pdf")])
    (sent,) = incoming_attachments_store(document=document, files=[("noi-gui.pdf", "application/pdf",
                                                                     ContentFile(TINY_PDF))])
    refused = _refusal(lambda: incoming_attachment_remove(clerk=clerk, document=document, attachment_id=sent.pk))
    assert refused.status == 409 and refused.code == "sender_file"
    mine = document.attachments.get(uploaded_by=clerk)
    assert _refusal(lambda: incoming_attachment_remove(clerk=staff[Role.LEADER], document=document,
                                                       attachment_id=mine.pk)).status == 403
    assert IncomingAttachment.objects.filter(document=document).count() == 2


def test_the_incoming_page_and_api_remove_a_clerks_file_only(client, staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, attachments=[scan("cua-minh.pdf"), scan("thua.pdf")])
    (sent,) = incoming_attachments_store(document=document, files=[("noi-gui.pdf", "application/pdf",
                                                                     ContentFile(TINY_PDF))])
    mine, extra = document.attachments.filter(uploaded_by=clerk)
    signed_in(client, clerk)
    page = client.get(reverse("docs_office:incoming_detail", args=[document.pk])).content.decode()
    assert reverse("docs_office:incoming_attachment_remove", args=[document.pk, mine.pk]) in page
    assert reverse("docs_office:incoming_attachment_remove", args=[document.pk, sent.pk]) not in page
    assert client.post(reverse("docs_office:incoming_attachment_remove", args=[document.pk, mine.pk])).status_code == 302
    api = client_for(clerk)
    assert api.delete(f"/api/v1/incoming-documents/{document.pk}/attachments/{extra.pk}/").status_code == 204
    response = api.delete(f"/api/v1/incoming-documents/{document.pk}/attachments/{sent.pk}/")
    assert response.status_code == 409 and response.json()["error"]["message"] == "Tệp do nơi gửi chuyển đến, không gỡ được."
    assert list(document.attachments.all()) == [sent]
