"""The signing queue on a real worker: a worker killed halfway still yields exactly one signature."""

import io
import os
import signal

import pytest

from egov.audit.models import LegalEvent
from signatures.constants import SignatureRole, SignatureState
from signatures.models import SignatureRequest
from signatures.services import decree30_boxes, pdf_add_signature_fields, signature_request_confirm, signature_request_create
from tests.integration.conftest import wait_for
from tests.signatures.conftest import demo_pki  # noqa: F401  (the session's demo PKI, served on loopback)
from tests.signatures.documents import render_decision
from tests.signatures.factories import make_signers, otp_now

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_mid_signature_leaves_exactly_one_signature(
        demo_pki, system_redis_url, use_broker, start_worker, settings, tmp_path):  # noqa: F811
    use_broker(system_redis_url)
    settings.EGOV_TSA_URL = demo_pki.tsa_url
    start_worker(system_redis_url, EGOV_TSA_URL=demo_pki.tsa_url, MEDIA_ROOT=str(settings.MEDIA_ROOT))
    signers = make_signers(demo_pki)
    pdf, page, box = render_decision()
    request = signature_request_create(
        pdf=pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=box)),
        certificate=signers.leader_certificate, signer=signers.leader, role=SignatureRole.APPROVAL,
        field_name="LanhDaoKy", title="Quyết định 15/QĐ-UBND", callback="test.slow_once")

    signature_request_confirm(request=request, user=signers.leader, otp_token=otp_now(signers.leader))

    marker = tmp_path / "first-signing.pid"
    pid = int(wait_for(lambda: marker.exists() and marker.read_text(), timeout=60, what="the signing task to start"))
    os.kill(pid, signal.SIGKILL)

    def state():
        return SignatureRequest.objects.values_list("state", flat=True).get(pk=request.pk)

    wait_for(lambda: state() == SignatureState.SIGNED, timeout=120, what="the redelivered signing task")
    request = SignatureRequest.objects.get(pk=request.pk)
    assert request.attempts == 1  # the killed attempt rolled back with its transaction
    assert [e.action for e in request.events.all()] == ["create", "confirm", "sign"]
    assert LegalEvent.objects.filter(action="signature.signed", object_id=str(request.pk)).count() == 1
    from pyhanko.pdf_utils.reader import PdfFileReader

    with request.signed_pdf.open("rb") as handle:
        signatures = PdfFileReader(io.BytesIO(handle.read())).embedded_regular_signatures
    assert [s.field_name for s in signatures] == ["LanhDaoKy"]
