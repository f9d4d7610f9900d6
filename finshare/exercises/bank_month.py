"""A small bank month for exercise 07: March's statement of B001 and the company's bank journal, with truth.

Each student gets 6–9 receipts and payments that both sides record (the bank
a day or two after the book at most, all within March) and at least one item
of each kind of 未达账项: deposits booked on the last days of March that the
bank has not credited (企收银未), cheques not yet presented (企付银未), interest
or a customer's transfer the book has not recorded (银收企未), a bank fee or an
auto-debit the book has not recorded (银付企未). Every amount is unique, so the
lines can be told apart by amount. The truth is a
:class:`~finshare.reconcile.samples.Truth`, so ``truth.items`` lists the
未达账项 independently of the matcher.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..reconcile.banklines import conform
from ..reconcile.samples import Truth

PERIOD = "2020-03"
ACCOUNT = "1002"
BANK_ACCOUNT = "B001"
CUSTOMERS = {"C001": "深圳零售公司", "C101": "厦门百货公司", "C102": "福州超市连锁", "C103": "泉州贸易公司",
             "C104": "漳州食品公司"}
SUPPLIERS = {"S001": "瑞幸咖啡", "S002": "办公用品供应商", "S003": "广告供应商", "S101": "莆田包装厂",
             "S102": "三明钢铁公司"}


@dataclass
class _Month:
    """Events as they are drawn: book lines and bank lines with their truth group."""

    book: list
    bank: list
    kinds: list

    def event(self, kind: str, book: tuple | None, bank: tuple | None) -> None:
        """``book``: (day, amount, code, name, summary, ref); ``bank``: (day, amount, name, memo)."""
        g = len(self.kinds)
        self.kinds.append(kind)
        if book:
            self.book.append((g, *book))
        if bank:
            self.bank.append((g, *bank))


def bank_month(rng) -> tuple[pd.DataFrame, pd.DataFrame, Truth, int]:
    """The student's March: ``(bank_lines, journal, truth, opening)``.

    ``bank_lines`` is the canonical bank-line table (balance running from the
    opening balance); ``journal`` the bank account's lines (``line_id`` is the
    voucher number, e.g. ``记-003``); ``opening`` the balance of both on 1 March
    in fen (no item was outstanding at the end of February).
    """
    m = _Month([], [], [])
    n_matched = int(rng.integers(6, 10))
    extra = rng.random(4) < 0.5                      # a second item of some kinds
    amounts = iter(_unique(rng, n_matched + 8, 300_000, 30_000_000))
    customers, suppliers = list(CUSTOMERS.items()), list(SUPPLIERS.items())
    for k in range(n_matched):
        receipt = k % 2 == 0 or rng.random() < 0.3
        code, name = (customers if receipt else suppliers)[int(rng.integers(0, 5))]
        day = int(rng.integers(1, 27))
        amount = next(amounts) * (1 if receipt else -1)
        ref = f"{'SK' if receipt else 'FK'}03{k + 1:02d}"
        summary = f"{'收' if receipt else '付'}{name}货款"
        m.event("receipt" if receipt else "payment", (day, amount, code, name, summary, ref),
                (day + int(rng.choice([0, 0, 1, 2])), amount, name, f"{'货款' if receipt else '付款'} {ref}"))
    for k in range(1 + extra[0]):                   # 企收银未: deposited on the last days, credited in April
        code, name = customers[int(rng.integers(0, 5))]
        m.event("deposit", (int(rng.integers(30, 32)), next(amounts), code, name, f"收{name}转账支票",
                            f"SK03{20 + k}"), None)
    for k in range(1 + extra[1]):                   # 企付银未: cheques issued, not yet presented
        code, name = suppliers[int(rng.integers(0, 5))]
        m.event("cheque", (int(rng.integers(24, 32)), -next(amounts), code, name, f"开支票付{name}货款",
                           f"FK03{20 + k}"), None)
    m.event("interest", None, (21, int(rng.integers(5_000, 80_000)), "", "结息 一季度存款利息"))
    if extra[2]:
        code, name = customers[int(rng.integers(0, 5))]
        m.event("unbooked", None, (int(rng.integers(27, 31)), next(amounts), name, "货款"))
    m.event("fee", None, (int(rng.integers(25, 32)), -int(rng.integers(1_000, 20_000)), "", "手续费 汇划费"))
    if extra[3]:
        m.event("auto-debit", None, (int(rng.integers(26, 31)), -int(rng.integers(200_000, 1_500_000)),
                                     "国网福建省电力有限公司", "代扣 电费"))
    opening = int(rng.integers(20_000_000, 80_000_000))
    return _tables(m, opening) + (opening,)


def _unique(rng, n: int, low: int, high: int) -> list[int]:
    """``n`` different amounts in fen, two in five in whole hundreds of yuan."""
    out: list[int] = []
    while len(out) < n:
        a = int(rng.integers(low, high))
        a = a // 10_000 * 10_000 if rng.random() < 0.4 else a
        if a not in out:
            out.append(a)
    return out


def _tables(m: _Month, opening: int) -> tuple[pd.DataFrame, pd.DataFrame, Truth]:
    first = np.datetime64(f"{PERIOD}-01", "D")
    book = pd.DataFrame(m.book, columns=["group", "day", "amount", "code", "name", "summary", "ref"])
    book = book.sort_values(["day", "group"], kind="stable").reset_index(drop=True)
    book["line_id"] = [f"记-{i:03d}" for i in range(1, len(book) + 1)]
    bank = pd.DataFrame(m.bank, columns=["group", "day", "amount", "name", "memo"])
    bank = bank.sort_values(["day", "group"], kind="stable").reset_index(drop=True)
    bank["row"] = np.arange(1, len(bank) + 1)
    date = lambda day: pd.to_datetime(first + (day.to_numpy() - 1).astype("timedelta64[D]"))  # noqa: E731
    amount = book["amount"].to_numpy("int64")
    is_c = book["code"].str.startswith("C")
    journal = pd.DataFrame({
        "line_id": book["line_id"], "date": date(book["day"]), "period": PERIOD, "voucher_no": book["line_id"],
        "account": ACCOUNT, "debit": amount.clip(min=0), "credit": (-amount).clip(min=0),
        "summary": book["summary"], "bank_account": BANK_ACCOUNT,
        "customer": book["code"].where(is_c, ""), "supplier": book["code"].where(~is_c, ""),
        "source_no": book["ref"], "counterparty_name": book["name"]})
    lines = conform(pd.DataFrame({
        "row": bank["row"], "date": date(bank["day"]), "amount": bank["amount"],
        "balance": opening + bank["amount"].cumsum(), "currency": "CNY", "counterparty": bank["name"],
        "memo": bank["memo"], "reference": [f"ICBC2003{r:04d}" for r in bank["row"]]}),
        currency="CNY", account_no=BANK_ACCOUNT, bank="中国工商银行")
    kinds = pd.DataFrame({"group": np.arange(len(m.kinds)), "kind": m.kinds})
    rows = bank.groupby("group")["row"].agg(tuple)
    ids = book.groupby("group")["line_id"].agg(tuple)
    kinds["statement_rows"] = [rows.get(g, ()) for g in kinds["group"]]
    kinds["journal_lines"] = [ids.get(g, ()) for g in kinds["group"]]
    truth = Truth(kinds, bank[["row", "group"]], book[["line_id", "group"]],
                  pd.Series({**CUSTOMERS, **SUPPLIERS}))
    return lines, journal, truth
