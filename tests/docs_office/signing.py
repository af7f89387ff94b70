"""Signing helpers for the eOffice tests: certificates for an agency's leader and records clerk."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from signatures.constants import CertificateKind
from signatures.demo_images import demo_seal_png, demo_signature_png
from signatures.services import signature_request_confirm
from tests.signatures.factories import import_certificate, otp_now, trust_demo_root

_rendered: list[bytes] = []


def decision_pdf() -> bytes:
    """A WeasyPrint-rendered decision in the Decree 30 layout (rendered once per process: ~0.5 s)."""
    if not _rendered:
        from tests.signatures.documents import render_decision

        _rendered.append(render_decision()[0])
    return _rendered[0]


def pdf_upload(name: str = "du-thao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, decision_pdf(), content_type="application/pdf")


def certificates_for(pki, *, leader, records_clerk):
    trust_demo_root(pki)
    for user in (leader, records_clerk):
        TOTPDevice.objects.get_or_create(user=user, name="app", defaults={"confirmed": True})
    personal = import_certificate(pki, "leader", kind=CertificateKind.PERSONAL, owner=leader,
                                  stamp_png=demo_signature_png())
    seal = import_certificate(pki, "agency", kind=CertificateKind.ORGANISATION, agency=records_clerk.agency,
                              stamp_png=demo_seal_png())
    return personal, seal


def confirm(request, user, capture):
    with capture(execute=True):
        signature_request_confirm(request=request, user=user, otp_token=otp_now(user))
    request.refresh_from_db()
    return request
