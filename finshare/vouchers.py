"""Voucher numbering and general-ledger vouchers from business vouchers.

Numbers run per book, kind, period and voucher word without gaps
(``记-0001``, ``记-0002`` …), continuing after what the store already holds,
in the order of date and document number, so the same inputs always get the
same numbers. GL vouchers (总账凭证) are made from business vouchers either
one-to-one or summarised by the book's rule (by default one voucher per day
and voucher word, one line per account, dimensions and side).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .books import Book
from .posting import DIMS

#: Columns of the journal (see README, "Journal schema").
JOURNAL_COLUMNS = [
    "line_id", "book", "kind", "voucher_no", "voucher_word", "date", "period", "line", "account",
    "summary", "debit", "credit", "currency", "amount_orig", "currency_orig", *DIMS,
    "source_type", "source_no", "business_class", "template", "template_line", "reverses", "batch",
]


def number_vouchers(lines: pd.DataFrame, key: str, start: dict[tuple[str, str, str, str], int]) -> pd.DataFrame:
    """Give each voucher (rows sharing ``key``) its number and each line its position.

    Parameters
    ----------
    lines : pandas.DataFrame
        Lines sorted in voucher order, with ``book, kind, period, voucher_word``.
    key : str
        Column identifying a voucher within a book (document number, or a GL group id).
    start : dict
        Highest number already used per ``(book, kind, period, voucher_word)``.
    """
    lines = lines.reset_index(drop=True)
    group = ["book", "kind", "period", "voucher_word"]
    first = ~lines.duplicated(group + [key])
    heads = lines.loc[first, group + [key]]
    seq = heads.groupby(group, sort=False).cumcount().to_numpy() + 1
    if start:  # continue after the numbers already stored (few groups: book x kind x period x word)
        used = pd.DataFrame(list(start.keys()), columns=group).assign(_base=list(start.values()))
        base = heads[group].merge(used, on=group, how="left")["_base"].fillna(0).to_numpy("int64")
    else:
        base = np.zeros(len(heads), dtype="int64")
    nums = seq + base
    words = heads["voucher_word"].to_numpy(object)
    no = pd.Series(words + "-" + pd.Series(nums).astype(str).str.zfill(4).to_numpy(object), index=heads.index)
    lines["voucher_no"] = no.reindex(lines.index).ffill().to_numpy(object)
    lines["line"] = lines.groupby(group + ["voucher_no"], sort=False).cumcount().to_numpy() + 1
    lines["line_id"] = (lines["book"] + "/" + np.where(lines["kind"] == "gl", "GL", "BV") + "/" + lines["period"]
                        + "/" + lines["voucher_no"] + "/" + lines["line"].astype(str))
    return lines


def gl_from_business(bv: pd.DataFrame, book: Book) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GL voucher lines of one book, and the links GL line -> business line.

    Parameters
    ----------
    bv : pandas.DataFrame
        Numbered business-voucher lines of ``book`` (journal columns).
    book : Book
        Its ``gl_rule`` decides one-to-one or summarised.

    Returns
    -------
    gl : pandas.DataFrame
        GL lines with a temporary ``_gl_key`` per voucher, ready for numbering.
    links : pandas.DataFrame
        ``_gl_key, _gl_pos, business_line_id`` (positions resolved after numbering).
    """
    if bv.empty:
        return bv.iloc[0:0].copy(), pd.DataFrame(columns=["_gl_row", "business_line_id"])
    rule = book.gl_rule
    bv = bv.reset_index(drop=True)
    if rule["mode"] == "one_to_one":
        gl = bv.copy()
        gl["_gl_key"] = gl["voucher_no"]
        gl["_gl_row"] = np.arange(len(gl))
        links = pd.DataFrame({"_gl_row": gl["_gl_row"], "business_line_id": bv["line_id"]})
    else:
        vby = [c for c in rule.get("voucher_by", ["date", "voucher_word"]) if c not in ("voucher_word",)]
        lby = []
        for c in rule.get("line_by", ["account", "dimensions"]):
            lby += DIMS if c == "dimensions" else [c]
        vkeys = ["period", "voucher_word", *[c for c in vby if c != "period"]]
        lkeys = vkeys + [c for c in ["account", *lby] if c not in vkeys]
        lkeys = list(dict.fromkeys(lkeys + ["_side", "currency_orig"]))
        bv["_side"] = np.where(bv["debit"] != 0, "D", "C")
        grouped = bv.groupby(lkeys, sort=False, dropna=False)
        gid = grouped.ngroup().to_numpy()
        extra = {} if "date" in lkeys else {"date": ("date", "max")}
        agg = grouped.agg(
            debit=("debit", "sum"), credit=("credit", "sum"), amount_orig=("amount_orig", "sum"),
            summary=("summary", "first"), n=("line_id", "size"), source_no=("source_no", "first"),
            source_type=("source_type", "first"), business_class=("business_class", "first"),
            template=("template", "first"), template_line=("template_line", "first"),
            nsrc=("source_no", "nunique"), **extra,
        ).reset_index()
        for dim in DIMS:
            if dim not in agg:
                agg[dim] = ""
        many = agg["nsrc"].to_numpy() > 1
        agg.loc[many, "summary"] = ("汇总 " + agg.loc[many, "nsrc"].astype(str) + " 张业务凭证 / summary of "
                                    + agg.loc[many, "nsrc"].astype(str) + " business vouchers")
        agg.loc[many, "source_no"] = ""
        agg["book"] = book.code
        agg["currency"] = book.currency
        agg["reverses"] = ""
        vk = agg.groupby(vkeys, sort=False, dropna=False).ngroup().to_numpy()
        agg["_gl_key"] = vk
        agg["_gl_row"] = np.arange(len(agg))
        agg["date"] = agg.groupby("_gl_key")["date"].transform("max")
        # voucher order: date, then debit lines before credit lines, then account
        agg = agg.sort_values(["date", "_gl_key", "_side", "account"], ascending=[True, True, False, True],
                              kind="stable")
        gl = agg.drop(columns=["_side", "n", "nsrc"])
        links = pd.DataFrame({"_gl_row": gid, "business_line_id": bv["line_id"].to_numpy()})
    gl = gl.copy()
    gl["kind"] = "gl"
    return gl, links
