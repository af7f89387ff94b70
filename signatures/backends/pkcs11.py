"""Keys held in a hardware security module through PKCS#11 (SoftHSM2 in development and tests)."""

from django.conf import settings

from signatures.backends.base import SignerBackend, register
from signatures.backends.pkcs12 import chain_certificates
from signatures.keystore import secret_decrypt
from signatures.models import Certificate

_sessions: dict[tuple[str, str], object] = {}


def pkcs11_session(*, token_label: str, pin: str):
    """One open session per token and process: opening one costs more than a signature."""
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    key = (settings.EGOV_PKCS11_MODULE, token_label)
    if key not in _sessions:
        _sessions[key] = open_pkcs11_session(settings.EGOV_PKCS11_MODULE, token_label=token_label, user_pin=pin)
    return _sessions[key]


@register
class Pkcs11Backend(SignerBackend):
    key_backend = "pkcs11"

    def build_signer(self, certificate: Certificate):
        from asn1crypto import x509
        from pyhanko.sign.pkcs11 import PKCS11Signer

        session = pkcs11_session(token_label=certificate.pkcs11_token_label,
                                 pin=secret_decrypt(certificate.encrypted_pin).decode())
        # The certificate and its chain come from our database, not the token: an HSM often holds only
        # the key, and without the intermediate the signature would not validate.
        return PKCS11Signer(
            session,
            key_label=certificate.pkcs11_key_label,
            signing_cert=x509.Certificate.load(bytes(certificate.certificate_der)),
            ca_chain=chain_certificates(certificate),
        )
