"""What other apps may offer to sign with (signatures.selectors): valid now, active, newest expiry first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from egov.accounts.roles import Role
from signatures.selectors import (
    certificates_valid,
    organisation_certificate_for,
    personal_certificate_for,
    personal_certificates_of_role,
)
from tests.signatures.factories import make_signers

pytestmark = pytest.mark.django_db


def test_only_active_certificates_within_their_validity_are_offered(demo_pki):
    signers = make_signers(demo_pki)
    leader, agency = signers.leader, signers.leader.agency
    personal, seal = signers.leader_certificate, signers.agency_certificate
    assert personal_certificate_for(user=leader) == personal
    assert organisation_certificate_for(agency_id=agency.pk) == seal
    assert list(personal_certificates_of_role(agency_id=agency.pk, role=Role.LEADER)) == [personal]
    assert personal_certificates_of_role(agency_id=agency.pk, role=Role.LEADER)[0].owner == leader
    assert not personal_certificates_of_role(agency_id=agency.pk, role=Role.RECORDS_CLERK).exists()
    # Before it starts, after it ends, or withdrawn: not offered.
    assert personal_certificate_for(user=leader, at=personal.not_before - timedelta(seconds=1)) is None
    assert personal_certificate_for(user=leader, at=personal.not_after) is None
    seal.is_active = False
    seal.save(update_fields=["is_active"])
    assert organisation_certificate_for(agency_id=agency.pk) is None
    assert seal not in certificates_valid() and personal in certificates_valid(at=timezone.now())
