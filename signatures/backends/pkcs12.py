"""Keys imported from PKCS#12 files, kept encrypted in the database."""

import base64

from signatures.backends.base import SignerBackend, register
from signatures.keystore import secret_decrypt
from signatures.models import Certificate


def chain_certificates(certificate: Certificate):
    from asn1crypto import x509

    return [x509.Certificate.load(base64.b64decode(c)) for c in certificate.chain_der]


def warm_simple_signer(*, cert_der: bytes, key_der: bytes, chain):
    """A pyHanko SimpleSigner that parses its private key once, not on every signature.

    Stock SimpleSigner.sign_raw re-loads the key from DER for every raw signature (and a signature
    makes two: a size-estimating dry run and the real one); RSA key loading with its consistency
    checks is most of the cost of a B-B signature. The dry run needs no real signature value at all.
    """
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class WarmSimpleSigner(SimpleSigner):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
            if dry_run:
                return bytes(self._key.key_size // 8) if hasattr(self._key, "key_size") else bytes(256)
            return self.sign_raw(data, digest_algorithm)

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            if mechanism == "rsassa_pkcs1v15":
                return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    signing_cert = x509.Certificate.load(cert_der)
    return WarmSimpleSigner(
        signing_cert=signing_cert,
        signing_key=keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([signing_cert, *chain]),
    )


@register
class Pkcs12Backend(SignerBackend):
    key_backend = "pkcs12"

    def build_signer(self, certificate: Certificate):
        return warm_simple_signer(
            cert_der=bytes(certificate.certificate_der),
            key_der=secret_decrypt(certificate.encrypted_private_key),
            chain=chain_certificates(certificate),
        )
