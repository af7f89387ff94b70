"""What a signature leaves in the file (the visible stamp, the signature's reason) is Vietnamese, whatever the
language the signing runs in: a task run in the leader's request (no worker set up) runs in theirs."""

from datetime import UTC, datetime
from types import SimpleNamespace

from django.utils import translation

from signatures.constants import SignatureRole
from signatures.models import SignatureRequest
from signatures.services.requests import _signing_reason, _stamp


def test_the_leader_s_stamp_reads_in_vietnamese_when_signed_in_english():
    request = SimpleNamespace(stamp_text={}, role=SignatureRole.APPROVAL,
                              signer=SimpleNamespace(full_name="Hoàng Văn Nam", position_title="Giám đốc Sở"),
                              certificate=SimpleNamespace(stamp_image=None))

    with translation.override("en"):
        stamp = _stamp(request, datetime(2026, 12, 7, 3, 0, tzinfo=UTC))

    assert stamp.lines == ["Hoàng Văn Nam", "Giám đốc Sở", "Ký số: 10:00:00 07/12/2026"]


def test_the_signature_s_reason_reads_in_vietnamese_when_signed_in_english():
    with translation.override("en"):
        reason = _signing_reason(SignatureRequest(role=SignatureRole.APPROVAL))

    assert reason == "Lãnh đạo ký duyệt"
