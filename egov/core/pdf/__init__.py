"""PDF documents rendered from Django templates with WeasyPrint, in the bundled Liberation Serif.

WeasyPrint is imported on first use (≈ 0.6 s) and stays warm in the process afterwards; fonts come
only from fonts/ through @font-face, so a document looks the same on every machine and never falls
back mid-line to a font without Vietnamese letters.
"""

import atexit
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string

from egov.core.language import portal_language

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "EgovSerif"


def _font_face_css() -> str:
    faces = [("Regular", "normal", "normal"), ("Bold", "bold", "normal"), ("Italic", "normal", "italic")]
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{(FONTS_DIR / f"LiberationSerif-{name}.ttf").as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in faces
    ) + f'\nhtml {{ font-family: "{FONT_FAMILY}"; }}'


@cache
def _stylesheet():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    # Drop the cached configuration before interpreter teardown, while the modules its __del__ uses
    # still exist (otherwise WeasyPrint prints an ignored TypeError at every exit).
    atexit.register(_stylesheet.cache_clear)
    return CSS(string=_font_face_css(), font_config=fonts), fonts


# Documents are laid out in the portal's language (render_pdf says why).
pdf_language = portal_language


def render_pdf(template_name: str, context: dict) -> bytes:
    """The document in the portal's language (Vietnamese), whatever the interface language of the person who
    asks for it: forms and registers are the authority's papers, their fixed text is Vietnamese, and a state's
    or an event's name translated into the clerk's language would leave half the form in English. Texts a
    caller puts in the context must be lazy or made inside `pdf_language()` for the same reason."""
    from weasyprint import HTML

    stylesheet, fonts = _stylesheet()
    with pdf_language():
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(FONTS_DIR)).write_pdf(stylesheets=[stylesheet], font_config=fonts)


def pdf_warm_up() -> None:
    """Import WeasyPrint, load the fonts and lay out one line, so a process's first real document is fast.

    Call it once per web worker (gunicorn's `post_worker_init`, see egov/gunicorn_conf.py): a clerk's
    first receipt would otherwise wait ≈ 1 s for the import and the font loading.
    """
    import base64

    from weasyprint import HTML

    from egov.core.qr import qr_png_data_uri, qr_svg

    stylesheet, fonts = _stylesheet()
    # Every face of the font, a table and the QR codes (a PNG on receipts, SVG on results): each loads code and data
    # on first use.
    qr = base64.b64encode(qr_svg("https://example.invalid/", scale=3).encode()).decode()
    html = ("<h1>Khởi động</h1><p><b>Giấy tiếp nhận</b> <i>hồ sơ</i></p><table><tr><th>Số</th><td>Đủ</td></tr></table>"
            f'<img src="data:image/svg+xml;base64,{qr}" alt="">'
            f'<img src="{qr_png_data_uri("https://example.invalid/")}" alt="" style="image-rendering: pixelated">')
    HTML(string=html, base_url=str(FONTS_DIR)).write_pdf(stylesheets=[stylesheet], font_config=fonts)
