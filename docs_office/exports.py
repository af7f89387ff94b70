"""Registers exported as spreadsheets, with the columns of the printed books (Decree 30, appendix IV). The
spreadsheet and the printed book (pdf/register.py) show the same entries: both take them from register_entries."""

from datetime import date, datetime

from django.utils import timezone, translation

from docs_office.constants import OutgoingState, RegisterKind, Urgency
from docs_office.models import Register
from docs_office.pdf.register import register_rows
from docs_office.xlsx import xlsx_build

INCOMING_COLUMNS = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu nội dung",
                    "Đơn vị hoặc người nhận", "Ký nhận", "Ghi chú"]
OUTGOING_COLUMNS = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
                    "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ghi chú"]


def _lead(document) -> str:
    return next((a.assignee_name for a in document.assignments.all() if a.role == "lead"), "")


class RegisterDay(str):
    """A day of a register's entry as the book prints it ("05/02/2027"), knowing the day it is: the spreadsheet
    writes it as a date (register_xlsx), sortable and filterable, where text was written before (found by
    exploratory testing)."""

    day: date

    def __new__(cls, day: date):
        text = super().__new__(cls, f"{day.day:02d}/{day.month:02d}/{day.year:04d}")  # strftime: year 1 as "1"
        text.day = day
        return text


def _date(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return RegisterDay(value) if value else ""


def _subject(d) -> str:
    """The type and summary of an entry; of a secret document the type alone. An exported register leaves the
    system (printed, sent on): a secret document's content is for its named readers only, so its line keeps the
    metadata that numbers it — date, number, issuer — and no summary."""
    if d.is_secret:
        return f"{d.document_type.name}: (văn bản {d.get_confidentiality_display().lower()}, không ghi trích yếu)"
    return f"{d.document_type.name}: {d.summary}"


def incoming_entry(d) -> list[str]:
    """One line of the incoming register. The arrival number with a leading zero below 10, as Decree 30 numbers;
    the note: the secrecy and the urgency, when not ordinary. A secret document's handler is not named either."""
    notes = [d.get_confidentiality_display()] if d.is_secret else []
    if d.urgency != Urgency.NORMAL:
        notes.append(d.get_urgency_display())
    return [_date(d.received_at), d.arrival_number_display, d.issuer_name,
            d.number_symbol, _date(d.issued_on), _subject(d), "" if d.is_secret else _lead(d), "",
            ", ".join(str(note) for note in notes)]


def outgoing_entry(d) -> list[str]:
    """One line of the outgoing register."""
    notes = [d.get_confidentiality_display()] if d.is_secret else []
    if d.state == OutgoingState.RECALLED:
        notes.append("Đã thu hồi")
    return [d.number_symbol, _date(d.issued_at), _subject(d), d.signer.full_name if d.signer else "",
            d.recipients_display, d.division.name if d.division else "", "", ", ".join(str(note) for note in notes)]


def register_entries(*, register: Register, year: int) -> tuple[list[str], list[list[str]]]:
    """The register's columns and its entries of the year as text, in number order: what both exports show.
    A legal form, always in Vietnamese whatever the reader's language."""
    columns, entry = (INCOMING_COLUMNS, incoming_entry) if register.kind == RegisterKind.INCOMING \
        else (OUTGOING_COLUMNS, outgoing_entry)
    with translation.override("vi"):
        return columns, [entry(d) for d in register_rows(register=register, year=year)]


def register_xlsx(*, register: Register, year: int) -> bytes:
    columns, entries = register_entries(register=register, year=year)
    rows = [[cell.day if isinstance(cell, RegisterDay) else cell for cell in entry] for entry in entries]
    return xlsx_build(sheet_name=f"{register.name} {year}", rows=[columns, *rows])
