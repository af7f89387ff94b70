"""A minimal XLSX writer (one sheet, text, numbers and dates) for register exports, so no spreadsheet library
is needed: an Office Open XML workbook is a zip of a few small XML parts."""

import io
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape

from egov.core.text import xml_safe

_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/>
</Types>"""
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>
</Relationships>"""
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Cell style 1: a day as the registers print it (dd/mm/yyyy), so a spreadsheet sorts and filters it as a date.
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN_NS}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""
# Spreadsheets count days from 30/12/1899 from 1/3/1900 (serial 61) on. Before it the count carries Lotus 1-2-3's
# fictitious 29/2/1900 (serial 60): 1/1/1900 is serial 1, a day later than the count from 30/12/1899 gives. A day
# before 1/1/1900 has no serial in the 1900 date system (a negative one is no date to a spreadsheet).
_EPOCH = date(1899, 12, 30)
_EARLY_EPOCH = date(1899, 12, 31)
_FIRST_SERIAL_DAY, _FIRST_TRUE_COUNT = date(1900, 1, 1), date(1900, 3, 1)


def date_serial(value: date) -> int | None:
    """The spreadsheet's serial number of a day (1900 date system, as Excel and LibreOffice read it), or None for a
    day before 1/1/1900, which it cannot hold as a date."""
    if value >= _FIRST_TRUE_COUNT:
        return (value - _EPOCH).days
    if value >= _FIRST_SERIAL_DAY:
        return (value - _EARLY_EPOCH).days
    return None


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value) -> str:
    if isinstance(value, date) and not isinstance(value, datetime):
        serial = date_serial(value)
        if serial is not None:
            return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
        # Written as the registers print it: the day is kept, as text (sorting and filtering it as a date is lost).
        value = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = escape(xml_safe(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def xlsx_build(*, sheet_name: str, rows: list[list]) -> bytes:
    """A workbook with one sheet; the first row is usually the header."""
    lines = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_column(c)}{r}", value) for c, value in enumerate(row))
        lines.append(f'<row r="{r}">{cells}</row>')
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">'
             f'<sheetData>{"".join(lines)}</sheetData></worksheet>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
                f'xmlns:r="{_REL}">'
                f'<sheets><sheet name="{escape(xml_safe(sheet_name)[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()
