"""A stand-in remote signing service, inside the project, for development and tests.

It plays what VNPT SmartCA or Viettel MySign do: it holds the signer's private key (encrypted at rest
like the portal's own keys), takes a digest from the portal, lets the account holder approve or refuse
in a "phone app" page, signs the digest on approval (RSA PKCS#1 v1.5 or ECDSA over the precomputed
digest) and answers status queries. It is served only when DEBUG or EGOV_TESTING is on.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from signatures.keystore import secret_decrypt, secret_encrypt
from signatures.models import RemoteStandinAccount, RemoteStandinTransaction

logger = logging.getLogger(__name__)

# Cloud signing services drop a transaction the holder has not answered within a few minutes.
TRANSACTION_TTL = timedelta(minutes=5)
DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}
NOTIFY_TIMEOUT = (3, 30)


def standin_enabled() -> bool:
    return bool(settings.DEBUG or settings.EGOV_TESTING)


@transaction.atomic
def standin_account_create(*, account: str, key_pem: bytes) -> RemoteStandinAccount:
    """Create (or re-key) a stand-in account holding `key_pem` (an unencrypted PEM private key)."""
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ApplicationError("standin_key_unreadable", _("Khóa bí mật không đọc được (cần PEM, không mật khẩu).")) from exc
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    holder, _created = RemoteStandinAccount.objects.update_or_create(
        account=account, defaults={"encrypted_private_key": secret_encrypt(key_der)})
    return holder


@transaction.atomic
def standin_transaction_submit(*, account: str, digest: bytes, algorithm: str, title: str,
                               callback_url: str = "") -> RemoteStandinTransaction:
    holder = RemoteStandinAccount.objects.filter(account=account).first()
    if holder is None:
        raise ApplicationError("unknown_account", _("Không có tài khoản ký số từ xa “%(a)s”.") % {"a": account}, status=404)
    if DIGEST_SIZES.get(algorithm) != len(digest):
        raise ApplicationError("bad_digest", _("Mã băm không đúng thuật toán hoặc độ dài."))
    return RemoteStandinTransaction.objects.create(account=holder, digest=digest, algorithm=algorithm, title=title[:500],
                                                   callback_url=callback_url[:500])


def standin_transaction_refresh(*, item: RemoteStandinTransaction) -> RemoteStandinTransaction:
    """Expire a transaction left unanswered past its time to live."""
    if item.state == RemoteStandinTransaction.State.PENDING and timezone.now() > item.created_at + TRANSACTION_TTL:
        updated = RemoteStandinTransaction.objects.filter(pk=item.pk, state=RemoteStandinTransaction.State.PENDING).update(
            state=RemoteStandinTransaction.State.EXPIRED, decided_at=timezone.now())
        if updated:
            item.refresh_from_db()
    return item


@transaction.atomic
def standin_transaction_decide(*, transaction_id, approve: bool) -> RemoteStandinTransaction:
    """The holder's answer in the phone app; approving signs the digest with the account's key."""
    item = RemoteStandinTransaction.objects.select_for_update().select_related("account").get(transaction_id=transaction_id)
    item = standin_transaction_refresh(item=item)
    if item.state != RemoteStandinTransaction.State.PENDING:
        raise ApplicationError("already_decided", _("Giao dịch này đã được xử lý (%(s)s).") % {"s": item.get_state_display()},
                               status=409)
    if approve:
        item.signature = _sign(key_der=secret_decrypt(item.account.encrypted_private_key), digest=bytes(item.digest),
                               algorithm=item.algorithm)
        item.state = RemoteStandinTransaction.State.APPROVED
    else:
        item.state = RemoteStandinTransaction.State.REJECTED
    item.decided_at = timezone.now()
    item.save(update_fields=["signature", "state", "decided_at"])
    if item.callback_url:
        url, transaction_id, state = item.callback_url, str(item.transaction_id), item.state
        transaction.on_commit(lambda: _notify(url=url, transaction_id=transaction_id, state=state))
    return item


def _sign(*, key_der: bytes, digest: bytes, algorithm: str) -> bytes:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

    key = serialization.load_der_private_key(key_der, password=None)
    prehashed = Prehashed({"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}[algorithm]())
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(digest, padding.PKCS1v15(), prehashed)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(digest, ec.ECDSA(prehashed))
    raise ApplicationError("unsupported_key", _("Loại khóa của tài khoản không được hỗ trợ."))


def _notify(*, url: str, transaction_id: str, state: str) -> None:
    """Tell the relying party the holder answered; it then asks for the status itself."""
    import requests

    try:
        requests.post(url, json={"transaction_id": transaction_id, "state": state}, timeout=NOTIFY_TIMEOUT)
    except requests.RequestException as exc:  # the relying party still polls
        logger.warning("stand-in: could not notify %s of %s: %s", url, transaction_id, exc)
