"""The demo PKI works end to end with pyHanko: chains, revocation over HTTP, time stamps."""

import asyncio
import urllib.request
from io import BytesIO

import pytest
from asn1crypto import crl, x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

from signatures.demo_pki.builder import OrganisationSpec, PersonSpec, demo_pki_build, demo_pki_load
from tests.signatures.conftest import DEMO_ORGANISATIONS, DEMO_PEOPLE

PASSPHRASE = b"demo-passphrase"


# pyHanko is imported inside the helpers and tests: the project bans it at module level (start-up time).


def certificate(pki, label: str) -> x509.Certificate:
    return x509.Certificate.load(pki.cert_der(label))


def fetching_context(pki):
    from pyhanko_certvalidator import ValidationContext

    # Only the root is given: the intermediate, the OCSP responses and the CRLs come over HTTP.
    return ValidationContext(trust_roots=[certificate(pki, "root")], allow_fetching=True, revocation_mode="hard-fail")


def validate(pki, label: str, context, key_usage: set[str] | None = None):
    from pyhanko_certvalidator import CertificateValidator

    validator = CertificateValidator(certificate(pki, label), validation_context=context)
    return asyncio.run(validator.async_validate_usage(key_usage or {"digital_signature"}))


def blank_pdf() -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    writer = PdfFileWriter()
    contents = writer.add_object(generic.StreamObject(stream_data=b""))
    writer.insert_page(PageObject(contents=contents, media_box=(0, 0, 595, 842)))
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def sign_blank_pdf(pki, label: str, **metadata):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers, timestamps

    signer = signers.SimpleSigner.load_pkcs12_data(pki.pkcs12(label, PASSPHRASE), other_certs=[], passphrase=PASSPHRASE)
    signed = signers.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(blank_pdf())),
        signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES, **metadata),
        signer=signer,
        timestamper=timestamps.HTTPTimeStamper(pki.tsa_url),
    )
    return PdfFileReader(signed)


@pytest.mark.parametrize("label", [person.label for person in DEMO_PEOPLE] + [org.label for org in DEMO_ORGANISATIONS])
def test_signer_chain_validates_to_the_root_with_revocation_fetched_over_http(demo_pki, label):
    context = fetching_context(demo_pki)

    path = validate(demo_pki, label, context)

    assert [cert.subject.native["common_name"] for cert in path] == [
        "Demo Root CA — Cổng Chính quyền điện tử",
        "Demo Government CA",
        certificate(demo_pki, label).subject.native["common_name"],
    ]
    assert context.ocsps, "the leaf's status should come from the OCSP responder"
    assert context.crls, "the intermediate's status should come from the root's CRL"


def test_revoked_certificate_is_reported_revoked_for_key_compromise(demo_pki):
    from pyhanko_certvalidator.errors import RevokedError

    with pytest.raises(RevokedError) as raised:
        validate(demo_pki, "revoked", fetching_context(demo_pki))

    assert raised.value.reason.native == "key_compromise"


def test_crl_served_for_the_intermediate_lists_only_the_revoked_certificate(demo_pki):
    with urllib.request.urlopen(demo_pki.crl_url, timeout=10) as response:
        revocation_list = crl.CertificateList.load(response.read())

    entries = revocation_list["tbs_cert_list"]["revoked_certificates"]
    assert [entry["user_certificate"].native for entry in entries] == [certificate(demo_pki, "revoked").serial_number]
    assert entries[0].crl_reason_value.native == "key_compromise"


def test_expired_certificate_fails_validation_as_expired(demo_pki):
    from pyhanko_certvalidator.errors import ExpiredError

    with pytest.raises(ExpiredError):
        validate(demo_pki, "expired", fetching_context(demo_pki))


def test_certificate_without_signing_usage_is_refused_for_signing(demo_pki):
    from pyhanko_certvalidator.errors import InvalidCertificateError

    with pytest.raises(InvalidCertificateError):
        validate(demo_pki, "no-signing-usage", fetching_context(demo_pki))


@pytest.mark.parametrize(("label", "key_usage"), [("leader", {"non_repudiation"}), ("agency", {"digital_signature"})])
def test_pades_signature_carries_a_trusted_timestamp_from_the_tsa(demo_pki, label, key_usage):
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    reader = sign_blank_pdf(demo_pki, label, md_algorithm="sha256")

    status = validate_pdf_signature(
        reader.embedded_signatures[0],
        signer_validation_context=fetching_context(demo_pki),
        key_usage_settings=KeyUsageConstraints(key_usage=key_usage),
    )

    assert status.bottom_line, status.pretty_print_details()
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.valid and status.timestamp_validity.trusted
    assert status.timestamp_validity.signing_cert.subject.native["common_name"] == "Demo Time-Stamping Authority"


def test_pades_long_term_signature_embeds_revocation_data_fetched_from_the_server(demo_pki):
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    reader = sign_blank_pdf(demo_pki, "leader", embed_validation_info=True, validation_context=fetching_context(demo_pki))

    dss = DocumentSecurityStore.read_dss(reader)
    assert dss.ocsps and dss.crls


def test_agency_certificate_seals_with_digital_signature_only_and_a_person_also_commits(demo_pki):
    agency, leader = certificate(demo_pki, "agency"), certificate(demo_pki, "leader")

    assert agency.key_usage_value.native == {"digital_signature"}
    assert leader.key_usage_value.native == {"digital_signature", "non_repudiation"}
    assert certificate(demo_pki, "no-signing-usage").key_usage_value.native == {"key_encipherment"}
    assert agency.critical_extensions >= {"key_usage"} and leader.critical_extensions >= {"key_usage"}


def test_subjects_name_people_and_agencies_the_way_vietnamese_cas_do(demo_pki):
    leader = certificate(demo_pki, "leader").subject.native
    agency = certificate(demo_pki, "agency").subject.native

    assert leader == {
        "country_name": "VN",
        "title": "Giám đốc Sở",
        "common_name": "Hoàng Văn Nam",
        "user_id": "CCCD:020079001234",
    }
    assert agency == {
        "country_name": "VN",
        "state_or_province_name": "Lạng Sơn",
        "organization_name": "Sở Tư pháp tỉnh Lạng Sơn",
        "common_name": "Sở Tư pháp tỉnh Lạng Sơn",
        "user_id": "MST:4900234567",
    }


def test_service_certificates_carry_their_extended_key_usage(demo_pki):
    assert certificate(demo_pki, "ocsp-gov").extended_key_usage_value.native == ["ocsp_signing"]
    assert certificate(demo_pki, "tsa").extended_key_usage_value.native == ["time_stamping"]


def test_pkcs12_holds_the_key_the_certificate_and_its_chain(demo_pki):
    key, cert, chain = pkcs12.load_key_and_certificates(demo_pki.pkcs12("leader2", PASSPHRASE), PASSPHRASE)

    assert cert.public_bytes(encoding=Encoding.DER) == demo_pki.cert_der("leader2")
    assert [extra.public_bytes(encoding=Encoding.DER) for extra in chain] == [demo_pki.cert_der("gov"), demo_pki.cert_der("root")]
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()


def test_rebuilding_in_the_same_directory_keeps_the_keys(tmp_path):
    people = [PersonSpec(label="clerk", full_name="Vi Thị Hoa", national_id="020190004321", position="Văn thư")]
    organisations = [OrganisationSpec(label="ubnd", name="UBND tỉnh Lạng Sơn", tax_code="4900100100", province="Lạng Sơn")]
    build = {"directory": tmp_path, "base_url": "http://127.0.0.1:9", "people": people, "organisations": organisations}

    first = demo_pki_build(**build)
    second = demo_pki_build(**build)

    for label in ["root", "gov", "clerk", "ubnd", "revoked"]:
        assert second.private_key_pem(label) == first.private_key_pem(label)
        assert certificate(second, label).public_key.dump() == certificate(first, label).public_key.dump()
    assert certificate(second, "clerk").serial_number != certificate(first, "clerk").serial_number


def test_loading_brings_back_the_certificates_that_were_built(demo_pki):
    loaded = demo_pki_load(demo_pki.directory)

    assert loaded.base_url == demo_pki.base_url
    assert loaded.tsa_url == demo_pki.tsa_url
    assert loaded.labels_people == ["leader", "leader2"]
    assert loaded.labels_organisations == ["agency"]
    assert all(loaded.cert_der(label) == demo_pki.cert_der(label) for label in demo_pki.labels)
