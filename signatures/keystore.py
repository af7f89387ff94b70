"""Private keys and PINs at rest: encrypted with a key from the environment (Fernet, AES-128-CBC + HMAC).

EGOV_KEY_ENCRYPTION_KEYS holds one or more Fernet keys separated by commas; the first encrypts, all
decrypt, so keys can be rotated. In DEBUG and tests a key is derived from SECRET_KEY when none is set;
in production the variable is required.
"""

import base64
import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    configured = [k.strip() for k in settings.EGOV_KEY_ENCRYPTION_KEYS if k.strip()]
    if not configured:
        if not (settings.DEBUG or settings.EGOV_TESTING):
            raise ImproperlyConfigured("Set EGOV_KEY_ENCRYPTION_KEYS to store signing keys.")
        derived = hashlib.sha256(b"egov-signing-keys:" + settings.SECRET_KEY.encode()).digest()
        configured = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(k.encode()) for k in configured])


def secret_encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def secret_decrypt(token: bytes) -> bytes:
    return _fernet().decrypt(bytes(token))
