"""A private SoftHSM2 token for the test session, holding keys of the demo PKI.

SoftHSM2 reads SOFTHSM2_CONF once, when the PKCS#11 library is initialised, and python-pkcs11 keeps
the library loaded for the rest of the process: the configuration must be in the environment before
anything in the process opens the module, and there is one token directory per test session.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@dataclass(frozen=True)
class SoftHsmToken:
    module: str
    label: str
    pin: str
    conf: Path


def softhsm_available() -> bool:
    return shutil.which("softhsm2-util") is not None and Path(SOFTHSM_MODULE).exists()


def softhsm_conf_write(directory: Path) -> Path:
    """A softhsm2.conf keeping tokens under `directory`; export it as SOFTHSM2_CONF before loading the module."""
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    return conf


def softhsm_token_init(conf: Path, *, label: str, pin: str, so_pin: str) -> SoftHsmToken:
    """Initialise an empty token in the first free slot (SOFTHSM2_CONF must already name `conf`)."""
    if os.environ.get("SOFTHSM2_CONF") != str(conf):
        raise RuntimeError(f"export SOFTHSM2_CONF={conf} before initialising the token")
    _softhsm2_util("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin)
    token = SoftHsmToken(module=SOFTHSM_MODULE, label=label, pin=pin, conf=conf)
    _token_visible_check(token)
    return token


def softhsm_key_import(token: SoftHsmToken, *, private_key_pem: bytes, label: str, key_id: str) -> None:
    """Import a private key into the token under `label` (softhsm2-util takes a PKCS#8 PEM file)."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(private_key_pem, password=None)
    pkcs8 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    path = token.conf.with_name(f"{label}.pkcs8.pem")
    path.write_bytes(pkcs8)
    path.chmod(0o600)
    try:
        _softhsm2_util("--import", str(path), "--token", token.label, "--label", label, "--id", key_id,
                       "--pin", token.pin)
    finally:
        path.unlink()


def pkcs11_sessions_close() -> None:
    """Close the PKCS#11 sessions the backend keeps open, and forget the signers built on them.

    A token stays logged in while any of its sessions is open, and a second login to it is refused
    (CKR_USER_ALREADY_LOGGED_IN) whatever the PIN: each test starts with the token logged out.
    """
    from signatures.backends import pkcs11 as pkcs11_backend
    from signatures.backends.base import signer_cache_clear

    signer_cache_clear()
    while pkcs11_backend._sessions:
        _key, session = pkcs11_backend._sessions.popitem()
        session.close()


def _softhsm2_util(*args: str) -> None:
    result = subprocess.run(["softhsm2-util", *args], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"softhsm2-util {args[0]} failed: {result.stdout}{result.stderr}")


def _token_visible_check(token: SoftHsmToken) -> None:
    """Fail loudly if this process loaded the module before SOFTHSM2_CONF pointed at our directory."""
    import pkcs11

    try:
        pkcs11.lib(token.module).get_token(token_label=token.label)
    except pkcs11.NoSuchToken as exc:
        raise RuntimeError(
            f"SoftHSM2 token {token.label!r} is not visible: the PKCS#11 module was loaded in this process "
            f"before SOFTHSM2_CONF was set to {token.conf}"
        ) from exc
