"""QR codes drawn locally (receipts, signed results, the second factor's set-up): no image files, no external service."""


def qr_svg(data: str, *, scale: int = 4) -> str:
    """An inline SVG, for web pages (it scales with the page and needs no request of its own)."""
    import segno

    return segno.make(data, error="m").svg_inline(scale=scale)


def qr_png_data_uri(data: str) -> str:
    """A `data:` URI of a PNG with one pixel per module, for PDFs: the document sizes it and draws it without
    smoothing (`image-rendering: pixelated` in its CSS), so the modules stay sharp at any size. WeasyPrint places
    a bitmap this small far sooner than it parses and draws an SVG path of every module (≈ 3 ms a receipt)."""
    import base64
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=1, border=4)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
