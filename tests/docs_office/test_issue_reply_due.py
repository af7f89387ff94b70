"""A reply deadline already past on the day of issue (hạn trả lời, xử lý của nơi nhận) is not sent on (found by review:
the recipients' document was overdue on arrival). It cannot be corrected once the leader has signed (it is set only when
drafting, and a signed document never goes back), so the issue clears it and its history says so."""

from datetime import timedelta

import pytest
from django.utils import timezone

from docs_office.constants import OutgoingState
from docs_office.models import IncomingDocument, OutgoingDocument
from egov.accounts.roles import Role
from tests.docs_office.signing import certificates_for
from tests.docs_office.test_outgoing import approved, signed_and_issued

pytestmark = pytest.mark.django_db


def _issued(staff, demo_pki, capture, *, days_after_issue: int, **extra):
    personal, seal = certificates_for(demo_pki, leader=staff[Role.LEADER], records_clerk=staff[Role.RECORDS_CLERK])
    document = approved(staff, reply_due_on=timezone.localdate() + timedelta(days=30), **extra)
    # The days went by while it was reviewed and signed.
    OutgoingDocument.objects.filter(pk=document.pk).update(
        reply_due_on=timezone.localdate() + timedelta(days=days_after_issue))
    return signed_and_issued(staff, OutgoingDocument.objects.get(pk=document.pk), personal, seal, capture)


def test_a_reply_deadline_past_at_issue_is_cleared_and_the_history_says_so(
        staff, demo_pki, other_agency, django_capture_on_commit_callbacks):
    yesterday = timezone.localdate() - timedelta(days=1)
    document = _issued(staff, demo_pki, django_capture_on_commit_callbacks, days_after_issue=-1,
                       recipient_agencies=[other_agency])
    assert document.state == OutgoingState.ISSUED and document.reply_due_on is None
    note = document.events.get(action="issue").note
    assert f"Hạn trả lời, xử lý của nơi nhận ({yesterday:%d/%m/%Y}) đã qua khi phát hành: đã bỏ hạn này" in note
    assert IncomingDocument.objects.get(agency=other_agency).deadline is None


def test_a_reply_deadline_on_the_day_of_issue_is_sent_on(staff, demo_pki, other_agency,
                                                         django_capture_on_commit_callbacks):
    document = _issued(staff, demo_pki, django_capture_on_commit_callbacks, days_after_issue=0,
                       recipient_agencies=[other_agency])
    assert document.reply_due_on == timezone.localdate()
    assert "đã qua" not in document.events.get(action="issue").note
    assert IncomingDocument.objects.get(agency=other_agency).deadline == timezone.localdate()
