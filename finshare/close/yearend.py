"""年末结转: at the year's end 本年利润 goes to 利润分配—未分配利润, so the next year opens with balance-sheet accounts.

The year's profit sits in the chart's ``profit`` account after the monthly
carry-forwards (4103 本年利润 under CAS); the year-end voucher moves its
balance, per business unit, into ``retained`` (4104 利润分配). A chart whose
profit account is already retained earnings (HKFRS 3200) needs no voucher.
"""
from __future__ import annotations

import pandas as pd

from . import rules
from .carry import SOURCE_TYPE
from .entries import empty, entry_lines, period_end, text_keys

SUMMARY = "年末结转本年利润 / current-year profit to retained earnings"


def entries(ledger, book, year: str) -> pd.DataFrame:
    """The year-end voucher of ``book`` for ``year`` (YYYY) as entry lines (none when there is nothing to move)."""
    profit = rules.account(ledger.case, book, "profit")
    retained = rules.account(ledger.case, book, "retained")
    if profit == retained:
        return empty()
    sums = ledger.store.sums(book.code, kind="business", upto=f"{year}-12")
    x = sums[(sums["account"].astype(str) == profit).to_numpy() & (sums["period"].astype(str) <= f"{year}-12")]
    x = text_keys(x, ["org"])
    net = (x["debit"] - x["credit"]).groupby(x["org"], sort=True).sum()
    net = net[net != 0]
    if net.empty:
        return empty()
    rows = pd.DataFrame({"org": list(net.index) * 2, "account": [profit] * len(net) + [retained] * len(net),
                         "net": [*(-net).tolist(), *net.tolist()]})
    return entry_lines(rows, period_end(f"{year}-12"), f"YE-{book.code}-{year}", SUMMARY, book.currency,
                       prefix="year-end")


def transfer(ledger, book: str, year: str, by: str = ""):
    """Post ``book``'s year-end transfer for ``year`` (once); returns :meth:`finshare.Ledger.post_entries`' result."""
    e = entries(ledger, ledger.case.books[book], year)
    return ledger.post_entries({book: e} if len(e) else {}, SOURCE_TYPE, f"<year-end {book} {year}>", by)
