"""``finshare reconcile bank``: a statement file against a case's ledger or a journal CSV.

The statement is read by :mod:`finshare.reconcile.bankfiles` (layout detected,
or named, or a mapping file). The journal is a case folder — the month's
stored business vouchers of the bank account (told from the statement's
account number in ``masterdata/bank_accounts.csv``) in the first book of its
currency, with the balance before the month as the book's opening
(:func:`~finshare.reconcile.ledgerbank.reconcile_with_ledger`) — or a CSV with
at least ``line_id, date, account, debit, credit, summary``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.money import EXPONENTS, parse_amounts
from ..core.problems import FinshareError, Problem, Source
from .bank import BankOptions, reconcile_bank
from .bankfiles import read_statement
from .bankjournal import read_journal
from .ledgerbank import bank_books, reconcile_with_ledger
from .result import Reconciliation


def bank_account_of(case, account_no: str) -> str | None:
    """The master-data bank account (e.g. ``B001``) whose number is the statement's, if the case has it."""
    if not account_no or "bank_accounts" not in case.master.tables:
        return None
    table = case.master["bank_accounts"].astype(str)
    hit = table.loc[table["account_no"].str.replace(r"\s", "", regex=True) == account_no.replace(" ", ""), "code"]
    return str(hit.iloc[0]) if len(hit) else None


def case_account(ledger, lines: pd.DataFrame, book: str | None, bank_account: str | None) -> tuple[str, str]:
    """The book and bank account a statement belongs to: as named, else the bank account whose number the
    statement's banner states and the first book in its currency that posts to it."""
    code = bank_account or bank_account_of(ledger.case, str(lines.attrs.get("account_no", "")))
    if code is None:
        raise FinshareError([Problem(
            "bank-account-unknown", f"对账单的账号 {lines.attrs.get('account_no') or '(无)'} 不是案例中的银行账户 / the "
            f"statement's account number {lines.attrs.get('account_no') or '(none)'} is none of the case's bank "
            "accounts", Source(str(lines.attrs.get("file", "")), field="account_no"),
            "name the account: --bank-account CODE (masterdata/bank_accounts.csv), or add its number there")])
    if book is not None:
        ledger.case.books[book]                          # an unknown code is refused with the list of books
        return book, code
    found = bank_books(ledger)
    hit = found.loc[found["bank_account"] == code, "book"]
    if not len(hit):
        raise FinshareError([Problem(
            "book-required", f"没有账簿记过银行账户 {code} 的分录 / no book has lines of bank account {code}",
            Source(str(ledger.case.path), field="book"), f"name the book: --book, one of "
            f"{', '.join(ledger.case.books.codes())}")])
    return str(hit.iloc[0]), code


def reconcile_statement(statement, journal, account: str, period: str, layout=None, mapping=None, book=None,
                        bank_account=None, rules=None, aliases=None, open_ledger=None,
                        book_opening: str | None = None, accept_proposed: bool = False) -> Reconciliation:
    """Read the statement and the journal and reconcile them (what ``finshare reconcile bank`` prints).

    ``open_ledger(path)`` opens a case folder's ledger (posting what is pending); a
    ``journal`` that is a file is read as a journal CSV, whose balance before its first
    line is ``book_opening`` (decimal text, default 0; a case's ledger holds its opening).
    ``accept_proposed`` applies the proposed matches in the 调节表 as well.
    """
    lines = read_statement(statement, layout=layout, mapping=mapping)
    if Path(journal).is_dir():
        ledger = open_ledger(journal)
        code, bank = case_account(ledger, lines, book, bank_account)
        return reconcile_with_ledger(ledger, code, bank, period, lines, accept_proposed, rules=rules, aliases=aliases)
    frame = read_journal(journal, currency=str(lines.attrs.get("currency") or "CNY"))
    currency = str(lines.attrs.get("currency") or "CNY")
    options = BankOptions(rules=rules, aliases=aliases, bank_account=bank_account,
                          book_opening=_opening(book_opening, currency), accept_proposed=accept_proposed)
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
