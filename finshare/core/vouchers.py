"""Voucher numbering and general-ledger vouchers from business vouchers.

Numbers run per book, kind, period and voucher word without gaps
(``记-0001``, ``记-0002`` …), continuing after what the store already holds,
in the order of date and document number, so the same inputs always get the
same numbers. GL vouchers (总账凭证) are made from business vouchers either
one-to-one or summarised by the book's rule (by default one voucher per day
and voucher word, one line per account, dimensions and side).

Both work on integer codes of sorted frames: a voucher starts where its key
changes from the row before.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C
from .books import Book
from .posting import DIMS

GROUP = ["book", "kind", "_ym", "voucher_word"]
#: Source types whose business vouchers never share a summary GL voucher with others: opening balances (期初)
#: stay a voucher of their own, so the year's opening position can be read from the GL.
OWN_GL_VOUCHER = ["opening_balance"]


def _int(col) -> np.ndarray:
    """Integer view of a key column: categorical codes, or the values themselves."""
    if C.is_coded(col):
        return np.asarray(col.array.codes, "int64")
    values = np.asarray(col)
    if values.dtype.kind in "iub":
        return values.astype("int64")
    return pd.factorize(values)[0].astype("int64")


def changes(frame: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """True on the first row and wherever any of ``cols`` differs from the row before."""
    n = len(frame)
    out = np.zeros(n, dtype=bool)
    if n:
        out[0] = True
    for c in cols:
        v = _int(frame[c])
        out[1:] |= v[1:] != v[:-1]
    return out


def number_vouchers(lines: pd.DataFrame, keys: list[str], start: dict[tuple[str, str, str, str], int]) -> pd.DataFrame:
    """Give each voucher its number and each line its position (:func:`line_ids` names the lines).

    Parameters
    ----------
    lines : pandas.DataFrame
        Lines sorted in voucher order, with ``book, kind, _ym, period,
        voucher_word`` and the ``keys`` columns.
    keys : list of str
        Columns identifying a voucher within a group (e.g. source type and
        document rank, or a GL voucher key).
    start : dict
        Highest number already used per ``(book, kind, period, voucher_word)``.
    """
    lines = lines.reset_index(drop=True)
    n = len(lines)
    gstart = changes(lines, GROUP)
    vstart = gstart | changes(lines, keys)
    gid = np.cumsum(gstart) - 1
    vid = np.cumsum(vstart) - 1
    v_rows = np.flatnonzero(vstart)
    v_gid = gid[v_rows]
    g_rows = np.flatnonzero(gstart)
    base = np.zeros(len(g_rows), dtype="int64")
    if start:
        for i, r in enumerate(g_rows):  # one per book, kind, period and word
            k = (str(lines["book"].iloc[r]), str(lines["kind"].iloc[r]), str(lines["period"].iloc[r]),
                 str(lines["voucher_word"].iloc[r]))
            base[i] = start.get(k, 0)
    first_v = np.searchsorted(v_gid, np.arange(len(g_rows)))
    seq = np.arange(len(v_rows)) - first_v[v_gid] + 1 + base[v_gid]
    words = C.coded(lines["voucher_word"])
    code, pairs = pd.factorize(np.asarray(words.codes, "int64")[v_rows] * 10**12 + seq)
    names = C.join_text(C.arrow_text(words.categories.to_numpy(object)[pairs // 10**12]), "-",
                        C.int_text(pairs % 10**12, 4))
    lines["voucher_no"] = C.from_codes(code[vid], names.to_numpy(object))
    lines["seq"] = seq[vid]
    lines["line"] = np.arange(n) - v_rows[vid] + 1
    return lines


def line_ids(lines: pd.DataFrame) -> pd.Series:
    """The journal's derived ``line_id``, ``BOOK/BV|GL/PERIOD/VOUCHER_NO/LINE``, for numbered lines.

    Built when a result's lines are shown, not while a batch is numbered: a
    million documents make eight million of them, which a stored batch never needs.
    """
    kind = pd.Categorical(np.where(_kind_is_gl(lines), "/GL/", "/BV/"))
    return C.join_text(C.arrow_text(lines["book"]), C.arrow_text(kind), C.arrow_text(lines["period"]), "/",
                       C.arrow_text(lines["voucher_no"]), "/", C.int_text(lines["line"].to_numpy()))


def _kind_is_gl(lines: pd.DataFrame) -> np.ndarray:
    k = lines["kind"]
    if C.is_coded(k):
        return np.asarray(k.array.categories == "gl")[np.asarray(k.array.codes)]
    return np.asarray(k == "gl")


def business_order(bv: pd.DataFrame) -> np.ndarray:
    """Row order of business lines for numbering: book, period, word, date, document, line."""
    return np.lexsort((bv["line_order"].to_numpy(), bv["_doc"].to_numpy(), _int(bv["source_type"]),
                       bv["date"].to_numpy("datetime64[D]").astype("int64"), _int(bv["voucher_word"]),
                       bv["_ym"].to_numpy(), _int(bv["book"])))


def gl_from_business(bv: pd.DataFrame, book: Book) -> tuple[pd.DataFrame, np.ndarray]:
    """GL voucher lines of one book, and for each business line the GL row it went to.

    Parameters
    ----------
    bv : pandas.DataFrame
        Numbered business-voucher lines of ``book``, in voucher order.
    book : Book
        Its ``gl_rule`` decides one-to-one or summarised.

    Returns
    -------
    gl : pandas.DataFrame
        GL lines in voucher order with a key column ``_gl_key``, ready for
        :func:`number_vouchers`.
    target : numpy.ndarray
        Position in ``gl`` of the GL line each business line went into.
    """
    bv = bv.reset_index(drop=True)
    n = len(bv)
    if book.gl_rule["mode"] == "one_to_one":
        gl = bv.copy()
        gl["_gl_key"] = np.cumsum(changes(bv, GROUP + ["source_type", "_doc"]))
        gl["kind"] = C.constant("gl", n)
        return gl, np.arange(n)
    rule = book.gl_rule
    st = bv["source_type"].astype("category").array
    bv["_own"] = np.asarray(st.categories.isin(OWN_GL_VOUCHER), dtype="int64")[np.asarray(st.codes)] \
        if n else np.zeros(0, "int64")
    vkeys = ["_ym", "voucher_word", "_own"] + [c for c in rule.get("voucher_by", ["date", "voucher_word"])
                                               if c not in ("voucher_word", "period")]
    lkeys = []
    for c in rule.get("line_by", ["account", "dimensions"]):
        lkeys += DIMS if c == "dimensions" else [c]
    keys = list(dict.fromkeys(vkeys + ["account", *lkeys, "org", "side", "currency_orig"]))
    codes = pd.DataFrame({k: (_int(bv[k]) if k != "date" else bv[k].to_numpy("datetime64[D]").astype("int64"))
                          for k in keys})
    gid = codes.groupby(keys, sort=False).ngroup().to_numpy()
    sums = pd.DataFrame({"g": gid, "debit": bv["debit"].to_numpy("int64"), "credit": bv["credit"].to_numpy("int64"),
                         "amount_orig": bv["amount_orig"].to_numpy("int64")}).groupby("g", sort=True).sum()
    first = pd.Series(gid).drop_duplicates().index.to_numpy()           # first row of group 0, 1, 2 …
    ndoc = int(bv["_doc"].max()) + 1 if n else 1
    nst = len(bv["source_type"].array.categories) if C.is_coded(bv["source_type"]) else 1
    pair = pd.unique(gid.astype("int64") * ndoc * nst + _int(bv["source_type"]) * ndoc + bv["_doc"].to_numpy())
    nsrc = np.bincount(pair // (ndoc * nst), minlength=len(first))
    gl = bv.take(first).reset_index(drop=True)
    for c in ("debit", "credit", "amount_orig"):
        gl[c] = sums[c].to_numpy()
    many = nsrc > 1
    if many.any():
        text = pd.Series(gl["summary"].to_numpy(object))
        counts = pd.Series(nsrc[many]).astype(str).to_numpy(object)
        text[many] = "汇总 " + counts + " 张业务凭证 / summary of " + counts + " business vouchers"
        gl["summary"] = pd.Series(text.to_numpy(object), dtype="str")
        src = gl["source_no"].array
        src, blank = C.with_value(src, "")
        gl["source_no"] = pd.Categorical.from_codes(np.where(many, blank, src.codes), dtype=src.dtype)
    vk = gl[vkeys].copy()
    vk["date"] = gl["date"].to_numpy("datetime64[D]").astype("int64") if "date" in vkeys else 0
    vgid = pd.DataFrame({k: _int(vk[k]) if k != "date" else vk["date"] for k in vk.columns}).groupby(
        list(vk.columns), sort=False).ngroup().to_numpy()
    vdate = pd.Series(gl["date"].to_numpy()).groupby(vgid).transform("max").to_numpy()
    gl["date"] = vdate
    acc = gl["account"].array
    acc_rank = np.argsort(np.argsort(acc.categories.to_numpy(str)))[np.asarray(acc.codes)]
    side = gl["side"].array
    credit_first = np.asarray(side.categories != "debit")[np.asarray(side.codes)]
    order = np.lexsort((acc_rank, credit_first, vgid, vdate.astype("datetime64[D]").astype("int64"),
                        _int(gl["voucher_word"]), gl["_ym"].to_numpy()))
    gl = gl.take(order).reset_index(drop=True)
    gl["_gl_key"] = vgid[order]
    gl["kind"] = C.constant("gl", len(gl))
    where = np.empty(len(order), dtype="int64")
    where[order] = np.arange(len(order))
    return gl, where[gid]
