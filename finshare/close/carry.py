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

import pandas as pd

from ..core.dimensions import DIMS
from . import rules
from .entries import empty, entry_lines, period_end, text_keys, voucher_name

SOURCE_TYPE = "close"
SUMMARY = "结转损益 / carry forward profit and loss"


def carry_forward(ledger, book: str, period: str, by: str = ""):
    """Post the carry-forward voucher of ``book`` for ``period`` (YYYY-MM); return the posting result.

    Returns
    -------
    (PostingResult, skipped)
        As :meth:`finshare.Ledger.post_entries`: ``skipped`` names the
        voucher when it was already posted.
    """
    e = entries(ledger, book, period)
    return ledger.post_entries({book: e} if len(e) else {}, SOURCE_TYPE, f"<carry forward {book} {period}>", by)


def entries(ledger, book: str, period: str) -> pd.DataFrame:
    """The carry-forward voucher of ``book`` for ``period`` as entry lines (none when P&L is already empty)."""
    b = ledger.case.books[book]
    return _entries(_period_lines(ledger, book, period), b, period, profit_account(ledger.case, b),
                    lambda: voucher_name(ledger, SOURCE_TYPE, f"CF-{book}-{period}"))


def profit_account(case, book) -> str:
    """The account a book carries its result into (``profit`` of the chart's close rules)."""
    return rules.account(case, book, "profit")


def _period_lines(ledger, book: str, period: str) -> pd.DataFrame:
    """The period's movements summed in the store (business vouchers carry each source's own type)."""
    return ledger.store.sums(book, kind="business", only=period)


def _entries(lines: pd.DataFrame, book, period: str, profit: str, name) -> pd.DataFrame:
    """The carry-forward lines: each P&L balance reversed, the total to the profit account."""
    acc = book.chart.accounts
    pl = acc.index[acc["category"] == "profit_and_loss"]
    lines = lines[lines["account"].astype(str).isin(pl)]
    keys = ["account", "org", *[d for d in DIMS if d in lines]]
    if lines.empty:
        return empty()
    frame = text_keys(lines, keys)
    net = frame.assign(net=frame["debit"].astype("int64") - frame["credit"].astype("int64")) \
        .groupby(keys, sort=True)["net"].sum().reset_index()
    net = net[net["net"] != 0]
    if net.empty:
        return empty()
    result = net.groupby("org", sort=True)["net"].sum().reset_index()     # the result of each business unit
    result["account"] = profit
    result = result.assign(**{d: "" for d in DIMS if d in net})
    rows = pd.concat([net.assign(net=-net["net"]), result.assign(net=result["net"])], ignore_index=True)
    return entry_lines(rows, period_end(period), name(), SUMMARY, book.currency)
