"""Closing a book's period (期末结账), in the order accountants follow.

1. post what is pending (approved documents not yet posted);
2. 计提折旧 depreciation by the book's policy (:mod:`.depreciation`);
3. 期末调汇 FX revaluation of foreign-currency monetary items (:mod:`.revaluation`);
4. 结转损益 carry profit and loss forward (:mod:`.carry`);
5. in December, 年末结转: 本年利润 into 利润分配—未分配利润 (:mod:`.yearend`);
6. lock the period.

Every step posts through the one posting path. Periods close in order: an
earlier period of the book that has vouchers and is still open is refused
first. A period already closed is left as it is, so closing twice changes
nothing; a correction after closing is a reversal in an open period, or the
period is reopened (``finshare period --reopen``) and closed again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..core.journal import check_period
from ..core.problems import FinshareError, Problem, Source
from . import depreciation, revaluation, rules, yearend
from .carry import carry_forward, profit_account


@dataclass
class Closed:
    """What closing did: the vouchers of each step (``{step: (voucher, amount)}``, amounts in minor units of
    the book's currency: depreciation charged, revaluation gain (+) or loss (−), year-end transfer), the
    period's result (profit positive) and whether the period was already closed."""

    book: str
    period: str
    voucher: str = ""
    result: int = 0
    currency: str = ""
    already: bool = False
    steps: dict = field(default_factory=dict)

    def text(self) -> str:
        """One line for people: the closing vouchers, the result, closed (what ``finshare close`` prints)."""
        from ..core.money import EXPONENTS, display
        if self.already:
            return f"{self.book} {self.period}: 已结账，未变 / already closed, unchanged"
        exp = EXPONENTS.get(self.currency, 2)
        amount = lambda n: f"{display(n, exp)} {self.currency}"                       # noqa: E731
        parts = [f"{STEP_NAMES[k]} {v} {amount(n)}" for k, (v, n) in self.steps.items() if k != "year-end"]
        what = "利润 profit" if self.result >= 0 else "亏损 loss"
        parts.append(f"结转损益 carried forward in {self.voucher}: {what} {amount(abs(self.result))}" if self.voucher
                     else "无损益可结转 / no profit or loss to carry forward")
        if "year-end" in self.steps:
            v, n = self.steps["year-end"]
            parts.append(f"{STEP_NAMES['year-end']} {v} {amount(n)}")
        return f"{self.book} {self.period}: {'; '.join(parts)}; 已结账 / closed"


#: how :meth:`Closed.text` names each step
STEP_NAMES = {"depreciation": "计提折旧 depreciation", "revaluation": "期末调汇 FX revaluation",
              "year-end": "年末结转 year-end to retained earnings"}


def open_before(ledger, book: str, period: str) -> list[str]:
    """Earlier periods of ``book`` that hold vouchers and are not closed, oldest first."""
    moved = ledger.store.movements(book)
    periods = sorted({str(p) for p in moved["period"]} if len(moved) else set())
    closed = {p for b, p in ledger.store.closed_periods() if b == book}
    return [p for p in periods if p < period and p not in closed]


def close_period(ledger, book: str, period: str, reason: str = "", by: str = "", post: bool = True,
                 before=None, register=None) -> Closed:
    """Close ``period`` of ``book``: post pending, depreciate, revalue, carry forward, (December) year-end, lock.

    ``post=False`` skips step 1, for a caller that has just posted; ``before`` passes the book's sums of the
    earlier periods to the revaluation and ``register`` the fixed-asset register to the depreciation (closing
    a year does all three, so each month reads only itself).
    """
    b = ledger.case.books[book]                 # an unknown book is refused with the list of books
    check_period(period)
    if (book, period) in ledger.store.closed_periods():
        return Closed(book, period, currency=b.currency, already=True)
    rules.check(ledger.case, b, depreciation.CHART)      # a rule missing stops the close before anything is posted
    depreciation.life_field(ledger, b)
    if post:
        ledger.post(by=by)
    _refuse_out_of_order(ledger, book, period)
    done = Closed(book, period, currency=b.currency)
    posted, _ = depreciation.depreciate(ledger, book, period, by, register)
    if len(posted.business):
        done.steps["depreciation"] = _voucher_and_amount(posted.business)
    posted, _ = revaluation.revalue(ledger, book, period, by, before)
    if len(posted.business):
        gain_loss = rules.account(ledger.case, b, "fx_difference")
        done.steps["revaluation"] = _voucher_and_amount(posted.business, gain_loss)
    posted, _ = carry_forward(ledger, book, period, by)
    if len(posted.business):
        lines = posted.business
        done.voucher = str(lines["voucher_no"].iloc[0])
        profit = (lines["account"].astype(str) == profit_account(ledger.case, b)).to_numpy()
        done.result = int(lines.loc[profit, "credit"].sum() - lines.loc[profit, "debit"].sum())
    if period.endswith("-12"):
        posted, _ = yearend.transfer(ledger, book, period[:4], by)
        if len(posted.business):
            done.steps["year-end"] = _voucher_and_amount(posted.business, rules.account(ledger.case, b, "retained"))
    ledger.close_period(book, period, reason or "期末结账 / period close", by)
    return done


def close_year(ledger, book: str, year: str, by: str = "", post: bool = True) -> list[Closed]:
    """Close every month of ``year`` (YYYY) of ``book`` in order (posting what is pending once, first);
    months already closed stay as they are."""
    if post:
        ledger.post(by=by)
    before = ledger.store.sums(book, kind="business", upto=f"{int(year) - 1}-12")
    register = depreciation.register(ledger)
    done = []
    for m in range(1, 13):
        period = f"{year}-{m:02d}"
        done.append(close_period(ledger, book, period, by=by, post=False, before=before, register=register))
        before = pd.concat([before, ledger.store.sums(book, kind="business", only=period)], ignore_index=True)
    return done


def _voucher_and_amount(lines, account: str | None = None) -> tuple[str, int]:
    """The voucher number and its amount: credits less debits on ``account``, or the voucher's debits."""
    voucher = str(lines["voucher_no"].iloc[0])
    if account is None:
        return voucher, int(lines["debit"].sum())
    on = (lines["account"].astype(str) == account).to_numpy()
    return voucher, int(lines.loc[on, "credit"].sum() - lines.loc[on, "debit"].sum())


def _refuse_out_of_order(ledger, book: str, period: str) -> None:
    earlier = open_before(ledger, book, period)
    if earlier:
        raise FinshareError([Problem(
            "close-out-of-order", f"账簿 {book} 的 {earlier[0]} 期还未结账，不能先结 {period} / book {book}: period "
            f"{earlier[0]} is still open, so {period} cannot be closed yet", Source(book=book, field="period"),
            f"close the periods in order: finshare close CASE --book {book} --period {earlier[0]} (or --year "
            f"{earlier[0][:4]} to close every month)")])
