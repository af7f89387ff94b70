"""The registers as printed books (Decree 30/2020, appendix IV): incoming and outgoing, one year each."""

from docs_office.constants import RegisterKind
from docs_office.models import IncomingDocument, OutgoingDocument, Register
from egov.core.pdf import render_pdf


def register_rows(*, register: Register, year: int):
    """The register's documents of the year, in number order (exports.register_entries writes a secret one's
    metadata only)."""
    if register.kind == RegisterKind.INCOMING:
        return (IncomingDocument.objects.filter(register=register, arrival_year=year)
                .select_related("document_type").prefetch_related("assignments__user", "assignments__division")
                .order_by("arrival_number"))
    return (OutgoingDocument.objects.filter(register=register, year=year)
            .select_related("document_type", "signer", "division").prefetch_related("recipient_agencies").order_by("number"))


def register_pdf(*, register: Register, year: int) -> bytes:
    template = "docs_office/pdf/incoming_register.html" if register.kind == RegisterKind.INCOMING \
        else "docs_office/pdf/outgoing_register.html"
    from docs_office.exports import register_entries  # the spreadsheet's entries: both exports agree

    columns, entries = register_entries(register=register, year=year)
    return render_pdf(template, {"register": register, "year": year, "agency": register.agency,
                                 "columns": columns, "rows": entries})
