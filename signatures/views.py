from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.core.errors import ApplicationError
from signatures.forms import ConfirmSignatureForm
from signatures.selectors import signature_queue_for, signature_request_visible_to
from signatures.services import signature_request_confirm, signature_request_reopen, signature_request_withdraw


@login_required
def queue(request):
    requests = signature_queue_for(user=request.user)
    return render(request, "signatures/queue.html", {"requests": requests, "form": ConfirmSignatureForm()})


@login_required
@require_POST
def confirm(request, pk: int):
    signature_request = signature_request_visible_to(user=request.user, pk=pk)
    if signature_request is None:
        raise Http404
    form = ConfirmSignatureForm(request.POST)
    if form.is_valid():
        try:
            signature_request_confirm(request=signature_request, user=request.user,
                                      otp_token=form.cleaned_data["otp_token"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return render(request, "signatures/queue.html", {
                "requests": signature_queue_for(user=request.user), "form": form, "error_for": pk,
            }, status=exc.status)
        messages.success(request, _("Đã xác nhận ký “%(title)s”. Hệ thống đang ký số.") % {"title": signature_request.title})
        return redirect("signatures:queue")
    return render(request, "signatures/queue.html", {
        "requests": signature_queue_for(user=request.user), "form": form, "error_for": pk}, status=400)


@login_required
@require_POST
def reopen(request, pk: int):
    signature_request = signature_request_visible_to(user=request.user, pk=pk)
    if signature_request is None:
        raise Http404
    try:
        signature_request_reopen(request=signature_request, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("signatures:queue")


@login_required
@require_POST
def withdraw(request, pk: int):
    """The signer hands a request back unsigned, with a reason: what waited for it goes back to be signed by
    someone else (the signer has moved, is no longer a leader, or will not sign it)."""
    signature_request = signature_request_visible_to(user=request.user, pk=pk)
    if signature_request is None:
        raise Http404
    try:
        signature_request_withdraw(request=signature_request, user=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return render(request, "signatures/queue.html", {
            "requests": signature_queue_for(user=request.user), "form": ConfirmSignatureForm(),
            "withdraw_error_for": pk, "withdraw_error": exc.message,
            "withdraw_reason": request.POST.get("reason", "")}, status=exc.status)
    messages.success(request, _("Đã trả lại yêu cầu ký “%(title)s”.") % {"title": signature_request.title})
    return redirect("signatures:queue")


@login_required
def download(request, pk: int, which: str):
    signature_request = signature_request_visible_to(user=request.user, pk=pk)
    if signature_request is None or which not in ("source", "signed"):
        raise Http404
    file = signature_request.signed_pdf if which == "signed" else signature_request.source_pdf
    if not file:
        raise Http404
    name = f"{'da-ky' if which == 'signed' else 'can-ky'}-{signature_request.pk}.pdf"
    return FileResponse(file.open("rb"), content_type="application/pdf", filename=name)
