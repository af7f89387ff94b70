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


# Column widths of the printed books, in millimetres, on A4 landscape (297 mm less two 12 mm margins: 273 mm), in the
# order of the columns (exports.INCOMING_COLUMNS, OUTGOING_COLUMNS). Left to the browser's automatic layout, the
# summary took most of the page and "Đơn vị hoặc người nhận", "Ký nhận" and "Ghi chú" wrapped one word a line with
# no room to sign (found by exploratory testing). The summary keeps the widest column; the receiving unit, the
# signature of receipt and the note get room to be written and signed by hand.
PRINTABLE_WIDTH_MM = 273
COLUMN_WIDTHS_MM = {
    # Ngày đến, Số đến, Tác giả, Số ký hiệu, Ngày tháng, Tên loại và trích yếu, Đơn vị hoặc người nhận, Ký nhận, Ghi chú
    RegisterKind.INCOMING: [19, 13, 38, 28, 19, 70, 36, 26, 24],
    # Số ký hiệu, Ngày tháng, Tên loại và trích yếu, Người ký, Nơi nhận, Đơn vị, người nhận bản lưu, Số lượng bản, Ghi chú
    RegisterKind.OUTGOING: [30, 19, 78, 30, 46, 32, 14, 24],
}


def register_pdf(*, register: Register, year: int) -> bytes:
    template = "docs_office/pdf/incoming_register.html" if register.kind == RegisterKind.INCOMING \
        else "docs_office/pdf/outgoing_register.html"
    from docs_office.exports import register_entries  # the spreadsheet's entries: both exports agree

    columns, entries = register_entries(register=register, year=year)
    return render_pdf(template, {"register": register, "year": year, "agency": register.agency,
                                 "columns": columns, "rows": entries, "widths": COLUMN_WIDTHS_MM[register.kind]})
