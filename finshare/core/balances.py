"""Balances from journal lines: trial balance, general ledger, subsidiary ledger.

All functions take journal lines with money in minor units (one book) and
return tables in minor units; :func:`as_decimals` turns money columns into
exact Decimals for people. Balances are computed on leaf accounts and
rolled up the chart's hierarchy, so parents show the sum of their children.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C
from . import money
from .chart import Chart

MONEY_COLUMNS = ["opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit"]


def _split(net: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    v = net.to_numpy("int64")
    return np.where(v > 0, v, 0), np.where(v < 0, -v, 0)


def trial_balance(lines: pd.DataFrame, chart: Chart, period: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """Trial balance (科目余额表) of one book for one period.

    Parameters
    ----------
    lines : pandas.DataFrame
        GL journal lines of one book (minor units).
    chart : Chart
        The book's chart (for names and the roll-up).
    period : str, optional
        ``"YYYY-MM"``; default the latest period in ``lines``.

    Returns
    -------
    pandas.DataFrame
        One row per account with a balance or movement, parents included,
        columns ``account, account_name, level, opening_debit,
        opening_credit, debit, credit, closing_debit, closing_credit``; a
        last row ``合计 / Total`` (level 0) sums the level-1 rows, so its
        debit and credit columns tie out pairwise.
    """
    if period is None:
        period = max(map(str, pd.unique(lines["period"]))) if len(lines) else ""
    upto = lines[C.le(lines["period"], period)]
    before = C.lt(upto["period"], period)
    net_open = (upto.loc[before, "debit"] - upto.loc[before, "credit"]).groupby(
        upto.loc[before, "account"], observed=True).sum()
    cur = upto[~before]
    mov = cur.groupby("account", observed=True)[["debit", "credit"]].sum()
    leaf = pd.DataFrame({"open": net_open}).join(mov, how="outer").fillna(0).astype("int64")
    anc = chart.ancestors()
    rolled = anc.merge(leaf, left_on="code", right_index=True).groupby("ancestor")[["open", "debit", "credit"]].sum()
    rolled = rolled[(rolled != 0).any(axis=1)]
    rolled = rolled.reindex(sorted(rolled.index))
    closing = rolled["open"] + rolled["debit"] - rolled["credit"]
    od, oc = _split(rolled["open"])
    cd, cc = _split(closing)
    acc = chart.accounts
    tb = pd.DataFrame({
        "account": rolled.index.astype(object),
        "account_name": acc.loc[rolled.index, f"name_{lang}"].to_numpy(object),
        "level": acc.loc[rolled.index, "level"].to_numpy("int64"),
        "opening_debit": od, "opening_credit": oc,
        "debit": rolled["debit"].to_numpy("int64"), "credit": rolled["credit"].to_numpy("int64"),
        "closing_debit": cd, "closing_credit": cc,
    })
    top = tb[tb["level"] == 1]
    total = {"account": "", "account_name": "合计" if lang == "zh" else "Total", "level": 0,
             **{c: int(top[c].sum()) for c in MONEY_COLUMNS}}
    tb = pd.concat([tb, pd.DataFrame([total])], ignore_index=True)
    for c in MONEY_COLUMNS:
        tb[c] = tb[c].astype("int64")
    tb.attrs["period"] = period
    return tb


def ties_out(tb: pd.DataFrame) -> bool:
    """True when the total row's debit and credit columns are equal pairwise."""
    t = tb.iloc[-1]
    return bool(t["opening_debit"] == t["opening_credit"] and t["debit"] == t["credit"]
                and t["closing_debit"] == t["closing_credit"])


def general_ledger(lines: pd.DataFrame, chart: Chart, account: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """General ledger (总分类账): per account and period, opening, movements, closing."""
    anc = chart.ancestors()
    x = lines[["account", "period", "debit", "credit"]].merge(anc, left_on="account", right_on="code")
    if account is not None:
        x = x[x["ancestor"] == str(account)]
    g = x.groupby(["ancestor", "period"])[["debit", "credit"]].sum().reset_index()
    g = g.sort_values(["ancestor", "period"])
    g["closing"] = (g["debit"] - g["credit"]).groupby(g["ancestor"]).cumsum()
    g["opening"] = g["closing"] - g["debit"] + g["credit"]
    od, oc = _split(g["opening"])
    cd, cc = _split(g["closing"])
    out = pd.DataFrame({
        "account": g["ancestor"].to_numpy(object),
        "account_name": chart.accounts.loc[g["ancestor"], f"name_{lang}"].to_numpy(object),
        "period": g["period"].to_numpy(object),
        "opening_debit": od, "opening_credit": oc, "debit": g["debit"].to_numpy("int64"),
        "credit": g["credit"].to_numpy("int64"), "closing_debit": cd, "closing_credit": cc,
    })
    return out.reset_index(drop=True)


def subsidiary_ledger(lines: pd.DataFrame, account: str, dimension: str, period: str | None,
                      chart: Chart) -> pd.DataFrame:
    """Subsidiary ledger (辅助核算余额表) of an account by one dimension (e.g. supplier)."""
    anc = chart.ancestors()
    codes = anc.loc[anc["ancestor"] == str(account), "code"]
    x = lines[lines["account"].isin(codes)]
    if period is None:
        period = max(map(str, pd.unique(x["period"]))) if len(x) else ""
    x = x[C.le(x["period"], period)]
    before = C.lt(x["period"], period)
    opening = (x["debit"] - x["credit"]).where(before, 0).groupby(x[dimension]).sum()
    mov = x[~before].groupby(dimension)[["debit", "credit"]].sum()
    t = pd.DataFrame({"open": opening}).join(mov, how="outer").fillna(0).astype("int64")
    closing = t["open"] + t["debit"] - t["credit"]
    od, oc = _split(t["open"])
    cd, cc = _split(closing)
    return pd.DataFrame({
        dimension: t.index.astype(object), "opening_debit": od, "opening_credit": oc,
        "debit": t["debit"].to_numpy("int64"), "credit": t["credit"].to_numpy("int64"),
        "closing_debit": cd, "closing_credit": cc,
    }).reset_index(drop=True)


def as_decimals(frame: pd.DataFrame, exp: int) -> pd.DataFrame:
    """Money columns (minor units) as exact Decimals with ``exp`` places."""
    out = frame.copy()
    for c in MONEY_COLUMNS:
        if c in out:
            out[c] = money.decimals(out[c].to_numpy(), exp)
    return out
