"""Tables for the close, statements and consolidation chapters (04, 06): the package's answers, for people.

Each function asks the package (statements, depreciation register, store sums,
consolidation) and returns a small DataFrame with exact ``Decimal`` amounts
(or int64 minor units where a figure is drawn from it); nothing here adds
accounting of its own.

    from finshare.ui import close_views as views
    views.statement_view(report.book_statements(ledger, "FJ-CAS", "2020-12", "bs")["bs"], 2)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..close import depreciation
from ..close.statements.balances import statement_balances
from ..close.statements.build import build_statement
from ..close.statements.layout import for_chart
from ..core import money


def _decimals(minor, exp: int) -> list:
    return money.decimals(np.asarray(minor, dtype="int64"), exp)


def statement_view(frame: pd.DataFrame, exp: int, nonzero: bool = True) -> pd.DataFrame:
    """A statement as printed: ``项目 Line``, ``本期 Current``, ``比较 Comparative`` (Decimals; blank on headers).

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`~finshare.close.statements.report.book_statements` output (minor units).
    exp : int
        The currency's decimals.
    nonzero : bool, default True
        Leave out detail lines that are zero in both columns (the official form prints them all).
    """
    keep = np.ones(len(frame), bool)
    if nonzero:
        keep = ~frame["kind"].isin(["detail", "detail-of"]).to_numpy() | (frame[["current", "comparative"]] != 0).any(axis=1).to_numpy()
    f = frame[keep]
    header = (f["kind"] == "header").to_numpy()
    out = pd.DataFrame({"项目 Line": (f["name_zh"] + " " + f["name_en"]).to_numpy(object)}, index=f["code"].to_numpy())
    for col, label in (("current", "本期 Current"), ("comparative", "比较 Comparative")):
        out[label] = [None if h else d for h, d in zip(header, _decimals(f[col], exp))]
    return out.rename_axis("行 code")


def asset_schedule(ledger, asset: str, periods: list[str], books=("FJ-CAS", "FJ-HKFRS")) -> pd.DataFrame:
    """One asset's monthly depreciation under each book's policy, in the asset's own currency.

    Returns one row per period: for each book the useful life it uses (months) and the charge (Decimal);
    the book converts the charge into its currency when it posts it.
    """
    reg = depreciation.register(ledger)
    reg = reg[reg["asset"] == asset]
    exp = money.EXPONENTS[str(reg["currency"].iloc[0])]
    out = pd.DataFrame(index=pd.Index(periods, name="期间 period"))
    for code in books:
        life = depreciation.life_field(ledger, ledger.case.books[code])
        charge = [int(depreciation.charges(reg, life, p)["charge"].iloc[0]) for p in periods]
        out[f"{code} 年限 life (月 months)"] = int(reg[life].iloc[0])
        out[f"{code} 折旧 charge"] = _decimals(charge, exp)
    return out


def monthly_lines(ledger, book: str, year: str, codes: list[str]) -> pd.DataFrame:
    """Income-statement lines month by month: each month's year-to-date less the previous month's.

    Returns periods × ``codes`` in int64 minor units of the book's currency (the line names in
    ``attrs["names"]``).
    """
    b = ledger.case.books[book]
    sums = ledger.store.sums(book, "business", upto=f"{year}-12")
    periods = [f"{year}-{m:02d}" for m in range(1, 13)]
    statement = for_chart(b.chart.name)["is"]
    ytd = []
    for p in periods:
        frame = build_statement(statement, statement_balances(sums, p), b.chart, book).set_index("code")
        ytd.append(frame.loc[codes, "current"])
    table = pd.DataFrame(ytd, index=pd.Index(periods, name="period")).astype("int64")
    out = table.diff().fillna(table).astype("int64")
    out.attrs["names"] = {c: f"{n_zh} {n_en}" for c, n_zh, n_en in frame.loc[codes, ["name_zh", "name_en"]]
                          .itertuples()}
    return out


def partner_balances(ledger, book: str, partner: str, upto: str) -> pd.DataFrame:
    """What ``book`` holds against intercompany ``partner`` up to ``upto``: per account, debit, credit and net
    (Decimals in the book's currency) and the number of periods with movements."""
    b = ledger.case.books[book]
    s = ledger.store.sums(book, "business", upto=upto)
    s = s[(s["partner"].astype(str) == partner).to_numpy()]
    g = s.assign(account=s["account"].astype(str)).groupby("account", sort=True)[["debit", "credit"]].sum()
    names = b.chart.full_name(pd.Series(g.index, dtype=object), "zh").fillna("").to_numpy(object)
    return pd.DataFrame({"科目名称 name": names, "借方 debit": _decimals(g["debit"], b.exponent),
                         "贷方 credit": _decimals(g["credit"], b.exponent),
                         f"余额 net ({b.currency})": _decimals(g["debit"] - g["credit"], b.exponent)},
                        index=g.index.rename("科目 account"))


def money_view(frame: pd.DataFrame, columns, exp: int) -> pd.DataFrame:
    """``frame`` with its minor-unit ``columns`` as Decimals (for eliminations, reserves, worksheets)."""
    return frame.assign(**{c: _decimals(frame[c], exp) for c in columns})


def translated_view(ledger, consolidation, book: str) -> pd.DataFrame:
    """One entity's accounts before and after translation: its closing balance in its own currency, the
    basis of the rate (closing, or historical and monthly), and the translated closing balance."""
    b = ledger.case.books[book]
    rows = consolidation.rows[consolidation.rows["entity"] == book]
    after = rows.groupby("account", sort=True)["closing"].sum()
    tb = ledger.trial_balance(book, consolidation.period, exact=True).set_index("account")
    before = (tb["closing_debit"] - tb["closing_credit"]).reindex(after.index).fillna(0).astype("int64")
    flow = b.chart.accounts["category"].reindex(after.index).isin(("equity", "profit_and_loss")).to_numpy()
    exp_to = money.EXPONENTS[consolidation.currency]
    return pd.DataFrame({
        "科目名称 name": b.chart.full_name(pd.Series(after.index, dtype=object), "zh").fillna("").to_numpy(object),
        f"余额 {b.currency}": _decimals(before, b.exponent),
        "汇率 rate basis": np.where(flow, "历史/月度 historical & monthly", "期末 closing"),
        f"折算 {consolidation.currency}": _decimals(after, exp_to)}, index=after.index.rename("科目 account"))


__all__ = ["statement_view", "asset_schedule", "monthly_lines", "partner_balances", "money_view", "translated_view"]
