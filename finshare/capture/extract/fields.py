"""Captured fields (``{"value", "confidence", "box"}``) read from anchors and grammars.

Confidence is the lowest OCR confidence of the characters used, times
:data:`REPAIR_FACTOR` when the grammar had to repair the text, times
:data:`NO_ANCHOR_FACTOR` when the value was found by its grammar alone,
without its label.
"""
from __future__ import annotations

from .anchors import PageText, Span

REPAIR_FACTOR = 0.8
NO_ANCHOR_FACTOR = 0.85


def missing() -> dict:
    """A field that was not found: empty value, confidence 0, no box."""
    return {"value": "", "confidence": 0.0, "box": None}


def read(text: PageText, span: Span | None, parser, factor: float = 1.0) -> dict | None:
    """Parse the span's text with ``parser`` (a :mod:`.grammar` function); the captured field or None."""
    if span is None:
        return None
    reading = parser(text.text(span))
    if reading is None:
        return None
    confidence = text.confidence(span, reading.start, reading.end) * factor
    if reading.repaired:
        confidence *= REPAIR_FACTOR
    return {"value": reading.value, "confidence": round(confidence, 4),
            "box": text.box(span, reading.start, reading.end)}


def read_after(text: PageText, anchor: Span, parser) -> dict | None:
    """The value right of an anchor (the rest of its cell, else the next cell), parsed."""
    rest = text.after(anchor)
    found = read(text, rest, parser)
    if found is None and rest is not None and rest.cell == anchor.cell:
        following = anchor.cell + 1
        cells = text.cells
        if following in cells.index and cells.at[following, "line"] == cells.at[anchor.cell, "line"]:
            found = read(text, Span(following, 0, len(cells.at[following, "text"])), parser)
    return found


def first_after(text: PageText, anchors, parser) -> dict | None:
    """The first value that parses right of any occurrence of the first of ``anchors`` found."""
    for anchor in anchors:
        for span in text.find(anchor):
            found = read_after(text, span, parser)
            if found is not None:
                return found
    return None


def anywhere(text: PageText, parser, cells=None) -> list[dict]:
    """Every cell (or the given cell ids) whose text parses, in reading order, without an anchor."""
    ids = text.cells.index if cells is None else cells
    out = []
    for i in ids:
        found = read(text, Span(int(i), 0, len(text.cells.at[i, "text"])), parser, NO_ANCHOR_FACTOR)
        if found is not None:
            out.append(found)
    return out
