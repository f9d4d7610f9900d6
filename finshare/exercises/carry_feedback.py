"""The checks of exercise 05: a student's carry-forward voucher against the engine's, account by account.

Money is compared in fen, debit-positive: the engine's carry-forward line of
an account is the negative of the account's balance for the month, its 4103
line the month's result. Feedback names the account and the side of its
balance, never an amount the student has not written.
"""
from __future__ import annotations

import pandas as pd

from .diagnose import account_label
from .result import CheckResult, yuan

SIDE = {1: ("借方", "debit"), -1: ("贷方", "credit")}


def carry_results(ex, lines: pd.DataFrame | None) -> list[CheckResult]:
    """Every check of ``ex`` (a :class:`~finshare.exercises.carry_entry.CarryEntry`: ``chart``, ``pl_accounts``,
    ``profit``, ``expected``, ``month_sides()``) on the student's ``lines`` (from
    :func:`~finshare.exercises.answers.read_entries`); zero points and no feedback when ``lines`` is None."""
    chart, pl, profit = ex.chart, ex.pl_accounts, ex.profit
    titles = [(f"emptied-{a}", f"{a} {chart.name_of(a)} 结平 / {a} {chart.name_of(a, 'en')} emptied", 1) for a in pl]
    titles += [("profit", f"{profit} 本年利润 等于本月利润 / {profit} Current-year profit takes the month's result", 2),
               ("balanced", "借贷平衡 / the voucher balances", 1),
               ("only-pl", "只结转损益类科目 / only profit-and-loss accounts are carried", 1)]
    if lines is None:
        return [CheckResult(n, t, 0, m) for n, t, m in titles]
    got = net_by_account(lines)
    want = ex.expected.groupby("account")["net"].sum()
    found = [_emptied(ex, a, int(got.get(a, 0)), int(want.get(a, 0))) for a in pl]
    touched = bool(got.reindex(list(pl)).fillna(0).ne(0).any())
    found += [_profit(got, int(want.get(profit, 0)), pl, profit), _balanced(lines, touched),
              _only_pl(ex, got, set(want.index), touched)]
    return [CheckResult(n, t, p, m, tuple(notes)) for (n, t, m), (p, notes) in zip(titles, found)]


def net_by_account(lines: pd.DataFrame) -> pd.Series:
    """The student's lines netted per account, debit-positive fen."""
    signed = lines["amount"].where(lines["side"] == "debit", -lines["amount"]).astype("int64")
    return signed.groupby(lines["account"].astype(str)).sum()


def _emptied(ex, account: str, got: int, want: int) -> tuple[int, list[str]]:
    if got == want:
        return 1, []
    label = account_label(ex.chart, account)
    side = 1 if want < 0 else -1                     # the side of the balance: opposite to the carry-forward
    zh, en = SIDE[side]
    opp_zh, opp_en = SIDE[-side]
    if got == 0:
        return 0, [f"{label} 没有结平：它的余额在{zh}，结转时应记{opp_zh} / {label} is not emptied: its balance is on "
                   f"the {en} side, so the carry-forward {opp_en}s it"]
    if (got > 0) != (want > 0):
        return 0, [f"{label}：结转记在了与余额相同的一方，余额翻倍而没有结平；{zh}余额要从{opp_zh}转出 / {label}: the "
                   f"carry-forward is on the same side as its balance, so it doubles the balance instead of emptying "
                   f"it — a {en} balance is emptied from the {opp_en} side"]
    return 0, [_amount_hint(ex, account, label, abs(got))]


def _amount_hint(ex, account: str, label: str, got: int) -> str:
    head = (f"{label}：结转金额 {yuan(got)} 不是它本月的余额 / {label}: the amount carried, {yuan(got)}, is not its "
            "balance for the month")
    sides = ex.month_sides().loc[account]
    debit, credit = int(sides["debit"]), int(sides["credit"])
    if debit and credit and got in (debit, credit):
        one, other = ("借方", "debit") if got == debit else ("贷方", "credit")
        rest_zh, rest_en = ("贷方", "credit") if one == "借方" else ("借方", "debit")
        return head + (f" — 看起来只加总了{one}发生额；本月{rest_zh}的发生额也要抵减 / it looks like only the {other} "
                       f"lines were added up: the month's {rest_en} lines on it reduce the balance")
    parts = ex.expected.loc[ex.expected["account"] == account, "net"].abs()
    if len(parts) > 1 and got in set(parts):
        return head + (" — 只结转了一个部门的余额；它按部门核算，每个部门的余额都要结转 / only one department's balance "
                       "was carried: it is kept per department, carry every department's balance")
    return head + " — 请把它本月的每一行相抵（借方减贷方）/ net every line of it in the month (debits less credits)"


def _profit(got: pd.Series, want: int, pl: tuple[str, ...], profit: str) -> tuple[int, list[str]]:
    mine = int(got.get(profit, 0))
    if mine == want:
        return 2, []
    if mine == 0:
        return 0, [f"没有 {profit} 本年利润 一行：本月损益的净额转入本年利润 / there is no {profit} line: the month's "
                   "net result goes to 本年利润 Current-year profit"]
    if mine == -want:
        return 0, [f"{profit} 本年利润 记反了方向：利润记贷方，亏损记借方 / {profit} is on the wrong side: a profit is "
                   "credited to 本年利润, a loss debited"]
    own = -int(got.reindex(list(pl)).fillna(0).sum())
    if mine == own:
        return 1, [f"{profit} 与你结转的损益科目相抵，但这些行没有把每个损益类科目结平（见上）/ {profit} offsets your "
                   "profit-and-loss lines, but they do not empty every profit-and-loss account (see above)"]
    return 0, [f"{profit} 本年利润 不是本月的利润：收入和收益减去成本和费用 / the {profit} amount is not the month's result: "
               "revenue and gains less costs and expenses"]


def _balanced(lines: pd.DataFrame, touched: bool) -> tuple[int, list[str]]:
    debit = int(lines.loc[lines["side"] == "debit", "amount"].sum())
    credit = int(lines.loc[lines["side"] == "credit", "amount"].sum())
    if not touched:
        return 0, ["这张凭证没有结转任何损益类科目 / the voucher carries no profit-and-loss account"]
    if debit != credit:
        return 0, [f"借方合计 {yuan(debit)} ≠ 贷方合计 {yuan(credit)} / the voucher does not balance: debits "
                   f"{yuan(debit)}, credits {yuan(credit)}"]
    return 1, []


def _only_pl(ex, got: pd.Series, allowed: set[str], touched: bool) -> tuple[int, list[str]]:
    if not touched:
        return 0, []
    chart, notes = ex.chart, []
    for account in (a for a in got.index if a not in allowed):
        if account not in chart:
            notes.append(f"科目 {account} 不在 CAS 科目表中 / account {account} is not in the CAS chart")
        elif chart.accounts.at[account, "category"] == "profit_and_loss":
            notes.append(f"{account_label(chart, account)} 本月没有余额，不用结转 / {account_label(chart, account)} has "
                         "no balance this month: there is nothing to carry")
        else:
            notes.append(f"{account_label(chart, account)} 不是损益类科目：结转损益只把损益类科目的余额转入本年利润 / "
                         f"{account_label(chart, account)} is not a profit-and-loss account: the carry-forward moves "
                         "only profit-and-loss balances into 本年利润")
    return (0 if notes else 1), notes
