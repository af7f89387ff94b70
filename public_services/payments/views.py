"""Pages of online payment: the dossier's fee page, the way to the gateway, the return, the IPN, the receipt."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from egov.core.errors import ApplicationError
from public_services.payments.constants import PaymentState
from public_services.payments.models import Payment


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "127.0.0.1"


def payment_start_for_request(request, dossier) -> Payment:
    """What the page and the API share: the addresses come from the request, the rules from the service."""
    from public_services.payments.services import payment_gateway_url, payment_start

    gateway_url = payment_gateway_url(sandbox_url=request.build_absolute_uri(reverse("payments:sandbox_pay")))
    return payment_start(dossier=dossier, payer=request.user, ip_address=client_ip(request),
                         return_url=request.build_absolute_uri(reverse("payments:return")), gateway_url=gateway_url)


@login_required
@require_http_methods(["GET", "POST"])
def dossier_payment(request, code: str):
    """The owner's fee page: the amount, earlier attempts, and "Thanh toán trực tuyến"."""
    from public_services.payments.selectors import dossier_owned_by, payments_of_dossier
    from public_services.payments.services import CLOSED_DOSSIER_STATES, NOT_SUBMITTED_MESSAGE, dossier_fee_due

    dossier = dossier_owned_by(user=request.user, code=code)
    if dossier is None:
        raise Http404
    error, status = "", 200
    if request.method == "POST":
        try:
            payment = payment_start_for_request(request, dossier)
        except ApplicationError as exc:
            error, status = exc.message, exc.status
        else:
            # A same-origin GET leads on to the gateway: the portal's CSP (form-action 'self') would
            # block a form whose redirect leaves the site.
            return redirect("payments:go", txn_ref=payment.txn_ref)
    payments = list(payments_of_dossier(dossier=dossier))
    # The fee as taken (selectors.FEE_TAKEN): paid, or paid and owed back since the dossier was closed — its receipt
    # stays offered either way.
    paid = next((p for p in payments if p.state == PaymentState.PAID
                 or (p.state == PaymentState.REFUND_DUE and p.receipt_number)), None)
    now = timezone.now()
    pending = next((p for p in payments if p.state == PaymentState.PENDING and p.expires_at > now), None)
    refunds = [p for p in payments if p.state == PaymentState.REFUND_DUE and p is not paid]
    return render(request, "payments/dossier.html", {
        "dossier": dossier, "fee": dossier_fee_due(dossier), "payments": payments, "paid": paid, "error": error,
        "pending": pending, "refunds": refunds, "closed": dossier.state in CLOSED_DOSSIER_STATES,
        "not_submitted": NOT_SUBMITTED_MESSAGE, "expiry_minutes": settings.EGOV_PAYMENT_EXPIRY_MINUTES,
    }, status=status)


@login_required
@require_GET
def go_to_gateway(request, txn_ref: str):
    payment = Payment.objects.filter(txn_ref=txn_ref, payer_id=request.user.pk).select_related("dossier").first()
    if payment is None:
        raise Http404
    if payment.state != PaymentState.PENDING or payment.expires_at <= timezone.now():
        return redirect("payments:dossier", code=payment.dossier.code)
    return redirect(payment.gateway_url)


@login_required
@require_GET
def payment_return(request):
    """Where the gateway sends the citizen back: the verified result, and the payment as the IPN left it."""
    from public_services.payments.services import payment_return_record

    try:
        payment, result = payment_return_record(params=request.GET, user=request.user)
    except ApplicationError as exc:
        return render(request, "payments/return_error.html", {"message": exc.message}, status=exc.status)
    return render(request, "payments/return.html", {"payment": payment, "gateway_success": result.success})


@login_required
@require_GET
def payment_status(request, txn_ref: str):
    """The return page's status box, polled (htmx) while the IPN has not arrived yet."""
    payment = Payment.objects.filter(txn_ref=txn_ref, payer_id=request.user.pk).first()
    if payment is None:
        raise Http404
    gateway_success = request.GET.get("ok") == "1"
    return render(request, "payments/_status.html", {"payment": payment, "gateway_success": gateway_success})


@csrf_exempt  # server to server, authenticated by the HMAC signature of its parameters
@require_GET
def payment_ipn(request):
    from public_services.payments.providers.base import provider_get
    from public_services.payments.services import payment_ipn_process

    outcome = payment_ipn_process(params=request.GET.dict())
    return JsonResponse(provider_get().ipn_answer(outcome))


def receipt_response(payment: Payment) -> FileResponse:
    response = FileResponse(payment.receipt_file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.txn_ref}.pdf"'
    return response


@login_required
@require_GET
def receipt_download(request, txn_ref: str):
    """The payer and the dossier's agency staff may read the receipt; to anyone else it does not exist."""
    from public_services.payments.selectors import receipts_visible_to

    payment = receipts_visible_to(user=request.user).filter(txn_ref=txn_ref).first()
    if payment is None or not payment.receipt_file:
        raise Http404
    return receipt_response(payment)
