# ruff: noqa: F811 (the e-result fixtures, imported, are used as arguments)
"""A dossier's result sent to a leader for signature waits for that leader only. When the leader can no longer sign
(moved, no longer a leader, account locked), the handling agency's leaders or staff withdraw the request ("Chuyển
lãnh đạo khác ký"): the result goes back to "Trình ký kết quả", to another leader."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.constants import DocumentKind, DossierState
from one_stop.models import DossierDocument
from one_stop.services.results import dossier_result_sign_request, dossier_result_signer_change
from signatures.constants import CertificateKind, SignatureState
from signatures.services import signature_request_withdraw
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.test_eresults import _in_progress, _upload_result, result_pdf, world  # noqa: F401
from tests.signatures.conftest import demo_pki  # noqa: F401
from tests.signatures.factories import confirm_and_sign, import_certificate
from tests.signatures.factories import signer_deactivated as _deactivated
from tests.signatures.factories import signer_demoted as _demoted
from tests.signatures.factories import signer_moved as _moved

pytestmark = pytest.mark.django_db

REASON = "Phó Chủ tịch đã chuyển công tác"





@pytest.fixture
def waiting(world, result_pdf):
    dossier = _in_progress(world)
    document = _upload_result(world, dossier, result_pdf)
    request = dossier_result_sign_request(dossier=dossier, user=world["specialist"], document=document,
                                          signer=world["signers"].leader, base_url="https://dvc.example.vn/")
    return dossier, document, request


def _waiting_rows(dossier):
    return DossierDocument.objects.filter(dossier=dossier, kind=DocumentKind.RESULT, signed=False).exclude(
        verification_token="")


@pytest.mark.parametrize("change", [_moved, _demoted, _deactivated], ids=["moved", "demoted", "deactivated"])
@pytest.mark.parametrize("who", ["specialist", "clerk"])
def test_the_agency_withdraws_a_result_request_whose_leader_lost_the_authority(world, waiting, change, who):
    dossier, _document, request = waiting
    change(world["signers"].leader)
    dossier_result_signer_change(dossier=dossier, user=world[who], reason=REASON)
    request.refresh_from_db()
    assert request.state == SignatureState.WITHDRAWN and request.withdrawn_by == world[who]
    assert not _waiting_rows(dossier).exists()
    event = dossier.events.get(action="result_sign_withdrawn")
    assert event.actor == world[who] and REASON in event.note and "Hoàng Văn Nam" in event.note
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_PROGRESS


def test_another_leader_then_signs_the_result_and_the_dossier_is_resolved(world, waiting, demo_pki,
                                                                           django_capture_on_commit_callbacks):
    dossier, document, _request = waiting
    _moved(world["signers"].leader)
    other = UserFactory(agency=world["agency"], roles=[Role.LEADER], full_name="Nguyễn Thị Lan")
    TOTPDevice.objects.create(user=other, name="app", confirmed=True)
    import_certificate(demo_pki, "leader2", kind=CertificateKind.PERSONAL, owner=other)
    dossier_result_signer_change(dossier=dossier, user=world["clerk"], reason=REASON)
    request = dossier_result_sign_request(dossier=dossier, user=world["specialist"], document=document, signer=other,
                                          base_url="https://dvc.example.vn/")
    request = confirm_and_sign(request, other, django_capture_on_commit_callbacks)
    assert request.state == SignatureState.SIGNED, request.error
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RESOLVED


def test_while_the_leader_is_entitled_the_request_is_theirs(world, waiting):
    dossier, _document, request = waiting
    with pytest.raises(ApplicationError) as refused:
        dossier_result_signer_change(dossier=dossier, user=world["specialist"], reason=REASON)
    assert refused.value.status == 409
    request.refresh_from_db()
    assert request.state == SignatureState.PENDING


def test_only_the_handling_agency_changes_the_signer_and_with_a_reason(world, waiting):
    dossier, _document, _request = waiting
    _moved(world["signers"].leader)
    outsider = UserFactory(agency=AgencyFactory(), roles=[Role.LEADER])
    with pytest.raises(ApplicationError) as refused:
        dossier_result_signer_change(dossier=dossier, user=outsider, reason=REASON)
    assert refused.value.status == 403
    with pytest.raises(ApplicationError) as refused:
        dossier_result_signer_change(dossier=dossier, user=world["clerk"], reason="  ")
    assert refused.value.status == 400
    assert _waiting_rows(dossier).count() == 1


def test_the_leader_handing_the_request_back_from_the_queue_frees_the_result(world, waiting):
    dossier, _document, request = waiting
    signature_request_withdraw(request=request, user=world["signers"].leader, reason="Kết quả cần sửa")
    assert not _waiting_rows(dossier).exists()
    assert dossier.events.filter(action="result_sign_withdrawn", actor=world["signers"].leader).exists()


def test_the_staff_page_offers_the_change_then_the_signature_again(world, waiting, client):
    dossier, _document, _request = waiting
    client.force_login(world["specialist"])
    url = reverse("one_stop_staff:dossier", args=[dossier.code])
    page = client.get(url).content.decode()
    assert 'data-form="result_signer_change"' not in page
    _demoted(world["signers"].leader)
    page = client.get(url).content.decode()
    assert 'data-form="result_signer_change"' in page and "Chuyển lãnh đạo khác ký" in page
    response = client.post(reverse("one_stop_staff:result_signer_change", args=[dossier.code]), {"reason": REASON})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-form="result_signer_change"' not in page and "Trình ký kết quả" in page
    assert "chờ lãnh đạo ký số" not in page


def test_the_staff_page_runs_the_same_queries_while_a_result_waits_for_a_leader_who_lost_the_authority(
        world, waiting, client, result_pdf, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier, _document, _request = waiting
    _moved(world["signers"].leader)
    client.force_login(world["clerk"])
    url = reverse("one_stop_staff:dossier", args=[dossier.code])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        _upload_result(world, dossier, result_pdf)
    with django_assert_num_queries(len(one.captured_queries)):
        assert 'data-form="result_signer_change"' in client.get(url).content.decode()
