"""Demo stamp images: a blue handwritten-looking signature and a red round seal, both PNG with a
transparent background, drawn here so the demo needs no image files."""

import io
import math


def demo_signature_png(*, seed: int = 1, width: int = 360, height: int = 160) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    blue = (20, 40, 170, 255)
    points = []
    for step in range(0, 240):
        t = step / 240
        x = 20 + t * (width - 40)
        y = height / 2 + math.sin(t * (9 + seed) ) * 38 * (1 - t * 0.6) + math.sin(t * 31) * 6
        points.append((x, y))
    draw.line(points, fill=blue, width=5, joint="curve")
    draw.line([(width * 0.25, height * 0.78), (width * 0.85, height * 0.68)], fill=blue, width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def demo_seal_png(*, size: int = 400) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (210, 20, 30, 235)
    centre = size / 2
    for radius, width in ((size * 0.48, 10), (size * 0.36, 5)):
        draw.ellipse([centre - radius, centre - radius, centre + radius, centre + radius], outline=red, width=width)
    # a five-pointed star in the middle, as on the seal of a People's Committee
    star = []
    for k in range(10):
        angle = -math.pi / 2 + k * math.pi / 5
        r = size * (0.17 if k % 2 == 0 else 0.07)
        star.append((centre + r * math.cos(angle), centre + r * math.sin(angle)))
    draw.polygon(star, fill=red)
    # the ring of "letters": short strokes stand in for the agency name around the seal
    for k in range(36):
        angle = k * 2 * math.pi / 36
        r1, r2 = size * 0.39, size * 0.45
        draw.line([(centre + r1 * math.cos(angle), centre + r1 * math.sin(angle)),
                   (centre + r2 * math.cos(angle), centre + r2 * math.sin(angle))], fill=red, width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
