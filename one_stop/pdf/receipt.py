"""Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment slip)."""

import base64

from django.urls import reverse
from django.utils import timezone

from egov.core.pdf import render_pdf
from egov.core.qr import qr_svg
from one_stop.models import Dossier


def receipt_pdf(*, dossier: Dossier, base_url: str) -> bytes:
    lookup_url = base_url.rstrip("/") + reverse("one_stop:lookup_code", kwargs={"code": dossier.code})
    svg = qr_svg(lookup_url, scale=3)
    version = dossier.procedure_version
    fee = dossier.fee_vnd if dossier.fee_vnd is not None else version.fee_vnd
    return render_pdf("one_stop/pdf/receipt.html", {
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
        "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
    })
