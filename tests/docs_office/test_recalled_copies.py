"""A recalled document is withdrawn at its recipients: the copy keeps its metadata, history and the recall's reason, but
its file and attachments are no longer served (page 410, API 410), and neither page nor API offers them (found by
exploratory testing: the recipient's copy still opened after the recall)."""

import pytest
from django.urls import reverse

from docs_office.constants import IncomingState
from docs_office.models import IncomingDocument
from docs_office.services.exchange import exchange_send
from docs_office.services.incoming import incoming_accept, incoming_close
from docs_office.services.outgoing import outgoing_recall
from egov.accounts.roles import Role
from tests.docs_office.conftest import office_staff
from tests.docs_office.factories import TINY_PDF, assign_to
from tests.docs_office.test_api import client_for
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db

REASON = "Sai sót số liệu tại Điều 2"


@pytest.fixture
def copy(staff, registers, other_agency):
    """The recipient's copy of an issued letter (with an appendix), registered there."""
    from django.core.files.base import ContentFile

    from docs_office.models import OutgoingAttachment
    from tests.docs_office.test_outgoing import issued_unsigned

    letter = issued_unsigned(staff, registers["outgoing"], recipient_agencies=[other_agency])
    from django.utils import timezone

    attachment = OutgoingAttachment(document=letter, original_name="phu-luc.pdf", size=len(TINY_PDF),
                                    uploaded_by=staff[Role.SPECIALIST], uploaded_at=timezone.now())
    attachment.file.save("phu-luc.pdf", ContentFile(TINY_PDF), save=True)
    exchange_send(document=letter, actor=staff[Role.RECORDS_CLERK])
    theirs = office_staff(other_agency)
    incoming = incoming_accept(clerk=theirs[Role.RECORDS_CLERK], document=IncomingDocument.objects.get(agency=other_agency))
    assert incoming.attachments.count() == 1
    return letter, incoming, theirs


def _urls(incoming):
    attachment = incoming.attachments.get()
    return {"page_file": reverse("docs_office:incoming_file", args=[incoming.pk]),
            "page_attachment": reverse("docs_office:incoming_attachment_file", args=[incoming.pk, attachment.pk]),
            "api_file": reverse("api-incoming-document-file", args=[incoming.pk]),
            "api_attachment": reverse("api-incoming-document-attachment", args=[incoming.pk, attachment.pk])}


def test_before_the_recall_the_copy_and_its_appendix_open(client, copy):
    _, incoming, theirs = copy
    urls = _urls(incoming)
    signed_in(client, theirs[Role.LEADER])
    assert client.get(urls["page_file"]).status_code == 200
    assert client.get(urls["page_attachment"]).status_code == 200
    api = client_for(theirs[Role.LEADER])
    assert api.get(urls["api_file"]).status_code == 200
    detail = api.get(reverse("api-incoming-document-detail", args=[incoming.pk])).json()
    assert detail["recall"] is None and detail["file_url"] == urls["api_file"]
    assert "Xem tệp văn bản" in client.get(reverse("docs_office:incoming_detail", args=[incoming.pk])).content.decode()


def test_the_recalled_copy_keeps_its_details_and_reason_but_no_longer_gives_out_its_files(client, copy, staff):
    letter, incoming, theirs = copy
    outgoing_recall(user=staff[Role.RECORDS_CLERK], document=letter, reason=REASON)
    incoming.refresh_from_db()
    assert incoming.state == IncomingState.WITHDRAWN
    urls = _urls(incoming)

    signed_in(client, theirs[Role.LEADER])
    page = client.get(reverse("docs_office:incoming_detail", args=[incoming.pk])).content.decode()
    assert "Xem tệp văn bản" not in page and urls["page_file"] not in page and urls["page_attachment"] not in page
    assert "data-recalled" in page and "đã thu hồi văn bản này lúc" in page and REASON in page
    assert letter.summary in page  # the metadata stays

    for name in ("page_file", "page_attachment"):
        response = client.get(urls[name])
        assert response.status_code == 410, name
        assert "%PDF" not in response.content.decode(errors="replace")
        assert "không còn được cung cấp" in response.content.decode() and REASON in response.content.decode()

    api = client_for(theirs[Role.LEADER])
    for name in ("api_file", "api_attachment"):
        response = api.get(urls[name])
        assert response.status_code == 410, name
        error = response.json()["error"]
        assert error["code"] == "recalled" and REASON in error["message"]
    detail = api.get(reverse("api-incoming-document-detail", args=[incoming.pk])).json()
    assert detail["file_url"] is None
    assert [a["url"] for a in detail["attachments"]] == [None]
    assert detail["recall"]["reason"] == REASON and detail["recall"]["by"] == letter.agency.name
    assert detail["summary"] == letter.summary


def test_a_copy_closed_before_the_recall_stops_giving_out_its_file_too(client, copy, staff):
    letter, incoming, theirs = copy
    assign_to(theirs[Role.LEADER], incoming, lead=theirs[Role.SPECIALIST])
    incoming_close(user=theirs[Role.SPECIALIST], document=incoming, result="Đã triển khai")
    outgoing_recall(user=staff[Role.RECORDS_CLERK], document=letter, reason=REASON)
    incoming.refresh_from_db()
    assert incoming.state == IncomingState.CLOSED  # the handling it had stays on record
    signed_in(client, theirs[Role.SPECIALIST])
    assert client.get(_urls(incoming)["page_file"]).status_code == 410
    assert client_for(theirs[Role.SPECIALIST]).get(_urls(incoming)["api_file"]).status_code == 410
    page = client.get(reverse("docs_office:incoming_detail", args=[incoming.pk])).content.decode()
    assert "Xem tệp văn bản" not in page and REASON in page
