"""The batch hash chain: each batch's SHA-256 covers its rows and the digest before it.

A batch digest is computed from integers and text exactly as stored — the
vouchers and lines of the batch, the codes, summaries, documents and
dimension sets they refer to — chained to the previous batch's digest. Editing
or deleting any stored line, amount, account or summary of a batch changes
its digest, and ``finshare check`` reports the first batch that no longer
matches.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

VOUCHER_FIELDS = ["id", "batch", "book", "kind", "period", "word", "seq", "date", "currency", "source_type",
                  "document", "reverses"]
LINE_FIELDS = ["voucher", "line", "account", "summary", "debit", "credit", "amount_orig", "currency_orig", "dimset",
               "org", "business_class", "template", "template_line", "gl_voucher", "gl_line", "document"]
VOUCHER_CODES = ["book", "word", "currency", "source_type"]
LINE_CODES = ["account", "currency_orig", "org", "business_class", "template", "template_line"]


def _ints(frame: pd.DataFrame, fields: list[str]) -> bytes:
    """Rows as int64 bytes, row-major; a missing value is -1."""
    if not len(frame):
        return b""
    cols = []
    for f in fields:
        col = frame[f]
        if isinstance(col.dtype, pd.Int64Dtype) or col.dtype == object:
            cols.append(pd.to_numeric(col).fillna(-1).to_numpy("int64"))
        else:
            cols.append(col.to_numpy("int64"))
    return np.column_stack(cols).tobytes()


def _id_text(ids: np.ndarray, lookup: pd.Series) -> bytes:
    """Sorted distinct positive ids and their texts, each text ended by the unit separator."""
    ids = np.unique(ids[ids > 0])
    return ids.astype("int64").tobytes() + "".join(
        t + "\x1f" for t in map(str, lookup.reindex(ids).fillna("\x00"))).encode()


class BatchDigest:
    """The SHA-256 of one batch, fed part by part in voucher-id order (see module docstring).

    Vouchers, lines and new summaries stream through hashers; the codes,
    documents and dimension sets the batch refers to are collected and
    hashed once, sorted, at the end. Feeding a whole batch at once or in
    chunks of increasing voucher ids gives the same digest.
    """

    def __init__(self, prev: str, batch: int, kind: str):
        self.head = f"{prev}|{batch}|{kind}|".encode()
        self.v, self.ln, self.t_ids, self.t_text = (hashlib.sha256() for _ in range(4))
        self.code_ids, self.doc_ids, self.dim_ids = [], [], []

    def feed(self, vouchers: pd.DataFrame, lines: pd.DataFrame, texts: pd.Series) -> None:
        """One part: its vouchers and lines (any order) and the summaries they refer to (id → text)."""
        v = vouchers.sort_values("id")
        ln = lines.sort_values(["voucher", "line"])
        self.v.update(_ints(v, VOUCHER_FIELDS))
        self.ln.update(_ints(ln, LINE_FIELDS))
        sids = np.unique(ln["summary"].to_numpy("int64"))
        sids = sids[sids > 0]
        self.t_ids.update(sids.astype("int64").tobytes())
        self.t_text.update("".join(t + "\x1f" for t in map(str, texts.reindex(sids).fillna("\x00"))).encode())
        self.code_ids.append(np.unique(np.concatenate([v[c].to_numpy("int64") for c in VOUCHER_CODES]
                                                      + [ln[c].to_numpy("int64") for c in LINE_CODES])))
        self.doc_ids.append(np.unique(np.r_[v["document"].to_numpy("int64"),
                                            pd.to_numeric(ln["document"]).fillna(0).to_numpy("int64")]))
        self.dim_ids.append(np.unique(ln["dimset"].to_numpy("int64")))

    def hexdigest(self, codes: pd.Series, documents: pd.Series, dimsets: pd.Series) -> str:
        """The digest, given id → text for the codes, documents and dimension sets referred to."""
        h = hashlib.sha256(self.head)
        for part in (self.v, self.ln, self.t_ids, self.t_text):
            h.update(part.digest())
        for ids, lookup in ((self.code_ids, codes), (self.doc_ids, documents), (self.dim_ids, dimsets)):
            h.update(_id_text(np.concatenate(ids) if ids else np.zeros(0, "int64"), lookup))
        return h.hexdigest()

    def referenced_documents(self) -> np.ndarray:
        ids = np.concatenate(self.doc_ids) if self.doc_ids else np.zeros(0, "int64")
        return np.unique(ids[ids > 0])


def batch_digest(prev: str, batch: int, kind: str, vouchers: pd.DataFrame, lines: pd.DataFrame,
                 codes: pd.Series, texts: pd.Series, documents: pd.Series, dimsets: pd.Series) -> str:
    """The digest of one batch from all its rows at once (what ``finshare check`` recomputes).

    Parameters
    ----------
    prev : str
        Digest of the batch before (``""`` for the first).
    vouchers, lines : pandas.DataFrame
        The batch's rows with the columns :data:`VOUCHER_FIELDS` and
        :data:`LINE_FIELDS`, in any order.
    codes, texts, documents, dimsets : pandas.Series
        Id → stored text (``documents``: ``"type_id:number"``) for at least the
        ids the rows refer to.
    """
    d = BatchDigest(prev, batch, kind)
    d.feed(vouchers, lines, texts)
    return d.hexdigest(codes, documents, dimsets)
