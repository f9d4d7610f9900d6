"""The checks of exercise 07: the student's 未达账项 per kind and the 调节表's four figures, against the engine's.

Feedback names lines (statement row, journal line), their dates and what
they are, and the kind an item belongs to; never an amount the student has
not written. A wrong adjusted balance is explained by the item (or the kind's
total) it differs by, when one fits.
"""
from __future__ import annotations

import pandas as pd

from ..reconcile.adjusted import KINDS
from .result import CheckResult

#: Per kind: (side, what the student should look for), for an item that is missing.
LOOK_FOR = {
    "企收银未": ("book", "月末几天日记账已收、对账单上还没有的收款（如存入的转账支票）",
             "a receipt the journal records in the last days of the month that the statement does not show yet "
             "(a cheque paid in, say)"),
    "企付银未": ("book", "日记账已付、对账单上还没有的付款（如尚未兑付的支票）",
             "a payment the journal records that the statement does not show yet (a cheque not yet presented)"),
    "银收企未": ("bank", "对账单上银行已收、日记账没有的款项（如利息、客户直接汇来的款）",
             "a credit on the statement the journal does not record (interest, a customer's transfer)"),
    "银付企未": ("bank", "对账单上银行已付、日记账没有的款项（如手续费、代扣费用）",
             "a debit on the statement the journal does not record (bank fees, an automatic debit)"),
}
SIDE_ZH = {"book": ("企业", "the company (journal)"), "bank": ("银行", "the bank (statement)")}


def lines_of(ex) -> dict[tuple[str, str], tuple[str, str, int]]:
    """``(side, id) -> (date, text, signed fen)`` for every statement row and journal line of ``ex``."""
    bank, journal = ex._month[0], ex._month[1]
    text = bank["counterparty"].where(bank["counterparty"] != "", bank["memo"])
    out = {("bank", str(r)): (d, str(t), int(a)) for r, d, t, a in
           zip(bank["row"], bank["date"].dt.strftime("%m-%d"), text, bank["amount"])}
    out.update({("book", i): (d, str(s), int(dr - cr)) for i, d, s, dr, cr in
                zip(journal["line_id"], journal["date"].dt.strftime("%m-%d"), journal["summary"], journal["debit"],
                    journal["credit"])})
    return out


def label(side: str, ident: str) -> tuple[str, str]:
    """How feedback names a line: ``(中文, English)``."""
    return (f"对账单第 {ident} 行", f"statement row {ident}") if side == "bank" else \
        (f"日记账 {ident}", f"journal line {ident}")


def kind_result(ex, kind: str, got: pd.DataFrame, title: str) -> CheckResult:
    """Two points when the student's items of ``kind`` are exactly the engine's, one for a single slip (a line
    missing, a line too many or a wrong amount) beside at least one right line."""
    want = ex.expected[ex.expected["kind"] == kind]
    want_amount = dict(zip(zip(want["side"], want["id"]), want["amount"]))
    kinds = dict(zip(zip(ex.expected["side"], ex.expected["id"]), ex.expected["kind"]))
    lines = lines_of(ex)
    mine = got[got["kind"] == kind]
    right, notes, seen = 0, [], set()
    for side, ident, amount in zip(mine["side"], mine["id"], mine["amount"]):
        key = (side, ident)
        if key in seen:
            notes.append(f"{label(side, ident)[0]} 列了两次 / {label(side, ident)[1]} is listed twice")
        elif key in want_amount:
            right += 1                                   # the right line, its amount checked below
            if want_amount[key] != amount:
                notes.append(_amount_note(side, ident))
        else:
            notes.append(_wrong_line_note(kind, key, kinds.get(key), lines.get(key)))
        seen.add(key)
    listed = set(zip(mine["side"], mine["id"]))
    missing = [k for k in want_amount if k not in listed]
    if missing:
        _, zh, en = LOOK_FOR[kind]
        notes.append(f"{kind} 还少了项目：找{zh} / {kind}: items are missing — look for {en}")
    errors = len(notes) - (1 if missing else 0) + len(missing)
    points = 2 if errors == 0 else (1 if errors == 1 and right else 0)
    return CheckResult(f"kind-{kind}", title, points, 2, tuple(notes))


def _amount_note(side: str, ident: str) -> str:
    zh, en = label(side, ident)
    return (f"{zh} 的金额不对：照{'对账单' if side == 'bank' else '日记账'}上的金额写（正数）/ the amount of {en} is not the "
            f"line's: write it as the {'statement' if side == 'bank' else 'journal'} shows it, positive")


def _wrong_line_note(kind: str, key: tuple[str, str], true_kind: str | None, line) -> str:
    side, ident = key
    zh, en = label(side, ident)
    if line is None:
        where = ("对账单上没有这一行", "there is no such statement row") if side == "bank" else \
            ("日记账上没有这一行", "there is no such journal line")
        return f"{zh}：{where[0]} / {en}: {where[1]}"
    day, text, amount = line
    if true_kind is None:
        return (f"{zh}（{day} {text}）在对账单和日记账上都已记录，不是未达账项 / {en} ({day} {text}) is recorded by both "
                "the bank and the company by the month end: it is not an outstanding item")
    verb = ("收", "received") if amount > 0 else ("付", "paid")
    other = "bank" if side == "book" else "book"
    return (f"{zh}（{day} {text}）是{SIDE_ZH[side][0]}已{verb[0]}、{SIDE_ZH[other][0]}未{verb[0]}，属于 {true_kind}，"
            f"不是 {kind} / {en} ({day} {text}) was {verb[1]} by {SIDE_ZH[side][1]} and not yet by "
            f"{SIDE_ZH[other][1]} at the month end: it is {true_kind} ({KINDS[true_kind][1]}), not {kind}")


# ---------------------------------------------------------------- the 调节表
def balance_results(ex, got: dict[str, int], shape: list[tuple[str, str, int]]) -> list[CheckResult]:
    """The four figures: book and bank balance (one point each), both adjusted balances (two each)."""
    st = ex.result
    want = {"book_balance": st.book_balance, "bank_balance": st.bank_balance, "adjusted_book": st.adjusted_book,
            "adjusted_bank": st.adjusted_bank}
    found = {"book_balance": _balance_notes(ex, "book", got.get("book_balance"), want),
             "bank_balance": _balance_notes(ex, "bank", got.get("bank_balance"), want),
             "adjusted_book": _adjusted(ex, "book", got, want),
             "adjusted_bank": _adjusted(ex, "bank", got, want)}
    own = (got.get("adjusted_book"), got.get("adjusted_bank"))
    if None not in own and own[0] != own[1]:
        gap = gaps(ex).get(abs(own[0] - own[1]))
        why = gap or ("漏了未达账项或有记账错误", "an item is missed, or a line is recorded wrongly")
        points, notes = found["adjusted_bank"]
        found["adjusted_bank"] = (points, [*notes, f"调节后的两个余额必须相等；你的两个余额相差{why[0]} / the adjusted "
                                           f"balances must agree; yours differ by {why[1]}"])
    return [CheckResult(name, title, found[name][0], most, tuple(found[name][1])) for name, title, most in shape]


def _balance_notes(ex, side: str, value: int | None, want: dict) -> tuple[int, list[str]]:
    key = f"{side}_balance"
    zh, en = ("日记账", "the journal") if side == "book" else ("对账单", "the statement")
    if value is None:
        return 0, [f"没有填写 {key} / no {key} given"]
    if value == want[key]:
        return 1, []
    if value == ex.opening:
        return 0, [f"{key} 是三月一日的余额；要的是三月末{zh}的余额 / {key} is the balance on 1 March: the "
                   f"balance of {en} at the end of March is wanted"]
    other = "bank_balance" if side == "book" else "book_balance"
    if value == want[other]:
        return 0, [f"{key} 是另一方的余额 / {key} is the other side's balance: take it from {en}"]
    return 0, [f"{key} 不是{zh}三月末的余额 / {key} is not the balance of {en} at 31 March"]


def _adjusted(ex, side: str, got: dict, want: dict) -> tuple[int, list[str]]:
    """Two points when right; one when it is right for the student's own (wrong) starting balance."""
    key, start = f"adjusted_{side}", f"{side}_balance"
    value = got.get(key)
    if value is None:
        return 0, [f"没有填写 {key} / no {key} given"]
    if value == want[key]:
        return 2, []
    adds = ("银收企未", "银付企未") if side == "book" else ("企收银未", "企付银未")
    if got.get(start) not in (None, want[start]) and value == got[start] + sum(ex.result.total(k) for k in adds):
        return 1, [f"{key}：调节的项目对，但起点 {start} 不对 / {key}: the items are applied right, but to a wrong "
                   f"{start}"]
    gap = gaps(ex).get(abs(value - want[key]))
    if gap:
        return 0, [f"{key} 与正确的调节后余额相差{gap[0]} / {key} differs from the right adjusted balance by {gap[1]}"]
    zh = "加银收企未、减银付企未" if side == "book" else "加企收银未、减企付银未"
    en = "add 银收企未 and subtract 银付企未" if side == "book" else "add 企收银未 and subtract 企付银未"
    return 0, [f"{key} 不对：{start} {zh} / {key} is wrong: to the {start}, {en}"]


def gaps(ex) -> dict[int, tuple[str, str]]:
    """Differences (fen, positive) that name their cause: an item, a kind's total, or twice either (a sign
    reversed); an item's own name wins over its kind's total."""
    out: dict[int, tuple[str, str]] = {}
    lines = lines_of(ex)
    for kind in KINDS:
        total = abs(ex.result.total(kind))
        out.setdefault(2 * total, (f"两倍的 {kind} 合计（加减方向反了）", f"twice the total of the {kind} items (added "
                                   "where they are subtracted, or the reverse)"))
        out.setdefault(total, (f" {kind} 的合计", f"the total of the {kind} items"))
    for side_, ident, amount in zip(ex.expected["side"], ex.expected["id"], ex.expected["amount"]):
        zh, en = label(side_, ident)
        text = lines[(side_, ident)][1]
        out[int(amount)] = (f" {zh}（{text}）", f"{en} ({text})")
        out.setdefault(2 * int(amount), (f"两倍的 {zh}（{text}，方向反了）", f"twice {en} ({text}: on the wrong side)"))
    out.pop(0, None)
    return out
