"""A draft composed on the system, rendered in the Decree 30/2020 layout (appendix I): national title and
motto, agency name, number and symbol line, place and date, type and summary, body, recipients, signer
block. The signer block carries an anchor, so the leader's signature field goes exactly there."""

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

CSS_PX_TO_PT = 0.75
ANCHOR = "chu-ky-lanh-dao"


@dataclass
class Composition:
    body: str
    place: str
    signer_title: str  # e.g. "CHỦ TỊCH"
    signer_name: str
    signer_prefix: str = ""  # TM., KT., Q., TL., TUQ. (Decree 30)
    recipients: list[str] = field(default_factory=list)


def compose_pdf(*, agency, document_type, symbol: str, summary: str, composition: Composition) -> tuple[bytes, list]:
    """The PDF and the signature box [page, x1, y1, x2, y2] (points, origin bottom-left)."""
    from weasyprint import HTML

    from egov.core.pdf import FONTS_DIR, _stylesheet  # the project's bundled fonts, warm in the process

    stylesheet, fonts = _stylesheet()
    html = render_to_string("docs_office/pdf/decree30.html", {
        "agency": agency, "document_type": document_type, "symbol": symbol, "summary": summary,
        "paragraphs": [p.strip() for p in composition.body.split("\n") if p.strip()], "c": composition,
        "today": timezone.localdate(), "anchor": ANCHOR,
    })
    rendered = HTML(string=html, base_url=str(FONTS_DIR)).render(stylesheets=[stylesheet], font_config=fonts)
    box = None
    for index, page in enumerate(rendered.pages):
        if ANCHOR in page.anchors:
            left, top, right, bottom = (v * CSS_PX_TO_PT for v in page.anchors[ANCHOR])
            height = page.height * CSS_PX_TO_PT
            centre = (left + right) / 2
            box = [index, centre - 85, height - bottom, centre + 85, height - top]
    out = io.BytesIO()
    rendered.write_pdf(out)
    return out.getvalue(), box
