"""Bank reconciliation of one account for one period: match, list what is left, draw up the 调节表.

:func:`reconcile_bank` is the one call the command line and notebooks make::

    rec = reconcile_bank(bank_lines, journal, "1002", "2020-03", BankOptions(bank_account="B001"))
    print(rec.text()); rec.to_json()
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from finshare.core.journal import check_period
from finshare.core.money import EXPONENTS

from .adjusted import statement
from .bankjournal import book_side, journal_for_account, normalise_reference
from .matching import match_lines
from .names import codes_by_name, name_table, normalise_name, read_aliases
from .reasons import reasons
from .result import Reconciliation
from .rules import RuleSet, load_rules


@dataclass(frozen=True)
class BankOptions:
    """Settings of one reconciliation.

    Parameters
    ----------
    rules : RuleSet or path, optional
        Matching rules (default: ``finshare/data/reconcile_rules.yaml``).
    aliases : DataFrame or path, optional
        Alias table ``bank_name, code`` (see :func:`finshare.reconcile.names.learn_aliases`).
    names : dict, Series or DataFrame, optional
        Counterparty code → name (master data), for comparing names with the bank's;
        default: the journal's ``counterparty_name`` column, if it has one.
    bank_account : str, optional
        Keep only book lines of this ``bank_account`` dimension (e.g. ``"B001"``).
    accept_proposed : bool, default=False
        Treat proposed matches as applied in the 调节表.
    book_opening : int, default=0
        Book balance (minor units) before the first journal line given.
    bank_opening : int, optional
        Bank balance before the first statement line; default: the statement's printed
        balance after the last line of the period, else the sum of its lines.
    """

    rules: RuleSet | str | Path | None = None
    aliases: pd.DataFrame | str | Path | None = None
    names: object = None
    bank_account: str | None = None
    accept_proposed: bool = False
    book_opening: int = 0
    bank_opening: int | None = None


def period_days(period: str) -> tuple[int, int]:
    """First and last day of ``YYYY-MM`` as int64 days since 1970-01-01."""
    start = pd.Period(check_period(period), "M")
    return (int(start.start_time.to_datetime64().astype("datetime64[D]").astype("int64")),
            int(start.end_time.to_datetime64().astype("datetime64[D]").astype("int64")))


def bank_side(lines: pd.DataFrame, aliases: pd.DataFrame | None, names: pd.Series) -> pd.DataFrame:
    """Bank lines as the matcher's bank side: ``pos, row, day, amount, code, name, ref, memo, counterparty``."""
    name = normalise_name(lines["counterparty"])
    return pd.DataFrame({
        "pos": np.arange(len(lines)), "row": lines["row"].to_numpy(dtype="int64"),
        "day": lines["date"].to_numpy(dtype="datetime64[D]").astype("int64"),
        "amount": lines["amount"].to_numpy(dtype="int64"),
        "code": codes_by_name(name, aliases, names), "name": name.to_numpy(dtype=object),
        "ref": normalise_reference(lines["reference"]).to_numpy(dtype=object),
        "memo": lines["memo"].astype("string").fillna("").to_numpy(dtype=object),
        "counterparty": lines["counterparty"].astype("string").fillna("").to_numpy(dtype=object),
    })


def _journal_names(lines: pd.DataFrame, book: pd.DataFrame) -> pd.Series | None:
    """Code → name from the journal's own ``counterparty_name`` column, where it has one."""
    if "counterparty_name" not in lines:
        return None
    pairs = pd.DataFrame({"code": book["code"], "name": lines["counterparty_name"].astype("string").fillna("")})
    pairs = pairs[(pairs["code"] != "") & (pairs["name"] != "")].drop_duplicates("code")
    return pd.Series(pairs["name"].to_numpy(), index=pairs["code"].to_numpy())


def _book_names(journal: pd.DataFrame, book: pd.DataFrame, names: pd.Series) -> np.ndarray:
    """Per book line the counterparty's normalised name: master data, else ``counterparty_name``, else 摘要."""
    fallback = (normalise_name(journal["counterparty_name"]) if "counterparty_name" in journal
                else normalise_name(journal["summary"]))
    known = pd.Series(book["code"]).map(names).astype(object)
    return known.fillna(pd.Series(fallback.to_numpy())).astype(object).to_numpy()


def reconcile_bank(bank_lines: pd.DataFrame, journal: pd.DataFrame, account: str, period: str,
                   options: BankOptions | None = None, timings: dict | None = None) -> Reconciliation:
    """Match a bank statement to the book lines of ``account`` and draw up the 调节表 of ``period``.

    Parameters
    ----------
    bank_lines : DataFrame
        The canonical bank-line table (:mod:`finshare.reconcile.banklines`); earlier and
        next-month lines may be included (earlier items may clear this month).
    journal : DataFrame
        Journal lines with ``line_id, date, account, debit, credit, summary`` (int64 minor units).
    account : str
        Bank account code, e.g. ``"1002"`` (sub-accounts included).
    period : str
        ``YYYY-MM``.
    options : BankOptions, optional
    timings : dict, optional
        Filled with seconds per stage and per rule (for the benchmark).

    Returns
    -------
    Reconciliation
        With ``.to_json()`` and ``.text()``.
    """
    opt = options or BankOptions()
    clock = _Clock(timings)
    rules = opt.rules if isinstance(opt.rules, RuleSet) else load_rules(opt.rules)
    aliases = read_aliases(opt.aliases) if isinstance(opt.aliases, (str, Path)) else opt.aliases
    start, end = period_days(period)
    lines = journal_for_account(journal, account, opt.bank_account)
    book = book_side(lines)
    names = name_table(opt.names if opt.names is not None else _journal_names(lines, book))
    horizon = end + rules.max_window
    book = book.assign(name=_book_names(lines, book, names))
    keep_j = book["day"].to_numpy() <= horizon
    bank = bank_side(bank_lines, aliases, names)
    keep_b = bank["day"].to_numpy() <= horizon
    book, bank = book[keep_j].reset_index(drop=True), bank[keep_b].reset_index(drop=True)
    book["pos"], bank["pos"] = np.arange(len(book)), np.arange(len(bank))
    clock.tick("prepare")
    found = match_lines(bank, book, rules, names, timings)
    clock.tick(None)
    out = _assemble(found, bank, book, bank_lines, opt, rules, (start, end), period, account)
    clock.tick("statement and reasons")
    return out


class _Clock:
    """Seconds per stage into ``timings`` (nothing when it is None)."""

    def __init__(self, timings: dict | None):
        self.timings, self.t = timings, time.perf_counter()

    def tick(self, stage: str | None) -> None:
        now = time.perf_counter()
        if self.timings is not None and stage:
            self.timings[stage] = now - self.t
        self.t = now


def _group_of(links: pd.DataFrame, n: int, applied: set | np.ndarray | None = None) -> np.ndarray:
    out = np.full(n, -1, dtype="int64")
    links = links if applied is None else links[links["group"].isin(applied)]
    out[links["pos"].to_numpy()] = links["group"].to_numpy()
    return out


def _bank_balance(bank_lines: pd.DataFrame, end: int, opening: int | None) -> int:
    """The bank's balance at day ``end``: ``opening`` + lines if given, else the printed balance
    after the period's last line (or before the statement's first line), else the sum of lines."""
    day = bank_lines["date"].to_numpy(dtype="datetime64[D]").astype("int64")
    upto = bank_lines[day <= end]
    if opening is not None:
        return int(opening + upto["amount"].sum())
    if len(upto) and pd.notna(upto["balance"].iloc[int(np.argmax(upto["row"].to_numpy()))]):
        return int(upto["balance"].iloc[int(np.argmax(upto["row"].to_numpy()))])
    if len(bank_lines) and pd.notna(bank_lines["balance"].iloc[int(np.argmin(bank_lines["row"].to_numpy()))]):
        first = bank_lines.iloc[int(np.argmin(bank_lines["row"].to_numpy()))]
        return int(first["balance"] - first["amount"] + upto["amount"].sum())
    return int(upto["amount"].sum())


def _assemble(found, bank, book, bank_lines, opt, rules, days, period, account) -> Reconciliation:
    start, end = days
    status = found.groups.set_index("group")["status"] if len(found.groups) else pd.Series(dtype=object)
    applied = status.index[(status == "auto") | opt.accept_proposed].to_numpy()
    grp_b_all, grp_j_all = _group_of(found.bank_links, len(bank)), _group_of(found.book_links, len(book))
    st = statement(book, bank, _group_of(found.book_links, len(book), applied),
                   _group_of(found.bank_links, len(bank), applied), end,
                   opt.book_opening + int(book.loc[book["day"] <= end, "amount"].sum()),
                   _bank_balance(bank_lines, end, opt.bank_opening))
    free_b, free_j = grp_b_all < 0, grp_j_all < 0
    why_b = reasons(bank, free_b, book, free_j, found.bank_flags, rules.max_window)
    why_j = reasons(book, free_j, bank, free_b, found.book_flags, rules.max_window)
    currency = bank_lines.attrs.get("currency") or (bank_lines["currency"].iloc[0] if len(bank_lines) else "CNY")
    return Reconciliation(found, bank, book, st, why_b, why_j, (start, end), period, account,
                          EXPONENTS.get(str(currency), 2), str(currency))
