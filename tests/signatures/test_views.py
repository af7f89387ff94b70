"""The leader's signing queue: confirm with a one-time code, files only for those concerned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from signatures.constants import SignatureRole, SignatureState
from signatures.models import SignatureRequest
from signatures.services import decree30_boxes, pdf_add_signature_fields, signature_request_create
from tests.factories import UserFactory, login_verified_superuser
from tests.signatures.documents import render_decision
from tests.signatures.factories import make_signers, otp_now

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fields_pdf():
    pdf, page, box = render_decision()
    return pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=box))


@pytest.fixture
def signers(demo_pki):
    return make_signers(demo_pki)


def _request(signers, pdf, title="Quyết định 15/QĐ-UBND"):
    return signature_request_create(pdf=pdf, certificate=signers.leader_certificate, signer=signers.leader,
                                    role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title=title)


def _login_verified(client, user):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()


def test_the_queue_lists_what_waits_for_the_leader(client, signers, fields_pdf):
    _request(signers, fields_pdf)
    _login_verified(client, signers.leader)
    page = client.get(reverse("signatures:queue")).content.decode()
    assert "Quyết định 15/QĐ-UBND" in page and "Xác nhận ký số" in page


def test_the_queue_costs_the_same_queries_for_one_or_many_requests(client, signers, fields_pdf):
    _login_verified(client, signers.leader)
    counts = []
    for total in (1, 6):
        while SignatureRequest.objects.count() < total:
            _request(signers, fields_pdf, title=f"Văn bản {SignatureRequest.objects.count()}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("signatures:queue")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_request_signed_with_another_names_that_document_not_a_request_number(client, signers, fields_pdf):
    main = _request(signers, fields_pdf, title="01/STP-HCTP")
    signature_request_create(pdf=fields_pdf, certificate=signers.leader_certificate, signer=signers.leader,
                             role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Phụ lục 1/1 của văn bản 01/STP-HCTP",
                             batch=main)
    _login_verified(client, signers.leader)

    page = client.get(reverse("signatures:queue")).content.decode()

    assert f'Được ký cùng văn bản <a href="#yeu-cau-{main.pk}">01/STP-HCTP</a> khi xác nhận ký văn bản đó.' in page
    assert "yêu cầu số" not in page


def test_a_wrong_code_is_shown_next_to_the_field_and_nothing_is_signed(client, signers, fields_pdf):
    request = _request(signers, fields_pdf)
    _login_verified(client, signers.leader)
    response = client.post(reverse("signatures:confirm", args=[request.pk]), {"otp_token": "000000"})
    assert response.status_code == 400
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert SignatureRequest.objects.get(pk=request.pk).state == SignatureState.PENDING


def test_the_right_code_signs(client, signers, fields_pdf, django_capture_on_commit_callbacks):
    request = _request(signers, fields_pdf)
    _login_verified(client, signers.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signatures:confirm", args=[request.pk]), {"otp_token": otp_now(signers.leader)})
    assert response.status_code == 302
    request = SignatureRequest.objects.get(pk=request.pk)
    assert request.state == SignatureState.SIGNED
    signed = client.get(reverse("signatures:download", args=[request.pk, "signed"]))
    assert signed.status_code == 200 and b"".join(signed.streaming_content).startswith(b"%PDF-")


def test_someone_else_can_neither_see_nor_confirm_a_request(client, signers, fields_pdf):
    request = _request(signers, fields_pdf)
    stranger = UserFactory(agency=signers.leader.agency)
    client.force_login(stranger)
    assert client.get(reverse("signatures:download", args=[request.pk, "source"])).status_code == 404
    assert client.post(reverse("signatures:confirm", args=[request.pk]), {"otp_token": "123456"}).status_code == 404
    assert "Quyết định 15/QĐ-UBND" not in client.get(reverse("signatures:queue")).content.decode()


def test_the_signature_admin_pages_open_for_a_verified_system_admin(client):
    login_verified_superuser(client)
    for name in ["trustanchor", "certificate", "signaturerequest", "remotestandinaccount", "remotestandintransaction"]:
        assert client.get(reverse(f"admin:signatures_{name}_changelist"), {"q": "a"}).status_code == 200, name
    for name in ["trustanchor", "certificate"]:
        assert client.get(reverse(f"admin:signatures_{name}_add")).status_code == 200, name


def test_not_even_a_superuser_deletes_a_signature_request_in_the_admin(client, signers, fields_pdf):
    """The request is the record of a signature asked and made; its history does not record deletes (found in review)."""
    request = _request(signers, fields_pdf)
    login_verified_superuser(client)
    assert client.get(reverse("admin:signatures_signaturerequest_delete", args=[request.pk])).status_code == 403
    client.post(reverse("admin:signatures_signaturerequest_delete", args=[request.pk]), {"post": "yes"})
    client.post(reverse("admin:signatures_signaturerequest_changelist"),
                {"action": "delete_selected", "_selected_action": [request.pk], "post": "yes"})
    assert SignatureRequest.objects.filter(pk=request.pk).exists()


def test_an_admin_imports_a_pkcs12_certificate_and_a_wrong_password_is_explained(client, demo_pki):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from signatures.models import Certificate

    login_verified_superuser(client)
    leader = UserFactory()
    p12 = demo_pki.pkcs12("leader2", b"dung-mat-khau")

    def post(passphrase):
        return client.post(reverse("admin:signatures_certificate_add"), {
            "kind": "personal", "owner": leader.pk, "passphrase": passphrase,
            "pkcs12_file": SimpleUploadedFile("cert.p12", p12)})

    wrong = post("sai")
    assert wrong.status_code == 200 and "mật khẩu không đúng" in wrong.content.decode()
    assert not Certificate.objects.exists()
    assert post("dung-mat-khau").status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.owner == leader and certificate.common_name == "Nguyễn Thị Lan"


def test_the_admin_shows_a_certificates_chain(client, signers):
    login_verified_superuser(client)
    page = client.get(reverse("admin:signatures_certificate_change", args=[signers.leader_certificate.pk]))
    text = page.content.decode()
    assert "Demo Government CA" in text and "Demo Root CA" in text and "non_repudiation" in text
