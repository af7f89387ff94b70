"""QR codes as inline SVG (receipts, signed results): no image files, no external service."""


def qr_svg(data: str, *, scale: int = 4) -> str:
    import segno

    return segno.make(data, error="m").svg_inline(scale=scale)
