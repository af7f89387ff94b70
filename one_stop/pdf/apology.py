"""Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (apology and new return date)."""

from django.utils import timezone

from egov.core.pdf import render_pdf
from one_stop.models import Dossier


def apology_pdf(*, dossier: Dossier) -> bytes:
    return render_pdf("one_stop/pdf/apology.html", {
        "dossier": dossier,
        "original_due_at": timezone.localtime(dossier.original_due_at),
        "due_at": timezone.localtime(dossier.due_at),
        "issued_at": timezone.localtime(dossier.postponed_at),
    })
