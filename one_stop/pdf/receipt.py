"""Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment slip)."""

import hashlib

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from egov.core.pdf import render_pdf
from egov.core.qr import qr_png_data_uri
from one_stop.models import Dossier

TEMPLATE = "one_stop/pdf/receipt.html"


def receipt_context(*, dossier: Dossier, base_url: str) -> dict:
    """Everything form 01 prints, except the QR image (which only encodes `lookup_url`, printed too).

    Refuses a dossier never received: the form attests the moment of receipt, and printing the current time instead
    would hand out a receipt for a dossier the desk has not taken."""
    if dossier.received_at is None:
        raise ApplicationError("not_received", _("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận."), status=409)
    lookup_url = base_url.rstrip("/") + reverse("one_stop:lookup_code", kwargs={"code": dossier.code})
    version = dossier.procedure_version
    fee = dossier.fee_vnd if dossier.fee_vnd is not None else version.fee_vnd
    return {
        "dossier": dossier,
        "version": version,
        # What the desk ticked as handed in; dossiers received before checklists list the version's documents.
        "documents": [item for item in dossier.checklist if item.get("received")] if dossier.checklist
        else version.required_documents,
        "received_at": timezone.localtime(dossier.received_at),
        "due_at": timezone.localtime(dossier.due_at) if dossier.due_at else None,
        "lookup_url": lookup_url,
        # Vietnamese writes thousands with dots: 150.000 đồng.
        "fee_vnd": fee,
        "fee_display": f"{fee:,}".replace(",", ".") if fee else "",
        "qr_data_uri": "",
    }


def receipt_fingerprint(context: dict) -> str:
    """The hash of the form's HTML without its QR image: it changes exactly when the printed text does
    (the QR code follows the printed lookup address), and costs a millisecond, not a PDF layout."""
    return hashlib.sha256(render_to_string(TEMPLATE, {**context, "qr_data_uri": ""}).encode()).hexdigest()


def receipt_pdf(*, dossier: Dossier, base_url: str, context: dict | None = None) -> bytes:
    context = context or receipt_context(dossier=dossier, base_url=base_url)
    return render_pdf(TEMPLATE, {**context, "qr_data_uri": qr_png_data_uri(context["lookup_url"])})
