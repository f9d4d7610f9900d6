"""The words of a page as text lines cut into cells, with anchor search and the boxes of character spans.

A line's words (one OCR line, left to right) are joined into one string;
a gap wider than :data:`CELL_GAP` × the text height starts a new *cell*
(table columns, label vs. value when set apart), and so does a gap wider than
:data:`NUMBER_GAP` × the height between a word ending in a digit and one
starting with a digit (two numbers in neighbouring columns, such as an item's
amount and its rate, would otherwise read as one: ``171151.0013%``).
Where the detector cut one string into two overlapping boxes and both read
the characters of the overlap (``发票号码:5`` + ``53016847``), the earlier word
loses them. Every character keeps the
row of the word it came from, so a span of characters has a confidence
(the lowest of its words) and a box (its share of each word's width).
Text is NFKC-normalised (``：`` → ``:``, ``（`` → ``(``, ``￥`` → ``¥``) and
spaces are dropped (Chinese forms do not need them; numbers must not have them).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

CELL_GAP = 1.8
NUMBER_GAP = 0.8
REPEAT_OVERLAP = 0.6
FUZZY_CUTOFF = 74.0


def normalise(text: str) -> str:
    """NFKC with spaces removed: ``"发票号码： 0338 7713"`` → ``"发票号码:03387713"``."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of cell ``cell`` (an index into :attr:`PageText.cells`)."""

    cell: int
    start: int
    end: int


class PageText:
    """A page's OCR words as cells of text.

    Parameters
    ----------
    words : pandas.DataFrame
        :data:`finshare.capture.engines.WORD_COLUMNS`.

    Attributes
    ----------
    cells : pandas.DataFrame
        One row per cell: ``text``, ``line``, ``left``, ``top``, ``right``, ``bottom``, and
        ``chars`` (the word row of each character, an array).
    """

    def __init__(self, words: pd.DataFrame):
        w = words.assign(norm=words["text"].map(normalise))
        w = w[w["norm"] != ""].sort_values(["line", "left"], kind="stable").reset_index(drop=True)
        self.words = w
        right = w["left"] + w["width"]
        gap = w["left"] - right.groupby(w["line"]).shift()
        w["norm"] = _drop_repeats(w, gap)
        height = np.minimum(w["height"], w["height"].groupby(w["line"]).shift())
        digits = w["norm"].str[-1].str.isdigit().groupby(w["line"]).shift(fill_value=False) \
            & w["norm"].str[0].str.isdigit()
        new_cell = gap.isna() | (gap > CELL_GAP * height) | (digits & (gap > NUMBER_GAP * height))
        w["cell"] = new_cell.cumsum() - 1
        self.cells = _cells(w, right) if len(w) else pd.DataFrame(
            {c: pd.Series(dtype=object if c in ("text", "chars") else "int64") for c in CELL_COLUMNS})
        self.width = int(self.cells["right"].max() - self.cells["left"].min()) if len(self.cells) else 0
        self.x0 = int(self.cells["left"].min()) if len(self.cells) else 0

    # --- search --------------------------------------------------------------------------------

    def find(self, anchor: str, cutoff: float = FUZZY_CUTOFF) -> list[Span]:
        """Every cell's best occurrence of ``anchor`` (exact, or fuzzy for anchors of 3+ characters).

        Returns spans in reading order (line, then left).
        """
        found = []
        for i, text in self.cells["text"].items():
            at = text.find(anchor)
            if at >= 0:
                found.append(Span(i, at, at + len(anchor)))
            elif len(anchor) >= 3 and len(text) >= 2:
                hit = fuzz.partial_ratio_alignment(anchor, text, score_cutoff=cutoff)
                if hit is not None:
                    found.append(Span(i, hit.dest_start, hit.dest_end))
        return found

    def find_any(self, anchors, cutoff: float = FUZZY_CUTOFF) -> list[Span]:
        """:meth:`find` for the first of ``anchors`` that occurs at all."""
        for anchor in anchors:
            spans = self.find(anchor, cutoff)
            if spans:
                return spans
        return []

    def after(self, span: Span) -> Span | None:
        """The value right of an anchor: the rest of its cell (past ``:``), else the next cell on its line."""
        text = self.cells.at[span.cell, "text"]
        start = span.end
        while start < len(text) and text[start] in ":;.,|丨":
            start += 1
        if start < len(text):
            return Span(span.cell, start, len(text))
        following = span.cell + 1
        if following in self.cells.index and self.cells.at[following, "line"] == self.cells.at[span.cell, "line"]:
            return Span(following, 0, len(self.cells.at[following, "text"]))
        return None

    def line_cells(self, line: int) -> list[Span]:
        """All cells of a line, whole, left to right."""
        rows = self.cells.index[self.cells["line"] == line]
        return [Span(int(i), 0, len(self.cells.at[i, "text"])) for i in rows]

    # --- spans ---------------------------------------------------------------------------------

    def text(self, span: Span) -> str:
        return self.cells.at[span.cell, "text"][span.start:span.end]

    def confidence(self, span: Span, start: int = 0, end: int | None = None) -> float:
        """Lowest word confidence over the span's characters ``start:end`` (relative to the span)."""
        rows = self.cells.at[span.cell, "chars"][span.start:span.end][start:end]
        return float(self.words.loc[np.unique(rows), "confidence"].min()) if len(rows) else 0.0

    def box(self, span: Span, start: int = 0, end: int | None = None) -> list[int] | None:
        """``[l, t, w, h]`` of the span's characters ``start:end``: each word's share of its width."""
        chars = self.cells.at[span.cell, "chars"]
        rows = chars[span.start:span.end][start:end]
        if not len(rows):
            return None
        first = span.start + start
        idx = np.arange(first, first + len(rows))
        words = self.words.loc[rows]
        word_first = np.searchsorted(chars, rows, side="left")
        counts = words["norm"].str.len().to_numpy()
        share = words["width"].to_numpy() / counts
        lefts = words["left"].to_numpy() + share * (idx - word_first)
        l, r = lefts.min(), (lefts + share).max()
        t, b = words["top"].min(), (words["top"] + words["height"]).max()
        return [int(round(l)), int(t), int(round(r - l)), int(b - t)]

    def centre(self, span: Span) -> tuple[float, float]:
        c = self.cells.loc[span.cell]
        return (c["left"] + c["right"]) / 2.0, (c["top"] + c["bottom"]) / 2.0

    def mid_x(self) -> float:
        """The page's horizontal middle (of the text's extent)."""
        return self.x0 + self.width / 2.0


def _drop_repeats(w: pd.DataFrame, gap: pd.Series) -> pd.Series:
    """The words' text without the characters an earlier word repeats where its box overlaps the next one's
    by about that many characters (the next word's character width; at least :data:`REPEAT_OVERLAP` of one)."""
    norm = w["norm"].copy()
    per_char = w["width"] / w["norm"].str.len()
    repeats = np.rint(-gap / per_char).where(-gap >= REPEAT_OVERLAP * per_char, 0).fillna(0).astype(int)
    for i in np.flatnonzero(repeats.to_numpy() > 0):          # a few boxes a page at most
        n, before = int(repeats.iat[i]), norm.iat[i - 1]
        if len(before) > n and before.endswith(norm.iat[i][:n]):
            norm.iat[i - 1] = before[:-n]
    return norm


CELL_COLUMNS = ("text", "line", "left", "top", "right", "bottom", "chars")


def _cells(w: pd.DataFrame, right: pd.Series) -> pd.DataFrame:
    """One row per cell of the (non-empty) normalised words ``w`` (see :attr:`PageText.cells`)."""
    cell = w.groupby("cell")
    lengths = w["norm"].str.len().to_numpy()
    ends = np.cumsum(np.bincount(w["cell"].to_numpy(), weights=lengths)).astype("int64")    # cells are runs
    chars = np.split(np.repeat(w.index.to_numpy(), lengths), ends[:-1])
    return pd.DataFrame({
        "text": cell["norm"].agg("".join),
        "line": cell["line"].first(),
        "left": cell["left"].min(),
        "top": cell["top"].min(),
        "right": right.groupby(w["cell"]).max(),
        "bottom": (w["top"] + w["height"]).groupby(w["cell"]).max(),
        "chars": pd.Series(chars, index=cell.size().index, dtype=object),
    })
