"""Exercise 08: clearing one customer's receipts against their open invoices (应收核销).

Each student gets one customer's six open invoices and four April receipts
(:func:`~finshare.exercises.ar_customer.ar_customer`), states which receipt
clears which invoice, by how much and with what bank fee, and the invoices'
open amounts afterwards. The expected clearings are the engine's:
:func:`~finshare.reconcile.clearing.match_receipts` on the same tables.
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..core import money
from ..reconcile.clearing import match_receipts
from .ar_feedback import receipt_result, residual_results
from .answers import code_text, not_a_table, not_answered, parse_money
from .ar_customer import ar_customer
from .exercise import Exercise, Question, unchecked, with_notes
from .result import CheckResult

CLEARING_ALIASES = {"收款": "receipt", "收款单": "receipt", "收款标识": "receipt", "发票": "invoice", "应收单": "invoice",
                    "应收单号": "invoice", "发票号": "invoice", "核销金额": "amount", "金额": "amount", "手续费": "fee"}
RESIDUAL_POINTS = (("residual-partial", "部分收款发票的余额 / the open rest of the part-paid invoice", 2),
                   ("residual-unpaid", "未收款发票的余额 / the invoice nobody paid", 1),
                   ("residual-cleared", "已核销发票的余额为零 / cleared invoices have nothing open", 1))


class ARClearing(Exercise):
    """应收核销 / Clearing a customer's receipts (see module docstring)."""

    name = "08-ar-clearing"
    title = "练习 08 应收账款核销 / Exercise 08: clearing a customer's receipts"
    questions = (Question("clearings", "哪笔收款核销哪张发票 / which receipt clears which invoice", "check_clearings"),
                 Question("residual", "核销后各发票的未核销余额 / what stays open on each invoice", "check_residual"))

    # -------------------------------------------------------------------- data
    @cached_property
    def _data(self):
        return ar_customer(self.rng())

    @property
    def customer(self) -> pd.Series:
        """The customer: ``code, name_zh, name_en``."""
        customers, invoices = self._data[0], self._data[1]
        return customers.set_index("code").loc[invoices["customer"].iloc[0]].rename(invoices["customer"].iloc[0])

    @property
    def invoices(self) -> pd.DataFrame:
        """The customer's open invoices (应收单 with its 发票号), money as exact yuan."""
        inv = self._data[1]
        return pd.DataFrame({"invoice": inv["invoice"], "invoice_no": inv["invoice_no"],
                             "date": inv["date"].dt.strftime("%Y-%m-%d"),
                             "amount": money.decimals(inv["amount"].to_numpy("int64"), 2)})

    @property
    def receipts(self) -> pd.DataFrame:
        """April's bank receipts from the customer: ``receipt, date, payer, amount, memo``."""
        rec = self._data[2]
        return pd.DataFrame({"receipt": rec["receipt"], "date": rec["date"].dt.strftime("%Y-%m-%d"),
                             "payer": rec["payer"], "amount": money.decimals(rec["amount"].to_numpy("int64"), 2),
                             "memo": rec["memo"]})

    @property
    def truth(self) -> pd.DataFrame:
        """What each receipt is (``receipt, role, invoice, amount, fee``), for feedback and tests."""
        return self._data[3]

    @cached_property
    def expected(self) -> pd.DataFrame:
        """The engine's clearings: ``receipt, invoice, amount, fee`` (fen)."""
        customers, invoices, receipts, _ = self._data
        c = match_receipts(invoices, receipts, customers).clearings
        return pd.DataFrame({k: c[k].astype(str if k in ("receipt", "invoice") else "int64").to_numpy()
                             for k in ("receipt", "invoice", "amount", "fee")})

    @cached_property
    def open_after(self) -> dict[str, int]:
        """Each invoice's open amount after the engine's clearings (fen)."""
        inv = self._data[1]
        cleared = self.expected.groupby("invoice")["amount"].sum()
        return {i: int(a - cleared.get(i, 0)) for i, a in zip(inv["invoice"], inv["amount"])}

    # ------------------------------------------------------------------ checks
    def check_clearings(self, value) -> list[CheckResult]:
        ids = list(dict.fromkeys(self.truth["receipt"]))
        shape = [(f"receipt-{r}", f"收款 {r} 的核销 / clearing receipt {r}", 2) for r in ids]
        got, problems = read_clearings(value, self._data[1])
        if got is None:
            return unchecked(shape, problems)
        unknown = sorted(set(got["receipt"]) - set(ids))
        problems += [f"{r or '(空 blank)'} 不是本练习的收款 / {r or '(blank)'} is not one of the receipts" for r in unknown]
        return with_notes([receipt_result(self, r, got, t) for r, (_, t, _) in zip(ids, shape)], problems)

    def check_residual(self, value) -> list[CheckResult]:
        got, problems = read_residual(value, self._data[1])
        if got is None:
            return unchecked(list(RESIDUAL_POINTS), problems)
        return with_notes(residual_results(self, got, RESIDUAL_POINTS), problems)


def invoice_key(value, invoices: pd.DataFrame) -> str:
    """An invoice as its 应收单号: the 应收单号 or 发票号 a student wrote (case and blanks ignored)."""
    text = code_text(value).upper().replace(" ", "").replace("-", "")
    by_no = dict(zip(invoices["invoice_no"].str.upper(), invoices["invoice"]))
    return by_no.get(text, text)


def read_clearings(value, invoices: pd.DataFrame) -> tuple[pd.DataFrame | None, list[str]]:
    """``receipt, invoice, amount, fee`` (fen) from the student's table; problems with its shape or rows."""
    what = ("一张核销表 (pandas DataFrame)", "a table of clearings (a pandas DataFrame)")
    why = not_a_table(value, "clearings", what)
    if why:
        return None, [why]
    frame = value.rename(columns=lambda c: CLEARING_ALIASES.get(str(c).strip(), str(c).strip()))
    missing = [c for c in ("receipt", "invoice", "amount") if c not in frame.columns]
    if missing:
        return None, [f"clearings 缺少列 {', '.join(missing)} / clearings lacks the column(s) {', '.join(missing)} "
                      "(needed: receipt, invoice, amount; fee where there is one)"]
    if len(frame) == 0:
        return None, ["clearings 还是空表 / clearings has no rows yet: one row per receipt and invoice it clears"]
    rows, problems = [], []
    for i, r in enumerate(frame.to_dict("records"), start=1):
        amount, bad = parse_money(r.get("amount"), 2)
        fee, bad_fee = parse_money(r.get("fee"), 2)
        if bad or bad_fee or not amount:
            problems.append(f"第 {i} 行：金额或手续费不是金额（元，正数，最多两位小数）/ row {i}: the amount or fee is not an "
                            "amount in yuan (positive, at most two decimal places)")
            continue
        rows.append((code_text(r.get("receipt")).upper(), invoice_key(r.get("invoice"), invoices), amount, fee))
    return pd.DataFrame(rows, columns=["receipt", "invoice", "amount", "fee"]).astype(
        {"amount": "int64", "fee": "int64"}), problems


def read_residual(value, invoices: pd.DataFrame) -> tuple[dict[str, int] | None, list[str]]:
    """``{应收单号: open fen}`` from a dict keyed by 应收单号 or 发票号; an invoice left out reads as zero."""
    example = "{\"YS2003001\": \"0.00\", …}"
    why = not_answered(value, "residual", (f"一个字典，如 {example}", f"a dict such as {example}"))
    if why is None and not isinstance(value, dict):
        why = (f"residual 应是字典，如 {example}，现在是 {type(value).__name__} / residual should be a dict such as "
               f"{example}, not a {type(value).__name__}")
    if why:
        return None, [why]
    known, out, problems = set(invoices["invoice"]), {}, []
    for key, raw in value.items():
        inv = invoice_key(key, invoices)
        minor, bad = parse_money(raw, 2)
        if inv not in known:
            problems.append(f"{key!r} 不是这位客户的发票 / {key!r} is not an invoice of this customer")
        elif bad:
            problems.append(f"{inv} 的余额 {raw!r} 不是金额 / the open amount of {inv}, {raw!r}, is not an amount in yuan")
        else:
            out[inv] = minor
    return out, problems
