"""A leader signs for the agency they led when the signature was asked of them: moved to another agency or no longer
a leader, they no longer sign it — neither at confirmation nor when the queued signing runs (found in review: the
stamp showed their new title on their former agency's document, and the one-stop/eOffice callbacks acted on it)."""

import pytest
from django.contrib.auth.models import Group

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from signatures.constants import SignatureRole, SignatureState
from signatures.models import SignatureRequest
from signatures.services import (
    decree30_boxes,
    pdf_add_signature_fields,
    signature_request_confirm,
    signature_request_create,
)
from signatures.services.requests import signature_request_sign
from tests.factories import AgencyFactory, UserFactory
from tests.signatures.documents import render_decision
from tests.signatures.factories import make_signers, otp_now

pytestmark = pytest.mark.django_db

NOT_ENTITLED = "Người ký không còn thẩm quyền ký văn bản này."


@pytest.fixture(scope="module")
def fields_pdf():
    pdf, page, box = render_decision()
    return pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=box))


@pytest.fixture
def signers(demo_pki):
    return make_signers(demo_pki)


def _moved(leader):
    leader.agency = AgencyFactory(name="Sở Nội vụ tỉnh Lạng Sơn")
    leader.position_title = "Giám đốc Sở Nội vụ"
    leader.save()


def _demoted(leader):
    leader.groups.set([Group.objects.get(name=Role.SPECIALIST)])
    leader.__dict__.pop("_role_names", None)


def _approval(signers, pdf) -> SignatureRequest:
    return signature_request_create(pdf=pdf, certificate=signers.leader_certificate, signer=signers.leader,
                                    role=SignatureRole.APPROVAL, field_name="LanhDaoKy", title="Quyết định 15/QĐ-STP")


def test_a_request_keeps_the_agency_its_signer_belonged_to(signers, fields_pdf):
    request = _approval(signers, fields_pdf)
    assert request.signer_agency_id == signers.leader.agency_id


@pytest.mark.parametrize("change", [_moved, _demoted], ids=["moved-to-another-agency", "no-longer-a-leader"])
def test_a_leader_who_lost_the_authority_cannot_confirm_what_was_asked_before(signers, fields_pdf, change,
                                                                            django_capture_on_commit_callbacks):
    request = _approval(signers, fields_pdf)
    change(signers.leader)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError) as refused:
        signature_request_confirm(request=request, user=signers.leader, otp_token=otp_now(signers.leader))
    assert refused.value.status == 403 and refused.value.message == NOT_ENTITLED
    request.refresh_from_db()
    assert request.state == SignatureState.PENDING and not request.signed_pdf


@pytest.mark.parametrize("change", [_moved, _demoted], ids=["moved-to-another-agency", "no-longer-a-leader"])
def test_a_leader_who_lost_the_authority_after_confirming_is_not_signed_for(signers, fields_pdf, change,
                                                                          django_capture_on_commit_callbacks):
    request = _approval(signers, fields_pdf)
    with django_capture_on_commit_callbacks(execute=False):  # confirmed; the signing task has not run yet
        signature_request_confirm(request=request, user=signers.leader, otp_token=otp_now(signers.leader))
    change(signers.leader)
    signature_request_sign(request_id=request.pk)
    request.refresh_from_db()
    assert request.state == SignatureState.FAILED and not request.signed_pdf
    assert request.error == NOT_ENTITLED


def test_only_a_leader_is_asked_for_an_approval_signature(signers, fields_pdf):
    _demoted(signers.leader)
    with pytest.raises(ApplicationError) as refused:
        _approval(signers, fields_pdf)
    assert refused.value.status == 403


def test_existing_requests_get_their_signers_current_agency(signers, fields_pdf):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("signatures.migrations.0005_request_signer_agency")
    request = _approval(signers, fields_pdf)
    SignatureRequest.objects.filter(pk=request.pk).update(signer_agency=None)
    unrelated = UserFactory(agency=AgencyFactory())
    assert unrelated.agency_id != signers.leader.agency_id
    migration.backfill_signer_agency(apps, None)
    request.refresh_from_db()
    assert request.signer_agency_id == signers.leader.agency_id
