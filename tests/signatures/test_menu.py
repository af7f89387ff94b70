"""The staff layout's "Ký số" link: shown to whoever holds a certificate, personally or through the agency."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from egov.accounts.roles import Role
from signatures.constants import CertificateKind
from signatures.models import Certificate
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
LINK = 'href="/ky-so/"'


def _certificate(*, valid_for=timedelta(days=365), starts_in=timedelta(0), is_active=True, **holder) -> Certificate:
    now = timezone.now()
    kind = CertificateKind.PERSONAL if "owner" in holder else CertificateKind.ORGANISATION
    return Certificate.objects.create(kind=kind, subject="CN=Thử", common_name="Thử", issuer="CN=CA thử",
                                      serial_number=uuid.uuid4().hex[:16], not_before=now + starts_in - timedelta(days=1),
                                      not_after=now + valid_for, is_active=is_active,
                                      fingerprint_sha256=uuid.uuid4().hex + uuid.uuid4().hex, certificate_der=b"x",
                                      **holder)


def _queue_page(client, user) -> str:
    client.force_login(user)
    response = client.get("/mot-cua/ho-so/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_signing_link_follows_the_certificates_of_the_user_or_the_agency(client):
    agency = AgencyFactory()
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    assert LINK not in _queue_page(client, clerk)

    _certificate(owner=clerk)
    assert LINK in _queue_page(client, clerk)

    colleague = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    assert LINK not in _queue_page(client, colleague)
    _certificate(agency=agency)
    assert LINK in _queue_page(client, colleague)
    assert LINK not in _queue_page(client, UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK]))


def test_only_a_certificate_valid_now_shows_the_link(client):
    """Expired, not yet valid or withdrawn from use: nothing could be signed with it, so no link."""
    agency = AgencyFactory()
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    _certificate(owner=clerk, valid_for=-timedelta(minutes=1))
    _certificate(owner=clerk, starts_in=timedelta(days=2))
    _certificate(owner=clerk, is_active=False)
    _certificate(agency=agency, valid_for=-timedelta(days=30))
    assert LINK not in _queue_page(client, clerk)

    _certificate(agency=agency)
    assert LINK in _queue_page(client, clerk)
