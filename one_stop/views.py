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
