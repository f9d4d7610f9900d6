"""期末调汇: foreign-currency monetary items restated at the closing rate (IAS 21 / CAS 19).

For one book and period, every balance of a monetary account (the chart's
``monetary`` close rule: cash, receivables, payables, borrowings …) held in
a currency other than the book's is converted at the rate in force on the
period's last day; the difference to its book balance is posted to the
account (keeping its currency, with no foreign amount, so the foreign
balance is unchanged) against exchange differences (``fx_difference``:
6603 财务费用—汇兑损益 under CAS). Balances are kept per account, business
unit, dimensions and currency, so subsidiary ledgers are restated too. A
revaluation is cumulative: the next month restates the balance that already
includes this month's difference, so nothing needs reversing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import money
from ..core.dimensions import DIMS
from . import rules
from .entries import empty, entry_lines, period_end, text_keys, voucher_name

SOURCE_TYPE = "fx_revaluation"
SUMMARY = "期末调汇 / FX revaluation at the closing rate"


def _monetary(sums: pd.DataFrame, book, prefixes: list[str]) -> np.ndarray:
    acc = sums["account"].astype(str)
    anc = book.chart.ancestors()
    mine = anc.loc[anc["ancestor"].isin(prefixes), "code"]
    return acc.isin(set(mine)).to_numpy()


def balances(ledger, book, period: str, before: pd.DataFrame | None = None) -> pd.DataFrame:
    """Foreign-currency monetary balances of ``book`` at the end of ``period``.

    ``before`` (optional): the book's :meth:`~finshare.core.store.Store.sums` of every earlier period, kept by a
    caller closing months in a row, so only ``period`` itself is read from the store.

    Returns ``account, org, <dimensions>, currency_orig, orig, booked, target, difference``:
    ``orig`` the balance in its currency, ``booked`` in the book's currency, ``target`` ``orig`` at the
    closing rate; all minor units, debit positive.
    """
    sums = ledger.store.sums(book.code, kind="business", upto=period) if before is None else \
        pd.concat([before, ledger.store.sums(book.code, kind="business", only=period)], ignore_index=True)
    found = rules.rules(ledger.case, book, "monetary")
    keep = (sums["period"].astype(str) <= period).to_numpy() & _monetary(sums, book, [str(a) for a in found["monetary"]])
    keep &= (sums["currency_orig"].astype(str) != book.currency).to_numpy()
    x = sums[keep]
    keys = ["account", "org", *[d for d in DIMS if d in x], "currency_orig"]
    x = text_keys(x, keys).assign(booked=x["debit"] - x["credit"])
    bal = x.groupby(keys, sort=True)[["orig", "booked"]].sum().reset_index()
    num, den, missing = ledger.case.rates.lookup(bal["currency_orig"], book.currency,
                                                 pd.Series(np.full(len(bal), period_end(period))))
    target, _ = money.convert_checked(bal["orig"].to_numpy("int64"), num, den,
                                      money.exponents(bal["currency_orig"]), book.exponent)
    bal["target"] = np.where(missing, bal["booked"], target)
    bal["difference"] = bal["target"] - bal["booked"]
    bal.attrs["missing"] = sorted(set(bal.loc[missing, "currency_orig"]))
    return bal


def entries(ledger, book, period: str, before: pd.DataFrame | None = None) -> pd.DataFrame:
    """The revaluation voucher of ``book`` for ``period`` as entry lines (none when nothing differs)."""
    bal = balances(ledger, book, period, before)
    if bal.attrs["missing"]:
        _refuse_missing(ledger, book, period, bal.attrs["missing"])
    diff = bal[bal["difference"] != 0]
    if diff.empty:
        return empty()
    items = diff.drop(columns=["orig", "booked", "target"]).rename(columns={"difference": "net"})
    items["local_only"] = True
    counter = diff.groupby("org", sort=True)["difference"].sum().reset_index()
    counter = counter[counter["difference"] != 0]
    counter = counter.assign(account=rules.account(ledger.case, book, "fx_difference"), net=-counter["difference"],
                             currency_orig=book.currency, local_only=True).drop(columns="difference")
    rows = pd.concat([items, counter], ignore_index=True)
    name = voucher_name(ledger, SOURCE_TYPE, f"FX-{book.code}-{period}")
    return entry_lines(rows, period_end(period), name, SUMMARY, book.currency, word="转", prefix="fx")


def _refuse_missing(ledger, book, period: str, currencies: list[str]) -> None:
    from ..core.problems import FinshareError, Problem, Source
    d = str(period_end(period))
    raise FinshareError([Problem(
        "missing-rate", f"期末调汇缺少 {c}→{book.currency} 在 {d} 的汇率 / no {c}→{book.currency} rate on {d} for the "
        f"revaluation of book {book.code}", Source(getattr(ledger.case.rates, "source", "rates.csv"), book=book.code),
        f"add a row {d},{c},{book.currency},<rate> (or an earlier one still in force) to rates.csv") for c in currencies])


def revalue(ledger, book: str, period: str, by: str = "", before: pd.DataFrame | None = None):
    """Post ``book``'s revaluation for ``period`` (once); returns :meth:`finshare.Ledger.post_entries`' result."""
    b = ledger.case.books[book]
    e = entries(ledger, b, period, before)
    return ledger.post_entries({book: e} if len(e) else {}, SOURCE_TYPE, f"<fx revaluation {book} {period}>", by)
