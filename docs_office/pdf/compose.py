"""A draft composed on the system, rendered in the Decree 30/2020 layout (appendix I): national title and
motto, agency name, number and symbol line, place and date, type and summary, body, recipients, signer
block. The signer block carries an anchor, so the leader's signature field goes exactly there."""

import io
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.template.loader import render_to_string

CSS_PX_TO_PT = 0.75
ANCHOR = "chu-ky-lanh-dao"


# Prefixes that sign for the head of the agency (ký thay, quyền, thừa lệnh, thừa ủy quyền): the head's title
# follows them. Only TM. (on behalf of a collective) is followed by the body's name (Decree 30/2020, appendix I).
FOR_THE_HEAD = ("KT.", "Q.", "TL.", "TUQ.")


@dataclass
class Composition:
    body: str
    place: str
    signer_title: str  # the signer's own title, e.g. "PHÓ GIÁM ĐỐC"
    signer_name: str
    signer_prefix: str = ""  # TM., KT., Q., TL., TUQ. (Decree 30)
    recipients: list[str] = field(default_factory=list)
    head_title: str = ""  # the head's title the prefix signs for, e.g. "GIÁM ĐỐC" (KT., Q., TL., TUQ.)


# "V/v" (về việc) the drafter may have typed at the start of an official letter's summary: any case, with or without
# a period or a space after it.
_VV_PREFIX = re.compile(r"\A\s*v\s*/\s*v\s*\.?\s*", re.IGNORECASE)


def letter_subject(summary: str) -> str:
    """An official letter's (công văn) summary line under its number: "V/v …" once, whether or not the drafter
    typed the "V/v" (Decree 30/2020, appendix I)."""
    return f"V/v {_VV_PREFIX.sub('', summary or '', count=1).strip()}"


def head_title_of(composition: Composition) -> str:
    """The head's title a KT., Q., TL. or TUQ. signer signs for: as given; else, for KT. and Q. (a deputy signing
    for, or acting as, the head), the deputy's own title without "PHÓ" ("PHÓ GIÁM ĐỐC" → "GIÁM ĐỐC"). TL. and
    TUQ. are signed by the head of a unit (Chánh Văn phòng, Trưởng phòng), whose title says nothing of the
    agency head's: empty unless given."""
    head = (composition.head_title or "").strip().upper()
    if head or composition.signer_prefix not in ("KT.", "Q."):
        return head
    title = (composition.signer_title or "").strip().upper()
    return title.removeprefix("PHÓ ").strip() if title.startswith("PHÓ ") else ""


def signer_titles(composition: Composition, *, agency_name: str) -> list[str]:
    """The lines above the signature: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
    "Q. GIÁM ĐỐC", "TL. GIÁM ĐỐC / CHÁNH VĂN PHÒNG", or the signer's title alone.

    A deputy signing on behalf of a collective signs for its head as well, three lines (Decree 30/2020,
    appendix I): "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"."""
    prefix, title = composition.signer_prefix, (composition.signer_title or "").strip().upper()
    if prefix == "TM.":
        head = (composition.head_title or "").strip().upper() or (
            title.removeprefix("PHÓ ").strip() if title.startswith("PHÓ ") else "")
        lines = [f"TM. {agency_name.upper()}", f"KT. {head}" if head and head != title else "", title]
    elif prefix == "Q.":  # the acting head signs with the head's title only
        lines = [f"Q. {head_title_of(composition) or title}"]
    elif prefix in FOR_THE_HEAD:
        lines = [f"{prefix} {head_title_of(composition)}", title]
    else:
        lines = [title]
    return [line for line in lines if line]


def signer_competence(composition: Composition, *, agency_name: str) -> str:
    """Thẩm quyền ký as the signer block prints it, for the edXML SignerInfo/Competence and the exchange: the lines
    above the signer's own title ("TM. ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "KT. GIÁM ĐỐC", both for a deputy signing
    for a collective), or the acting head's one line ("Q. GIÁM ĐỐC"); empty when the signer signs in their own
    name."""
    if not composition.signer_prefix:
        return ""
    lines = signer_titles(composition, agency_name=agency_name)
    title = (composition.signer_title or "").strip().upper()
    if composition.signer_prefix != "Q." and len(lines) > 1 and lines[-1] == title:
        lines = lines[:-1]
    return ", ".join(lines)


# The number and the date of issue are left blank on the draft and filled at issue (services.outgoing.outgoing_issue):
# where each goes, by the name of the PDF text field that will hold it. The number runs up to the "/" of its symbol.
ISSUE_FIELDS = {"so-van-ban": ("SoVanBan", "right"), "ngay-ban-hanh": ("NgayBanHanh", "center"),
                "thang-ban-hanh": ("ThangBanHanh", "center"), "nam-ban-hanh": ("NamBanHanh", "center")}


class ComposedPdf(NamedTuple):
    pdf: bytes
    signature_box: list | None  # [page, x1, y1, x2, y2], points, origin bottom-left
    # {field name: [page, x1, y1, x2, y2, align, italic]}: the blanks of the number and the date of issue.
    issue_fields: dict


def compose_pdf(*, agency, document_type, symbol: str, summary: str, composition: Composition) -> ComposedPdf:
    """The PDF, its signature box and the boxes of the number and date of issue left blank (Decree 30: a draft is
    dated and numbered when the records clerk issues it)."""
    from weasyprint import HTML

    from docs_office.recipients import recipients_block
    from egov.core.pdf import FONTS_DIR, _stylesheet  # the project's bundled fonts, warm in the process

    stylesheet, fonts = _stylesheet()
    html = render_to_string("docs_office/pdf/decree30.html", {
        "agency": agency, "document_type": document_type, "symbol": symbol, "summary": summary,
        "letter_subject": letter_subject(summary),
        "paragraphs": [p.strip() for p in composition.body.split("\n") if p.strip()], "c": composition,
        "anchor": ANCHOR,
        "recipients": recipients_block(composition.recipients) if composition.recipients else [],
        "signer_titles": signer_titles(composition, agency_name=agency.name),
    })
    rendered = HTML(string=html, base_url=str(FONTS_DIR)).render(stylesheets=[stylesheet], font_config=fonts)
    box, fields = None, {}
    for index, page in enumerate(rendered.pages):
        height = page.height * CSS_PX_TO_PT
        if ANCHOR in page.anchors:
            left, top, right, bottom = (v * CSS_PX_TO_PT for v in page.anchors[ANCHOR])
            centre = (left + right) / 2
            box = [index, centre - 85, height - bottom, centre + 85, height - top]
        for anchor, (name, align) in ISSUE_FIELDS.items():
            if anchor in page.anchors:
                left, top, right, bottom = (v * CSS_PX_TO_PT for v in page.anchors[anchor])
                fields[name] = [index, round(left, 2), round(height - bottom, 2), round(right, 2), round(height - top, 2),
                                align, name != "SoVanBan"]  # the date line is italic
    out = io.BytesIO()
    rendered.write_pdf(out)
    return ComposedPdf(out.getvalue(), box, fields)
