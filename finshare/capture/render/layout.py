"""Drawing primitives for a form page: text that records where it went, frames, a QR-like mark, a red stamp.

A :class:`Page` is a white RGB image plus ``boxes``: for each truth field,
the ``[left, top, width, height]`` of the pixels its value was drawn in.
"""
from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from .fonts import font

INK = (20, 20, 20)
RED = (200, 30, 30)


class Page:
    """A blank page of ``size`` pixels to draw a form on.

    Parameters
    ----------
    size : (int, int)
        Width and height in pixels (about 150 dpi for the forms here).
    """

    def __init__(self, size: tuple[int, int]):
        self.image = Image.new("RGB", size, "white")
        self.draw = ImageDraw.Draw(self.image)
        self.boxes: dict[str, list[int]] = {}

    def text(self, xy, s: str, size: int = 20, style: str = "sans", fill=INK, anchor: str = "la") -> list[int]:
        """Draw ``s`` at ``xy`` (Pillow anchor) and return its ink box ``[l, t, w, h]``."""
        f = font(size, style)
        self.draw.text(xy, s, font=f, fill=fill, anchor=anchor)
        l, t, r, b = self.draw.textbbox(xy, s, font=f, anchor=anchor)
        return [int(l), int(t), int(r - l), int(b - t)]

    def field(self, name: str, xy, value: str, **kw) -> list[int]:
        """Draw a truth field's value and record its box under ``name``."""
        box = self.text(xy, value, **kw)
        self.boxes[name] = box
        return box

    def fit(self, name: str | None, xy, value: str, width: int, size: int = 20, **kw) -> list[int]:
        """Like :meth:`field` (or plain text when ``name`` is None), shrinking the font until it fits ``width``."""
        while size > 10 and font(size, kw.get("style", "sans")).getlength(value) > width:
            size -= 1
        return self.field(name, xy, value, size=size, **kw) if name else self.text(xy, value, size=size, **kw)

    def rect(self, box, color=INK, width: int = 2) -> None:
        """An outline from ``(l, t, r, b)``."""
        self.draw.rectangle(box, outline=color, width=width)

    def hline(self, x0: int, x1: int, y: int, color=INK, width: int = 1) -> None:
        self.draw.line([(x0, y), (x1, y)], fill=color, width=width)

    def vline(self, x: int, y0: int, y1: int, color=INK, width: int = 1) -> None:
        self.draw.line([(x, y0), (x, y1)], fill=color, width=width)

    def qr(self, rng: np.random.Generator, left: int, top: int, cells: int = 25, cell: int = 4) -> None:
        """A QR-code-like square of random modules with the three finder squares."""
        bits = rng.random((cells, cells)) < 0.5
        for r0, c0 in ((0, 0), (0, cells - 7), (cells - 7, 0)):
            bits[r0:r0 + 7, c0:c0 + 7] = False
            bits[r0:r0 + 7, c0] = bits[r0:r0 + 7, c0 + 6] = True
            bits[r0, c0:c0 + 7] = bits[r0 + 6, c0:c0 + 7] = True
            bits[r0 + 2:r0 + 5, c0 + 2:c0 + 5] = True
        module = Image.fromarray(np.where(bits, 0, 255).astype(np.uint8)).resize(
            (cells * cell, cells * cell), Image.NEAREST)
        self.image.paste(module.convert("RGB"), (left, top))

    def stamp(self, center, rx: int, ring: str, middle: tuple[str, ...] = (), oval: bool = False,
              color=RED) -> None:
        """A red seal: round with a star (bank stamps) or oval (发票专用章, 监制章); ``ring`` along the upper arc,
        ``middle`` lines in the centre."""
        ry = int(rx * 0.68) if oval else rx
        size = 2 * rx + 8
        seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        d = ImageDraw.Draw(seal)
        c, ink = size // 2, color + (200,)
        d.ellipse([c - rx, c - ry, c + rx, c + ry], outline=ink, width=max(3, rx // 22))
        f = font(max(11, rx // 5 if oval else rx // 4), "bold")
        span = min(250, 26 * len(ring) if oval else 240)
        for i, ch in enumerate(ring):
            a = math.radians(-90 - span / 2 + span * (i + 0.5) / max(len(ring), 1))
            glyph = Image.new("RGBA", (f.size + 8, f.size + 8), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((4, 4), ch, font=f, fill=ink)
            x, y = (rx - f.size * 0.8) * math.cos(a), (ry - f.size * 0.8) * math.sin(a)
            normal = math.degrees(math.atan2(y * rx * rx, x * ry * ry))    # outward, so the glyph stands up
            glyph = glyph.rotate(-normal - 90, expand=True, resample=Image.BICUBIC)
            seal.alpha_composite(glyph, (int(c + x - glyph.width / 2), int(c + y - glyph.height / 2)))
        if not oval:
            r = rx / 3
            star = [(c + r * math.cos(math.radians(-90 + 144 * k)), c + r * math.sin(math.radians(-90 + 144 * k)))
                    for k in range(5)]
            d.polygon(star, fill=ink)
            d.regular_polygon((c, c, r * 0.39), 5, rotation=36 + 180, fill=ink)
        fm = font(max(10, rx // 7), "bold")
        for k, line in enumerate(middle):
            dy = (k - (len(middle) - 1) / 2) * fm.size * 1.3 + (rx * 0.45 if not oval else ry * 0.15)
            d.text((c, c + dy), line, font=fm, fill=ink, anchor="mm")
        self.image.paste(seal, (int(center[0] - c), int(center[1] - c)), seal)
