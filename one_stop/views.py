from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from one_stop.selectors import dossier_public_lookup


def lookup(request, code: str | None = None):
    """Public lookup by dossier code (typed, or from the receipt's QR code): state and dates only."""
    typed = request.GET.get("ma", "").strip()
    if typed and code is None:
        return redirect(reverse("one_stop:lookup_code", kwargs={"code": typed}))
    dossier = dossier_public_lookup(code=code) if code else None
    status = 404 if code and dossier is None else 200
    return render(request, "one_stop/lookup.html", {"code": code or "", "dossier": dossier}, status=status)


@login_required
def receipt(request, code: str):
    """Form 01 for staff who can see the dossier (print at the counter)."""
    from one_stop.pdf.receipt import receipt_pdf
    from one_stop.selectors import dossiers_visible_to

    dossier = dossiers_visible_to(user=request.user).select_related("received_by").filter(code=code).first()
    if dossier is None:
        raise Http404
    pdf = receipt_pdf(dossier=dossier, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response


@login_required
def queue(request):
    """The staff member's queue, coloured by deadline (overdue, due within two days, on time)."""
    from one_stop.selectors import dossiers_queue_for

    if not request.user.is_agency_staff:
        raise Http404
    dossiers = list(dossiers_queue_for(user=request.user)[:200])
    return render(request, "one_stop/queue.html", {"dossiers": dossiers})
