"""E-results: a full online dossier's result is signed by the agency's leader with a verification QR code,
resolves on the signature, and is verified on a public page that shows no personal data."""

import io
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.catalogue.data import ProcedureData
from one_stop.constants import DocumentKind, DossierState
from one_stop.models import DossierDocument
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.documents import dossier_document_add
from one_stop.services.dossiers import ApplicantData, dossier_act, dossier_actions_for, dossier_submit_online
from one_stop.services.results import dossier_result_sign_request, result_signers_for
from signatures.constants import SignatureState
from tests.conftest import service_missing
from tests.factories import UserFactory
from tests.one_stop.factories import at_local
from tests.signatures.conftest import demo_pki  # noqa: F401  (the session's demo PKI, served on loopback)
from tests.signatures.documents import render_decision
from tests.signatures.factories import confirm_and_sign, make_signers

pytestmark = pytest.mark.django_db

APPLICANT = ApplicantData(full_name="Đặng Văn Công", id_number="020095001234", phone="0912345678",
                          address="Số 9 phố Bí Mật, Lạng Sơn")


@pytest.fixture(scope="module")
def result_pdf():
    return render_decision()[0]


@pytest.fixture
def world(demo_pki, settings):  # noqa: F811
    settings.EGOV_TSA_URL = demo_pki.tsa_url
    signers = make_signers(demo_pki)
    agency = signers.leader.agency
    specialist = UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name="Lò Văn Chuyên")
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    citizen = UserFactory(citizen=True, full_name=APPLICANT.full_name)
    return {"signers": signers, "agency": agency, "specialist": specialist, "clerk": clerk, "citizen": citizen}


def _procedure(level: str):
    return procedure_upsert(data=ProcedureData(code=f"2.00{len(level)}", name="Thủ tục cấp bản sao trích lục hộ tịch",
                                               field="Hộ tịch", processing_days=3, online_level=level),
                            effective_from=at_local(2025, 7, 1, 0, 0))[0]


def _in_progress(world, level: str = "full"):
    dossier = dossier_submit_online(citizen=world["citizen"], procedure=_procedure(level),
                                    handling_agency=world["agency"], applicant=APPLICANT)
    dossier = dossier_act(dossier=dossier, user=world["clerk"], action="receive")
    return dossier_act(dossier=dossier, user=world["specialist"], action="start")


def _upload_result(world, dossier, pdf):
    return dossier_document_add(dossier=dossier, user=world["specialist"], kind=DocumentKind.RESULT,
                                file=SimpleUploadedFile("ket-qua.pdf", pdf, content_type="application/pdf"))


def _signed(world, dossier, pdf, capture):
    document = _upload_result(world, dossier, pdf)
    request = dossier_result_sign_request(dossier=dossier, user=world["specialist"], document=document,
                                          signer=world["signers"].leader, base_url="https://dvc.example.vn/")
    request = confirm_and_sign(request, world["signers"].leader, capture)
    assert request.state == SignatureState.SIGNED, request.error
    return request, DossierDocument.objects.get(kind=DocumentKind.RESULT, signed=True, dossier=dossier)


@pytest.fixture
def signed(world, result_pdf, django_capture_on_commit_callbacks):
    dossier = _in_progress(world)
    request, row = _signed(world, dossier, result_pdf, django_capture_on_commit_callbacks)
    return dossier, request, row


def test_the_signed_result_is_stored_and_the_dossier_resolved_by_the_leader(signed, world):
    dossier, request, row = signed
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RESOLVED
    resolve = dossier.events.get(action="resolve")
    assert resolve.actor == world["signers"].leader
    assert dossier.events.filter(action="result_signed").exists()
    with row.file.open("rb") as handle:
        stored = handle.read()
    with request.signed_pdf.open("rb") as handle:
        assert stored == handle.read()
    assert row.signed and len(row.verification_token) == 32 and row.sha256 == request.signed_sha256


def test_the_qr_code_is_inside_the_signed_revision(signed):
    from pyhanko.pdf_utils.reader import PdfFileReader

    _dossier, request, row = signed
    with row.file.open("rb") as handle:
        reader = PdfFileReader(io.BytesIO(handle.read()))
    signature = next(s for s in reader.embedded_regular_signatures if s.field_name == "LanhDaoKyKetQua")
    # The verification block is drawn in the bytes the signature covers (before its /Contents), and the
    # page shows the verification address with the token.
    data = reader.stream.getvalue()
    assert b"/EgovEResult" in data[:signature.byte_range[1]]
    assert row.verification_token.encode() in _page_text(data)
    with request.source_pdf.open("rb") as handle:
        assert data.startswith(handle.read())  # the signature is an incremental update of the stamped copy


def _page_text(pdf: bytes) -> bytes:
    if not shutil.which("pdftotext"):
        service_missing("poppler-utils (pdftotext) is not installed")
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True, timeout=60)
    return out.stdout.replace(b"\n", b"")


def test_pdfsig_accepts_the_signed_result(signed, tmp_path):
    if not shutil.which("pdfsig"):
        service_missing("poppler-utils (pdfsig) is not installed")
    _dossier, _request, row = signed
    path = tmp_path / "ket-qua.pdf"
    with row.file.open("rb") as handle:
        path.write_bytes(handle.read())
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout
    assert "Signature is Valid." in out and "Digest Mismatch" not in out, out


def test_a_full_online_dossier_cannot_be_resolved_without_a_signed_result(world, result_pdf):
    dossier = _in_progress(world)
    _upload_result(world, dossier, result_pdf)  # an unsigned result is not enough
    assert "resolve" not in dict(dossier_actions_for(dossier=dossier, user=world["signers"].leader))
    with pytest.raises(ApplicationError) as caught:
        dossier_act(dossier=dossier, user=world["signers"].leader, action="resolve")
    assert caught.value.status == 409 and caught.value.code == "signed_result_required"
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_PROGRESS


def test_a_partial_dossier_is_resolved_as_before(world):
    dossier = _in_progress(world, level="partial")
    assert dossier_act(dossier=dossier, user=world["signers"].leader, action="resolve").state == DossierState.RESOLVED


def test_only_the_handling_agency_may_send_a_result_for_signature(world, result_pdf):
    dossier = _in_progress(world)
    document = _upload_result(world, dossier, result_pdf)
    outsider = UserFactory(leader=True)
    with pytest.raises(ApplicationError) as caught:
        dossier_result_sign_request(dossier=dossier, user=outsider, document=document, signer=world["signers"].leader,
                                    base_url="https://dvc.example.vn/")
    assert caught.value.status == 403
    assert not DossierDocument.objects.exclude(verification_token="").exists()


def test_the_signer_must_be_a_leader_of_the_agency_with_a_certificate(world, result_pdf):
    dossier = _in_progress(world)
    document = _upload_result(world, dossier, result_pdf)
    assert result_signers_for(dossier=dossier) == [world["signers"].leader]
    for signer in (world["specialist"], world["signers"].records_clerk):
        with pytest.raises(ApplicationError) as caught:
            dossier_result_sign_request(dossier=dossier, user=world["specialist"], document=document, signer=signer,
                                        base_url="https://dvc.example.vn/")
        assert caught.value.code == "invalid_signer"


def test_a_second_request_while_one_waits_is_refused(world, result_pdf):
    dossier = _in_progress(world)
    first = _upload_result(world, dossier, result_pdf)
    second = _upload_result(world, dossier, result_pdf)
    dossier_result_sign_request(dossier=dossier, user=world["specialist"], document=first,
                                signer=world["signers"].leader, base_url="https://dvc.example.vn/")
    with pytest.raises(ApplicationError) as caught:
        dossier_result_sign_request(dossier=dossier, user=world["specialist"], document=second,
                                    signer=world["signers"].leader, base_url="https://dvc.example.vn/")
    assert caught.value.code == "already_requested"


def test_a_result_that_is_not_a_pdf_cannot_be_sent_for_signature(world):
    dossier = _in_progress(world)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    document = dossier_document_add(dossier=dossier, user=world["specialist"], kind=DocumentKind.RESULT,
                                    file=SimpleUploadedFile("ket-qua.png", png, content_type="image/png"))
    with pytest.raises(ApplicationError) as caught:
        dossier_result_sign_request(dossier=dossier, user=world["specialist"], document=document,
                                    signer=world["signers"].leader, base_url="https://dvc.example.vn/")
    assert caught.value.code == "not_a_pdf"


def test_the_verification_page_says_valid_and_shows_no_personal_data(signed, client, world):
    dossier, _request, row = signed
    response = client.get(reverse("one_stop:result_verify", args=[row.verification_token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-verdict="valid"' in html and "Chữ ký số hợp lệ" in html
    assert "Hoàng Văn Nam" in html and dossier.code in html and world["agency"].name in html
    assert "Thủ tục cấp bản sao trích lục hộ tịch" in html
    for personal in (APPLICANT.full_name, APPLICANT.id_number, APPLICANT.phone, "Bí Mật", "020079001234"):
        assert personal not in html


@pytest.mark.parametrize("token", ["A" * 32, "abc", "x" * 31 + "%"])
def test_a_wrong_token_is_not_found(signed, client, token):
    assert client.get(f"/tra-cuu-ho-so/xac-thuc-ket-qua/{token}/").status_code == 404


def test_a_waiting_result_has_no_verification_page_yet(world, result_pdf, client):
    dossier = _in_progress(world)
    document = _upload_result(world, dossier, result_pdf)
    dossier_result_sign_request(dossier=dossier, user=world["specialist"], document=document,
                                signer=world["signers"].leader, base_url="https://dvc.example.vn/")
    token = DossierDocument.objects.exclude(verification_token="").get().verification_token
    assert client.get(reverse("one_stop:result_verify", args=[token])).status_code == 404


def test_the_tokens_are_random_and_not_derived_from_the_code(signed, world, result_pdf,
                                                             django_capture_on_commit_callbacks):
    first = signed[2].verification_token
    _request, other = _signed(world, _in_progress(world), result_pdf, django_capture_on_commit_callbacks)
    assert first != other.verification_token
    for token in (first, other.verification_token):
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
        assert signed[0].code not in token


def test_an_uploaded_exact_copy_is_confirmed(signed, client):
    _dossier, _request, row = signed
    with row.file.open("rb") as handle:
        data = handle.read()
    response = client.post(reverse("one_stop:result_verify", args=[row.verification_token]),
                           {"file": SimpleUploadedFile("ban-sao.pdf", data, content_type="application/pdf")})
    assert response.status_code == 200 and 'data-copy-verdict="valid"' in response.content.decode()


def test_a_tampered_copy_is_reported_invalid(signed, client):
    _dossier, _request, row = signed
    with row.file.open("rb") as handle:
        data = bytearray(handle.read())
    # Change one letter inside the signed bytes (the first revision's content), keeping the length.
    at = data.index(b"/Type /Catalog") if b"/Type /Catalog" in data else 200
    data[at + 1] = ord("X") if data[at + 1] != ord("X") else ord("Y")
    response = client.post(reverse("one_stop:result_verify", args=[row.verification_token]),
                           {"file": SimpleUploadedFile("ban-sao.pdf", bytes(data), content_type="application/pdf")})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-copy-verdict="invalid"' in html
    assert "không phải bản đã ký" in html


def test_a_non_pdf_copy_gets_a_clear_error(signed, client):
    _dossier, _request, row = signed
    response = client.post(reverse("one_stop:result_verify", args=[row.verification_token]),
                           {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00" * 50, content_type="application/pdf")})
    assert response.status_code == 400 and "không đúng định dạng" in response.content.decode()


def test_checking_copies_shares_the_verification_pages_limit_and_says_so(signed, client, monkeypatch):
    import uuid

    from django.core.cache import cache

    from signatures.api.views import SignatureVerifyThrottle

    _dossier, _request, row = signed
    url = reverse("one_stop:result_verify", args=[row.verification_token])
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"  # a fresh address: the counters live in the shared cache
    key = f"throttle_signature_verify_page_{address}"
    cache.delete(key)
    monkeypatch.setattr(SignatureVerifyThrottle, "rate", "2/min")
    with row.file.open("rb") as handle:
        data = handle.read()

    def upload():
        return {"file": SimpleUploadedFile("ban-sao.pdf", data, content_type="application/pdf")}

    try:
        # One check on /xac-thuc-chu-ky/ and one here spend the budget of two.
        assert client.post("/xac-thuc-chu-ky/", upload(), REMOTE_ADDR=address).status_code == 200
        assert client.post(url, upload(), REMOTE_ADDR=address).status_code == 200
        response = client.post(url, upload(), REMOTE_ADDR=address)
        html = response.content.decode()
        assert response.status_code == 429
        assert "Gửi quá nhiều lần: vui lòng thử lại sau ít phút." in html and "data-copy-verdict" not in html
        assert 'data-verdict="valid"' in html  # the stored result's report, as on a GET
        # The page itself (the QR code's target) is not limited.
        assert client.get(url, REMOTE_ADDR=address).status_code == 200
    finally:
        cache.delete(key)


def test_the_owner_downloads_the_signed_result_and_nobody_else(signed, client, world):
    dossier, _request, row = signed
    url = reverse("public_services:document", args=[dossier.code, row.pk])
    client.force_login(UserFactory(citizen=True))
    assert client.get(url).status_code == 404
    client.force_login(world["citizen"])
    response = client.get(url)
    assert response.status_code == 200
    with row.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()
    page = client.get(reverse("public_services:dossier", args=[dossier.code])).content.decode()
    assert "bản điện tử có chữ ký số" in page and row.verification_token in page
    # The unsigned draft the result was made from is not offered beside the signed one.
    assert "ket-qua.pdf<" not in page


def test_the_staff_page_sends_a_result_for_signature(world, result_pdf, client):
    dossier = _in_progress(world)
    document = _upload_result(world, dossier, result_pdf)
    client.force_login(world["specialist"])
    page = client.get(reverse("one_stop_staff:dossier", args=[dossier.code])).content.decode()
    assert "Trình ký kết quả" in page and "Hoàng Văn Nam" in page
    response = client.post(reverse("one_stop_staff:result_sign", args=[dossier.code]),
                           {"document": document.pk, "signer": world["signers"].leader.pk})
    assert response.status_code == 302
    assert DossierDocument.objects.filter(dossier=dossier, signed=False).exclude(verification_token="").count() == 1
    assert dossier.events.filter(action="result_sign_request", actor=world["specialist"]).exists()


def test_a_partial_dossier_tells_where_and_when_to_collect(world, client):
    agency = world["agency"]
    agency.address = "Số 1 đường Hùng Vương, Lạng Sơn"
    agency.save(update_fields=["address"])
    dossier = _in_progress(world, level="partial")
    client.force_login(world["citizen"])
    page = client.get(reverse("public_services:dossier", args=[dossier.code])).content.decode()
    assert "Nơi và thời gian nhận kết quả" in page and agency.name in page and "Số 1 đường Hùng Vương" in page
    from django.utils import timezone

    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in page


def test_the_verification_page_runs_a_constant_number_of_queries(signed, client, django_assert_max_num_queries):
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(6):
        assert client.get(reverse("one_stop:result_verify", args=[signed[2].verification_token])).status_code == 200


def test_the_api_marks_the_signed_result_with_its_verification_page(signed, client, world):
    dossier, _request, row = signed
    client.force_login(world["citizen"])
    body = client.get(f"/api/v1/my/dossiers/{dossier.code}/").json()
    results = [d for d in body["documents"] if d["kind"] == "result"]
    assert [(d["id"], d["signed"]) for d in results] == [(row.pk, True)]
    assert results[0]["verification"].endswith(f"/xac-thuc-ket-qua/{row.verification_token}/")
    client.force_login(UserFactory(citizen=True))
    assert client.get(f"/api/v1/my/dossiers/{dossier.code}/").status_code == 404
    assert client.get(f"/api/v1/dossiers/{dossier.code}/documents/{row.pk}/").status_code == 404


def test_the_printed_token_has_no_character_a_reader_would_take_for_hyphenation(signed):
    import re

    _dossier, _request, row = signed
    # A "-" at the end of a printed line was dropped by pdftotext as a hyphenation (an intermittent failure).
    assert re.fullmatch(r"[A-Za-z0-9]{32}", row.verification_token)


# A stream whose /Length is wrong (44 for a 42-byte text): pyHanko reads the object only when the page is drawn on.
DAMAGED_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
               b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>"
               b"endobj\n4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 100 700 Td (Test scan) Tj ET\nendstream endobj\n"
               b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\nxref\n0 6\n0000000000 65535 f \n"
               b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n0000000211 00000 n \n"
               b"0000000298 00000 n \ntrailer<</Size 6/Root 1 0 R>>\nstartxref\n359\n%%EOF\n")


def test_a_damaged_result_pdf_is_refused_when_sent_for_signing_not_a_500():
    """Found by the exploratory test: the upload took it (its type is PDF), the request to sign answered 500."""
    from one_stop.pdf.eresult import result_pdf_prepare

    with pytest.raises(ApplicationError) as refused:
        result_pdf_prepare(pdf=DAMAGED_PDF, url="https://dvc.example.vn/x", lines=["Hồ sơ"])
    assert refused.value.code == "unreadable_pdf" and refused.value.status == 400
