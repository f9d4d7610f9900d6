"""What a posting stored, and how a large posting is cut into periods.

:class:`PostingResult` holds a batch's business and GL lines. A large batch
is stored period by period (:func:`by_period`); its result keeps the lines
while they are few and otherwise reads them back from the store when asked,
so posting a million documents does not hold them all in memory twice.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from . import columns as C
from .journal import JOURNAL_COLUMNS
from .vouchers import line_ids

#: Above this many lines a result reads its lines back from the store instead of keeping them.
KEEP_LINES = 200_000


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in JOURNAL_COLUMNS})


class PostingResult:
    """What one posting batch stored: business and GL lines (minor units).

    Parameters
    ----------
    batch : int
        The batch id (0: nothing was stored).
    business, gl : pandas.DataFrame, optional
        The lines; when None they are read from ``store`` on first use.
    """

    def __init__(self, batch: int, business: pd.DataFrame | None = None, gl: pd.DataFrame | None = None,
                 store=None):
        self.batch = batch
        self._business, self._gl, self._store = business, gl, store
        self.parts: list = []
        self._held_lines = 0
        #: ``period-closed`` problems of documents that wait (``Ledger.post(hold_closed=True)``)
        self.held: list = []
        self.stored = None

    @classmethod
    def empty(cls) -> "PostingResult":
        return cls(0, _empty(), _empty())

    @classmethod
    def collecting(cls, store) -> "PostingResult":
        """A result that parts of a batch are added to (:meth:`add`)."""
        return cls(0, None, None, store)

    def add(self, part: "PostingResult") -> None:
        """Take one stored part: its lines while the total is small."""
        self._held_lines += len(part._business) + len(part._gl)
        if self._held_lines <= KEEP_LINES:
            self.parts.append(part)
        else:                                   # too many to keep: read back from the store when asked
            self.parts = [None] * (len(self.parts) + 1)

    def numbered(self, kind: str) -> pd.DataFrame:
        """The lines of ``kind`` as numbering left them (no ``line_id``): the batch checks read these."""
        held = self._business if kind == "business" else self._gl
        if held is not None:
            return held
        if self.parts and all(p is not None for p in self.parts):
            return C.concat_frames([p.numbered(kind) for p in self.parts])
        return self._lines(kind)

    def _lines(self, kind: str) -> pd.DataFrame:
        held = self._business if kind == "business" else self._gl
        if held is not None and "line_id" in held:
            return held
        if held is not None:
            out = held
        elif self.parts and all(p is not None for p in self.parts):
            out = C.concat_frames([p.numbered(kind) for p in self.parts])
        else:
            out = self._store.read_journal(kind=kind, batch=self.batch) if self.batch else _empty()
        if "line_id" not in out:
            out = out.copy()
            out.insert(0, "line_id", line_ids(out) if len(out) else pd.Series(dtype=object))
        if held is None or self.batch:
            out["batch"] = self.batch
        if kind == "business":
            self._business = out
        else:
            self._gl = out
        return out

    @property
    def business(self) -> pd.DataFrame:
        return self._lines("business")

    @property
    def gl(self) -> pd.DataFrame:
        return self._lines("gl")

    @property
    def documents(self) -> int:
        b = self.business
        return int(b[["source_type", "source_no"]].drop_duplicates().shape[0]) if len(b) else 0

    def vouchers(self, kind: str = "business") -> int:
        frame = self.business if kind == "business" else self.gl
        return int(frame[["book", "period", "voucher_no"]].drop_duplicates().shape[0]) if len(frame) else 0

    def __repr__(self) -> str:
        return (f"<PostingResult batch {self.batch}: {self.documents} documents, "
                f"{self.vouchers('business')} business vouchers, {self.vouchers('gl')} GL vouchers>")

    def _repr_html_(self) -> str:
        return html.escape(repr(self))


#: A posting part holds whole months and, unless the rest is smaller, at least this many documents: enough
#: that the fixed cost of a part (per document type and book) is small beside its work, few enough that
#: memory stays bounded (a month of a million-document year, about 80,000 documents, is a part of its own).
PART_DOCUMENTS = 60_000


def by_period(pend: dict, case, least: int | None = None):
    """The pending documents cut by the month of their voucher date: one ``pend``-like dict per part.

    A part is one or more consecutive months holding at least ``least``
    documents (the last part may hold fewer). Voucher numbers and GL
    vouchers never cross a month, so each part is booked and numbered on its
    own and stored in date order. Each part holds only its months' documents
    and lines (cut once, here), so the work of a part does not grow with the
    year.
    """
    from .documents import Documents
    least = PART_DOCUMENTS if least is None else least
    cut: dict[str, tuple] = {}
    counts: dict[int, int] = {}
    for code, (docs, ids) in pend.items():
        numbers = ids.index if ids is not None else docs.approved()
        tpls = case.templates_for(code)
        field = tpls[0].date_field if len(tpls) == 1 else docs.doctype.date_field
        header = docs.header.loc[numbers]
        month = header[field].to_numpy("datetime64[M]").astype("int64")
        number = docs.doctype.number_field
        line_month = pd.Series(month, index=numbers).reindex(docs.lines[number].astype(object)).to_numpy() \
            if len(docs.lines) else np.zeros(0)
        cut[code] = (docs, ids, numbers, header, month, line_month)
        for m, n in zip(*np.unique(month, return_counts=True)):
            counts[int(m)] = counts.get(int(m), 0) + int(n)
    for first, last in _month_groups(counts, least):
        part = {}
        for code, (docs, ids, numbers, header, month, line_month) in cut.items():
            rows = (month >= first) & (month <= last)
            if not rows.any():
                continue
            lines = (line_month >= first) & (line_month <= last)
            sub = Documents(docs.doctype, header[rows], docs.lines[lines] if len(docs.lines) else docs.lines,
                            docs.master)
            part[code] = (sub, ids[rows] if ids is not None else pd.Series(0, index=numbers[rows]))
        yield part


def _month_groups(counts: dict[int, int], least: int) -> list[tuple[int, int]]:
    """Consecutive months (first, last) holding at least ``least`` documents each, the last group the rest."""
    groups, start, held = [], None, 0
    for m in sorted(counts):
        start = m if start is None else start
        held += counts[m]
        if held >= least:
            groups.append((start, m))
            start, held = None, 0
    if start is not None:
        groups.append((start, max(counts)))
    return groups
