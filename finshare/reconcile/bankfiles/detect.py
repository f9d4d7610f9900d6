"""Which layout a statement file is in, and where its header row is.

The header row is found by matching a layout's mapped header names against
the first :data:`HEAD_ROWS` rows of the file (its position varies with the
banner). A layout fits when every mapped header is in one row; of several
that fit, the one mapping most columns wins.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...core.problems import FinshareError, Problem, Source
from . import grid as grids
from .layouts import Layout, builtins, norm

#: Rows searched for the header.
HEAD_ROWS = 30
_FIX = ("用 --layout NAME 指定内置版式（icbc、ccb、boc、cmb），或为这家银行写一个映射文件并用 --mapping FILE / "
        "pass --layout NAME (icbc, ccb, boc, cmb), or write a mapping file for this bank and pass --mapping FILE")


@dataclass(frozen=True)
class Fit:
    """How well one layout fits a file: its best header row and the columns found there."""

    layout: Layout
    delimiter: str | None
    row: int                       # 0-based grid row of the header
    positions: dict                # header text → column index
    missing: tuple[str, ...]

    @property
    def full(self) -> bool:
        return not self.missing


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells normalised as :func:`~.layouts.norm` does, column by column."""
    return frame.apply(lambda c: c.str.normalize("NFKC").str.replace(r"\s+", "", regex=True).str.rstrip(":"))


def fit(head: pd.DataFrame, layout: Layout, delimiter: str | None) -> Fit:
    """The row of ``head`` holding most of ``layout``'s headers, and which it lacks."""
    cells = normalise(head).to_numpy()
    wanted = layout.headers()
    hits = np.stack([(cells == norm(h)).any(axis=1) for h in wanted], axis=1) if len(cells) else np.zeros((0, 0))
    if hits.size == 0:
        return Fit(layout, delimiter, 0, {}, tuple(wanted))
    row = int(hits.sum(axis=1).argmax())
    positions = {h: int(np.flatnonzero(cells[row] == norm(h))[0]) for h, hit in zip(wanted, hits[row]) if hit}
    return Fit(layout, delimiter, row, positions, tuple(h for h in wanted if h not in positions))


def heads(path: Path, text: str | None, sheet: pd.DataFrame | None) -> dict:
    """The first rows of the file per candidate delimiter (``None`` for a workbook)."""
    if sheet is not None:
        return {None: sheet.head(HEAD_ROWS)}
    return {d: grids.split(text, d, HEAD_ROWS) for d in grids.DELIMITERS}


def best(path: Path, head_by_delim: dict, layouts: list[Layout], chosen: bool) -> Fit:
    """The best full fit of ``layouts``; none → ``unknown-layout`` (or ``layout-mismatch`` if ``chosen``)."""
    fits = [fit(h, lay, d) for lay in layouts for d, h in head_by_delim.items()]
    full = [f for f in fits if f.full]
    if full:
        return max(full, key=lambda f: len(f.positions))
    raise FinshareError([_no_fit(path, max(fits, key=lambda f: len(f.positions)), head_by_delim, chosen)])


def _no_fit(path: Path, near: Fit, head_by_delim: dict, chosen: bool) -> Problem:
    row_text = " | ".join(c for c in head_by_delim[near.delimiter].iloc[near.row] if c)[:120] \
        if len(head_by_delim[near.delimiter]) else ""
    missing = "、".join(near.missing)
    if not near.positions and not chosen:
        return Problem(
            "unknown-layout", "无法识别对账单版式：前 30 行中没有一行像任何内置版式的表头 / no layout fits the "
            "statement: none of the first 30 rows looks like the header of a built-in layout (icbc, ccb, boc, cmb)",
            Source(str(path)), _FIX)
    if chosen:
        return Problem(
            "layout-mismatch", f"文件不符合版式 {near.layout.name}：最接近的表头行（第 {near.row + 1} 行：{row_text}）缺少列 "
            f"{missing} / the file does not fit layout {near.layout.name}: the closest header row (line "
            f"{near.row + 1}) lacks {', '.join(near.missing)}", Source(str(path), near.row + 1, near.missing[0]),
            f"在映射文件 {near.layout.source} 中改成文件里的列名，或换一个版式 / write the file's own header "
            f"names in {near.layout.source}, or choose another layout")
    return Problem(
        "unknown-layout", f"无法识别对账单版式：最接近的是 {near.layout.name}（第 {near.row + 1} 行：{row_text}），缺少列 "
        f"{missing} / no layout fits the statement: the closest is {near.layout.name} at line {near.row + 1}, "
        f"which lacks {', '.join(near.missing)}", Source(str(path), near.row + 1), _FIX)


def load(path: str | Path) -> tuple[str | None, pd.DataFrame | None]:
    """The file's text (CSV/TXT) or its first sheet's grid (XLSX)."""
    path = Path(path)
    grids.check_exists(path)
    if grids.kind(path) == "xlsx":
        return None, grids.read_xlsx(path)
    return grids.read_text_file(path), None


def detect_layout(path: str | Path) -> str:
    """Name of the built-in layout the statement file ``path`` is in.

    Raises
    ------
    FinshareError
        ``unknown-layout`` naming the closest header row, its layout and the missing columns.
    """
    path = Path(path)
    text, sheet = load(path)
    return best(path, heads(path, text, sheet), builtins(), chosen=False).layout.name
