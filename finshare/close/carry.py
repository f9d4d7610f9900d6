"""结转损益: carry a period's profit and loss into 本年利润 (or retained earnings), through the one posting path.

For one book and period the profit-and-loss accounts are emptied line by
line — per account, business unit and dimension, so subsidiary ledgers are
emptied too — into the book's profit account: 4103 本年利润 in a CAS chart,
3200 Retained earnings in the HKFRS chart. The voucher is a 转账凭证 (word 转) dated the period's last
day, named ``CF-<book>-<period>``; carrying forward twice posts nothing the
second time, and after the period is reopened and more is posted, the next
carry-forward takes only what is new (``CF-<book>-<period>-2``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import columns as C
from ..core.dimensions import DIMS
from ..core.posting import ENTRY_COLUMNS
from ..core.problems import FinshareError, Problem, Source

SOURCE_TYPE = "close"
#: chart name → the account that receives the period's result
PROFIT_ACCOUNT = {"CAS": "4103", "HKFRS": "3200"}
SUMMARY = "结转损益 / carry forward profit and loss"


def voucher_name(ledger, book: str, period: str) -> str:
    """``CF-<book>-<period>``; a later one of the same period (after reopening) gets ``-2``, ``-3`` …"""
    base = f"CF-{book}-{period}"
    held = ledger.store.documents(SOURCE_TYPE)["number"]
    n = int((held == base).sum() + held.str.startswith(base + "-").sum())
    return base if n == 0 else f"{base}-{n + 1}"


def carry_forward(ledger, book: str, period: str, by: str = ""):
    """Post the carry-forward voucher of ``book`` for ``period`` (YYYY-MM); return the posting result.

    Returns
    -------
    (PostingResult, skipped)
        As :meth:`finshare.Ledger.post_entries`: ``skipped`` names the
        voucher when it was already posted.
    """
    entries = _entries(_period_lines(ledger, book, period), ledger.case.books[book], period,
                       lambda: voucher_name(ledger, book, period))
    per_book = {book: entries} if len(entries) else {}
    return ledger.post_entries(per_book, SOURCE_TYPE, f"<carry forward {book} {period}>", by)


def profit_account(book) -> str:
    """The account a book carries its result into (by the book's chart)."""
    account = PROFIT_ACCOUNT.get(book.chart.name)
    if account is None or account not in book.chart.accounts.index:
        raise FinshareError([Problem(
            "no-profit-account", f"账簿 {book.code} 的科目表 {book.chart.name} 没有本年利润科目 / book {book.code}: "
            f"chart {book.chart.name} has no account for the period's result", Source(book=book.code),
            "use a chart that has 4103 本年利润 (CAS) or 3200 Retained earnings (HKFRS)")])
    return account


def _period_lines(ledger, book: str, period: str) -> pd.DataFrame:
    lines = ledger.lines(book, kind="gl")
    return lines[lines["period"].astype(str) == period]


def _entries(lines: pd.DataFrame, book, period: str, name) -> pd.DataFrame:
    """The carry-forward lines: each P&L balance reversed, the total to the profit account."""
    acc = book.chart.accounts
    pl = acc.index[acc["category"] == "profit_and_loss"]
    lines = lines[lines["account"].astype(str).isin(pl)]
    keys = ["account", "org", *[d for d in DIMS if d in lines]]
    if lines.empty:
        return pd.DataFrame(columns=ENTRY_COLUMNS)
    frame = lines.assign(**{k: lines[k].astype(str).replace({"nan": "", "<NA>": ""}) for k in keys})
    net = frame.assign(net=frame["debit"].astype("int64") - frame["credit"].astype("int64")) \
        .groupby(keys, sort=True)["net"].sum().reset_index()
    net = net[net["net"] != 0]
    if net.empty:
        return pd.DataFrame(columns=ENTRY_COLUMNS)
    result = net.groupby("org", sort=True)["net"].sum().reset_index()     # the result of each business unit
    result["account"] = profit_account(book)
    result = result.assign(**{d: "" for d in DIMS if d in net})
    rows = pd.concat([net.assign(net=-net["net"]), result.assign(net=result["net"])], ignore_index=True)
    return _as_entries(rows, book, period, name())


def _as_entries(rows: pd.DataFrame, book, period: str, name: str) -> pd.DataFrame:
    n = len(rows)
    last = (pd.Period(period, "M").end_time.normalize()).to_datetime64().astype("datetime64[D]")
    debit = rows["net"].to_numpy("int64") > 0
    out = {
        "doc_no": C.constant(name, n), "_doc": np.zeros(n, "int64"),
        "org": C.coded(rows["org"].astype(object)), "date": np.full(n, last),
        "business_class": C.constant("", n), "class_name": C.constant("", n),
        "template_line": C.coded(pd.Series([f"close/{i + 1}" for i in range(n)], dtype=object)),
        "line_order": np.arange(1, n + 1, dtype="int64"), "side": pd.Categorical(np.where(debit, "debit", "credit")),
        "account": C.coded(rows["account"].astype(object)), "amount_orig": np.abs(rows["net"].to_numpy("int64")),
        "currency_orig": C.constant(book.currency, n), "amount_local": np.zeros(n, "int64"),
        "currency_local": C.constant("", n), "summary": pd.Series([SUMMARY] * n, dtype="str"),
    }
    for d in DIMS:
        out[d] = C.coded(rows[d].astype(object)) if d in rows else C.constant("", n)
    entries = pd.DataFrame(out)[ENTRY_COLUMNS]
    entries["voucher_word"] = C.constant("转", n)
    return entries
