"""Signer backends: where a certificate's private key lives, and how to get a pyHanko signer for it.

A backend is a class registered under the KeyBackend value it serves; `signer_for(certificate)` picks
it. Signers are cached per process (a warm worker parses each key once), keyed by the certificate's
id and fingerprint so a replaced certificate is never served from the cache.
"""

from signatures.models import Certificate

_registry: dict[str, type["SignerBackend"]] = {}
_cache: dict[tuple[int, str], object] = {}


class SignerBackend:
    key_backend: str = ""

    def build_signer(self, certificate: Certificate):
        """Return a pyhanko.sign.signers.Signer for this certificate."""
        raise NotImplementedError


def register(cls: type[SignerBackend]) -> type[SignerBackend]:
    _registry[cls.key_backend] = cls
    return cls


def signer_for(certificate: Certificate):
    from signatures.backends import pkcs11, pkcs12  # noqa: F401  (register the built-in backends)

    key = (certificate.pk, certificate.fingerprint_sha256)
    signer = _cache.get(key)
    if signer is None:
        signer = _registry[certificate.backend]().build_signer(certificate)
        _cache[key] = signer
    return signer


def signer_cache_clear() -> None:
    _cache.clear()
