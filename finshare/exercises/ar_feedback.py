"""The checks of exercise 08: each receipt's clearings and the invoices' open amounts, against the engine's.

A receipt earns two points when its rows (invoice, amount cleared, fee) are
exactly the engine's, one when it names the right invoices with a wrong
amount or fee. Feedback says what kind of receipt it is in accounting terms
(several invoices at once, part payment, bank fee, a mistyped invoice number),
never the invoice or the amount.
"""
from __future__ import annotations

import pandas as pd

from .result import CheckResult

#: Per role: what to look at when the receipt's invoices are wrong or missing.
HINTS = {
    "pair": ("这笔收款没有引用发票，金额也不等于任何一张发票：它是一次付清几张发票，找出合计等于收款额的那几张",
             "this receipt names no invoice and equals no single invoice: it pays several invoices at once — find "
             "the ones whose open amounts add up to it"),
    "partial": ("摘要引用了发票，但收款少于发票金额很多：这是部分付款", "the memo names the invoice, but the receipt is "
                "well short of it: a part payment"),
    "fee": ("摘要引用了发票，收款只比发票少一点（银行手续费）", "the memo names the invoice, and the receipt is short of it "
            "by a little (a bank fee)"),
    "typo": ("摘要里的发票号打错了一位：找与它只差一位的未核销发票", "the invoice number in the memo has one digit "
             "mistyped: look for the open invoice whose number differs from it by one digit"),
}


def receipt_result(ex, receipt: str, got: pd.DataFrame, title: str) -> CheckResult:
    """The check of one receipt (see the module docstring)."""
    want = ex.expected[ex.expected["receipt"] == receipt]
    mine = got[got["receipt"] == receipt]
    role = ex.truth.loc[ex.truth["receipt"] == receipt, "role"].iloc[0]
    rows = lambda f: sorted(zip(f["invoice"], f["amount"], f["fee"]))  # noqa: E731
    if rows(mine) == rows(want):
        return CheckResult(f"receipt-{receipt}", title, 2, 2)
    if mine.empty:
        return CheckResult(f"receipt-{receipt}", title, 0, 2, (f"{receipt} 没有核销 / {receipt} is not cleared: "
                                                               f"{HINTS[role][0]} / {HINTS[role][1]}",))
    if sorted(mine["invoice"]) != sorted(want["invoice"]):
        return CheckResult(f"receipt-{receipt}", title, 0, 2, (_invoice_note(ex, receipt, role, mine),))
    return CheckResult(f"receipt-{receipt}", title, 1, 2, (_amount_note(ex, receipt, role, mine, want),))


def _invoice_note(ex, receipt: str, role: str, mine: pd.DataFrame) -> str:
    known = set(ex.open_after)
    strange = sorted(set(mine["invoice"]) - known)
    if strange:
        return (f"{receipt}：{', '.join(strange)} 不是这位客户的发票；{HINTS[role][0]} / {receipt}: {', '.join(strange)} is "
                f"not an invoice of this customer; {HINTS[role][1]}")
    return f"{receipt} 核销的发票不对：{HINTS[role][0]} / {receipt} clears the wrong invoice(s): {HINTS[role][1]}"


def _amount_note(ex, receipt: str, role: str, mine: pd.DataFrame, want: pd.DataFrame) -> str:
    received = int(ex._data[2].set_index("receipt").at[receipt, "amount"])
    total, fee = int(mine["amount"].sum()), int(mine["fee"].sum())
    if role == "fee" and total == received:
        return (f"{receipt}：发票对了，但只核销了收到的金额，手续费那一点还挂在账上；少收的手续费在容差内，应全额核销发票，差额作为手续费"
                f"（6603 财务费用）/ {receipt}: the right invoice, but only the money received is cleared, leaving the fee "
                "open; a shortfall within the bank-fee tolerance clears the invoice in full, the difference going to "
                "fee (6603 financial expenses)")
    if role == "fee":
        return (f"{receipt}：发票对了；核销金额是发票全额，手续费是发票与收款之差 / {receipt}: the right invoice; the amount "
                "cleared is the invoice in full and the fee the difference between the invoice and the money received")
    if role == "partial" and total > received:
        return (f"{receipt}：这是部分付款，只能核销收到的金额，其余仍未核销 / {receipt}: a part payment clears only what was "
                "received; the rest of the invoice stays open")
    if fee:
        return (f"{receipt}：收款与所核销的发票之间没有手续费 / {receipt}: there is no bank fee between this receipt and the "
                "invoice(s) it clears")
    return (f"{receipt}：发票对了，核销金额不对；每张发票按它的未核销金额核销，合计等于收款 / {receipt}: the right invoice(s) "
            "but wrong amounts: each invoice is cleared by its open amount, and together they make the receipt")


def residual_results(ex, got: dict[str, int], shape) -> list[CheckResult]:
    """The part-paid invoice's rest (2), the unpaid invoice (1), and every cleared invoice at zero (1)."""
    truth = ex.truth
    partial = truth.loc[truth["role"] == "partial", "invoice"].iloc[0]
    paid_part = int(truth.loc[truth["role"] == "partial", "amount"].iloc[0])
    unpaid = next(i for i in ex.open_after if i not in set(truth["invoice"]))
    full = dict(zip(ex._data[1]["invoice"], ex._data[1]["amount"]))
    notes_p, notes_u, notes_c = [], [], []
    if got.get(partial, 0) != ex.open_after[partial]:
        if got.get(partial, 0) == full[partial]:
            notes_p.append(f"{partial} 收到了部分付款，它的余额是付款后剩下的部分 / {partial} has received a part payment: what "
                           "stays open is what is left after it")
        elif got.get(partial, 0) == paid_part:
            notes_p.append(f"{partial}：这是收到的部分，不是剩下未收的部分 / {partial}: that is the part received, not the "
                           "part still open")
        else:
            notes_p.append(f"{partial} 的余额不对：发票金额减去部分付款 / the open amount of {partial} is wrong: the invoice "
                           "less the part payment")
    if got.get(unpaid, 0) != ex.open_after[unpaid]:
        notes_u.append(f"{unpaid} 没有收到任何付款，余额是发票全额 / {unpaid} received no payment: it stays open in full")
    fee = truth.loc[truth["role"] == "fee", "invoice"].iloc[0]
    for inv in sorted(i for i in ex.open_after if ex.open_after[i] == 0 and got.get(i, 0)):
        why = ("，手续费由公司承担（6603），不是客户的欠款", ": the bank fee is the company's cost (6603), not owed by the "
               "customer") if inv == fee else ("", "")
        notes_c.append(f"{inv} 已全额核销，余额为零{why[0]} / {inv} is cleared in full and has nothing open{why[1]}")
    found = [notes_p, notes_u, notes_c]
    return [CheckResult(n, t, 0 if notes else most, most, tuple(notes)) for (n, t, most), notes in zip(shape, found)]
