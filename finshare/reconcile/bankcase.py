"""``finshare reconcile bank``: a statement file against a case's ledger or a journal CSV.

The statement is read by :mod:`finshare.reconcile.bankfiles` (layout detected,
or named, or a mapping file). The journal is a case folder — its stored
business vouchers of one book, the bank account told from the statement's
account number in ``masterdata/bank_accounts.csv``, counterparty names from
the customer and supplier master — or a CSV with at least ``line_id, date,
account, debit, credit, summary``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.money import EXPONENTS, parse_amounts
from ..core.problems import FinshareError, Problem, Source
from .bank import BankOptions, reconcile_bank
from .bankfiles import read_statement
from .bankjournal import read_journal
from .result import Reconciliation


def counterparty_names(case) -> pd.Series:
    """Code → Chinese name of every customer and supplier of the case's master data."""
    parts = [case.master[t][["code", "name_zh"]] for t in ("customers", "suppliers") if t in case.master.tables]
    if not parts:
        return pd.Series(dtype=object)
    both = pd.concat(parts, ignore_index=True).astype(str).drop_duplicates("code")
    return pd.Series(both["name_zh"].to_numpy(object), index=both["code"].to_numpy(object))


def bank_account_of(case, account_no: str) -> str | None:
    """The master-data bank account (e.g. ``B001``) whose number is the statement's, if the case has it."""
    if not account_no or "bank_accounts" not in case.master.tables:
        return None
    table = case.master["bank_accounts"].astype(str)
    hit = table.loc[table["account_no"].str.replace(r"\s", "", regex=True) == account_no.replace(" ", ""), "code"]
    return str(hit.iloc[0]) if len(hit) else None


def case_book(ledger, book: str | None) -> str:
    """The book to reconcile: the one named, or the case's only book."""
    if book is not None:
        ledger.case.books[book]                          # an unknown code is refused with the list of books
        return book
    codes = ledger.case.books.codes()
    if len(codes) == 1:
        return codes[0]
    raise FinshareError([Problem(
        "book-required", f"案例有 {len(codes)} 个账簿，请用 --book 指明对哪一个账簿的银行日记账 / the case has "
        f"{len(codes)} books: name the one whose bank journal to reconcile", Source(str(ledger.case.path),
                                                                                     field="book"),
        f"add --book, one of {', '.join(codes)}")])


def reconcile_statement(statement, journal, account: str, period: str, layout=None, mapping=None, book=None,
                        bank_account=None, rules=None, aliases=None, open_ledger=None,
                        book_opening: str | None = None) -> Reconciliation:
    """Read the statement and the journal and reconcile them (what ``finshare reconcile bank`` prints).

    ``open_ledger(path)`` opens a case folder's ledger (posting what is pending); a
    ``journal`` that is a file is read as a journal CSV, whose balance before its first
    line is ``book_opening`` (decimal text, default 0; a case's ledger holds its opening).
    """
    lines = read_statement(statement, layout=layout, mapping=mapping)
    names = None
    if Path(journal).is_dir():
        ledger = open_ledger(journal)
        frame = ledger.lines(case_book(ledger, book), kind="business")
        names = counterparty_names(ledger.case)
        if bank_account is None:
            bank_account = bank_account_of(ledger.case, str(lines.attrs.get("account_no", "")))
    else:
        frame = read_journal(journal, currency=str(lines.attrs.get("currency") or "CNY"))
    currency = str(lines.attrs.get("currency") or "CNY")
    options = BankOptions(rules=rules, aliases=aliases, names=names, bank_account=bank_account,
                          book_opening=_opening(book_opening, currency))
    return reconcile_bank(lines, frame, account, period, options)


def _opening(text: str | None, currency: str) -> int:
    """``--book-opening`` in minor units of the statement's currency."""
    if text is None:
        return 0
    minor, bad = parse_amounts(pd.Series([text]), EXPONENTS.get(currency, 2))
    if bad[0]:
        raise FinshareError([Problem(
            "bad-amount", f"期初余额 {text!r} 不是金额 / {text!r} is not an amount", Source(field="book-opening"),
            "write the book balance before the journal's first line as a number, e.g. --book-opening 1000000.00")])
    return int(minor[0])
