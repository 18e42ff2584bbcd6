"""Simple generated product pictures for the demo catalog (Pillow, no network, deterministic)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 480, 600


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _tint(rgb: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    r, g, b = rgb
    return tuple(int(c + (255 - c) * amount) for c in (r, g, b))  # type: ignore[return-value]


def _silhouette(draw: ImageDraw.ImageDraw, shape: str, fill: tuple, outline: tuple) -> None:
    cx = WIDTH // 2
    if shape == "dress":
        draw.polygon([(cx - 60, 120), (cx + 60, 120), (cx + 150, 520), (cx - 150, 520)], fill=fill)
        draw.rectangle([cx - 60, 90, cx + 60, 140], fill=fill)
    elif shape == "top":
        draw.polygon(
            [
                (cx - 160, 170),
                (cx - 90, 120),
                (cx + 90, 120),
                (cx + 160, 170),
                (cx + 130, 230),
                (cx + 100, 215),
                (cx + 100, 440),
                (cx - 100, 440),
                (cx - 100, 215),
                (cx - 130, 230),
            ],
            fill=fill,
        )
    elif shape == "trousers":
        draw.rectangle([cx - 110, 110, cx + 110, 170], fill=fill)
        draw.polygon([(cx - 110, 170), (cx - 5, 170), (cx - 20, 530), (cx - 100, 530)], fill=fill)
        draw.polygon([(cx + 5, 170), (cx + 110, 170), (cx + 100, 530), (cx + 20, 530)], fill=fill)
    elif shape == "shoe":
        draw.ellipse([cx - 170, 300, cx + 170, 420], fill=fill)
        draw.rectangle([cx - 170, 360, cx + 170, 420], fill=fill)
    elif shape == "bag":
        draw.arc([cx - 80, 120, cx + 80, 300], start=180, end=360, fill=outline, width=14)
        draw.rounded_rectangle([cx - 150, 210, cx + 150, 470], radius=30, fill=fill)
    else:
        draw.ellipse([cx - 140, 160, cx + 140, 440], fill=fill)


def product_image(
    title: str, colour: str, shape: str, pattern: int = 0, name: str = "demo.png"
) -> ContentFile:
    """A PNG with a garment silhouette in ``colour`` on a tinted background and the title."""
    base = _rgb(colour)
    image = Image.new("RGB", (WIDTH, HEIGHT), _tint(base, 0.85))
    draw = ImageDraw.Draw(image)
    _silhouette(draw, shape, base, _tint(base, 0.3))
    accent = _tint(base, 0.55)
    for i in range(pattern % 4 + 2):
        y = 200 + i * 60
        draw.line([(WIDTH // 2 - 90, y), (WIDTH // 2 + 90, y + 20)], fill=accent, width=6)
    draw.rectangle([0, HEIGHT - 60, WIDTH, HEIGHT], fill=(255, 255, 255))
    draw.text((20, HEIGHT - 42), title[:60], fill=(30, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return ContentFile(buffer.getvalue(), name=name)
