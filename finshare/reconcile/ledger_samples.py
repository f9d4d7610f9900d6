"""A bank statement drawn from a posted case's own bank journal, with known 未达账项, for the workbench and teaching.

:func:`statement_from_ledger` takes the month's stored ``1002`` lines of one bank
account and lets the bank book them: most on the same day, some a day or two
later; one receipt and one payment of the month's last days still in transit
at month end (企收银未 / 企付银未); bank charges and the interest credited on
the 21st, which the book has not yet recorded (银付企未 / 银收企未). The bank
prints payer names its own way (exact, without 有限公司, with a typo, or not
at all) and leaves the reference out of some lines. The bank's opening balance
is the book's (the month before reconciled with nothing outstanding), so the
drawn items are the whole 调节表. The same seed gives the same statement.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.money import EXPONENTS
from ..core.problems import FinshareError, Problem, Source
from .bankfiles import write_statement
from .bankfiles.layouts import builtins
from .bankjournal import journal_for_account
from .banklines import conform
from .bank import period_days
from .ledgerbank import BANK_ACCOUNT, bank_account_row, counterparty_names, period_journal

#: Shares of how the bank prints a counterparty: exact, short (no 有限公司), a typo, blank.
NAME_SHARES = (0.62, 0.18, 0.12, 0.08)
REFERENCE_SHARE = 0.65          # lines that carry the book's document number
LAGS, LAG_SHARES = np.array([0, 1, 2]), (0.72, 0.23, 0.05)
LOOKALIKE = dict(zip("州门京海华南北东西商贸易品业司", "洲们景每化男背冻栖尚茂益晶亚斯"))
ANNUAL_INTEREST_BP = 35         # 0.35 % a year (活期), credited monthly on the 21st here
INTEREST_DAY = 21


@dataclass(frozen=True)
class SampleStatement:
    """A drawn statement (canonical bank lines) and what it leaves outstanding.

    ``in_transit``: book lines not yet through the bank (``line_id, amount``, signed);
    ``unbooked``: statement rows the book lacks (``row, amount, memo``).
    """

    lines: pd.DataFrame
    in_transit: pd.DataFrame
    unbooked: pd.DataFrame
    book: str
    bank_account: str
    period: str

    def items(self) -> pd.DataFrame:
        """The expected 未达账项: ``kind, side, id, amount`` (signed minor units), as the 调节表 lists them."""
        book = self.in_transit
        bank = self.unbooked
        return pd.concat([
            pd.DataFrame({"kind": np.where(book["amount"] > 0, "企收银未", "企付银未"), "side": "book",
                          "id": book["line_id"].astype(object), "amount": book["amount"].astype("int64")}),
            pd.DataFrame({"kind": np.where(bank["amount"] > 0, "银收企未", "银付企未"), "side": "bank",
                          "id": bank["row"].astype(object), "amount": bank["amount"].astype("int64")})],
            ignore_index=True)


def _rng(seed: int, *keys: str) -> np.random.Generator:
    return np.random.default_rng([int(seed), zlib.crc32("|".join(keys).encode())])


def _lookalike(names: np.ndarray, rng) -> np.ndarray:
    """One character of each name swapped for a look-alike (the first that has one), else the last doubled."""
    out = []
    for name in names:          # a handful of names per statement
        i = next((k for k, ch in enumerate(name) if ch in LOOKALIKE and k > 1), None)
        out.append(name[:i] + LOOKALIKE[name[i]] + name[i + 1:] if i is not None else name + name[-1:])
    return np.array(out, dtype=object)


def printed_names(codes: pd.Series, names: pd.Series, rng) -> np.ndarray:
    """The counterparty as the bank prints it: exact, short, mistyped or blank (:data:`NAME_SHARES`)."""
    full = codes.map(names).fillna("").astype(str).to_numpy(dtype=object)
    how = rng.choice(4, size=len(full), p=NAME_SHARES)
    out = full.copy()
    short = how == 1
    out[short] = pd.Series(full[short], dtype=object).str.replace(r"(股份)?有限(责任)?公司", "", regex=True).to_numpy()
    typo = (how == 2) & (full != "")
    out[typo] = _lookalike(full[typo], rng)
    out[how == 3] = ""
    return out


def _transit(day: np.ndarray, amount: np.ndarray, end: int, rng) -> np.ndarray:
    """One receipt and one payment of the last five days left in transit (where there are such lines)."""
    late = day >= end - 4
    out = np.zeros(len(day), dtype=bool)
    for sign in (1, -1):
        pick = np.flatnonzero(late & (np.sign(amount) == sign))
        if len(pick):
            out[rng.choice(pick)] = True
    return out


def _charges(start: int, end: int, opening: int, exp: int, rng) -> pd.DataFrame:
    """Bank charges (one or two) and the month's interest: ``day, amount, memo``."""
    n = int(rng.integers(1, 3))
    unit = 10 ** exp if exp else 1_000
    fees = pd.DataFrame({"day": rng.integers(start, end + 1, n), "amount": -rng.integers(5, 51, n) * unit,
                         "memo": "手续费 / service charge"})
    interest = (max(opening, 0) * ANNUAL_INTEREST_BP + 60_000) // 120_000       # half-up, a month of 0.35 %
    if interest <= 0:
        return fees
    paid = pd.DataFrame({"day": [start + INTEREST_DAY - 1], "amount": [interest], "memo": ["结息 / interest"]})
    return pd.concat([fees, paid], ignore_index=True)


def statement_from_ledger(ledger, book: str, bank_account: str, period: str, seed: int = 0,
                          lines=None) -> SampleStatement:
    """Draw ``bank_account``'s statement for ``period`` from ``book``'s stored bank journal.

    Parameters
    ----------
    ledger : finshare.Ledger
        Posted (e.g. the generated Fujian year).
    book, bank_account, period : str
        E.g. ``"CN-MGT"``, ``"B001"``, ``"2020-06"``; the account's currency must be the book's.
    seed : int, default 0
    lines : DataFrame, optional
        ``ledger.lines(book, "business")`` if already read.

    Returns
    -------
    SampleStatement
        ``.lines`` is the canonical bank-line table with a running ``balance``.
    """
    acc = bank_account_row(ledger.case, bank_account)
    cur = ledger.case.books[book].currency
    if acc["currency"] != cur:
        raise FinshareError([Problem(
            "bank-currency-mismatch", f"银行账户 {bank_account} 是 {acc['currency']} 户，账簿 {book} 记 {cur} / the "
            f"account is in {acc['currency']}, the book in {cur}", Source("masterdata/bank_accounts.csv",
                                                                          field="currency", book=book),
            "choose the book kept in the account's currency (e.g. CN-MGT for B001) / 选择同币种的账簿")])
    journal, opening = period_journal(ledger, book, bank_account, period, lines=lines)
    own = journal_for_account(journal, BANK_ACCOUNT, bank_account)
    rng = _rng(seed, book, bank_account, period)
    start, end = period_days(period)
    day = own["date"].to_numpy(dtype="datetime64[D]").astype("int64")
    amount = (own["debit"] - own["credit"]).to_numpy(dtype="int64")
    gone = _transit(day, amount, end, rng)
    bank_day = np.minimum(day + rng.choice(LAGS, size=len(day), p=LAG_SHARES), end)
    has_ref = rng.random(len(day)) < REFERENCE_SHARE
    moved = pd.DataFrame({
        "day": bank_day, "amount": amount, "memo": np.where(amount > 0, "货款 / receipt", "付款 / payment"),
        "counterparty": printed_names(own["counterparty"].astype(str), counterparty_names(ledger.case), rng),
        "reference": np.where(has_ref, own["source_no"].astype(str).to_numpy(object), ""), "book": True})[~gone]
    extra = _charges(start, end, opening, EXPONENTS.get(cur, 2), rng).assign(counterparty="", reference="",
                                                                              book=False)
    lines = pd.concat([moved, extra], ignore_index=True).sort_values("day", kind="stable").reset_index(drop=True)
    lines = lines.assign(row=np.arange(1, len(lines) + 1), balance=opening + lines["amount"].cumsum(),
                         date=lines["day"].to_numpy().astype("datetime64[D]").astype("datetime64[ns]"),
                         currency=cur)
    table = conform(lines, bank=str(acc["bank"]), account_no=str(acc["account_no"]),
                    account_name=str(acc["name_zh"]), currency=cur)
    unbooked = lines.loc[~lines["book"].astype(bool), ["row", "amount", "memo"]].reset_index(drop=True)
    in_transit = pd.DataFrame({"line_id": own.loc[gone, "line_id"].astype(str).to_numpy(), "amount": amount[gone]})
    return SampleStatement(table, in_transit, unbooked, book, bank_account, period)


def bank_layout(bank: str) -> str | None:
    """The built-in layout of a bank named as in master data (``中国工商银行厦门分行`` → ``icbc``), else None."""
    return next((lay.name for lay in builtins() if lay.bank.split(" / ")[0] in str(bank)), None)


def write_sample(sample: SampleStatement, ledger, path, fmt: str = "csv") -> Path:
    """Write the statement as its bank's export (layout from master data: B001 ICBC, B002 CCB, B102 BOC)."""
    acc = bank_account_row(ledger.case, sample.bank_account)
    layout = bank_layout(acc["bank"])
    if layout is None:
        raise FinshareError([Problem(
            "no-bank-layout", f"{acc['bank']} 没有内置的对账单格式 / {acc['bank']} has no built-in statement layout",
            Source("masterdata/bank_accounts.csv", field="bank"),
            "write it with write_statement(lines, path, layout) naming a layout, or a mapping file")])
    start, end = period_days(sample.period)
    return write_statement(sample.lines, path, layout, fmt=fmt, account_no=str(acc["account_no"]),
                           account_name=str(acc["name_zh"]), start=np.datetime64(start, "D"),
                           end=np.datetime64(end, "D"))


__all__ = ["SampleStatement", "bank_layout", "printed_names", "statement_from_ledger", "write_sample"]
