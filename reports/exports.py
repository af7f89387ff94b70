"""Every table of the statistics pages as CSV or XLSX: the same columns, the same rows as on screen."""

import csv
import io
from collections.abc import Callable, Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _

Column = tuple[str, Callable[[dict], object]]


def pct(key: str) -> Callable[[dict], object]:
    # A share with nothing to divide by is "—" (not 0 %, not 100 %), on screen and in the files alike.
    return lambda row: "—" if row.get(key) is None else round(row[key], 1)


def number(key: str) -> Callable[[dict], object]:
    return lambda row: row.get(key, 0)


def agency_columns() -> list[Column]:
    return [
        (_("Cơ quan"), lambda r: r["agency"]),
        (_("Tiếp nhận"), number("received")),
        (_("Trực tiếp"), number("received_counter")),
        (_("Trực tuyến"), number("received_online")),
        (_("Bưu chính"), number("received_post")),
        (_("Đã giải quyết"), number("resolved")),
        (_("Đúng hạn"), number("resolved_on_time")),
        (_("Quá hạn"), number("resolved_late")),
        (_("Tỷ lệ đúng hạn (%)"), pct("on_time_pct")),
        (_("Đang giải quyết"), number("in_progress")),
        (_("Đang quá hạn"), number("overdue")),
        (_("Trực tuyến toàn trình (%)"), pct("fully_online_pct")),
        (_("Thanh toán trực tuyến (%)"), pct("paid_online_pct")),
        (_("Hài lòng (%)"), pct("satisfied_pct")),
        (_("Điểm đánh giá trung bình (1–3)"), lambda r: "—" if r.get("rating_avg") is None else round(r["rating_avg"], 2)),
    ]


def table(columns: Sequence[Column], rows: Sequence[dict]) -> tuple[list[str], list[list]]:
    return [h for h, _f in columns], [[_safe_cell(f(row)) for _h, f in columns] for row in rows]


def csv_response(filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    buffer = io.StringIO()
    # A byte-order mark so that spreadsheet programs read the Vietnamese letters as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, title: str, headers: list[str], rows: list[list]) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _safe_cell(value):
    # Text that a spreadsheet would run as a formula (a procedure name beginning with "=") stays text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and value != "—":
        return "'" + value
    return value


def respond(fmt: str, filename: str, title: str, columns: Sequence[Column], rows: Sequence[dict]) -> HttpResponse:
    headers, values = table(columns, rows)
    if fmt == "xlsx":
        return xlsx_response(filename, title, headers, values)
    return csv_response(filename, headers, values)
