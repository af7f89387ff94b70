"""Clients of remote signing services (VNPT SmartCA, Viettel MySign, … and the project's stand-in).

The services share one shape: the relying party sends a digest, the signer approves on a phone, the
service hands back the raw signature value. A client only moves digests and signatures; it never sees
the document. Providers are classes registered by name; `remote_client()` builds the configured one.
"""

import base64
import binascii
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from signatures.pades import SigningUnavailable

logger = logging.getLogger(__name__)

STATES = ("pending", "approved", "rejected", "expired")
# (connect, read) seconds: a slow service must not hold a signing worker.
TIMEOUT = (5, 20)


class RemoteSignaturePending(Exception):
    """The signer has not answered in the phone app yet: ask again later."""


@dataclass(frozen=True)
class RemoteStatus:
    state: str  # one of STATES
    signature: bytes | None = None


class RemoteSigningClient:
    """What the signing pipeline needs from a remote signing service."""

    def submit(self, *, account: str, digest: bytes, digest_algorithm: str, title: str) -> str:
        """Ask `account`'s holder to sign `digest`; return the service's transaction id."""
        raise NotImplementedError

    def status(self, *, transaction_id: str) -> RemoteStatus:
        raise NotImplementedError


_registry: dict[str, type[RemoteSigningClient]] = {}


def register(name: str):
    def decorator(cls: type[RemoteSigningClient]) -> type[RemoteSigningClient]:
        _registry[name] = cls
        return cls

    return decorator


def remote_client() -> RemoteSigningClient:
    provider = settings.EGOV_REMOTE_SIGNING_PROVIDER
    if not settings.EGOV_REMOTE_SIGNING_URL or provider not in _registry:
        raise ApplicationError("remote_signing_not_configured",
                               _("Hệ thống chưa được cấu hình dịch vụ ký số từ xa. Vui lòng báo quản trị hệ thống."),
                               status=503)
    return _registry[provider]()


@register("http")
class HttpRemoteSigningClient(RemoteSigningClient):
    """The JSON protocol of the stand-in (signatures.remote.standin_views), a thin adapter's target.

    POST {base}/giao-dich/ {account, digest (base64), algorithm, title[, callback_url]} → 201 {transaction_id}
    GET  {base}/giao-dich/<id>/ → 200 {state, signature (base64) | null}
    """

    def __init__(self, *, base_url: str | None = None, token: str | None = None):
        self.base_url = (base_url or settings.EGOV_REMOTE_SIGNING_URL).rstrip("/")
        self.token = settings.EGOV_REMOTE_SIGNING_TOKEN if token is None else token

    def submit(self, *, account: str, digest: bytes, digest_algorithm: str, title: str) -> str:
        body = {"account": account, "digest": base64.b64encode(digest).decode(), "algorithm": digest_algorithm,
                "title": title[:500]}
        if settings.EGOV_REMOTE_SIGNING_CALLBACK_URL:
            body["callback_url"] = settings.EGOV_REMOTE_SIGNING_CALLBACK_URL
        data = self._call("post", "/giao-dich/", json=body)
        transaction_id = str(data.get("transaction_id") or "")
        if not transaction_id or len(transaction_id) > 100:
            raise ApplicationError("remote_signing_bad_answer",
                                   _("Dịch vụ ký số từ xa trả lời không đúng định dạng (thiếu mã giao dịch)."))
        return transaction_id

    def status(self, *, transaction_id: str) -> RemoteStatus:
        data = self._call("get", f"/giao-dich/{transaction_id}/")
        state = data.get("state")
        if state not in STATES:
            raise ApplicationError("remote_signing_bad_answer",
                                   _("Dịch vụ ký số từ xa trả lời không đúng định dạng (trạng thái “%(s)s”).") % {"s": state})
        signature = None
        if state == "approved":
            try:
                signature = base64.b64decode(data.get("signature") or "", validate=True)
            except (binascii.Error, ValueError):
                signature = b""
            if not signature:
                raise ApplicationError("remote_signing_bad_answer",
                                       _("Dịch vụ ký số từ xa báo đã ký nhưng không trả về chữ ký."))
        return RemoteStatus(state=state, signature=signature)

    def _call(self, method: str, path: str, **kwargs) -> dict:
        import requests

        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = self.base_url + path
        try:
            response = requests.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as exc:  # refused, reset, timed out, TLS failure
            raise SigningUnavailable(f"remote signing service unreachable: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise SigningUnavailable(f"remote signing service answered {response.status_code} for {method.upper()} {path}")
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400 or not isinstance(data, dict):
            logger.warning("remote signing %s %s → %s %s", method.upper(), path, response.status_code, response.text[:500])
            message = data.get("message") if isinstance(data, dict) else ""
            raise ApplicationError("remote_signing_refused",
                                   _("Dịch vụ ký số từ xa từ chối yêu cầu (mã %(code)s): %(message)s")
                                   % {"code": response.status_code, "message": message or _("không rõ lý do")})
        return data
