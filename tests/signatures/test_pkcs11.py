"""A leader's key held in an HSM (SoftHSM2 through PKCS#11) signs a rendered decision end to end."""

import io
import shutil
import subprocess

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.roles import Role
from signatures.constants import CertificateKind, KeyBackend, PadesLevel, SignatureRole, SignatureState
from signatures.services import (
    certificate_register_pkcs11,
    decree30_boxes,
    pdf_add_signature_fields,
    signature_request_create,
)
from tests.conftest import service_missing
from tests.factories import AgencyFactory, UserFactory
from tests.signatures.documents import render_decision
from tests.signatures.factories import confirm_and_sign, trust_demo_root
from tests.signatures.softhsm import (
    SoftHsmToken,
    pkcs11_sessions_close,
    softhsm_available,
    softhsm_conf_write,
    softhsm_key_import,
    softhsm_token_init,
)

pytestmark = pytest.mark.django_db

TOKEN_LABEL = "egov-test"
PIN = "1234"
WRONG_PIN = "0000"


@pytest.fixture(scope="session")
def hsm_token(tmp_path_factory, demo_pki) -> SoftHsmToken:
    """One SoftHSM2 token for the session, holding the keys of `leader2` and `leader`.

    Session-scoped because SoftHSM2 reads SOFTHSM2_CONF only when the module is first loaded and
    python-pkcs11 keeps it loaded for the life of the process.
    """
    if not softhsm_available():
        service_missing("softhsm2 is not installed")
    with pytest.MonkeyPatch.context() as env:
        conf = softhsm_conf_write(tmp_path_factory.mktemp("softhsm"))
        env.setenv("SOFTHSM2_CONF", str(conf))
        token = softhsm_token_init(conf, label=TOKEN_LABEL, pin=PIN, so_pin="5678")
        softhsm_key_import(token, private_key_pem=demo_pki.private_key_pem("leader2"), label="leader2", key_id="01")
        softhsm_key_import(token, private_key_pem=demo_pki.private_key_pem("leader"), label="leader", key_id="02")
        yield token
        pkcs11_sessions_close()


@pytest.fixture
def hsm(settings, hsm_token) -> SoftHsmToken:
    settings.EGOV_PKCS11_MODULE = hsm_token.module
    # Each test starts with the token logged out and no signer cached from an earlier test's rows.
    pkcs11_sessions_close()
    yield hsm_token
    pkcs11_sessions_close()


@pytest.fixture
def tsa(settings, demo_pki):
    settings.EGOV_TSA_URL = demo_pki.tsa_url
    return demo_pki.tsa_url


@pytest.fixture(scope="module")
def decision() -> bytes:
    pdf, page, box = render_decision()
    return pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=box))


@pytest.fixture
def leader(demo_pki):
    trust_demo_root(demo_pki)
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Lạng Sơn", short_name="STP")
    user = UserFactory(agency=agency, roles=[Role.LEADER], full_name="Nguyễn Thị Lan", position_title="Phó Giám đốc Sở")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def register_in_hsm(demo_pki, label: str, *, owner, key_label: str, pin: str = PIN):
    return certificate_register_pkcs11(certificate_data=demo_pki.cert_der(label), chain=demo_pki.chain_der(label),
                                       token_label=TOKEN_LABEL, key_label=key_label, pin=pin,
                                       kind=CertificateKind.PERSONAL, owner=owner)


def sign_with(certificate, leader, pdf: bytes, callbacks_capture):
    request = signature_request_create(pdf=pdf, certificate=certificate, signer=leader, role=SignatureRole.APPROVAL,
                                       field_name="LanhDaoKy", title="Quyết định 15/QĐ-UBND")
    return confirm_and_sign(request, leader, callbacks_capture)


@pytest.fixture
def hsm_certificate(hsm, demo_pki, leader):
    return register_in_hsm(demo_pki, "leader2", owner=leader, key_label="leader2")


@pytest.fixture
def hsm_signed_request(hsm_certificate, leader, decision, tsa, django_capture_on_commit_callbacks):
    return sign_with(hsm_certificate, leader, decision, django_capture_on_commit_callbacks)


def _signed_pdf(request) -> bytes:
    with request.signed_pdf.open("rb") as handle:
        return handle.read()


def test_a_key_held_in_the_hsm_signs_the_decision_at_the_requested_level(hsm_signed_request):
    assert hsm_signed_request.certificate.backend == KeyBackend.PKCS11
    assert hsm_signed_request.state == SignatureState.SIGNED, hsm_signed_request.error
    assert hsm_signed_request.achieved_level == PadesLevel.B_LT


def test_pdfsig_finds_the_hsm_signature_valid(hsm_signed_request, tmp_path):
    if not shutil.which("pdfsig"):
        service_missing("poppler-utils (pdfsig) is not installed")
    path = tmp_path / "signed.pdf"
    path.write_bytes(_signed_pdf(hsm_signed_request))
    # pdfsig exits 0 even on a digest mismatch: the verdict is in its output (DESIGN.md §6).
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 1, out
    assert "Nguyễn Thị Lan" in out


def test_pyhanko_trusts_the_hsm_signature_through_the_intermediate_to_the_demo_root(hsm_signed_request, demo_pki):
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    root = x509.Certificate.load(pem.unarmor(demo_pki.root_pem())[2])
    intermediate = x509.Certificate.load(pem.unarmor(demo_pki.intermediate_pem())[2])
    signature = PdfFileReader(io.BytesIO(_signed_pdf(hsm_signed_request))).embedded_regular_signatures[0]

    # The token holds only the key: the intermediate must come from the chain registered with the
    # certificate (DESIGN.md §6). No fetching, so an AIA download cannot mask a missing intermediate.
    embedded = {c.chosen.dump() for c in signature.signed_data["certificates"]}
    assert intermediate.dump() in embedded
    status = validate_pdf_signature(
        signature,
        signer_validation_context=ValidationContext(trust_roots=[root], allow_fetching=False),
        key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                               match_all_key_usages=False),
    )
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.signing_cert.dump() == demo_pki.cert_der("leader2")


def test_the_hsm_pin_is_stored_encrypted(hsm_certificate):
    stored = bytes(hsm_certificate.encrypted_pin)
    assert stored and PIN.encode() not in stored
    assert not hsm_certificate.encrypted_private_key


def test_a_wrong_pin_fails_the_request_with_a_clear_message(hsm, demo_pki, leader, decision,
                                                             django_capture_on_commit_callbacks):
    certificate = register_in_hsm(demo_pki, "leader", owner=leader, key_label="leader", pin=WRONG_PIN)
    request = sign_with(certificate, leader, decision, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.FAILED
    assert "Mã PIN" in request.error and "không đúng" in request.error, request.error
    assert not request.signed_pdf


def test_a_wrong_pin_does_not_stop_the_right_one_from_signing_afterwards(hsm, demo_pki, leader, decision,
                                                                         django_capture_on_commit_callbacks):
    wrong = register_in_hsm(demo_pki, "leader", owner=leader, key_label="leader", pin=WRONG_PIN)
    right = register_in_hsm(demo_pki, "leader2", owner=leader, key_label="leader2")
    assert sign_with(wrong, leader, decision, django_capture_on_commit_callbacks).state == SignatureState.FAILED
    request = sign_with(right, leader, decision, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.SIGNED, request.error
