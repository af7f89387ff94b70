"""A request whose signer lost the authority (moved, no longer a leader, account locked) would wait for ever: only the
signer can confirm it. It is withdrawn unsigned — by the signer, or by a leader or records clerk of the agency it was
asked in once the signer is no longer entitled — and what waited for it is told through its callback."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from egov.accounts.roles import Role
from egov.audit.models import LegalEvent
from egov.core.errors import ApplicationError
from signatures import callbacks
from signatures.constants import SignatureRole, SignatureState
from signatures.models import SignatureRequest
from signatures.services import (
    decree30_boxes,
    pdf_add_signature_fields,
    signature_request_confirm,
    signature_request_create,
    signature_request_withdraw,
)
from tests.factories import AgencyFactory, UserFactory
from tests.signatures.documents import render_decision
from tests.signatures.factories import make_signers, otp_now
from tests.signatures.factories import signer_deactivated as _deactivated
from tests.signatures.factories import signer_demoted as _demoted
from tests.signatures.factories import signer_moved as _moved

pytestmark = pytest.mark.django_db

WAITING = "tests.waiting_object"
NOT_HANDLED = "tests.not_withdrawable"
told: list[tuple[int, str]] = []


@callbacks.register(WAITING, withdrawable=True)
def _waiting_object_told(request):
    told.append((request.pk, request.state))


@callbacks.register(NOT_HANDLED)
def _not_handled(request):  # pragma: no cover - never withdrawn
    told.append((request.pk, request.state))


@pytest.fixture(autouse=True)
def _forget_told():
    told.clear()


@pytest.fixture(scope="module")
def fields_pdf():
    pdf, page, box = render_decision()
    return pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=box))


@pytest.fixture
def signers(demo_pki):
    return make_signers(demo_pki)


def _approval(signers, pdf, *, callback=WAITING, **extra) -> SignatureRequest:
    return signature_request_create(pdf=pdf, certificate=signers.leader_certificate, signer=signers.leader,
                                    role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Quyết định 15/QĐ-STP",
                                    callback=callback, **extra)


def _entitled(leader):
    pass





SIGNER_CHANGES = {"entitled": _entitled, "moved": _moved, "demoted": _demoted, "deactivated": _deactivated}


def _login_verified(client, user):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()


def _actor(kind: str, signers, agency):
    return {"signer": lambda: signers.leader,
            "agency-leader": lambda: UserFactory(agency=agency, roles=[Role.LEADER]),
            "agency-records-clerk": lambda: signers.records_clerk,
            "agency-specialist": lambda: UserFactory(agency=agency, roles=[Role.SPECIALIST]),
            "other-agency-leader": lambda: UserFactory(agency=AgencyFactory(), roles=[Role.LEADER])}[kind]()


# (how the signer changed, who withdraws) → allowed? The signer always (a locked account cannot sign in, hence not
# listed); the agency's leaders and records clerk only once the signer lost the authority; nobody else ever.
CASES = [
    *[(change, "signer", True) for change in ("entitled", "moved", "demoted")],
    *[(change, actor, change != "entitled") for change in SIGNER_CHANGES
      for actor in ("agency-leader", "agency-records-clerk")],
    *[(change, actor, False) for change in SIGNER_CHANGES for actor in ("agency-specialist", "other-agency-leader")],
]


@pytest.mark.parametrize(("change", "actor", "allowed"), CASES)
def test_who_may_withdraw_a_pending_request(signers, fields_pdf, change, actor, allowed):
    request = _approval(signers, fields_pdf)
    agency = signers.leader.agency
    SIGNER_CHANGES[change](signers.leader)
    user = _actor(actor, signers, agency)
    if allowed:
        signature_request_withdraw(request=request, user=user, reason="Lãnh đạo đã chuyển công tác")
        request.refresh_from_db()
        assert request.state == SignatureState.WITHDRAWN
    else:
        with pytest.raises(ApplicationError) as refused:
            signature_request_withdraw(request=request, user=user, reason="Lãnh đạo đã chuyển công tác")
        assert refused.value.status == 403
        request.refresh_from_db()
        assert request.state == SignatureState.PENDING


def test_a_withdrawal_records_who_when_from_to_and_why_and_tells_the_waiting_object(signers, fields_pdf):
    request = _approval(signers, fields_pdf)
    _moved(signers.leader)
    clerk = signers.records_clerk
    signature_request_withdraw(request=request, user=clerk, reason="  Ông Nam đã chuyển sang Sở Nội vụ ")
    request.refresh_from_db()
    assert request.state == SignatureState.WITHDRAWN
    assert request.withdrawn_by == clerk and request.withdrawn_at is not None
    assert request.withdraw_reason == "Ông Nam đã chuyển sang Sở Nội vụ"
    event = request.events.get(action="withdraw")
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        clerk, SignatureState.PENDING, SignatureState.WITHDRAWN, "Ông Nam đã chuyển sang Sở Nội vụ")
    assert told == [(request.pk, SignatureState.WITHDRAWN)]
    assert LegalEvent.objects.filter(action="signature.withdrawn").count() == 1


def test_a_withdrawal_needs_a_reason(signers, fields_pdf):
    request = _approval(signers, fields_pdf)
    with pytest.raises(ApplicationError) as refused:
        signature_request_withdraw(request=request, user=signers.leader, reason="   ")
    assert refused.value.status == 400 and "reason" in refused.value.fields
    assert not told


def test_a_request_being_signed_or_signed_is_not_withdrawn(signers, fields_pdf, django_capture_on_commit_callbacks):
    request = _approval(signers, fields_pdf)
    with django_capture_on_commit_callbacks(execute=False):  # confirmed: the signing task has not run yet
        signature_request_confirm(request=request, user=signers.leader, otp_token=otp_now(signers.leader))
    with pytest.raises(ApplicationError) as refused:
        signature_request_withdraw(request=request, user=signers.leader, reason="Không ký nữa")
    assert refused.value.status == 409
    request.refresh_from_db()
    assert request.state == SignatureState.SIGNING


def test_a_failed_request_of_a_signer_who_lost_the_authority_is_withdrawn(signers, fields_pdf):
    request = _approval(signers, fields_pdf)
    SignatureRequest.objects.filter(pk=request.pk).update(state=SignatureState.FAILED, error="TSA")
    _demoted(signers.leader)
    signature_request_withdraw(request=request, user=signers.records_clerk, reason="Không còn là lãnh đạo")
    request.refresh_from_db()
    assert request.state == SignatureState.WITHDRAWN
    assert request.events.get(action="withdraw").from_state == SignatureState.FAILED


def test_a_withdrawn_request_cannot_be_confirmed(signers, fields_pdf):
    request = _approval(signers, fields_pdf)
    signature_request_withdraw(request=request, user=signers.leader, reason="Cần sửa nội dung")
    with pytest.raises(ApplicationError) as refused:
        signature_request_confirm(request=request, user=signers.leader, otp_token=otp_now(signers.leader))
    assert refused.value.status == 409


def test_a_request_whose_waiting_object_does_not_handle_a_withdrawal_is_not_withdrawn(signers, fields_pdf):
    request = _approval(signers, fields_pdf, callback=NOT_HANDLED)
    with pytest.raises(ApplicationError) as refused:
        signature_request_withdraw(request=request, user=signers.leader, reason="Không ký")
    assert refused.value.status == 409
    request.refresh_from_db()
    assert request.state == SignatureState.PENDING


def test_the_requests_signed_with_it_go_with_it_and_are_not_withdrawn_alone(signers, fields_pdf):
    head = _approval(signers, fields_pdf)
    member = _approval(signers, fields_pdf, batch=head)
    with pytest.raises(ApplicationError) as refused:
        signature_request_withdraw(request=member, user=signers.leader, reason="Không ký")
    assert refused.value.status == 409
    signature_request_withdraw(request=head, user=signers.leader, reason="Không ký")
    member.refresh_from_db()
    assert member.state == SignatureState.WITHDRAWN
    assert sorted(told) == sorted([(head.pk, SignatureState.WITHDRAWN), (member.pk, SignatureState.WITHDRAWN)])


def test_the_queue_of_a_signer_who_lost_the_authority_offers_no_confirmation_but_handing_back(
        signers, fields_pdf, client):
    request = _approval(signers, fields_pdf)
    _login_verified(client, signers.leader)
    page = client.get(reverse("signatures:queue")).content.decode()
    assert reverse("signatures:confirm", args=[request.pk]) in page
    _demoted(signers.leader)
    page = client.get(reverse("signatures:queue")).content.decode()
    assert reverse("signatures:confirm", args=[request.pk]) not in page
    assert "Bạn không còn thẩm quyền ký văn bản này" in page
    assert reverse("signatures:withdraw", args=[request.pk]) in page


def test_the_signer_hands_a_request_back_from_the_queue_and_it_leaves_the_queue(signers, fields_pdf, client):
    request = _approval(signers, fields_pdf)
    _moved(signers.leader)
    _login_verified(client, signers.leader)
    refused = client.post(reverse("signatures:withdraw", args=[request.pk]), {"reason": ""})
    assert refused.status_code == 400 and "Cần nêu lý do." in refused.content.decode()
    response = client.post(reverse("signatures:withdraw", args=[request.pk]), {"reason": "Đã chuyển công tác"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == SignatureState.WITHDRAWN and request.withdrawn_by == signers.leader
    page = client.get(reverse("signatures:queue")).content.decode()
    assert f'id="yeu-cau-{request.pk}"' not in page


def test_the_queue_runs_the_same_queries_for_one_or_several_requests(signers, fields_pdf, client,
                                                                     django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _approval(signers, fields_pdf)
    _demoted(signers.leader)
    _login_verified(client, signers.leader)
    client.get(reverse("signatures:queue"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("signatures:queue"))
    signers.leader.groups.set([Group.objects.get(name=Role.LEADER)])
    signers.leader.__dict__.pop("_role_names", None)
    for _ in range(3):
        _approval(signers, fields_pdf)
    _demoted(signers.leader)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("signatures:queue")).content.decode()
    assert page.count("data-not-entitled") == 4
