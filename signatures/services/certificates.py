"""Certificates and trust anchors: import, describe, and decide whether a certificate may sign now."""

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from signatures.constants import CertificateKind, KeyBackend
from signatures.keystore import secret_encrypt
from signatures.models import Certificate, TrustAnchor

SIGNING_USAGES = {"digital_signature", "non_repudiation"}


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    common_name: str
    issuer: str
    serial_number: str
    not_before: datetime
    not_after: datetime
    key_usage: list[str]
    fingerprint_sha256: str


def certificate_describe(der: bytes) -> CertificateInfo:
    from asn1crypto import x509

    cert = x509.Certificate.load(der)
    key_usage = sorted(cert.key_usage_value.native) if cert.key_usage_value is not None else []
    return CertificateInfo(
        subject=cert.subject.human_friendly,
        common_name=cert.subject.native.get("common_name", "") or cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        serial_number=format(cert.serial_number, "X"),
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
        key_usage=key_usage,
        fingerprint_sha256=hashlib.sha256(der).hexdigest(),
    )


def _load_der(data: bytes) -> bytes:
    """A certificate file as DER, whether it came as PEM or DER."""
    if b"-----BEGIN" in data:
        from asn1crypto import pem

        _type, _headers, der = pem.unarmor(data)
        return der
    return data


@transaction.atomic
def trust_anchor_add(*, name: str, data: bytes, note: str = "") -> TrustAnchor:
    der = _load_der(data)
    try:
        info = certificate_describe(der)
    except ValueError as exc:
        raise ApplicationError("invalid_certificate", _("Tệp không phải chứng thư số hợp lệ (PEM hoặc DER).")) from exc
    anchor, _created = TrustAnchor.objects.update_or_create(
        fingerprint_sha256=info.fingerprint_sha256,
        defaults={"name": name, "certificate_der": der, "subject": info.subject, "not_before": info.not_before,
                  "not_after": info.not_after, "note": note, "is_active": True},
    )
    return anchor


def trust_roots():
    """The active trust anchors, as asn1crypto certificates (what pyHanko's validators take)."""
    from asn1crypto import x509

    return [x509.Certificate.load(bytes(der)) for der in
            TrustAnchor.objects.filter(is_active=True).values_list("certificate_der", flat=True)]


@transaction.atomic
def certificate_import_pkcs12(*, data: bytes, passphrase: str, kind: str, owner=None, agency=None,
                              stamp_png: bytes | None = None) -> Certificate:
    """Import a .p12/.pfx: the certificate is parsed and stored, the key encrypted at rest."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase.encode() if passphrase else None)
    except ValueError as exc:
        raise ApplicationError(
            "pkcs12_unreadable",
            _("Không mở được tệp chứng thư số: mật khẩu không đúng hoặc tệp không phải PKCS#12."),
            fields={"passphrase": [_("Mật khẩu không đúng hoặc tệp bị hỏng.")]},
        ) from exc
    if key is None or cert is None:
        raise ApplicationError("pkcs12_incomplete", _("Tệp PKCS#12 không chứa cả chứng thư và khóa bí mật."))
    der = cert.public_bytes(serialization.Encoding.DER)
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    chain = [c.public_bytes(serialization.Encoding.DER) for c in (extra or [])]
    return _certificate_store(der=der, chain=chain, kind=kind, owner=owner, agency=agency, stamp_png=stamp_png,
                              backend=KeyBackend.PKCS12, encrypted_private_key=secret_encrypt(key_der))


@transaction.atomic
def certificate_register_pkcs11(*, certificate_data: bytes, chain: list[bytes], token_label: str, key_label: str,
                                pin: str, kind: str, owner=None, agency=None, stamp_png: bytes | None = None) -> Certificate:
    """Register a certificate whose key stays in an HSM (PKCS#11); only the PIN is stored, encrypted."""
    return _certificate_store(der=_load_der(certificate_data), chain=[_load_der(c) for c in chain], kind=kind,
                              owner=owner, agency=agency, stamp_png=stamp_png, backend=KeyBackend.PKCS11,
                              pkcs11_token_label=token_label, pkcs11_key_label=key_label,
                              encrypted_pin=secret_encrypt(pin.encode()))


@transaction.atomic
def certificate_register_remote(*, certificate_data: bytes, chain: list[bytes], account: str, kind: str,
                                owner=None, agency=None, stamp_png: bytes | None = None) -> Certificate:
    """Register a certificate held by a remote signing service (the key never comes here at all)."""
    return _certificate_store(der=_load_der(certificate_data), chain=[_load_der(c) for c in chain], kind=kind,
                              owner=owner, agency=agency, stamp_png=stamp_png, backend=KeyBackend.REMOTE,
                              remote_account=account)


def _certificate_store(*, der: bytes, chain: list[bytes], kind: str, owner, agency, stamp_png, backend, **extra):
    if kind == CertificateKind.PERSONAL and owner is None:
        raise ApplicationError("owner_required", _("Chứng thư số cá nhân phải gắn với một người dùng."))
    if kind == CertificateKind.ORGANISATION and agency is None:
        raise ApplicationError("agency_required", _("Chứng thư số tổ chức phải gắn với một cơ quan."))
    info = certificate_describe(der)
    if Certificate.objects.filter(fingerprint_sha256=info.fingerprint_sha256).exists():
        raise ApplicationError("certificate_exists", _("Chứng thư số này đã được nạp vào hệ thống."), status=409)
    certificate = Certificate(
        kind=kind, owner=owner, agency=agency if agency is not None else getattr(owner, "agency", None),
        subject=info.subject, common_name=info.common_name, issuer=info.issuer, serial_number=info.serial_number,
        not_before=info.not_before, not_after=info.not_after, key_usage=info.key_usage,
        fingerprint_sha256=info.fingerprint_sha256, certificate_der=der,
        chain_der=[base64.b64encode(c).decode() for c in chain], backend=backend, **extra,
    )
    if stamp_png:
        certificate.stamp_image.save(f"{info.fingerprint_sha256[:16]}.png", ContentFile(stamp_png), save=False)
    certificate.save()
    return certificate


def certificate_check_usable(*, certificate: Certificate, at: datetime | None = None, check_revocation: bool = True) -> None:
    """Refuse, with a Vietnamese reason, a certificate that must not sign now.

    Expired, not yet valid, without a signing key usage, or revoked per its OCSP/CRL (checked when the
    responder answers; an unreachable responder does not block signing, the signature then reaches
    only the levels that need no revocation data).
    """
    at = at or timezone.now()
    if not certificate.is_active:
        raise ApplicationError("certificate_inactive", _("Chứng thư số đã bị ngừng sử dụng trên hệ thống."), status=409)
    if at < certificate.not_before:
        raise ApplicationError("certificate_not_yet_valid", _("Chứng thư số chưa đến thời hạn có hiệu lực (từ %(d)s).")
                               % {"d": timezone.localtime(certificate.not_before).strftime("%d/%m/%Y")}, status=409)
    if at > certificate.not_after:
        raise ApplicationError("certificate_expired", _("Chứng thư số đã hết hạn từ ngày %(d)s.")
                               % {"d": timezone.localtime(certificate.not_after).strftime("%d/%m/%Y")}, status=409)
    if not SIGNING_USAGES & set(certificate.key_usage):
        raise ApplicationError("certificate_no_signing_usage",
                               _("Chứng thư số không có mục đích ký số (digitalSignature hoặc nonRepudiation)."), status=409)
    if check_revocation and certificate_is_revoked(certificate=certificate):
        raise ApplicationError("certificate_revoked", _("Chứng thư số đã bị thu hồi theo thông tin của tổ chức cấp."),
                               status=409)


def certificate_is_revoked(*, certificate: Certificate) -> bool:
    """True when the issuer's OCSP responder or CRL says revoked; False when good or unreachable."""
    import asyncio

    from asn1crypto import x509
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import RevokedError

    from signatures.backends.pkcs12 import chain_certificates
    from signatures.pades import validation_context

    context = validation_context(trust_roots=trust_roots(), other_certs=chain_certificates(certificate), hard_fail=False)
    validator = CertificateValidator(x509.Certificate.load(bytes(certificate.certificate_der)),
                                     validation_context=context)
    try:
        asyncio.run(validator.async_validate_usage(set()))
    except RevokedError:
        return True
    except Exception:  # untrusted chain, unreachable responder: not our question here
        return False
    return False
