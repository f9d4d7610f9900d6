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
    cols = [pd.to_numeric(frame[f]).fillna(-1).to_numpy("int64") for f in fields]
    return np.column_stack(cols).tobytes() if len(frame) else b""


def _texts(ids: np.ndarray, lookup: pd.Series) -> bytes:
    ids = np.unique(ids[ids > 0])
    return ids.astype("int64").tobytes() + "\x1f".join(map(str, lookup.reindex(ids).fillna("\x00"))).encode()


def batch_digest(prev: str, batch: int, kind: str, vouchers: pd.DataFrame, lines: pd.DataFrame,
                 codes: pd.Series, texts: pd.Series, documents: pd.Series, dimsets: pd.Series) -> str:
    """The digest of one batch.

    Parameters
    ----------
    prev : str
        Digest of the batch before (``""`` for the first).
    vouchers, lines : pandas.DataFrame
        The batch's rows with the columns :data:`VOUCHER_FIELDS` and
        :data:`LINE_FIELDS`, in any order (sorted here).
    codes, texts, documents, dimsets : pandas.Series
        Id → stored text (``documents``: ``"type_id:number"``) for at least the
        ids the rows refer to.
    """
    v = vouchers.sort_values("id")
    ln = lines.sort_values(["voucher", "line"])
    h = hashlib.sha256()
    h.update(f"{prev}|{batch}|{kind}|".encode())
    h.update(_ints(v, VOUCHER_FIELDS))
    h.update(_ints(ln, LINE_FIELDS))
    used = np.concatenate([v[c].to_numpy("int64") for c in VOUCHER_CODES] + [ln[c].to_numpy("int64") for c in LINE_CODES])
    h.update(_texts(used, codes))
    h.update(_texts(ln["summary"].to_numpy("int64"), texts))
    docs = np.r_[v["document"].to_numpy("int64"), pd.to_numeric(ln["document"]).fillna(0).to_numpy("int64")]
    h.update(_texts(docs, documents))
    h.update(_texts(ln["dimset"].to_numpy("int64"), dimsets))
    return h.hexdigest()
