"""The 银行存款余额调节表: book and bank balances, the four kinds of outstanding items, both adjusted balances.

Equation (DOMAIN §3): 企业日记账余额 + 银收企未 − 银付企未 = 银行对账单余额 + 企收银未 − 企付银未.
A line dated on or before the period end is outstanding when it is in no
applied match, or its match has a line dated after the end (it clears next
month). Next month's lines are never this month's items. Nothing is posted:
the statement is not an original voucher.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Item kind → (中文, English), in the statement's order.
KINDS = {
    "企收银未": ("企业已收、银行未收", "deposit in transit (book received, bank not yet)"),
    "企付银未": ("企业已付、银行未付", "outstanding payment (book paid, bank not yet)"),
    "银收企未": ("银行已收、企业未收", "bank credit not yet booked"),
    "银付企未": ("银行已付、企业未付", "bank debit not yet booked"),
}


@dataclass(frozen=True)
class Statement:
    """Balances in minor units and the items table (``kind, side, id, day, amount, text, clears``)."""

    book_balance: int
    bank_balance: int
    items: pd.DataFrame

    def total(self, kind: str) -> int:
        """Sum of the items of one kind (signed minor units)."""
        return int(self.items.loc[self.items["kind"] == kind, "amount"].sum())

    @property
    def adjusted_book(self) -> int:
        """Book balance + 银收企未 − 银付企未."""
        return self.book_balance + self.total("银收企未") + self.total("银付企未")

    @property
    def adjusted_bank(self) -> int:
        """Bank balance + 企收银未 − 企付银未."""
        return self.bank_balance + self.total("企收银未") + self.total("企付银未")

    @property
    def agrees(self) -> bool:
        """Whether both adjusted balances are equal (``==`` on minor units)."""
        return self.adjusted_book == self.adjusted_bank


def outstanding(day: np.ndarray, group: np.ndarray, group_last_day: pd.Series, end: int) -> np.ndarray:
    """Lines dated ≤ ``end`` whose applied group (``-1``: none) has no line after ``end``."""
    last = group_last_day.reindex(group).fillna(np.iinfo("int64").max).to_numpy()
    return (day <= end) & ((group < 0) | (last > end))


def items_table(side: str, ids, day, amount, text, mask, clears) -> pd.DataFrame:
    """Outstanding items of one side: kind from side and sign."""
    amount = np.asarray(amount)[mask]
    if side == "book":
        kind = np.where(amount > 0, "企收银未", "企付银未")
    else:
        kind = np.where(amount > 0, "银收企未", "银付企未")
    return pd.DataFrame({"kind": kind, "side": side, "id": np.asarray(ids, dtype=object)[mask],
                         "day": np.asarray(day)[mask], "amount": amount,
                         "text": np.asarray(text, dtype=object)[mask],
                         "clears": np.asarray(clears, dtype="int64")[mask]})


def _bank_text(bank: pd.DataFrame) -> np.ndarray:
    """The counterparty the bank printed, else its memo (a fee or interest has no counterparty)."""
    name = bank["counterparty"].to_numpy(dtype=object)
    return np.where(name != "", name, bank["memo"].to_numpy(dtype=object))


def statement(book: pd.DataFrame, bank: pd.DataFrame, book_group: np.ndarray, bank_group: np.ndarray,
              end: int, book_balance: int, bank_balance: int) -> Statement:
    """The 调节表 at day ``end`` from the applied groups of each line (``-1`` where none).

    ``clears`` of an item is the first day after ``end`` of its group (−1 if none).
    """
    days = pd.concat([pd.DataFrame({"g": book_group, "day": book["day"].to_numpy()}),
                      pd.DataFrame({"g": bank_group, "day": bank["day"].to_numpy()})])
    days = days[days["g"] >= 0]
    last = days.groupby("g")["day"].max()
    later = days[days["day"] > end].groupby("g")["day"].min()
    clears_b = later.reindex(book_group).fillna(-1).astype("int64").to_numpy()
    clears_k = later.reindex(bank_group).fillna(-1).astype("int64").to_numpy()
    mb = outstanding(book["day"].to_numpy(), book_group, last, end)
    mk = outstanding(bank["day"].to_numpy(), bank_group, last, end)
    items = pd.concat([items_table("book", book["line_id"], book["day"], book["amount"], book["summary"], mb, clears_b),
                       items_table("bank", bank["row"], bank["day"], bank["amount"], _bank_text(bank), mk, clears_k)],
                      ignore_index=True)
    order = {k: i for i, k in enumerate(KINDS)}
    items = items.assign(o=items["kind"].map(order)).sort_values(["o", "day", "side"], kind="stable")
    return Statement(int(book_balance), int(bank_balance), items.drop(columns="o").reset_index(drop=True))
