"""Signing fixtures: demo certificates imported into the database, signers with TOTP devices."""

from dataclasses import dataclass

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.roles import Role
from signatures.constants import CertificateKind, SignatureRole, SignatureState
from signatures.demo_images import demo_seal_png, demo_signature_png
from signatures.services import (
    certificate_import_pkcs12,
    signature_request_confirm,
    signature_request_create,
    trust_anchor_add,
)
from tests.factories import AgencyFactory, UserFactory

PASSPHRASE = "mat-khau-p12"


def otp_now(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    # Each code is accepted once (django-otp refuses a replay): step the device's drift window forward.
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    device.last_t = -1
    device.save(update_fields=["last_t"])
    return code


@dataclass
class Signers:
    leader: object
    records_clerk: object
    leader_certificate: object
    agency_certificate: object


def trust_demo_root(pki) -> None:
    trust_anchor_add(name="Demo Root CA", data=pki.root_pem())


def import_certificate(pki, label: str, *, kind: str, owner=None, agency=None, stamp_png=None):
    return certificate_import_pkcs12(data=pki.pkcs12(label, PASSPHRASE.encode()), passphrase=PASSPHRASE, kind=kind,
                                     owner=owner, agency=agency, stamp_png=stamp_png)


def make_signers(pki, *, leader_label: str = "leader") -> Signers:
    trust_demo_root(pki)
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Lạng Sơn", short_name="STP")
    leader = UserFactory(agency=agency, roles=[Role.LEADER], full_name="Hoàng Văn Nam", position_title="Giám đốc Sở")
    clerk = UserFactory(agency=agency, roles=[Role.RECORDS_CLERK], full_name="Phạm Thị Thu", position_title="Văn thư")
    for user in (leader, clerk):
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return Signers(
        leader=leader, records_clerk=clerk,
        leader_certificate=import_certificate(pki, leader_label, kind=CertificateKind.PERSONAL, owner=leader,
                                              stamp_png=demo_signature_png()),
        agency_certificate=import_certificate(pki, "agency", kind=CertificateKind.ORGANISATION, agency=agency,
                                              stamp_png=demo_seal_png()),
    )


def confirm_and_sign(request, user, callbacks_capture):
    with callbacks_capture(execute=True):
        signature_request_confirm(request=request, user=user, otp_token=otp_now(user))
    request.refresh_from_db()
    return request


def sign_both(signers, pdf, callbacks_capture):
    leader_request = signature_request_create(
        pdf=pdf, certificate=signers.leader_certificate, signer=signers.leader, role=SignatureRole.APPROVAL,
        field_name="LanhDaoKy", title="Quyết định 15/QĐ-UBND")
    leader_request = confirm_and_sign(leader_request, signers.leader, callbacks_capture)
    assert leader_request.state == SignatureState.SIGNED, leader_request.error
    with leader_request.signed_pdf.open("rb") as handle:
        after_leader = handle.read()
    agency_request = signature_request_create(
        pdf=after_leader, certificate=signers.agency_certificate, signer=signers.records_clerk,
        role=SignatureRole.ORGANISATION, field_name="VanThuDongDau", title="Quyết định 15/QĐ-UBND")
    agency_request = confirm_and_sign(agency_request, signers.records_clerk, callbacks_capture)
    assert agency_request.state == SignatureState.SIGNED, agency_request.error
    with agency_request.signed_pdf.open("rb") as handle:
        return leader_request, agency_request, handle.read()


# How a signer loses the authority to sign what was asked of them (signatures.services.signer_check_entitled): moved to
# another agency, no longer a leader, account locked.
def signer_moved(user) -> None:
    user.agency = AgencyFactory(name="Sở Nội vụ tỉnh Lạng Sơn")
    user.save()


def signer_demoted(user) -> None:
    from egov.accounts.services import user_set_roles

    user_set_roles(user=user, roles=[Role.SPECIALIST])


def signer_deactivated(user) -> None:
    user.is_active = False
    user.save()
