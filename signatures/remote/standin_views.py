"""The stand-in remote signing service's JSON API (machine to machine) and its "phone app" pages."""

import base64
import binascii
import hmac
import json
from functools import wraps

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.core.errors import ApplicationError
from signatures.models import RemoteStandinTransaction
from signatures.remote.standin import (
    standin_enabled,
    standin_transaction_decide,
    standin_transaction_refresh,
    standin_transaction_submit,
)


def standin_only(view):
    """Outside development and tests the stand-in does not exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not standin_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": str(message)}, "message": str(message)}, status=status)


def _authorised(request) -> bool:
    token = settings.EGOV_REMOTE_SIGNING_TOKEN
    if not token:
        return True
    return hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}")


def _transaction_or_404(transaction_id) -> RemoteStandinTransaction:
    item = RemoteStandinTransaction.objects.select_related("account").filter(transaction_id=transaction_id).first()
    if item is None:
        raise Http404
    return standin_transaction_refresh(item=item)


@csrf_exempt  # machine to machine, authenticated by the bearer token, no browser session involved
@standin_only
@require_POST
def api_transaction_create(request):
    if not _authorised(request):
        return _error("unauthorised", _("Thiếu hoặc sai mã truy cập."), 401)
    try:
        data = json.loads(request.body)
        account, title = str(data["account"]), str(data.get("title", ""))
        digest = base64.b64decode(data["digest"], validate=True)
        algorithm = str(data.get("algorithm", "sha256")).lower()
        callback_url = str(data.get("callback_url") or "")
    except (ValueError, KeyError, TypeError, binascii.Error):
        return _error("bad_request", _("Yêu cầu không đúng định dạng."), 400)
    try:
        item = standin_transaction_submit(account=account, digest=digest, algorithm=algorithm, title=title,
                                          callback_url=callback_url)
    except ApplicationError as exc:
        return _error(exc.code, exc.message, exc.status)
    return JsonResponse({"transaction_id": str(item.transaction_id), "state": item.state}, status=201)


@csrf_exempt
@standin_only
@require_GET
def api_transaction_status(request, transaction_id):
    if not _authorised(request):
        return _error("unauthorised", _("Thiếu hoặc sai mã truy cập."), 401)
    item = _transaction_or_404(transaction_id)
    signature = base64.b64encode(bytes(item.signature)).decode() if item.signature else None
    return JsonResponse({"transaction_id": str(item.transaction_id), "state": item.state, "signature": signature})


@standin_only
@require_http_methods(["GET", "POST"])
def app_confirm(request, transaction_id):
    """The holder's phone app: one transaction to approve or refuse."""
    item = _transaction_or_404(transaction_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("approve", "reject"):
            return render(request, "signatures/remote_standin_confirm.html",
                          {"item": item, "error": _("Hãy chọn Đồng ý ký hoặc Từ chối.")}, status=400)
        try:
            item = standin_transaction_decide(transaction_id=item.transaction_id, approve=action == "approve")
        except ApplicationError as exc:
            return render(request, "signatures/remote_standin_confirm.html", {"item": item, "error": exc.message},
                          status=exc.status)
        return redirect("remote_standin:app_confirm", transaction_id=item.transaction_id)
    return render(request, "signatures/remote_standin_confirm.html", {"item": item})


@standin_only
@require_GET
def app_inbox(request, account: str):
    """What the phone app lists: the account's transactions waiting for an answer."""
    pending = RemoteStandinTransaction.objects.filter(
        account__account=account, state=RemoteStandinTransaction.State.PENDING).select_related("account")
    items = [standin_transaction_refresh(item=item) for item in pending.order_by("-created_at")[:50]]
    return render(request, "signatures/remote_standin_inbox.html", {
        "account": account, "items": [item for item in items if item.state == RemoteStandinTransaction.State.PENDING]})
