"""Figures for the capture chapter (07) and the invoice-capture app: boxes on a page, accuracy per field.

:func:`boxed_page` draws on a copy of the page image (Pillow): the engine's
word boxes thin and blue, the extracted fields' boxes thick — green when the
field is ok, red when it is flagged — each with its field name.
:func:`accuracy_bars` is a bar per field from
:func:`finshare.capture.report.field_accuracy`.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from PIL import Image, ImageDraw

from ..capture.engines import as_array
from ..capture.render.fonts import font
from .figures import _figure, cjk_style

WORD_COLOUR, OK_COLOUR, FLAGGED_COLOUR = (66, 133, 244), (27, 140, 60), (200, 0, 32)


def boxed_page(image, fields: dict | None = None, words: pd.DataFrame | None = None) -> Image.Image:
    """The page as RGB with word boxes (``words``: left, top, width, height) and field boxes drawn.

    Parameters
    ----------
    image : str, Path, PIL.Image.Image or numpy.ndarray
    fields : dict, optional
        ``{name: {"box": [l, t, w, h] or None, "ok": bool}}`` (a captured page's ``fields``).
    words : pandas.DataFrame, optional
        :func:`finshare.capture.words.page_words`.
    """
    pixels = as_array(image)
    rgb = Image.fromarray(pixels if pixels.ndim == 3 else np.stack([pixels] * 3, axis=-1)).convert("RGB")
    draw = ImageDraw.Draw(rgb)
    if words is not None:
        for l, t, w, h in words[["left", "top", "width", "height"]].to_numpy(dtype="int64"):   # a page's words
            draw.rectangle((l, t, l + w, t + h), outline=WORD_COLOUR, width=1)
    label = font(15)
    for name, f in (fields or {}).items():
        if not f.get("box"):
            continue
        l, t, w, h = f["box"]
        colour = OK_COLOUR if f.get("ok", True) else FLAGGED_COLOUR
        draw.rectangle((l - 3, t - 3, l + w + 3, t + h + 3), outline=colour, width=3)
        draw.rectangle(draw.textbbox((l - 3, t - 5), name, font=label, anchor="ld"), fill="white")
        draw.text((l - 3, t - 5), name, fill=colour, font=label, anchor="ld")
    return rgb


def png_bytes(image: Image.Image, width: int | None = None) -> bytes:
    """The image as PNG bytes, scaled down to ``width`` pixels when it is wider."""
    if width and image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def accuracy_bars(accuracy: pd.DataFrame, title: str) -> Figure:
    """Horizontal bars: per field (grouped by kind) the share read exactly right, with ``right/pages``.

    Parameters
    ----------
    accuracy : pandas.DataFrame
        :func:`~finshare.capture.report.field_accuracy`.
    title : str
    """
    with cjk_style():
        fig, ax = _figure(9, 0.3 * len(accuracy) + 1.2)
        labels = accuracy["kind"] + " · " + accuracy["field"]
        colours = accuracy["kind"].map({"invoice": "#4c78a8", "receipt": "#f58518"}).fillna("#b0b0b0")
        ax.barh(labels, accuracy["accuracy"] * 100, color=colours)
        for i, (right, pages) in enumerate(zip(accuracy["right"], accuracy["pages"])):
            ax.text(right / pages * 100, i, f" {int(right)}/{int(pages)}", va="center", fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 112)
        ax.set_xlabel("读对的页 % / pages read exactly right, %")
        ax.set_title(title, fontsize=11)
        ax.grid(axis="x", alpha=0.3)
    return fig
