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
import pyarrow as pa
import pyarrow.compute as pc

VOUCHER_FIELDS = ["id", "batch", "book", "kind", "period", "word", "seq", "date", "currency", "source_type",
                  "document", "reverses"]
LINE_FIELDS = ["voucher", "line", "account", "summary", "debit", "credit", "amount_orig", "currency_orig", "dimset",
               "org", "business_class", "template", "template_line", "gl_voucher", "gl_line", "document"]
VOUCHER_CODES = ["book", "word", "currency", "source_type"]
LINE_CODES = ["account", "currency_orig", "org", "business_class", "template", "template_line"]


_ROWS = 65_536


def _feed_ints(hasher, frame: pd.DataFrame, fields: list[str]) -> None:
    """Hash rows as int64 bytes, row-major, a missing value as -1; built in cache-sized blocks."""
    cols = []
    for f in fields:
        col = frame[f]
        if col.dtype == object:
            col = pd.to_numeric(col).astype("Int64")
        cols.append(col.to_numpy("int64", na_value=-1) if col.hasnans else col.to_numpy("int64"))
    block = np.empty((min(len(frame), _ROWS), len(fields)), dtype="int64")
    for i in range(0, len(frame), _ROWS):
        n = min(_ROWS, len(frame) - i)
        for j, col in enumerate(cols):
            block[:n, j] = col[i:i + n]
        hasher.update(memoryview(block[:n]))


def _distinct(arrays) -> np.ndarray:
    """Distinct values of integer arrays, by hashing (the set is sorted only when hashed)."""
    return pd.unique(np.concatenate([pd.unique(np.asarray(a, dtype="int64")) for a in arrays]))


def _texts(values) -> bytes:
    """Texts each ended by the unit separator, UTF-8."""
    if not len(values):
        return b""
    try:
        arr = pa.array(np.asarray(values, dtype=object), type=pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return ("\x1f".join(map(str, values)) + "\x1f").encode()
    sep = pa.scalar("\x1f", pa.large_string())
    ended = pc.binary_join_element_wise(arr, pa.scalar("", pa.large_string()), sep)
    off = np.frombuffer(ended.buffers()[1], dtype="int64")[ended.offset:ended.offset + len(ended) + 1]
    return ended.buffers()[2].to_pybytes()[off[0]:off[-1]]


def _in_order(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` sorted by ``keys`` (integer columns); returned as is when it already is."""
    a, b = (frame[k].to_numpy("int64") for k in keys)
    da, db = np.diff(a), np.diff(b)
    if ((da > 0) | ((da == 0) & (db > 0))).all():
        return frame
    return frame.sort_values(keys)


def _id_text(ids: np.ndarray, lookup: pd.Series) -> bytes:
    """Sorted distinct positive ids and their texts, each text ended by the unit separator."""
    ids = np.unique(ids[ids > 0])
    return ids.astype("int64").tobytes() + _texts(lookup.reindex(ids).fillna("\x00"))


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
        v = vouchers if vouchers["id"].is_monotonic_increasing else vouchers.sort_values("id")
        ln = _in_order(lines, ["voucher", "line"])
        _feed_ints(self.v, v, VOUCHER_FIELDS)
        _feed_ints(self.ln, ln, LINE_FIELDS)
        sids = np.sort(pd.unique(ln["summary"].to_numpy("int64")))
        sids = sids[sids > 0]
        self.t_ids.update(sids.astype("int64").tobytes())
        same = len(texts) == len(sids) and np.array_equal(texts.index.to_numpy("int64"), sids)
        self.t_text.update(_texts(texts if same else texts.reindex(sids).fillna("\x00")))
        self.code_ids.append(_distinct([v[c].to_numpy("int64") for c in VOUCHER_CODES]
                                       + [ln[c].to_numpy("int64") for c in LINE_CODES]))
        self.doc_ids.append(_distinct([v["document"].to_numpy("int64"),
                                       pd.to_numeric(ln["document"]).fillna(0).to_numpy("int64")]))
        self.dim_ids.append(_distinct([ln["dimset"].to_numpy("int64")]))

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
