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
from .carry import SOURCE_TYPE as CARRY_TYPE
from .carry import entries as carry_entries
from .carry import profit_account


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
    before = None if before is None else {book: before}
    return close_books(ledger, [book], period, reason, by, post, before, register)[0]


def close_books(ledger, books: list[str], period: str, reason: str = "", by: str = "", post: bool = True,
                before: dict | None = None, register=None) -> list[Closed]:
    """Close ``period`` in several books at once: each step is one batch for all of them (as a sharing centre
    closes the group's month), in the order of :func:`close_period`; returns one :class:`Closed` per book.

    ``before`` maps a book to its sums of the earlier periods (see :func:`close_period`).
    """
    check_period(period)
    closed = ledger.store.closed_periods()
    done = {c: Closed(c, period, currency=ledger.case.books[c].currency, already=(c, period) in closed) for c in books}
    todo = [c for c in books if not done[c].already]
    for code in todo:                            # a rule missing stops the close before anything is posted
        rules.check(ledger.case, ledger.case.books[code], depreciation.CHART)
        depreciation.life_field(ledger, ledger.case.books[code])
    if post and todo:
        ledger.post(by=by)
    for code in todo:
        _refuse_out_of_order(ledger, code, period)
    if todo:
        _close_steps(ledger, todo, period, by, done, before or {}, register)
    for code in todo:
        ledger.close_period(code, period, reason or "期末结账 / period close", by)
    return [done[c] for c in books]


def _close_steps(ledger, books: list[str], period: str, by: str, done: dict, before: dict, register) -> None:
    """Steps 2–5 for ``books``: each step's entries for every book, posted as one batch; ``done`` filled in."""
    case, label = ledger.case, f"{','.join(books)} {period}"
    b = {c: case.books[c] for c in books}
    posted = _post_step(ledger, {c: depreciation.entries(ledger, b[c], period, register) for c in books},
                        depreciation.SOURCE_TYPE, f"<depreciation {label}>", by, depreciation.CHART)
    for code, lines in posted.items():
        done[code].steps["depreciation"] = _voucher_and_amount(lines)
    posted = _post_step(ledger, {c: revaluation.entries(ledger, b[c], period, before.get(c)) for c in books},
                        revaluation.SOURCE_TYPE, f"<fx revaluation {label}>", by)
    for code, lines in posted.items():
        done[code].steps["revaluation"] = _voucher_and_amount(lines, rules.account(case, b[code], "fx_difference"))
    posted = _post_step(ledger, {c: carry_entries(ledger, c, period) for c in books}, CARRY_TYPE,
                        f"<carry forward {label}>", by)
    for code, lines in posted.items():
        done[code].voucher = str(lines["voucher_no"].iloc[0])
        done[code].result = _voucher_and_amount(lines, profit_account(case, b[code]))[1]
    if period.endswith("-12"):
        posted = _post_step(ledger, {c: yearend.entries(ledger, b[c], period[:4]) for c in books}, CARRY_TYPE,
                            f"<year-end {label}>", by)
        for code, lines in posted.items():
            done[code].steps["year-end"] = _voucher_and_amount(lines, rules.account(case, b[code], "retained"))


def _post_step(ledger, per_book: dict, source_type: str, label: str, by: str, chart: str | None = None) -> dict:
    """Post one step's entries of every book in one batch; the business lines posted, by book."""
    per_book = {c: e for c, e in per_book.items() if len(e)}
    if not per_book:
        return {}
    result, _ = ledger.post_entries(per_book, source_type, label, by, chart=chart)
    lines = result.business
    if not len(lines):
        return {}
    return {str(c): g for c, g in lines.groupby(lines["book"].astype(str), sort=False)}


def close_year(ledger, book: str | list[str], year: str, by: str = "", post: bool = True,
               reason: str = "") -> list[Closed]:
    """Close every month of ``year`` (YYYY) of ``book`` — or of several books together, month by month — in
    order (posting what is pending once, first); months already closed stay as they are."""
    books = [book] if isinstance(book, str) else list(book)
    if post:
        ledger.post(by=by)
    before = {c: ledger.store.sums(c, kind="business", upto=f"{int(year) - 1}-12") for c in books}
    register = depreciation.register(ledger)
    done = []
    for m in range(1, 13):
        period = f"{year}-{m:02d}"
        done += close_books(ledger, books, period, reason, by, False, before, register)
        for c in books:
            before[c] = pd.concat([before[c], ledger.store.sums(c, kind="business", only=period)], ignore_index=True)
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
