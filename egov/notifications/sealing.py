"""Secrets a notification carries (a one-time code) and nobody may read back from the database.

The row keeps the text with the secret masked ("Mã xác thực của bạn là ••••••"), which is what the admin, the
row's history and a personal-data export show; the secret itself travels to the delivery task sealed (Fernet,
with a key derived from SECRET_KEY) under `payload[SEALED_KEY]`, is put back into the text only at the moment of
sending, and is dropped once the notification is sent or has failed for good. An administrator who can read every
notification, or the database's history of it, holds neither the code nor a way to open it.
"""

import base64
import hashlib
import json

from django.conf import settings

SEALED_KEY = "sealed"
MASK = "••••••"
_KEY_PURPOSE = b"egov.notifications.sealed:"


def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    # SECRET_KEY first (it seals), then its fallbacks (a code sealed just before a key rotation still goes out).
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(hashlib.sha256(_KEY_PURPOSE + key.encode()).digest()))
                        for key in keys])


def secrets_seal(values: dict[str, str], *, language: str | None) -> str:
    """`values` sealed, with the language the row's text was written in (the text is written again in it)."""
    return _fernet().encrypt(json.dumps({"values": values, "language": language}).encode()).decode()


def secrets_unseal(token: str) -> tuple[dict[str, str], str | None]:
    """The sealed values and language; raises cryptography.fernet.InvalidToken when the token is not ours (or its key
    is gone)."""
    sealed = json.loads(_fernet().decrypt(token.encode()))
    return sealed["values"], sealed["language"]


def is_sealed(payload) -> bool:
    """Whether the notification carries (or carried: the key stays, emptied, once spent) a secret."""
    return isinstance(payload, dict) and SEALED_KEY in payload


def payload_masked(payload: dict, secrets: dict[str, str]) -> dict:
    """What the row stores: the secrets masked in the text's values, and sealed for the delivery."""
    from django.utils.translation import get_language

    return {**payload, **dict.fromkeys(secrets, MASK), SEALED_KEY: secrets_seal(secrets, language=get_language())}


def payload_spent(payload: dict) -> dict:
    """The payload once the delivery is over: the sealed secrets are gone for good."""
    return {**payload, SEALED_KEY: ""}
