"""The app icons as PNG, drawn with Pillow from the same shapes as static/favicon.svg.

`python -m game.icons` writes them into static/icons/ (they are committed; `make icons` redraws them).
A gold diamond with a cut-out on the brand colour: the logo of the top bar, legible at 32 px.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

BRAND, GOLD = "#1f4e5f", "#f2b134"
OUT = Path(__file__).resolve().parents[1] / "static" / "icons"
# name: (size, maskable). A maskable icon fills the square; the platform cuts its own shape, keeping
# the inner 80 % (the "safe zone"), so the diamond is drawn smaller there.
ICONS = {"favicon-32.png": (32, False), "apple-touch-icon.png": (180, True), "icon-192.png": (192, False),
         "icon-512.png": (512, False), "icon-maskable-512.png": (512, True)}
SUPERSAMPLE = 4  # draw large, scale down: smooth edges without an anti-aliasing library


def draw(size: int, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BRAND)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 14 // 64, fill=BRAND)
    centre = big / 2
    outer = big * (0.30 if maskable else 22 / 64)
    inner = big * (0.14 if maskable else 10 / 64)
    diamond = lambda r: [(centre, centre - r), (centre + r, centre), (centre, centre + r), (centre - r, centre)]  # noqa: E731
    pen.polygon(diamond(outer), fill=GOLD)
    pen.polygon(diamond(inner), fill=BRAND)
    return image.resize((size, size), Image.LANCZOS)


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (size, maskable) in ICONS.items():
        image = draw(size, maskable)
        # Apple's touch icon may not be transparent (it would turn black): flatten it.
        if name == "apple-touch-icon.png":
            image = image.convert("RGB")
        image.save(out / name, optimize=True)
        print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
