"""Exercise 07: the four kinds of 未达账项 and the 银行存款余额调节表 of one month.

Each student gets March's statement of bank account B001 and the company's
bank journal (:func:`~finshare.exercises.bank_month.bank_month`, from their
seed), lists the outstanding items by kind and fills the 调节表. The expected
items and balances are the engine's:
:func:`~finshare.reconcile.bank.reconcile_bank` on the same data.
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..core import money
from ..reconcile.adjusted import KINDS, Statement
from ..reconcile.bank import BankOptions, reconcile_bank
from .bank_answers import BALANCES, read_balances, read_items
from .bank_feedback import balance_results, kind_result
from .bank_month import ACCOUNT, BANK_ACCOUNT, PERIOD, bank_month
from .exercise import Exercise, Question, unchecked, with_notes
from .result import CheckResult

#: Points of each check of the 调节表.
BALANCE_POINTS = {"book_balance": 1, "bank_balance": 1, "adjusted_book": 2, "adjusted_bank": 2}


class BankReconciliation(Exercise):
    """未达账项与余额调节表 / Outstanding items and the bank reconciliation (see module docstring)."""

    name = "07-bank-reconciliation"
    title = "练习 07 银行存款余额调节表 / Exercise 07: the bank reconciliation statement"
    questions = (Question("items", "三月末的未达账项 / the outstanding items at the end of March", "check_items"),
                 Question("balances", "余额调节表 / the reconciliation statement", "check_balances"))

    # -------------------------------------------------------------------- data
    @cached_property
    def _month(self):
        return bank_month(self.rng())

    @property
    def opening(self) -> int:
        """Book and bank balance on 1 March, fen."""
        return self._month[3]

    @cached_property
    def reconciliation(self):
        """The engine's reconciliation of the student's month."""
        lines, journal, _, opening = self._month
        return reconcile_bank(lines, journal, ACCOUNT, PERIOD, BankOptions(bank_account=BANK_ACCOUNT,
                                                                           book_opening=opening))

    @property
    def result(self) -> Statement:
        """The engine's 调节表 (balances and items, fen)."""
        return self.reconciliation.statement

    @cached_property
    def expected(self) -> pd.DataFrame:
        """The 未达账项: ``kind, side, id, amount`` (fen, positive), ids as text."""
        it = self.result.items
        return pd.DataFrame({"kind": it["kind"].to_numpy(), "side": it["side"].to_numpy(),
                             "id": it["id"].astype(str).to_numpy(), "amount": it["amount"].abs().to_numpy("int64")})

    @property
    def bank_statement(self) -> pd.DataFrame:
        """March's statement of B001 as the bank prints it (money as exact yuan)."""
        b = self._month[0]
        amount = b["amount"].to_numpy("int64")
        return pd.DataFrame({
            "row": b["row"], "date": b["date"].dt.strftime("%Y-%m-%d"), "counterparty": b["counterparty"],
            "memo": b["memo"], "reference": b["reference"], "received": money.decimals(amount.clip(min=0), 2),
            "paid": money.decimals((-amount).clip(min=0), 2),
            "balance": money.decimals(b["balance"].to_numpy("int64"), 2)})

    @property
    def journal(self) -> pd.DataFrame:
        """The company's bank journal (银行存款日记账) of 1002 B001 for March, with its running balance."""
        j = self._month[1]
        net = (j["debit"] - j["credit"]).to_numpy("int64")
        return pd.DataFrame({
            "journal_line": j["line_id"], "date": j["date"].dt.strftime("%Y-%m-%d"), "summary": j["summary"],
            "counterparty": j["counterparty_name"], "reference": j["source_no"],
            "debit": money.decimals(j["debit"].to_numpy("int64"), 2),
            "credit": money.decimals(j["credit"].to_numpy("int64"), 2),
            "balance": money.decimals(self.opening + net.cumsum(), 2)})

    @property
    def kinds(self) -> pd.DataFrame:
        """The four kinds of 未达账项 with their meaning."""
        return pd.DataFrame([(k, zh, en) for k, (zh, en) in KINDS.items()], columns=["kind", "name_zh", "name_en"])

    # ------------------------------------------------------------------ checks
    def check_items(self, value) -> list[CheckResult]:
        got, problems = read_items(value)
        if got is None:
            return unchecked([(f"kind-{k}", _kind_title(k), 2) for k in KINDS], problems)
        return with_notes([kind_result(self, k, got, _kind_title(k)) for k in KINDS], problems)

    def check_balances(self, value) -> list[CheckResult]:
        shape = [(name, f"{zh} / {en}", BALANCE_POINTS[name]) for name, (zh, en) in BALANCES.items()]
        got, problems = read_balances(value)
        if got is None:
            return unchecked(shape, problems)
        return with_notes(balance_results(self, got, shape), problems)


def _kind_title(kind: str) -> str:
    zh, en = KINDS[kind]
    return f"{kind} {zh} / {en}"
