"""Charts as inline SVG drawn on the server: no JavaScript (the CSP forbids inline scripts), readable
without colour (every bar carries its number, the SVG has a title and a description) and printable."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours: the portal's blue, green for on time, red for late, grey for the rest.
COLOURS = {"blue": "#1d4ed8", "green": "#15803d", "red": "#b91c1c", "grey": "#6b7280", "amber": "#b45309"}


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def bar_chart(*, title: str, rows: list[tuple[str, list[tuple[float, str, str]]]], width: int = 720) -> SafeString:
    """Horizontal stacked bars: rows of (label, [(value, colour, series name), ...])."""
    label_w, bar_h, gap, top = 260, 22, 10, 30
    height = top + len(rows) * (bar_h + gap) + 10
    longest = max((sum(v for v, _c, _n in parts) for _label, parts in rows), default=0) or 1
    scale = (width - label_w - 80) / longest
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
           f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-title"><title>{escape(title)}</title>',
           f'<text x="0" y="18" font-size="14" font-weight="bold" fill="#111827">{escape(title)}</text>']
    for i, (label, parts) in enumerate(rows):
        y = top + i * (bar_h + gap)
        out.append(f'<text x="0" y="{y + 16}" font-size="12" fill="#111827">{escape(label[:40])}</text>')
        x = label_w
        for value, colour, name in parts:
            w = max(value * scale, 0)
            if w:
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLOURS[colour]}">'
                           f'<title>{escape(name)}: {_fmt(value)}</title></rect>')
            x += w
        total = sum(v for v, _c, _n in parts)
        out.append(f'<text x="{x + 6:.1f}" y="{y + 16}" font-size="12" fill="#111827">{_fmt(total)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every label and title above went through escape()


def line_chart(*, title: str, labels: list[str], series: list[tuple[str, str, list[float | None]]],
               width: int = 720, height: int = 240, percent: bool = False) -> SafeString:
    """Lines over months: series of (name, colour, values); a missing value breaks the line."""
    left, right, top, bottom = 50, 20, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _n, _c, vs in series for v in vs if v is not None]
    peak = 100.0 if percent else (max(values, default=0) or 1)
    step = plot_w / max(len(labels) - 1, 1)
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
           f'<text x="0" y="18" font-size="14" font-weight="bold" fill="#111827">{escape(title)}</text>',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#9ca3af"/>',
           f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end" fill="#374151">'
           f'{_fmt(peak)}{"%" if percent else ""}</text>',
           f'<text x="{left - 6}" y="{top + plot_h}" font-size="11" text-anchor="end" fill="#374151">0</text>']
    for i, label in enumerate(labels):
        out.append(f'<text x="{left + i * step:.1f}" y="{height - 18}" font-size="11" text-anchor="middle" '
                   f'fill="#374151">{escape(label)}</text>')
    for n, (name, colour, vs) in enumerate(series):
        points = []
        for i, v in enumerate(vs):
            if v is None:
                if len(points) > 1:
                    out.append(_polyline(points, colour))
                points = []
                continue
            x, y = left + i * step, top + plot_h - (v / peak) * plot_h
            points.append((x, y))
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOURS[colour]}">'
                       f'<title>{escape(name)} {escape(labels[i])}: {_fmt(v)}{"%" if percent else ""}</title></circle>')
        if len(points) > 1:
            out.append(_polyline(points, colour))
        out.append(f'<rect x="{left + n * 200}" y="{height - 10}" width="10" height="10" fill="{COLOURS[colour]}"/>'
                   f'<text x="{left + n * 200 + 14}" y="{height - 1}" font-size="11" fill="#111827">{escape(name)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every label and title above went through escape()


def _polyline(points, colour) -> str:
    joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline points="{joined}" fill="none" stroke="{COLOURS[colour]}" stroke-width="2"/>'
