"""Remote signing (ký số từ xa): the portal prepares the PDF, the signer approves on the phone, the portal
finishes the signature. The stand-in service is served by the live server, as a real one would be over HTTP."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.roles import Role
from signatures.constants import CertificateKind, PadesLevel, SignatureRole, SignatureState
from signatures.demo_images import demo_signature_png
from signatures.models import RemoteStandinTransaction, SignatureRequest
from signatures.remote.client import RemoteSignaturePending
from signatures.remote.standin import standin_account_create
from signatures.services import (
    certificate_register_remote,
    decree30_boxes,
    pdf_add_signature_fields,
    signature_request_confirm,
    signature_request_create,
    signature_request_reopen,
)
from signatures.services.requests import signature_request_remote_finish, signature_request_remote_start
from signatures.tasks import signature_request_remote_finish_task
from tests.conftest import service_missing
from tests.factories import AgencyFactory, UserFactory
from tests.signatures.documents import render_decision
from tests.signatures.factories import otp_now, trust_demo_root

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNT = "nguyen.thi.lan@smartca"


@pytest.fixture(scope="module")
def decision_pdf():
    pdf, page, box = render_decision()
    return pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=box))


@pytest.fixture
def remote_service(settings, live_server, demo_pki):
    settings.EGOV_REMOTE_SIGNING_URL = live_server.url + "/dich-vu-ky-so-tu-xa"
    settings.EGOV_REMOTE_SIGNING_TOKEN = "ma-truy-cap-thu-nghiem"
    settings.EGOV_REMOTE_SIGNING_CALLBACK_URL = ""
    settings.EGOV_TSA_URL = demo_pki.tsa_url
    standin_account_create(account=ACCOUNT, key_pem=demo_pki.private_key_pem("leader2"))
    return live_server


@pytest.fixture
def leader(demo_pki, remote_service):
    trust_demo_root(demo_pki)
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Lạng Sơn", short_name="STP")
    user = UserFactory(agency=agency, roles=[Role.LEADER], full_name="Nguyễn Thị Lan", position_title="Phó Giám đốc Sở")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    certificate_register_remote(certificate_data=demo_pki.cert_der("leader2"), chain=demo_pki.chain_der("leader2"),
                                account=ACCOUNT, kind=CertificateKind.PERSONAL, owner=user, stamp_png=demo_signature_png())
    return user


def _request(leader, pdf, **extra) -> SignatureRequest:
    return signature_request_create(pdf=pdf, certificate=leader.certificates.get(), signer=leader,
                                    role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Quyết định 15/QĐ-UBND",
                                    **extra)


def _confirm(request, leader, callbacks_capture) -> SignatureRequest:
    with callbacks_capture(execute=True):
        signature_request_confirm(request=request, user=leader, otp_token=otp_now(leader))
    request.refresh_from_db()
    return request


def _answer(client, request, action: str):
    return client.post(reverse("remote_standin:app_confirm", args=[request.remote_transaction]), {"action": action})


def _finish(request) -> SignatureRequest:
    signature_request_remote_finish_task.apply(args=[request.pk])
    request.refresh_from_db()
    return request


@pytest.fixture
def waiting(leader, decision_pdf, django_capture_on_commit_callbacks):
    """A confirmed request whose digest waits on the signer's phone."""
    return _confirm(_request(leader, decision_pdf), leader, django_capture_on_commit_callbacks)


def _signed_pdf(request) -> bytes:
    with request.signed_pdf.open("rb") as handle:
        return handle.read()


def test_confirming_submits_the_digest_and_the_request_waits_for_the_phone(waiting):
    assert waiting.state == SignatureState.SIGNING, waiting.error
    assert waiting.remote_transaction
    remote = RemoteStandinTransaction.objects.get(transaction_id=waiting.remote_transaction)
    assert remote.state == RemoteStandinTransaction.State.PENDING
    assert remote.account.account == ACCOUNT and remote.title == "Quyết định 15/QĐ-UBND"
    assert [e.action for e in waiting.events.all()] == ["create", "confirm", "remote_submit"]


def test_finishing_before_the_signer_answers_keeps_the_request_signing(waiting):
    with pytest.raises(RemoteSignaturePending):
        signature_request_remote_finish(request_id=waiting.pk)
    with pytest.raises(RemoteSignaturePending):
        signature_request_remote_finish_task(waiting.pk)  # called directly, a retry re-raises
    waiting.refresh_from_db()
    assert waiting.state == SignatureState.SIGNING and not waiting.signed_pdf


def test_after_approval_on_the_phone_the_request_is_signed_at_the_level_asked(waiting, client):
    assert _answer(client, waiting, "approve").status_code == 302
    request = _finish(waiting)
    assert request.state == SignatureState.SIGNED, request.error
    assert request.achieved_level == PadesLevel.B_LT
    assert request.remote_state is None
    assert [e.action for e in request.events.all()][-1] == "sign"


def test_the_remotely_signed_pdf_is_trusted_by_pyhanko(waiting, client, demo_pki):
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    _answer(client, waiting, "approve")
    pdf = _signed_pdf(_finish(waiting))
    reader = PdfFileReader(io.BytesIO(pdf))
    (embedded,) = reader.embedded_regular_signatures
    root = x509.Certificate.load(pem.unarmor(demo_pki.root_pem())[2])
    status = validate_pdf_signature(
        embedded, signer_validation_context=ValidationContext(trust_roots=[root], allow_fetching=True),
        key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                               match_all_key_usages=False))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert status.signing_cert.subject.native["common_name"] == "Nguyễn Thị Lan"
    assert "/DSS" in reader.root


def test_the_remotely_signed_pdf_is_valid_for_pdfsig(waiting, client, tmp_path):
    if not shutil.which("pdfsig"):
        service_missing("poppler-utils (pdfsig) is not installed")
    _answer(client, waiting, "approve")
    path = tmp_path / "signed.pdf"
    path.write_bytes(_signed_pdf(_finish(waiting)))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 1, out


def test_the_visible_stamp_is_drawn_in_the_field(waiting, client):
    from pyhanko.pdf_utils.reader import PdfFileReader

    _answer(client, waiting, "approve")
    reader = PdfFileReader(io.BytesIO(_signed_pdf(_finish(waiting))))
    fields = [ref.get_object() for ref in reader.root["/AcroForm"]["/Fields"]]
    (field,) = [f for f in fields if f["/T"] == "LanhDaoKy"]
    appearance = field["/AP"]["/N"]
    assert field["/Rect"] and appearance.data  # a non-empty normal appearance stream
    assert "/XObject" in appearance["/Resources"]  # the signature image


def test_an_archive_level_request_gets_a_document_timestamp(leader, decision_pdf, client, django_capture_on_commit_callbacks):
    from pyhanko.pdf_utils.reader import PdfFileReader

    request = _confirm(_request(leader, decision_pdf, level=PadesLevel.B_LTA), leader, django_capture_on_commit_callbacks)
    _answer(client, request, "approve")
    request = _finish(request)
    assert request.state == SignatureState.SIGNED, request.error
    assert request.achieved_level == PadesLevel.B_LTA
    assert len(PdfFileReader(io.BytesIO(_signed_pdf(request))).embedded_timestamp_signatures) == 1


def test_without_a_timestamp_authority_the_level_is_b_b(leader, decision_pdf, client, settings,
                                                        django_capture_on_commit_callbacks):
    settings.EGOV_TSA_URL = ""
    request = _confirm(_request(leader, decision_pdf), leader, django_capture_on_commit_callbacks)
    _answer(client, request, "approve")
    request = _finish(request)
    assert request.state == SignatureState.SIGNED, request.error
    assert request.achieved_level == PadesLevel.B_B


def test_a_refusal_on_the_phone_fails_the_request_with_the_reason(waiting, client):
    _answer(client, waiting, "reject")
    request = _finish(waiting)
    assert request.state == SignatureState.FAILED
    assert request.error == "Người ký đã từ chối ký trên ứng dụng ký số từ xa."
    assert not request.signed_pdf and request.remote_state is None


def test_a_signer_who_never_answers_fails_after_the_time_limit(waiting, settings):
    settings.EGOV_REMOTE_SIGNING_APPROVAL_MINUTES = 0
    request = _finish(waiting)
    assert request.state == SignatureState.FAILED
    assert "Người ký chưa xác nhận trên ứng dụng trong thời hạn" in request.error


def test_a_signer_moved_to_another_agency_before_approving_on_the_phone_is_not_signed_for(waiting, client, leader):
    """The approval may come up to EGOV_REMOTE_SIGNING_APPROVAL_MINUTES after confirming: the signer is checked again
    when it arrives, as at any signing (found in review)."""
    _answer(client, waiting, "approve")
    leader.agency = AgencyFactory(name="Sở Nội vụ tỉnh Lạng Sơn")
    leader.save(update_fields=["agency"])
    request = _finish(waiting)
    assert request.state == SignatureState.FAILED and not request.signed_pdf
    assert request.error == "Người ký không còn thẩm quyền ký văn bản này."
    assert [e.action for e in request.events.all()][-1] == "fail"


def test_a_certificate_withdrawn_before_the_approval_arrives_fails_the_request(waiting, client, leader):
    _answer(client, waiting, "approve")
    leader.certificates.update(is_active=False)
    request = _finish(waiting)
    assert request.state == SignatureState.FAILED and not request.signed_pdf
    assert request.error == "Chứng thư số đã bị ngừng sử dụng trên hệ thống."


def test_starting_twice_submits_one_transaction(waiting):
    signature_request_remote_start(request_id=waiting.pk)
    signature_request_remote_start(request_id=waiting.pk)
    waiting.refresh_from_db()
    assert RemoteStandinTransaction.objects.count() == 1
    assert RemoteStandinTransaction.objects.get().transaction_id.hex == waiting.remote_transaction.replace("-", "")


def test_finishing_twice_signs_once(waiting, client):
    _answer(client, waiting, "approve")
    first = _finish(waiting)
    signed_sha256 = first.signed_sha256
    signature_request_remote_finish(request_id=waiting.pk)
    first.refresh_from_db()
    assert first.signed_sha256 == signed_sha256
    assert [e.action for e in first.events.all()].count("sign") == 1


def test_a_signature_value_that_does_not_match_the_certificate_fails_the_request(waiting, monkeypatch):
    from signatures.remote import client as remote_client_module

    monkeypatch.setattr(remote_client_module.HttpRemoteSigningClient, "status",
                        lambda self, *, transaction_id: remote_client_module.RemoteStatus("approved", bytes(256)))
    request = _finish(waiting)
    assert request.state == SignatureState.FAILED
    assert "không khớp" in request.error


def test_a_reopened_request_asks_the_phone_again(waiting, client, leader, django_capture_on_commit_callbacks):
    first_transaction = waiting.remote_transaction
    _answer(client, waiting, "reject")
    request = signature_request_reopen(request=_finish(waiting), user=leader)
    request = _confirm(request, leader, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.SIGNING
    assert request.remote_transaction and request.remote_transaction != first_transaction
    assert RemoteStandinTransaction.objects.count() == 2


def test_the_services_notification_finishes_the_signature_without_waiting_for_a_poll(
        leader, decision_pdf, client, settings, remote_service, django_capture_on_commit_callbacks):
    settings.EGOV_REMOTE_SIGNING_CALLBACK_URL = remote_service.url + "/dich-vu-ky-so-tu-xa/thong-bao/"
    request = _confirm(_request(leader, decision_pdf), leader, django_capture_on_commit_callbacks)
    _answer(client, request, "approve")  # the stand-in notifies the portal, which checks and finishes
    request.refresh_from_db()
    assert request.state == SignatureState.SIGNED, request.error


def test_the_stand_in_api_requires_the_bearer_token(waiting, client):
    url = reverse("remote_standin:api_status", args=[waiting.remote_transaction])
    assert client.get(url).status_code == 401
    answer = client.get(url, HTTP_AUTHORIZATION="Bearer ma-truy-cap-thu-nghiem")
    assert answer.status_code == 200 and answer.json()["state"] == "pending"


def test_the_stand_in_does_not_exist_in_production(waiting, client, settings):
    settings.DEBUG = False
    settings.EGOV_TESTING = False
    assert client.get(reverse("remote_standin:app_confirm", args=[waiting.remote_transaction])).status_code == 404
    assert client.post(reverse("remote_standin:api_create"), {}, content_type="application/json").status_code == 404


def test_the_phone_app_lists_and_shows_the_waiting_transaction(waiting, client):
    inbox = client.get(reverse("remote_standin:app_inbox", args=[ACCOUNT]))
    assert inbox.status_code == 200 and "Quyết định 15/QĐ-UBND" in inbox.text
    page = client.get(reverse("remote_standin:app_confirm", args=[waiting.remote_transaction]))
    assert page.status_code == 200
    assert 'value="approve"' in page.text and 'value="reject"' in page.text


@pytest.mark.parametrize("body", ['{"transaction_id": "abc\\u0000"}', '{"transaction_id": ""}', '{"transaction_id": null}',
                                  '{"transaction_id": {"a": 1}}', '["abc"]', "not json", '{"other": "abc"}'])
def test_a_malformed_notification_is_a_400_not_a_500(client, body):
    """Found in review: a NUL in the transaction id reached PostgreSQL and answered 500."""
    client.raise_request_exception = False
    response = client.post("/dich-vu-ky-so-tu-xa/thong-bao/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("invalid", "parse_error")
