"""Keys held in a hardware security module through PKCS#11 (SoftHSM2 in development and tests)."""

from django.conf import settings
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from signatures.backends.base import SignerBackend, register
from signatures.backends.pkcs12 import chain_certificates
from signatures.keystore import secret_decrypt
from signatures.models import Certificate

_sessions: dict[tuple[str, str], object] = {}


def pkcs11_session(*, token_label: str, pin: str):
    """One open session per token and process: opening one costs more than a signature."""
    from pkcs11.exceptions import PinIncorrect, PinInvalid, PinLenRange, PinLocked
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    key = (settings.EGOV_PKCS11_MODULE, token_label)
    if key not in _sessions:
        try:
            _sessions[key] = open_pkcs11_session(settings.EGOV_PKCS11_MODULE,
                                                 token_criteria=TokenCriteria(label=token_label), user_pin=pin)
        except (PinIncorrect, PinInvalid, PinLenRange) as exc:
            # A stored PIN that the token refuses is a registration mistake, not a system failure:
            # say so to the signer instead of "system error (PinIncorrect)".
            raise ApplicationError("pkcs11_pin_incorrect", _(
                "Mã PIN của thiết bị ký số (HSM) đăng ký cho chứng thư số này không đúng. "
                "Vui lòng đăng ký lại chứng thư số với mã PIN đúng."), status=409) from exc
        except PinLocked as exc:
            raise ApplicationError("pkcs11_pin_locked", _(
                "Thiết bị ký số (HSM) đã khóa mã PIN do nhập sai nhiều lần. Vui lòng báo quản trị hệ thống."),
                status=409) from exc
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
