"""Writing one numbered batch: vouchers, lines, balances, counters and the chained batch row.

Runs inside the write transaction that took the numbers, so numbers, ids and
the batch digest are all decided under one lock and stored all or nothing.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .. import columns as C
from ..dimensions import DIMS
from ..journal import KINDS
from .bulk import insert_frame
from .chain import BatchDigest
from .codes import Coder
from .tables import SUM_KEYS, balances, batches, counters, line_sums, lines, texts, vouchers



def _max(con: sa.Connection, column) -> int:
    return int(con.execute(sa.select(sa.func.coalesce(sa.func.max(column), 0))).scalar())


def period_ints(col) -> np.ndarray:
    """``"2020-03"`` → 202003, once per distinct value."""
    cat = C.coded(col)
    ints = np.array([int(str(p).replace("-", "")) for p in cat.categories], dtype="int64")
    return ints[np.asarray(cat.codes)] if len(ints) else np.zeros(len(cat), "int64")


def _upsert(con: sa.Connection, table: sa.Table, frame: pd.DataFrame, keys: list[str], how: dict) -> None:
    if frame.empty:
        return
    ins = (postgresql.insert if con.dialect.name == "postgresql" else sqlite.insert)(table)
    stmt = ins.on_conflict_do_update(index_elements=keys, set_={c: f(table.c[c], ins.excluded[c])
                                                                for c, f in how.items()})
    con.execute(stmt, frame.to_dict("records"))


def _documents(frame: pd.DataFrame, first: np.ndarray, coder: Coder,
               known: dict | None) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Document id per line, per voucher the one document all its lines share (0 when several), id → text."""
    doc, text = coder.documents(coder.column(frame["source_type"]), frame["source_no"], known)
    vno = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    lo = np.minimum.reduceat(doc, starts) if len(doc) else doc
    hi = np.maximum.reduceat(doc, starts) if len(doc) else doc
    return doc, (np.where(lo == hi, lo, 0)[vno] if len(doc) else doc), text


def _voucher_rows(frame: pd.DataFrame, first: np.ndarray, vid: np.ndarray, batch: int, coder: Coder,
                  vdoc: np.ndarray) -> pd.DataFrame:
    heads = frame[first]
    st = coder.column(heads["source_type"])
    rev = heads["reverses_id"].to_numpy("int64") if "reverses_id" in heads else np.zeros(len(heads), "int64")
    return pd.DataFrame({
        "id": vid[first], "batch": batch, "book": coder.column(heads["book"]),
        "kind": np.where(np.asarray(heads["kind"].astype(str)) == "gl", KINDS["gl"], KINDS["business"]),
        "period": period_ints(heads["period"]), "word": coder.column(heads["voucher_word"]),
        "seq": heads["seq"].to_numpy("int64"), "date": heads["date"].to_numpy("datetime64[D]").astype("int64"),
        "currency": coder.column(heads["currency"]), "source_type": st,
        "document": vdoc[first],
        "reverses": pd.Series(rev, dtype="Int64").mask(rev <= 0),
    })


def _line_rows(start: int, frame: pd.DataFrame, vid: np.ndarray, coder: Coder,
               doc: np.ndarray, vdoc: np.ndarray) -> tuple[pd.DataFrame, pd.Series]:
    """The lines table's rows of a part, and its new summaries by id (ids from ``start`` on)."""
    summary, distinct = C.text_codes(frame["summary"])
    text_ids = np.arange(start, start + len(distinct), dtype="int64")
    new_texts = pd.Series(distinct, index=text_ids)
    gl_row = frame["gl_row"].to_numpy("int64") if "gl_row" in frame else np.full(len(frame), -1)
    has_gl = gl_row >= 0
    line_no = frame["line"].to_numpy("int64")
    out = pd.DataFrame({
        "voucher": vid, "line": line_no, "account": coder.column(frame["account"]),
        "summary": text_ids[summary], "debit": frame["debit"].to_numpy("int64"),
        "credit": frame["credit"].to_numpy("int64"), "amount_orig": frame["amount_orig"].to_numpy("int64"),
        "currency_orig": coder.column(frame["currency_orig"]), "dimset": coder.dimsets(frame, DIMS),
        "org": coder.column(frame["org"]) if "org" in frame else coder.column(C.constant("", len(frame))),
        "business_class": coder.column(frame["business_class"]), "template": coder.column(frame["template"]),
        "template_line": coder.column(frame["template_line"]),
        "gl_voucher": pd.Series(vid[np.maximum(gl_row, 0)], dtype="Int64").mask(~has_gl),
        "gl_line": pd.Series(line_no[np.maximum(gl_row, 0)], dtype="Int64").mask(~has_gl),
        "document": pd.Series(doc, dtype="Int64").mask(doc == vdoc),
    })
    return out, new_texts


class BatchWriter:
    """One batch written in parts of increasing voucher ids, inside one write transaction.

    ``add`` stores a part's vouchers, lines, summaries, balances and
    counters; ``finish`` writes the batch row with its chained digest. A
    large posting adds one part per period, so memory holds one part at a
    time; the digest is the same as for the whole batch at once.

    ``add`` is :meth:`prepare` (every row and id worked out in memory: ids
    continue from the ones read when the batch starts, as the batch holds
    the write lock) followed by :meth:`store` (the database writes). A
    posting runs ``store`` of part k in a worker thread while it prepares
    part k + 1; ``wait`` is then how the writer waits for that thread before
    it reads the database itself (only for documents it was not told about).
    """

    def __init__(self, con: sa.Connection, kind: str, by: str = "", note: str = "", wait=None):
        self.con, self.kind, self.by, self.note = con, kind, by, note
        self.batch = _max(con, batches.c.id) + 1
        prev = con.execute(sa.select(batches.c.digest).where(batches.c.id == self.batch - 1)).scalar() or ""
        self.digest = BatchDigest(prev, self.batch, kind)
        self.coder = Coder(con, deferred=True, wait=wait)
        self.last_voucher, self.last_text = _max(con, vouchers.c.id), _max(con, texts.c.id)
        self.doc_text: list[pd.Series] = []
        self.held: list[pd.DataFrame] = []
        self.counts = {"vouchers": 0, "lines": 0}
        self.deferred: list[sa.Index] = []

    def add(self, frame: pd.DataFrame, known: dict | None = None) -> None:
        """Store one part (see :func:`write_batch` for ``frame`` and ``known``)."""
        self.store(self.prepare(frame, known))

    def prepare(self, frame: pd.DataFrame, known: dict | None = None) -> list[tuple]:
        """One part's rows, ids, balances and digest, in memory; the writes :meth:`store` makes, in order."""
        if frame.empty:
            return []
        coder = self.coder
        first = frame["line"].to_numpy("int64") == 1
        vid = self.last_voucher + np.cumsum(first)
        doc, vdoc, doc_text = _documents(frame, first, coder, known)
        v = _voucher_rows(frame, first, vid, self.batch, coder, vdoc)
        ln, new_texts = _line_rows(self.last_text + 1, frame, vid, coder, doc, vdoc)
        writes = coder.take_writes()
        if not self.deferred and len(v) > self.last_voucher:
            self.deferred = list(vouchers.indexes)
            writes.append((_drop_indexes, self.deferred))
        self.last_voucher, self.last_text = int(vid[-1]), self.last_text + len(new_texts)
        writes += [(insert_frame, texts, pd.DataFrame({"id": new_texts.index, "text": new_texts.to_numpy(object)})),
                   (insert_frame, vouchers, v), (insert_frame, lines, ln), *_balance_writes(v, ln)]
        self.digest.feed(v, ln, new_texts)
        self.doc_text.append(doc_text)
        biz = (v["kind"] == KINDS["business"]).to_numpy()
        self.held.append(pd.DataFrame({"document": v["document"].to_numpy("int64")[biz],
                                       "book_id": v["book"].to_numpy("int64")[biz]}))
        self.counts["vouchers"] += len(v)
        self.counts["lines"] += len(ln)
        return writes

    def store(self, writes: list[tuple]) -> None:
        """Make the writes of one prepared part (each ``(function, *args)``, called with the connection)."""
        for fn, *args in writes:
            fn(self.con, *args)

    def held_vouchers(self) -> pd.DataFrame:
        """``document, book_id`` of every business voucher written so far."""
        if not self.held:
            return pd.DataFrame({"document": pd.Series(dtype="int64"), "book_id": pd.Series(dtype="int64")})
        return pd.concat(self.held, ignore_index=True)

    def finish(self) -> int:
        """Write the batch row with its digest; return the batch id (every part stored)."""
        from .read import dimset_keys
        self.store(self.coder.take_writes())
        code_text = pd.Series({i: val for val, i in self.coder.ids.items()}, dtype=object)
        docs = pd.concat(self.doc_text) if self.doc_text else pd.Series(dtype=object)
        docs = docs[~docs.index.duplicated()]
        digest = self.digest.hexdigest(code_text, docs, dimset_keys(self.con))
        for index in self.deferred:
            index.create(self.con)
        self.deferred = []
        self.con.execute(batches.insert().values(
            id=self.batch, kind=self.kind, created_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
            by=self.by, documents=len(pd.unique(self.held_vouchers()["document"])), vouchers=self.counts["vouchers"],
            lines=self.counts["lines"], note=self.note, digest=digest))
        return self.batch


def _drop_indexes(con: sa.Connection, indexes: list[sa.Index]) -> None:
    """Drop the vouchers' lookup indexes for a batch larger than the stored vouchers (``finish`` builds them).

    A voucher's document index takes its entries in document order, not in
    voucher order, so a large first batch would insert them all over the
    index; building it once from the finished table is several times faster.
    Dropping and creating are part of the write transaction, so a batch that
    fails leaves the indexes as they were.
    """
    for index in indexes:
        index.drop(con)


def write_batch(con: sa.Connection, frame: pd.DataFrame, kind: str, by: str = "", note: str = "",
                known: dict | None = None) -> int:
    """Store numbered voucher lines of both kinds as one new batch; return its id.

    Parameters
    ----------
    frame : pandas.DataFrame
        Journal columns plus ``seq`` (voucher number), ``gl_row`` (for a
        business line, the row of ``frame`` holding its GL line; -1 for GL
        lines) and optionally ``reverses_id``; each voucher's lines together,
        its first line numbered 1.
    known : dict, optional
        Document type → Series number → document id, for the documents the
        caller already knows (saves reading the documents table).
    """
    writer = BatchWriter(con, kind, by, note)
    writer.add(frame, known)
    return writer.finish()


def _balance_writes(v: pd.DataFrame, ln: pd.DataFrame) -> list[tuple]:
    """The part's movements added to ``balances`` and ``line_sums``, its last numbers to ``counters``
    (summed here; the upserts are the returned writes)."""
    pos = np.searchsorted(v["id"].to_numpy(), ln["voucher"].to_numpy())
    keyed = pd.DataFrame({c: v[c].to_numpy()[pos] for c in ("book", "kind", "period", "source_type")})
    for c in ("account", "org", "dimset", "currency_orig", "debit", "credit"):
        keyed[c] = ln[c].to_numpy()
    amount = ln["amount_orig"].to_numpy("int64")
    keyed["orig"] = np.where(ln["credit"].to_numpy("int64") > 0, -amount, amount)
    add = lambda old, new: old + new          # noqa: E731
    sums = keyed.groupby(SUM_KEYS, sort=True)[["debit", "credit", "orig"]].sum().reset_index()
    totals = sums.groupby(["book", "kind", "period", "account"], sort=True)[["debit", "credit"]].sum().reset_index()
    last = v.groupby(["book", "kind", "period", "word"], sort=True)["seq"].max().reset_index()
    return [(_upsert, balances, _plain(totals), ["book", "kind", "period", "account"], {"debit": add, "credit": add}),
            (_upsert, line_sums, _plain(sums), SUM_KEYS, {c: add for c in ("debit", "credit", "orig")}),
            (_upsert, counters, _plain(last.rename(columns={"seq": "last_seq"})), ["book", "kind", "period", "word"],
             {"last_seq": lambda old, new: sa.case((new > old, new), else_=old)})]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).map(lambda x: x.item() if hasattr(x, "item") else x)
