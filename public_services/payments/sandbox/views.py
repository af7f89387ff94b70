"""The sandbox gateway's pages: the card page with "Thanh toán" and "Hủy", then the notifications."""

from functools import wraps
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from egov.core.outbox import outbox_enqueue
from public_services.payments.sandbox.gateway import (
    BANKS,
    SandboxRequestInvalid,
    sandbox_enabled,
    sandbox_request_check,
    sandbox_result,
)


def sandbox_only(view):
    """The sandbox does not exist unless it is switched on, in development or tests, without a real gateway."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not sandbox_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _error(request, message: str):
    return render(request, "payments/sandbox/error.html", {"message": message}, status=400)


@sandbox_only
@require_http_methods(["GET", "POST"])
def pay(request):
    # The card page posts back the signed query it was opened with, and it is checked again: the form
    # cannot change the amount or the return address.
    query = request.POST.get("request", "") if request.method == "POST" else request.META.get("QUERY_STRING", "")
    params = dict(parse_qsl(query, keep_blank_values=True))
    try:
        checked = sandbox_request_check(params)
    except SandboxRequestInvalid as exc:
        return _error(request, exc.message)
    if request.method == "GET":
        return render(request, "payments/sandbox/pay.html", {
            "query": query, "amount_vnd": int(checked["vnp_Amount"]) // 100, "order_info": checked["vnp_OrderInfo"],
            "txn_ref": checked["vnp_TxnRef"], "banks": BANKS, "merchant": checked["vnp_TmnCode"],
        })
    approve = request.POST.get("action") == "pay"
    bank_codes = {code for code, _name in BANKS}
    bank_code = request.POST.get("bank", "NCB") if request.POST.get("bank") in bank_codes else "NCB"
    signed = sandbox_result(checked, approve=approve, bank_code=bank_code)
    ipn_url = settings.EGOV_PAYMENT_SANDBOX_IPN_URL or request.build_absolute_uri(reverse("payments:ipn"))
    from public_services.payments.tasks import sandbox_ipn_task

    # A real gateway notifies the merchant whether or not the browser ever comes back.
    with transaction.atomic():
        outbox_enqueue(sandbox_ipn_task, ipn_url, dict(parse_qsl(signed)))
    return_url = checked["vnp_ReturnUrl"]
    return HttpResponseRedirect(f"{return_url}{'&' if '?' in return_url else '?'}{signed}")
