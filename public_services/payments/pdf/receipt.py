"""Biên lai thu phí, lệ phí điện tử: the electronic fee receipt issued after an online payment."""

from django.utils import timezone

from egov.core.pdf import render_pdf
from public_services.payments.words import vnd_in_words


def amount_display(amount_vnd: int) -> str:
    # Vietnamese writes thousands with dots: 150.000 đồng.
    return f"{amount_vnd:,}".replace(",", ".")


def payment_receipt_pdf(*, payment, issued_at) -> bytes:
    dossier = payment.dossier
    return render_pdf("payments/pdf/receipt.html", {
        "payment": payment,
        "dossier": dossier,
        "agency": dossier.handling_agency,
        "amount": amount_display(payment.amount_vnd),
        "amount_words": vnd_in_words(payment.amount_vnd),
        "paid_at": timezone.localtime(payment.paid_at),
        "issued_at": timezone.localtime(issued_at),
    })
