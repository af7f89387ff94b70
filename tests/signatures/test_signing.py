"""Leader then agency sign a WeasyPrint-rendered Vietnamese decision; independent validators agree."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from egov.audit.models import LegalEvent
from egov.core.errors import ApplicationError
from signatures.constants import CertificateKind, PadesLevel, SignatureRole, SignatureState
from signatures.services import (
    decree30_boxes,
    pdf_add_signature_fields,
    signature_request_confirm,
    signature_request_create,
)
from tests.conftest import service_missing
from tests.signatures.documents import render_decision
from tests.signatures.factories import confirm_and_sign, import_certificate, make_signers, otp_now, sign_both

pytestmark = pytest.mark.django_db


@pytest.fixture
def tsa(settings, demo_pki):
    settings.EGOV_TSA_URL = demo_pki.tsa_url
    return demo_pki.tsa_url


@pytest.fixture
def signers(demo_pki):
    return make_signers(demo_pki)


@pytest.fixture(scope="module")
def decision():
    pdf, page, box = render_decision()
    return pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=box)), page, box


@pytest.fixture
def signed_decision(signers, decision, tsa, django_capture_on_commit_callbacks):
    return sign_both(signers, decision[0], django_capture_on_commit_callbacks)


def _pdfsig(path: Path) -> str:
    if not shutil.which("pdfsig"):
        service_missing("poppler-utils (pdfsig) is not installed")
    # pdfsig exits 0 even on a digest mismatch: the verdict is in its output.
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout


def _pyhanko_cli(path: Path, root_pem: Path, *extra: str) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("pyhanko")
    if not cli.exists():
        service_missing("pyhanko-cli is not installed")
    # Organisation certificates carry digitalSignature only; pyHanko's default policy asks for
    # nonRepudiation, so the validation context accepts either, as Vietnamese CAs issue them.
    config = path.with_name("pyhanko.yml")
    config.write_text(
        "validation-contexts:\n"
        "  demo:\n"
        f"    trust: {root_pem}\n"
        "    trust-replace: true\n"
        "    signer-key-usage-policy:\n"
        "      key-usage: [digital_signature, non_repudiation]\n"
        "      match-all-key-usages: false\n"
    )
    return subprocess.run([str(cli), "--config", str(config), "sign", "validate", "--validation-context", "demo",
                           *extra, str(path)], capture_output=True, text=True, timeout=120)


def test_both_signatures_are_valid_for_pdfsig(signed_decision, tmp_path):
    *_, pdf = signed_decision
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    out = _pdfsig(path)
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert "Hoàng Văn Nam" in out and "Sở Tư pháp tỉnh Lạng Sơn" in out


def test_the_pyhanko_validator_trusts_both_signatures_through_the_demo_root(signed_decision, demo_pki, tmp_path):
    *_, pdf = signed_decision
    path, root = tmp_path / "signed.pdf", tmp_path / "root.pem"
    path.write_bytes(pdf)
    root.write_bytes(demo_pki.root_pem())
    result = _pyhanko_cli(path, root)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split(":", 1) for line in result.stdout.strip().splitlines())
    assert set(lines) == {"LanhDaoKy", "VanThuDongDau"}
    for summary in lines.values():
        assert ":INTACT:TRUSTED," in summary and "TIMESTAMP_TOKEN<INTACT:TRUSTED>" in summary, summary
        assert "ACCEPTABLE_MODIFICATIONS" in summary


def test_levels_and_timestamps_are_what_was_asked(signed_decision):
    from pyhanko.pdf_utils.reader import PdfFileReader

    leader_request, agency_request, pdf = signed_decision
    assert leader_request.achieved_level == PadesLevel.B_LT
    assert agency_request.achieved_level == PadesLevel.B_LTA
    reader = PdfFileReader(io.BytesIO(pdf))
    names = [s.field_name for s in reader.embedded_regular_signatures]
    assert names == ["LanhDaoKy", "VanThuDongDau"]
    assert len(reader.embedded_timestamp_signatures) == 1  # the archive timestamp of B-LTA
    assert "/DSS" in reader.root  # validation data embedded for long-term validation


def test_signing_writes_history_and_a_legal_event(signed_decision):
    leader_request, agency_request, _ = signed_decision
    assert [(e.action, e.from_state, e.to_state) for e in leader_request.events.all()] == [
        ("create", "", "pending"), ("confirm", "pending", "signing"), ("sign", "signing", "signed")]
    assert LegalEvent.objects.filter(action="signature.signed").count() == 2


def test_without_a_timestamp_authority_the_signature_is_b_b(signers, decision, settings, django_capture_on_commit_callbacks):
    settings.EGOV_TSA_URL = ""
    request = signature_request_create(pdf=decision[0], certificate=signers.leader_certificate, signer=signers.leader,
                                       role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Báo cáo")
    request = confirm_and_sign(request, signers.leader, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.SIGNED and request.achieved_level == PadesLevel.B_B


def test_a_wrong_code_does_not_sign(signers, decision):
    request = signature_request_create(pdf=decision[0], certificate=signers.leader_certificate, signer=signers.leader,
                                       role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Báo cáo")
    with pytest.raises(ApplicationError) as info:
        signature_request_confirm(request=request, user=signers.leader, otp_token="000000")
    assert info.value.code == "otp_invalid"
    request.refresh_from_db()
    assert request.state == SignatureState.PENDING


def test_only_the_named_signer_can_confirm(signers, decision):
    request = signature_request_create(pdf=decision[0], certificate=signers.leader_certificate, signer=signers.leader,
                                       role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Báo cáo")
    with pytest.raises(ApplicationError) as info:
        signature_request_confirm(request=request, user=signers.records_clerk, otp_token=otp_now(signers.records_clerk))
    assert info.value.status == 403


def test_a_clerk_cannot_sign_with_a_leaders_certificate(signers, decision):
    with pytest.raises(ApplicationError) as info:
        signature_request_create(pdf=decision[0], certificate=signers.leader_certificate, signer=signers.records_clerk,
                                 role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Báo cáo")
    assert info.value.code == "certificate_not_owned"


def test_who_may_sign_is_checked_again_at_confirmation_and_at_signing(signers, decision):
    """Found in review: a records clerk moved to another agency (no longer its clerk) could still confirm and apply
    the old agency's seal to a request made before the move; and one moved after confirming was still signed for."""
    from signatures.services.requests import signature_request_sign
    from tests.factories import AgencyFactory

    def agency_request():
        return signature_request_create(pdf=decision[0], certificate=signers.agency_certificate,
                                        signer=signers.records_clerk, role=SignatureRole.ORGANISATION,
                                        field_name="VanThuDongDau", title="QĐ")

    before, confirmed = agency_request(), agency_request()
    signature_request_confirm(request=confirmed, user=signers.records_clerk, otp_token=otp_now(signers.records_clerk))
    clerk = signers.records_clerk
    clerk.agency = AgencyFactory(name="UBND xã khác")
    clerk.save(update_fields=["agency"])
    clerk = type(clerk).objects.get(pk=clerk.pk)
    with pytest.raises(ApplicationError) as info:
        signature_request_confirm(request=before, user=clerk, otp_token=otp_now(clerk))
    assert (info.value.code, info.value.status) == ("certificate_not_agency", 403)
    before.refresh_from_db()
    assert before.state == SignatureState.PENDING
    # Already confirmed: the signing task fails it, with the reason, rather than seal for the old agency.
    signed = signature_request_sign(request_id=confirmed.pk)
    assert signed.state == SignatureState.FAILED and not signed.signed_pdf
    assert "văn thư của cơ quan" in signed.error


def test_a_wrong_passphrase_is_refused_with_a_clear_message(demo_pki):
    from signatures.services import certificate_import_pkcs12
    from tests.factories import UserFactory

    with pytest.raises(ApplicationError) as info:
        certificate_import_pkcs12(data=demo_pki.pkcs12("leader2", b"dung"), passphrase="sai", kind=CertificateKind.PERSONAL,
                                  owner=UserFactory())
    assert info.value.code == "pkcs12_unreadable"
    assert "mật khẩu không đúng" in info.value.message


def test_an_expired_certificate_cannot_be_asked_to_sign(demo_pki, signers, decision):
    expired = import_certificate(demo_pki, "expired", kind=CertificateKind.PERSONAL, owner=signers.leader)
    with pytest.raises(ApplicationError) as info:
        signature_request_create(pdf=decision[0], certificate=expired, signer=signers.leader,
                                 role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Báo cáo")
    assert info.value.code == "certificate_expired"
    assert "hết hạn" in info.value.message


def test_a_certificate_without_signing_usage_is_refused(demo_pki, signers, decision):
    unusable = import_certificate(demo_pki, "no-signing-usage", kind=CertificateKind.PERSONAL, owner=signers.leader)
    with pytest.raises(ApplicationError) as info:
        signature_request_create(pdf=decision[0], certificate=unusable, signer=signers.leader,
                                 role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Báo cáo")
    assert info.value.code == "certificate_no_signing_usage"


def test_a_revoked_certificate_fails_the_request_with_the_reason(demo_pki, signers, decision, tsa,
                                                                 django_capture_on_commit_callbacks):
    revoked = import_certificate(demo_pki, "revoked", kind=CertificateKind.PERSONAL, owner=signers.leader)
    request = signature_request_create(pdf=decision[0], certificate=revoked, signer=signers.leader,
                                       role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Báo cáo")
    request = confirm_and_sign(request, signers.leader, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.FAILED
    assert "thu hồi" in request.error
    assert not request.signed_pdf


def test_the_private_key_is_stored_encrypted(signers, demo_pki):
    stored = bytes(signers.leader_certificate.encrypted_private_key)
    assert b"PRIVATE KEY" not in stored
    key_der_start = demo_pki.private_key_pem("leader").split(b"\n")[1][:16]
    assert key_der_start not in stored


def test_an_unreachable_timestamp_authority_is_retried_then_reported(signers, decision, settings,
                                                                      django_capture_on_commit_callbacks):
    from signatures.services.requests import MAX_ATTEMPTS

    settings.EGOV_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens on the discard port
    request = signature_request_create(pdf=decision[0], certificate=signers.leader_certificate, signer=signers.leader,
                                       role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Báo cáo")
    # Tasks run in-process here, so the task's retries happen one after another right away.
    request = confirm_and_sign(request, signers.leader, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.FAILED
    assert request.attempts == MAX_ATTEMPTS
    assert "Không kết nối được" in request.error and "dịch vụ cấp dấu thời gian" in request.error
    assert not request.signed_pdf


def test_an_attachment_gets_the_agency_signature_without_image_at_the_top_right(
        signers, tsa, django_capture_on_commit_callbacks):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from signatures.services import decree30_attachment_field

    pdf, _page, _box = render_decision()
    field = decree30_attachment_field(page_width=595.28, page_height=841.89)
    request = signature_request_create(
        pdf=pdf_add_signature_fields(pdf, [field]), certificate=signers.agency_certificate,
        signer=signers.records_clerk, role=SignatureRole.ORGANISATION, field_name=field.name, title="Phụ lục",
        stamp_lines=["Số: 15/QĐ-UBND", "{time}"], stamp_image=False)
    request = confirm_and_sign(request, signers.records_clerk, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.SIGNED, request.error
    with request.signed_pdf.open("rb") as handle:
        reader = PdfFileReader(io.BytesIO(handle.read()))
    widget = reader.root["/AcroForm"]["/Fields"][0]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert x1 > 595.28 / 2 and y2 > 841.89 - 40  # top right of page 1
    assert not _has_image(widget["/AP"]["/N"])


def _has_image(xobject, depth=0) -> bool:
    if xobject.get("/Subtype") == "/Image":
        return True
    inner = xobject.get("/Resources", {}).get("/XObject", {})
    return depth < 5 and any(_has_image(inner[name].get_object() if hasattr(inner[name], "get_object") else inner[name],
                                        depth + 1) for name in inner)


def test_the_leaders_stamp_carries_the_signature_image(signed_decision):
    from pyhanko.pdf_utils.reader import PdfFileReader

    *_, pdf = signed_decision
    fields = {f.get_object()["/T"]: f.get_object() for f in PdfFileReader(io.BytesIO(pdf)).root["/AcroForm"]["/Fields"]}
    assert _has_image(fields["LanhDaoKy"]["/AP"]["/N"]) and _has_image(fields["VanThuDongDau"]["/AP"]["/N"])


def test_signing_a_request_again_changes_nothing(signed_decision):
    from signatures.services import signature_request_sign

    leader_request, _agency_request, _pdf = signed_decision
    again = signature_request_sign(request_id=leader_request.pk)
    assert again.signed_sha256 == leader_request.signed_sha256
    assert [e.action for e in again.events.all()].count("sign") == 1
    assert LegalEvent.objects.filter(action="signature.signed", object_id=str(leader_request.pk)).count() == 1
