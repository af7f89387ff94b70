"""Verification of signed PDFs: the report, the public page, the signed-copy page and the API."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from signatures.constants import CertificateKind, SignatureRole, SignatureState
from signatures.demo_pki.builder import ROOT_NAME
from signatures.models import TrustAnchor
from signatures.services import decree30_boxes, pdf_add_signature_fields, signature_request_create
from signatures.verification import Verdict, pdf_verify
from tests.egov.core.test_uploads import MALFORMED_ZIPS
from tests.signatures.documents import render_decision
from tests.signatures.factories import confirm_and_sign, import_certificate, make_signers, sign_both

pytestmark = pytest.mark.django_db

PAGE_URL = "/xac-thuc-chu-ky/"
API_URL = "/api/v1/signatures/verify/"
GARBAGE = b"this is not a PDF at all \x00\x01\x02" * 10


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The API throttle and the signed-copy page keep state in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tsa(settings, demo_pki):
    settings.EGOV_TSA_URL = demo_pki.tsa_url
    return demo_pki.tsa_url


@pytest.fixture
def signers(demo_pki):
    return make_signers(demo_pki)


@pytest.fixture(scope="module")
def decision() -> bytes:
    pdf, page, box = render_decision()
    return pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=box))


@pytest.fixture
def signed(signers, decision, tsa, django_capture_on_commit_callbacks):
    """(leader request, agency request, PDF signed by both)."""
    return sign_both(signers, decision, django_capture_on_commit_callbacks)


def _regular(report):
    return [s for s in report.signatures if not s.is_timestamp]


def _upload(content: bytes, name: str = "van-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _with_page_content_replaced(pdf: bytes) -> bytes:
    """An unsigned incremental update that redraws page 1: what a forger appending a revision does."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page_ref, _resources = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    new_content = writer.add_object(generic.StreamObject(stream_data=b"1 0 0 rg 100 100 300 60 re f"))
    page["/Contents"] = generic.ArrayObject([new_content])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- the report -----------------------------------------------------------------------------------


def test_a_document_signed_by_the_leader_then_the_agency_is_valid(signed):
    *_, pdf = signed

    report = pdf_verify(pdf)

    assert report.verdict == Verdict.VALID, report.message
    assert report.signature_count == 2 and report.timestamp_count == 1
    assert report.message == ("Tài liệu còn nguyên vẹn từ khi ký; chữ ký của Hoàng Văn Nam và Sở Tư pháp tỉnh Lạng Sơn "
                              "hợp lệ, chứng thư số do tổ chức được tin cậy cấp.")
    leader, agency = _regular(report)
    assert [leader.field_name, agency.field_name] == ["LanhDaoKy", "VanThuDongDau"]
    for signature in (leader, agency):
        assert signature.verdict == Verdict.VALID
        assert signature.intact and signature.trusted and not signature.revoked
        assert signature.chain_trusted and ROOT_NAME in signature.chain[-1] and ROOT_NAME in signature.trust_anchor
        assert len(signature.chain) == 3
        assert signature.timestamp_time is not None and signature.timestamp_trusted
        assert signature.signing_time is not None
        assert signature.long_term_ok, signature.long_term_reason
        assert signature.modifications_allowed and signature.later_revisions
    assert leader.signer_name == "Hoàng Văn Nam" and leader.identifiers == ["CCCD:020079001234"]
    assert leader.position == "Giám đốc Sở"
    assert leader.modification_level == "form_filling"  # the agency's signature filled its own field
    assert agency.organisation == "Sở Tư pháp tỉnh Lạng Sơn" and agency.identifiers == ["MST:4900234567"]
    # Vietnamese organisation certificates carry digitalSignature only, and that is accepted.
    assert agency.key_usage == ["digital_signature"] and agency.key_usage_ok
    assert agency.modification_level == "lta_updates"


def test_changing_one_byte_inside_the_signed_range_makes_the_document_modified(signed):
    from pyhanko.pdf_utils.reader import PdfFileReader

    *_, pdf = signed
    leader = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    start, length = leader.byte_range[0], leader.byte_range[1]
    offset = pdf.index(b"WeasyPrint")  # the producer string of the first revision
    assert start <= offset < start + length
    tampered = pdf[:offset] + b"w" + pdf[offset + 1:]

    report = pdf_verify(tampered)

    assert report.verdict == Verdict.MODIFIED
    assert report.message.startswith("Tài liệu đã bị thay đổi sau khi ký")
    assert all(not s.intact and s.verdict == Verdict.MODIFIED for s in report.signatures)
    assert "không còn giá trị" in _regular(report)[0].message


def test_an_unsigned_update_that_changes_page_content_is_detected(signed):
    *_, pdf = signed

    report = pdf_verify(_with_page_content_replaced(pdf))

    assert report.verdict == Verdict.MODIFIED
    for signature in report.signatures:
        assert signature.intact  # the signed bytes are untouched ...
        assert signature.later_revisions and not signature.covers_entire_file
        assert signature.modification_level == "other"  # ... but what came after is not allowed
        assert not signature.modifications_allowed
        assert signature.verdict == Verdict.MODIFIED
    assert "thay đổi không được phép" in _regular(report)[0].message


def test_a_root_that_is_no_longer_a_trust_anchor_makes_the_signatures_untrusted(signed):
    *_, pdf = signed
    TrustAnchor.objects.update(is_active=False)

    report = pdf_verify(pdf)

    assert report.verdict == Verdict.UNTRUSTED
    assert "chưa được công nhận" in report.message
    for signature in _regular(report):
        assert signature.intact and not signature.trusted and not signature.chain_trusted
        assert signature.trust_problem == "NO_CERTIFICATE_CHAIN_FOUND"
        assert "không do tổ chức được tin cậy cấp" in signature.message
        assert ROOT_NAME in signature.chain[-1]  # what the file claims, shown but not trusted
        assert not signature.long_term_ok


def test_a_certificate_revoked_before_signing_is_reported_revoked(demo_pki, signers, decision):
    from signatures.backends.base import signer_for
    from signatures.pades import pdf_sign

    # The signing service refuses a revoked certificate, so sign below it, as an outside tool would.
    revoked = import_certificate(demo_pki, "revoked", kind=CertificateKind.PERSONAL, owner=signers.leader)
    pdf, _level = pdf_sign(pdf=decision, signer=signer_for(revoked), field_name="LanhDaoKy", level="B-B", trust_roots=[])

    report = pdf_verify(pdf)

    assert report.verdict == Verdict.REVOKED
    (signature,) = report.signatures
    assert signature.revoked and signature.revocation_date is not None
    assert signature.intact and signature.covers_entire_file
    assert "đã bị thu hồi" in signature.message and "đã bị thu hồi" in report.message


def test_a_signature_without_a_timestamp_is_valid_but_not_verifiable_in_the_long_term(
        signers, decision, settings, django_capture_on_commit_callbacks):
    settings.EGOV_TSA_URL = ""
    request = signature_request_create(pdf=decision, certificate=signers.leader_certificate, signer=signers.leader,
                                       role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Báo cáo")
    request = confirm_and_sign(request, signers.leader, django_capture_on_commit_callbacks)
    with request.signed_pdf.open("rb") as handle:
        pdf = handle.read()

    report = pdf_verify(pdf)

    assert report.verdict == Verdict.VALID
    (signature,) = report.signatures
    assert signature.covers_entire_file and signature.modification_level == "none"
    assert signature.timestamp_time is None and signature.timestamp_trusted is None
    assert signature.long_term_ok is False
    assert "không có dấu thời gian" in signature.long_term_reason


@pytest.mark.parametrize("content", [b"", GARBAGE, b"%PDF-1.7\nkhong phai PDF\n%%EOF", b"%PDF-1.4\n" + bytes(range(256)) * 8])
def test_anything_that_is_not_a_readable_pdf_is_unreadable_and_never_raises(content):
    report = pdf_verify(content)

    assert report.verdict == Verdict.UNREADABLE
    assert report.message.startswith("Không đọc được tệp")
    assert report.signatures == []


def test_a_file_with_too_many_signatures_is_not_verified(signed, monkeypatch, django_assert_num_queries):
    from signatures import verification

    *_, pdf = signed
    monkeypatch.setattr(verification, "MAX_SIGNATURES", 2)

    with django_assert_num_queries(0):  # refused before any work
        report = pdf_verify(pdf)

    assert report.verdict == Verdict.UNREADABLE
    assert "quá nhiều chữ ký" in report.message


def test_a_truncated_pdf_is_unreadable(decision):
    assert pdf_verify(decision[: len(decision) // 2]).verdict == Verdict.UNREADABLE


def test_a_pdf_without_signatures_has_no_signatures(decision):
    report = pdf_verify(decision)  # empty signature fields do not count

    assert report.verdict == Verdict.NO_SIGNATURES
    assert report.signatures == [] and "không có chữ ký số" in report.message


# --- the public page ------------------------------------------------------------------------------


def test_the_public_page_is_open_to_anyone(client):
    response = client.get(PAGE_URL)

    assert response.status_code == 200
    assert "Xác thực văn bản có chữ ký số" in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_the_public_page_shows_the_vietnamese_verdict_for_an_uploaded_file(client, signed):
    *_, pdf = signed

    response = client.post(PAGE_URL, {"file": _upload(pdf)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tài liệu còn nguyên vẹn từ khi ký; chữ ký của Hoàng Văn Nam và Sở Tư pháp tỉnh Lạng Sơn hợp lệ" in page
    assert "verdict-valid" in page and "MST:4900234567" in page
    # A person's ID number is personal data: the public page shows only its last digits.
    assert "020079001234" not in page and "CCCD:••••••••1234" in page
    # Key usages in words, not X.509's identifiers.
    assert "ký số, chống chối bỏ — phù hợp để ký số" in page and "digital_signature" not in page


def test_the_public_page_says_a_tampered_document_was_modified(client, signed):
    *_, pdf = signed

    response = client.post(PAGE_URL, {"file": _upload(_with_page_content_replaced(pdf))})

    assert response.status_code == 200
    assert "Tài liệu đã bị thay đổi sau khi ký" in response.content.decode()


def test_a_garbage_upload_on_the_page_is_answered_as_unreadable(client):
    response = client.post(PAGE_URL, {"file": _upload(GARBAGE)})

    assert response.status_code == 200
    assert "Không đọc được tệp" in response.content.decode()


def test_the_page_without_a_file_shows_the_field_error(client):
    response = client.post(PAGE_URL, {})

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()


def test_the_page_is_throttled_like_the_api_with_a_message_and_no_verification(client, monkeypatch):
    from signatures import public_views
    from signatures.api.views import SignatureVerifyThrottle

    monkeypatch.setattr(SignatureVerifyThrottle, "rate", "2/min")
    for _ in range(2):
        assert client.post(PAGE_URL, {"file": _upload(GARBAGE)}).status_code == 200
    verified = []
    monkeypatch.setattr(public_views, "pdf_verify", lambda data: verified.append(data))

    response = client.post(PAGE_URL, {"file": _upload(GARBAGE)})

    assert response.status_code == 429
    page = response.content.decode()
    assert "Gửi quá nhiều lần: vui lòng thử lại sau ít phút." in page
    assert 'enctype="multipart/form-data"' in page and "Không đọc được tệp" not in page
    assert verified == []
    # Reading the page costs nothing: it stays open; another address has its own budget.
    assert client.get(PAGE_URL).status_code == 200
    assert client.post(PAGE_URL, {"file": _upload(GARBAGE)}, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_signed_in_visitor_is_throttled_on_the_page_too(client, monkeypatch):
    from signatures.api.views import SignatureVerifyThrottle
    from tests.factories import UserFactory

    monkeypatch.setattr(SignatureVerifyThrottle, "rate", "1/min")
    client.force_login(UserFactory(citizen=True))

    assert client.post(PAGE_URL, {"file": _upload(GARBAGE)}).status_code == 200
    assert client.post(PAGE_URL, {"file": _upload(GARBAGE)}).status_code == 429


def test_verifying_on_the_page_runs_a_bounded_number_of_queries(client, signed, django_assert_max_num_queries):
    *_, pdf = signed

    with django_assert_max_num_queries(1):  # the trust anchors, whatever the number of signatures
        response = client.post(PAGE_URL, {"file": _upload(pdf)})

    assert response.status_code == 200


def test_the_signed_copy_page_verifies_the_stored_result(client, signed, django_assert_max_num_queries):
    _leader, agency_request, _pdf = signed
    assert agency_request.state == SignatureState.SIGNED

    with django_assert_max_num_queries(2):  # the request, the trust anchors
        response = client.get(f"{PAGE_URL}{agency_request.signed_sha256}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert agency_request.signed_sha256 in page
    assert "Tài liệu còn nguyên vẹn từ khi ký" in page
    with django_assert_max_num_queries(0):  # a QR code scanned again within minutes: from the cache
        assert client.get(f"{PAGE_URL}{agency_request.signed_sha256}/").status_code == 200


def test_the_signed_copy_page_is_404_for_an_unknown_hash(client):
    assert client.get(f"{PAGE_URL}{'ab' * 32}/").status_code == 404
    assert client.get(f"{PAGE_URL}khong-phai-ma-bam/").status_code == 404


def test_the_signed_copy_page_flags_a_stored_file_that_no_longer_matches_its_hash(client, signed):
    _leader, agency_request, pdf = signed
    with open(agency_request.signed_pdf.path, "wb") as handle:
        handle.write(_with_page_content_replaced(pdf))

    response = client.get(f"{PAGE_URL}{agency_request.signed_sha256}/")

    assert response.status_code == 200
    assert "không khớp với mã băm" in response.content.decode()


def test_the_signed_copy_page_says_so_when_the_stored_file_is_missing(client, signed):
    import os

    _leader, agency_request, _pdf = signed
    os.remove(agency_request.signed_pdf.path)

    response = client.get(f"{PAGE_URL}{agency_request.signed_sha256}/")

    assert response.status_code == 200
    assert "Không đọc được bản lưu trên hệ thống" in response.content.decode()


# --- the API --------------------------------------------------------------------------------------


def test_the_api_returns_the_report_as_json(client, signed):
    *_, pdf = signed

    response = client.post(API_URL, {"file": _upload(pdf)})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verdict"] == "valid" and body["signature_count"] == 2 and body["timestamp_count"] == 1
    assert body["message"].startswith("Tài liệu còn nguyên vẹn từ khi ký")
    leader = body["signatures"][0]
    assert leader["signer_name"] == "Hoàng Văn Nam" and leader["chain_trusted"] is True
    assert leader["long_term_ok"] is True and leader["modification_level"] == "form_filling"
    assert leader["timestamp_time"] and leader["certificate_serial"]


def test_the_api_refuses_a_non_pdf_with_the_error_shape(client):
    response = client.post(API_URL, {"file": _upload(GARBAGE, name="khong-phai.pdf")})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_a_pdf"
    assert "không đúng định dạng" in error["message"]
    assert set(error["fields"]) == {"file"}


def test_the_api_answers_a_corrupt_pdf_with_the_unreadable_verdict(client):
    response = client.post(API_URL, {"file": _upload(b"%PDF-1.7\nhong\n")})

    assert response.status_code == 200
    assert response.json()["verdict"] == "unreadable"


def test_the_api_requires_a_file(client):
    response = client.post(API_URL, {})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "file" in response.json()["error"]["fields"]


def test_the_api_is_throttled(client, monkeypatch):
    from signatures.api.views import SignatureVerifyThrottle

    monkeypatch.setattr(SignatureVerifyThrottle, "rate", "2/min")
    for _ in range(2):
        assert client.post(API_URL, {"file": _upload(GARBAGE)}).status_code == 400

    response = client.post(API_URL, {"file": _upload(GARBAGE)})

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_the_api_is_documented_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"]["/api/v1/signatures/verify/"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "400", "429"} <= set(operation["responses"])
    report = schema["components"]["schemas"]["VerificationReport"]
    assert {"verdict", "message", "signatures"} <= set(report["properties"])


def test_a_signed_results_qr_code_leads_to_the_verification_of_its_stored_copy(client, signed):
    from egov.core.qr import qr_svg
    from signatures.services import signed_copy_verification_url

    _leader, agency_request, _pdf = signed
    url = signed_copy_verification_url(request=agency_request, base_url="https://dichvucong.langson.gov.vn/")
    assert url.startswith("https://dichvucong.langson.gov.vn/xac-thuc-chu-ky/")
    assert url.endswith(f"{agency_request.signed_sha256}/")
    assert "<svg" in qr_svg(url)
    page = client.get(url.removeprefix("https://dichvucong.langson.gov.vn"))
    assert page.status_code == 200


def test_the_public_verifier_never_downloads_certificates_named_in_an_uploaded_file():
    from signatures.pades import validation_context

    assert validation_context(trust_roots=[], fetch_certificates=False).certificate_registry.fetcher is None
    assert validation_context(trust_roots=[]).certificate_registry.fetcher is not None


def test_the_public_page_names_certificate_attributes_in_vietnamese(client, signed):
    """asn1crypto writes "Common Name: …, Organization: …": the page showed English labels."""
    *_, pdf = signed
    page = client.post(PAGE_URL, {"file": _upload(pdf)}).content.decode()
    assert "Tên: Hoàng Văn Nam" in page and "Common Name" not in page and "Organization" not in page
    assert "020079001234" not in page  # still masked


def test_a_number_filled_after_the_last_signature_is_a_change_no_one_signed(tsa, signers,
                                                                            django_capture_on_commit_callbacks):
    """Found in review: an issued document's number (a text field the records clerk fills between the leader's
    signature and the agency's) could be rewritten after the agency's seal, with no key, and still verify "valid".
    A seal made before the seal's field carried its lock (below) is checked by our verifier, which names the field."""
    from dataclasses import replace

    from signatures.services import TextFieldSpec, pdf_fill_text_fields

    pdf, page, box = render_decision()
    leader_field, seal_field = decree30_boxes(page=page, leader_box=box)
    pdf = pdf_add_signature_fields(pdf, [leader_field, replace(seal_field, locks_document=False)],
                                   [TextFieldSpec(name="SoVanBan", page=page, box=(60, 700, 120, 720))])
    leader = confirm_and_sign(signature_request_create(
        pdf=pdf, certificate=signers.leader_certificate, signer=signers.leader, role=SignatureRole.APPROVAL,
        field_name="LanhDaoKy", title="QĐ"), signers.leader, django_capture_on_commit_callbacks)
    with leader.signed_pdf.open("rb") as handle:
        numbered = pdf_fill_text_fields(handle.read(), {"SoVanBan": "15"})  # as outgoing_issue does
    # Until the agency's seal covers it, the number is signed by no one: the leader signed a blank.
    assert pdf_verify(numbered).verdict == Verdict.MODIFIED
    agency = confirm_and_sign(signature_request_create(
        pdf=numbered, certificate=signers.agency_certificate, signer=signers.records_clerk,
        role=SignatureRole.ORGANISATION, field_name="VanThuDongDau", title="QĐ"), signers.records_clerk,
        django_capture_on_commit_callbacks)
    assert agency.state == SignatureState.SIGNED, agency.error
    with agency.signed_pdf.open("rb") as handle:
        issued = handle.read()
    assert pdf_verify(issued).verdict == Verdict.VALID
    forged = pdf_fill_text_fields(issued, {"SoVanBan": "99"})  # anyone, after issue, without a key
    report = pdf_verify(forged)
    assert report.verdict == Verdict.MODIFIED
    seal = next(s for s in report.signatures if s.field_name == "VanThuDongDau")
    assert seal.unsigned_fields == ["SoVanBan"] and "“SoVanBan”" in seal.message
    assert "đã bị thay đổi sau khi ký" in report.message


def test_the_agency_seal_locks_the_document_for_every_validator(tsa, signers, django_capture_on_commit_callbacks):
    """The seal's field carries a lock (DocMDP P=1): pyHanko's own difference analysis — not only our
    verifier's check of fields filled after the last signature — reports a number rewritten after issue."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from signatures.services import TextFieldSpec, pdf_fill_text_fields

    pdf, page, box = render_decision()
    pdf = pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=box),
                                   [TextFieldSpec(name="SoVanBan", page=page, box=(60, 700, 120, 720))])
    leader = confirm_and_sign(signature_request_create(
        pdf=pdf, certificate=signers.leader_certificate, signer=signers.leader, role=SignatureRole.APPROVAL,
        field_name="LanhDaoKy", title="QĐ"), signers.leader, django_capture_on_commit_callbacks)
    with leader.signed_pdf.open("rb") as handle:
        numbered = pdf_fill_text_fields(handle.read(), {"SoVanBan": "15"})
    agency = confirm_and_sign(signature_request_create(
        pdf=numbered, certificate=signers.agency_certificate, signer=signers.records_clerk,
        role=SignatureRole.ORGANISATION, field_name="VanThuDongDau", title="QĐ"), signers.records_clerk,
        django_capture_on_commit_callbacks)
    with agency.signed_pdf.open("rb") as handle:
        issued = handle.read()

    def seal_status(pdf_bytes):
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        seal = next(s for s in reader.embedded_signatures if s.field_name == "VanThuDongDau")
        return validate_pdf_signature(seal, signer_validation_context=ValidationContext(trust_roots=[]))

    assert seal_status(issued).docmdp_ok is True  # the timestamps and archival data of its own level pass
    forged = pdf_fill_text_fields(issued, {"SoVanBan": "99"})
    assert seal_status(forged).docmdp_ok is False
    report = pdf_verify(forged)  # and ours says so
    assert report.verdict == Verdict.MODIFIED and "đã bị thay đổi sau khi ký" in report.message


@MALFORMED_ZIPS
def test_a_malformed_zip_sent_for_verification_is_a_400_not_a_500(client, payload):
    """The public verification upload runs the upload checks first: a zip that makes zipfile raise something other
    than BadZipFile is refused as of the wrong type (found in review: an anonymous 500)."""
    client.raise_request_exception = False
    upload = SimpleUploadedFile("giay-to.docx", payload, content_type="application/octet-stream")
    response = client.post(API_URL, {"file": upload})
    assert response.status_code == 400, response.status_code
