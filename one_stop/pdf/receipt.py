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
    return render_pdf("one_stop/pdf/receipt.html", {
        "dossier": dossier,
        "version": version,
        "documents": version.required_documents,
        "received_at": timezone.localtime(dossier.received_at),
        "due_at": timezone.localtime(dossier.due_at) if dossier.due_at else None,
        "lookup_url": lookup_url,
        # Vietnamese writes thousands with dots: 150.000 đồng.
        "fee_display": f"{version.fee_vnd:,}".replace(",", ".") if version.fee_vnd else "",
        "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
    })
