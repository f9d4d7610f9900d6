"""Running-balance check of a statement: each balance is the one before plus the line's amount.

Files are listed oldest first or newest first; the order is whichever adds
up (oldest first when both do). When neither does, the dates tell the order, and the first line that breaks it is a
``balance-broken`` problem with the expected and the found balance.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.money import display
from ...core.problems import Problem, Source

OLDEST_FIRST, NEWEST_FIRST = "oldest-first", "newest-first"


def breaks(amount: np.ndarray, balance: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``i`` (≥1) where the balance does not add up, read oldest first and newest first."""
    na = balance.isna().to_numpy()
    known = ~na[1:] & ~na[:-1]
    b = balance.fillna(0).to_numpy(dtype="int64")
    forward = known & (b[1:] != b[:-1] + amount[1:])
    backward = known & (b[:-1] != b[1:] + amount[:-1])
    return np.flatnonzero(forward) + 1, np.flatnonzero(backward) + 1


def order(amount: np.ndarray, balance: pd.Series, dates: pd.Series, exp: np.ndarray, lines: np.ndarray,
          source: str, balance_header: str) -> tuple[str, list[Problem]]:
    """The file's order and, if the balance breaks in both orders, the first break in the order the dates show
    (the one with fewer breaks when the first and last dates are the same day)."""
    fwd, bwd = breaks(amount, balance)
    if not len(fwd):
        return OLDEST_FIRST, []
    if not len(bwd):
        return NEWEST_FIRST, []
    b = balance.fillna(0).to_numpy(dtype="int64")
    first, last = dates.iloc[0], dates.iloc[-1]
    if first < last or (first == last and len(fwd) <= len(bwd)):
        i, name = int(fwd[0]), OLDEST_FIRST
        expected = b[i - 1] + amount[i]
        how = "上一笔余额加本笔金额", "the previous balance plus this amount"
    else:
        i, name = int(bwd[0]) - 1, NEWEST_FIRST
        expected = b[i + 1] + amount[i]
        how = "下一笔（较早）余额加本笔金额", "the next (earlier) balance plus this amount (the file is listed newest first)"
    e = int(exp[i])
    want, found = display(int(expected), e), display(int(b[i]), e)
    return name, [Problem(
        "balance-broken",
        f"第 {i + 1} 笔交易的余额不连续：{how[0]}应为 {want}，文件中为 {found} / transaction {i + 1}: running "
        f"balance broken: {how[1]} is {want}, the file has {found}", Source(source, int(lines[i]), balance_header),
        "核对这一笔的金额与余额：是否漏了交易、导出不完整或余额列选错 / check this line's amount and balance: a "
        "transaction may be missing, the export cut short, or the wrong column mapped as balance")]
