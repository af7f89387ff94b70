"""Registers exported as spreadsheets, with the columns of the printed books (Decree 30, appendix IV)."""

from django.utils import timezone

from docs_office.constants import RegisterKind
from docs_office.models import Register
from docs_office.pdf.register import register_rows
from docs_office.xlsx import xlsx_build

INCOMING_COLUMNS = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu nội dung",
                    "Đơn vị hoặc người nhận", "Ký nhận", "Ghi chú"]
OUTGOING_COLUMNS = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
                    "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ghi chú"]


def _lead(document) -> str:
    return next((a.assignee_name for a in document.assignments.all() if a.role == "lead"), "")


def register_xlsx(*, register: Register, year: int) -> bytes:
    rows = register_rows(register=register, year=year)
    if register.kind == RegisterKind.INCOMING:
        table = [INCOMING_COLUMNS] + [
            [f"{timezone.localtime(d.received_at):%d/%m/%Y}", d.arrival_number, d.issuer_name, d.number_symbol,
             f"{d.issued_on:%d/%m/%Y}", f"{d.document_type.name}: {d.summary}", _lead(d), "",
             d.get_confidentiality_display() if d.is_secret else ""]
            for d in rows]
    else:
        table = [OUTGOING_COLUMNS] + [
            [d.number_symbol, f"{timezone.localtime(d.issued_at):%d/%m/%Y}" if d.issued_at else "",
             f"{d.document_type.name}: {d.summary}", d.signer.full_name if d.signer else "",
             "; ".join([a.name for a in d.recipient_agencies.all()] + ([d.recipients_text] if d.recipients_text else [])),
             d.division.name if d.division else "", "", "Đã thu hồi" if d.state == "recalled" else ""]
            for d in rows]
    return xlsx_build(sheet_name=f"{register.name} {year}", rows=table)
