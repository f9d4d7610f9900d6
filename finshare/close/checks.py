"""Checks accountants know by name (对账与结账检查), as a table per book and year.

* 试算平衡 — every month's trial balance is in balance;
* 账账相符 — the general ledger agrees with the subsidiary ledgers: every account's balance per business unit
  and dimension in the GL vouchers equals the sum of the business vouchers' lines (the 明细账);
* 账表相符 — the statements agree with the ledger: the balance sheet balances, and the income statement's
  result equals the profit-and-loss movements of the year;
* 损益结平 — after closing, no profit-and-loss balance is left, and after the year-end no 本年利润 either;
* 期末结账 — every month of the year is closed.
"""
from __future__ import annotations

import pandas as pd

from ..core import balances
from ..core.dimensions import DIMS
from . import rules

COLUMNS = ["book", "check", "check_en", "ok", "detail"]


def _row(book: str, zh: str, en: str, bad: list[str], good: str, n_bad: int | None = None) -> dict:
    """One check's row: ``bad`` lists what failed (the first five are shown; ``n_bad`` counts them all)."""
    n = len(bad) if n_bad is None else n_bad
    return {"book": book, "check": zh, "check_en": en, "ok": n == 0,
            "detail": good if n == 0 else "; ".join(bad[:5]) + (f" … (+{n - 5})" if n > 5 else "")}


def trial_balances(ledger, book: str, year: str) -> dict:
    """试算平衡: the months of ``year`` whose trial balance does not tie out."""
    b = ledger.case.books[book]
    moved = ledger.store.movements(book)
    bad = [p for p in _months(year) if not balances.ties_out(balances.trial_balance(moved, b.chart, p))]
    return _row(book, "试算平衡", "trial balance in balance", [f"{p} 不平 / does not tie" for p in bad],
                "12 个月均平衡 / all 12 months tie out")


def gl_vs_subsidiary(ledger, book: str, year: str) -> dict:
    """账账相符: GL balances per account, unit and dimensions equal the sum of the business (detail) lines."""
    keys = ["account", "org", *[d for d in DIMS]]
    upto = f"{year}-12"
    sides = []
    for kind in ("gl", "business"):
        s = ledger.store.sums(book, kind=kind, upto=upto)
        s = s.assign(**{k: s[k].astype(str) for k in keys if k in s}, net=s["debit"] - s["credit"])
        sides.append(s.groupby([k for k in keys if k in s], sort=True)["net"].sum())
    gl, detail = sides
    both = pd.concat([gl.rename("gl"), detail.rename("detail")], axis=1).fillna(0)
    off = both[both["gl"] != both["detail"]]
    bad = [f"{i[0]} {i[1]}: GL {int(r.gl)} ≠ 明细 detail {int(r.detail)}" for i, r in off.head(5).iterrows()]
    return _row(book, "账账相符", "general ledger agrees with subsidiary ledgers", bad,
                f"{len(both)} 个科目与核算项目组合相符 / {len(both)} account-dimension balances agree", len(off))


def pl_emptied(ledger, book: str, year: str) -> dict:
    """损益结平: closed months leave no P&L balance; after December no 本年利润 balance (where it is not retained)."""
    b = ledger.case.books[book]
    tb = balances.trial_balance(ledger.store.movements(book), b.chart, f"{year}-12")
    acc = b.chart.accounts
    pl = tb["account"].isin(acc.index[acc["category"] == "profit_and_loss"]) & (tb["level"] >= 1)
    profit = rules.account(ledger.case, b, "profit")
    if rules.account(ledger.case, b, "retained") != profit and (b.code, f"{year}-12") in ledger.store.closed_periods():
        pl |= tb["account"] == profit
    left = tb[pl & ((tb["closing_debit"] != 0) | (tb["closing_credit"] != 0))]
    return _row(book, "损益结平", "profit and loss carried forward", [f"{a} 有余额 / has a balance" for a in left["account"]],
                "损益类科目无余额 / no balance left in profit and loss")


def periods_closed(ledger, book: str, year: str) -> dict:
    """期末结账: the months of ``year`` not closed."""
    closed = {p for bk, p in ledger.store.closed_periods() if bk == book}
    bad = [f"{p} 未结账 / open" for p in _months(year) if p not in closed]
    return _row(book, "期末结账", "every period of the year closed", bad, "12 个月均已结账 / all 12 months closed")


def statements_vs_ledger(ledger, book: str, year: str) -> dict:
    """账表相符: at December the balance sheet's totals agree, and the income statement's result equals the
    year's profit-and-loss movements read from the ledger (carry-forward and year-end vouchers left out)."""
    from .statements.layout import layout
    from .statements.report import book_statements
    b = ledger.case.books[book]
    period = f"{year}-12"
    bad = []
    for key, frame in book_statements(ledger, book, period, "all").items():
        lay = layout(frame.attrs["statement"])
        amounts = frame.set_index("code")["current"]
        if lay.balance and amounts[lay.balance[0]] != amounts[lay.balance[1]]:
            bad.append(f"{lay.title_zh} {lay.balance[0]} ≠ {lay.balance[1]}")
        if lay.profit and amounts[lay.profit] != _ledger_result(ledger, b, year):
            bad.append(f"{lay.title_zh} {lay.profit} ≠ 账簿损益 / the ledger's result")
    return _row(book, "账表相符", "statements agree with the ledger", bad,
                "资产负债表平衡，利润表净利润等于账簿损益 / the balance sheet balances and the result equals the ledger's")


def _ledger_result(ledger, book, year: str) -> int:
    """The year's profit (positive) from the P&L accounts' movements, closing vouchers left out."""
    s = ledger.store.sums(book.code, kind="business", upto=f"{year}-12")
    acc = book.chart.accounts
    pl = s["account"].astype(str).isin(acc.index[acc["category"] == "profit_and_loss"]).to_numpy()
    mine = pl & (s["period"].astype(str) >= f"{year}-01").to_numpy() & (s["source_type"].astype(str) != "close").to_numpy()
    return int(s.loc[mine, "credit"].sum() - s.loc[mine, "debit"].sum())


CHECKS = [trial_balances, gl_vs_subsidiary, statements_vs_ledger, pl_emptied, periods_closed]


def year_checks(ledger, year: str, books: list[str] | None = None) -> pd.DataFrame:
    """The checks of ``year`` (YYYY) for ``books`` (default every book), one row per book and check."""
    rows = [check(ledger, book, year) for book in (books or ledger.case.books.codes()) for check in CHECKS]
    return pd.DataFrame(rows, columns=COLUMNS)


def _months(year: str) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]
