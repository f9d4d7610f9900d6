"""Closing a book's period (期末结账): post what is pending, carry profit and loss forward, lock the period.

Depreciation and FX revaluation will run here too, before the carry-forward
(they are not built yet). A period already closed is left as it is, so
closing twice changes nothing; a correction after closing is a reversal in
an open period, or the period is reopened (``finshare period --reopen``).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.journal import check_period
from .carry import carry_forward, profit_account


@dataclass
class Closed:
    """What closing did: the carry-forward voucher (if any), the period's result (profit positive, in minor
    units of the book's currency) and whether the period was already closed."""

    book: str
    period: str
    voucher: str = ""
    result: int = 0
    currency: str = ""
    already: bool = False


def close_period(ledger, book: str, period: str, reason: str = "", by: str = "") -> Closed:
    """Close ``period`` of ``book``: pending documents posted, profit and loss carried forward, period locked."""
    b = ledger.case.books[book]                 # an unknown book is refused with the list of books
    check_period(period)
    if (book, period) in ledger.store.closed_periods():
        return Closed(book, period, currency=b.currency, already=True)
    ledger.post(by=by)
    posted, _ = carry_forward(ledger, book, period, by)
    done = Closed(book, period, currency=b.currency)
    if len(posted.business):
        lines = posted.business
        done.voucher = str(lines["voucher_no"].iloc[0])
        profit = (lines["account"].astype(str) == profit_account(b)).to_numpy()
        done.result = int(lines.loc[profit, "credit"].sum() - lines.loc[profit, "debit"].sum())
    ledger.close_period(book, period, reason or "期末结账 / period close", by)
    return done
