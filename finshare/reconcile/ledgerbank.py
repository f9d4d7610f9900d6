"""A stored ledger's bank journal for one bank account and month, and its reconciliation with a statement.

The book side of a monthly 银行对账 from a posted case: the business lines of
``1002`` 银行存款 with one ``bank_account`` dimension dated in the month, the
balance before it as the opening (期初余额 vouchers count as opening, they are
not transactions), and counterparty names from the customer, supplier and
employee master data. :func:`decided_statement` draws up the 调节表 again with
the proposals an accountant accepted (per proposal, not all or none).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.journal import check_period
from ..core.problems import FinshareError, Problem, Source
from .adjusted import Statement, statement
from .bank import BankOptions, reconcile_bank
from .result import Reconciliation

BANK_ACCOUNT = "1002"
#: Master-data tables whose ``code → name_zh`` name the counterparties the bank prints.
NAME_TABLES = ("customers", "suppliers", "employees")


def bank_account_row(case, code: str) -> pd.Series:
    """The master-data row of bank account ``code`` (``B001`` …); ``unknown-bank-account`` if none."""
    table = case.master["bank_accounts"].astype(str) if "bank_accounts" in case.master.tables else None
    hit = None if table is None else table[table["code"] == code]
    if hit is None or hit.empty:
        known = ", ".join(table["code"]) if table is not None else "—"
        raise FinshareError([Problem(
            "unknown-bank-account", f"主数据中没有银行账户 {code} / no bank account {code} in the master data",
            Source("masterdata/bank_accounts.csv", field="code"), f"choose one of: {known}")])
    return hit.iloc[0]


def counterparty_names(case) -> pd.Series:
    """Code → Chinese name of every customer, supplier and employee (the names a bank prints)."""
    parts = [case.master[t][["code", "name_zh"]] for t in NAME_TABLES if t in case.master.tables]
    if not parts:
        return pd.Series(dtype=object)
    both = pd.concat(parts, ignore_index=True).astype(str).drop_duplicates("code")
    return pd.Series(both["name_zh"].to_numpy(object), index=both["code"].to_numpy(object))


def bank_books(ledger, kind: str = "business", cache: dict | None = None) -> pd.DataFrame:
    """Each bank account with a book in its currency that posts to it: ``bank_account, name_zh, name_en, book,
    currency, bank``; the first such book of the case's order. ``cache`` (book → lines) is used and filled."""
    accounts = ledger.case.master["bank_accounts"].astype(str)
    cache = {} if cache is None else cache
    rows = []
    for book in ledger.case.books:
        if book.code not in cache:
            cache[book.code] = ledger.lines(book.code, kind)
        lines = cache[book.code]
        used = set(lines.loc[lines["account"].astype(str).str.startswith(BANK_ACCOUNT), "bank_account"].astype(str))
        mine = accounts[accounts["code"].isin(used) & (accounts["currency"] == book.currency)]
        rows.append(mine.assign(book=book.code))
    table = pd.concat(rows, ignore_index=True).drop_duplicates("code").sort_values("code", kind="stable")
    return table.rename(columns={"code": "bank_account"})[
        ["bank_account", "name_zh", "name_en", "book", "currency", "bank"]].reset_index(drop=True)


def period_journal(ledger, book: str, bank_account: str, period: str, kind: str = "business", lines=None):
    """The month's journal lines of the vouchers touching ``bank_account`` and the bank balance before it.

    ``lines`` may be the book's lines already read (``ledger.lines(book, kind)``), to save reading them again.

    Returns
    -------
    (DataFrame, int)
        All lines (every account) of the vouchers with a ``1002`` line of the bank account dated in
        ``period``, except 期初余额 vouchers; and the opening: ``debit − credit`` of the account's
        lines before the month plus its 期初余额 lines, in minor units.
    """
    check_period(period)
    frame = ledger.lines(book, kind) if lines is None else lines
    bank = frame["account"].astype(str).str.startswith(BANK_ACCOUNT) & (frame["bank_account"].astype(str)
                                                                        == bank_account)
    month = frame["period"].astype(str)
    opening_doc = frame["source_type"].astype(str) == "opening_balance"
    before = bank & ((month < period) | ((month == period) & opening_doc))
    opening = int(frame.loc[before, "debit"].sum() - frame.loc[before, "credit"].sum())
    keys = ["book", "kind", "period", "voucher_no"]
    touched = frame.loc[bank & (month == period) & ~opening_doc, keys].drop_duplicates()
    journal = frame.merge(touched, on=keys, how="inner")
    return journal.reset_index(drop=True), opening


def reconcile_with_ledger(ledger, book: str, bank_account: str, period: str, bank_lines: pd.DataFrame,
                          accept_proposed: bool = False, lines=None, rules=None, aliases=None) -> Reconciliation:
    """Reconcile a statement of ``bank_account`` with the ledger's bank journal of ``period``.

    The book opening is the ledger's balance before the month; the bank balance is the
    statement's printed balance (else its lines). Nothing is posted. ``lines``: the book's business
    lines if already read; ``rules`` and ``aliases`` as :class:`~finshare.reconcile.bank.BankOptions`.
    """
    journal, opening = period_journal(ledger, book, bank_account, period, lines=lines)
    if journal.empty:
        raise FinshareError([Problem(
            "no-account-lines", f"{book} 在 {period} 没有银行账户 {bank_account} 的分录 / book {book} has no lines of "
            f"bank account {bank_account} in {period}", Source(book=book, field="bank_account"),
            "choose another period or bank account / 换一个期间或银行账户")])
    options = BankOptions(names=counterparty_names(ledger.case), bank_account=bank_account, book_opening=opening,
                          accept_proposed=accept_proposed, rules=rules, aliases=aliases)
    return reconcile_bank(bank_lines, journal, BANK_ACCOUNT, period, options)


def _groups_of(links: pd.DataFrame, n: int, applied) -> np.ndarray:
    out = np.full(n, -1, dtype="int64")
    links = links[links["group"].isin(list(applied))]
    out[links["pos"].to_numpy()] = links["group"].to_numpy()
    return out


def decided_statement(rec: Reconciliation, accepted=()) -> Statement:
    """The 调节表 with the automatic matches and the ``accepted`` proposals (group numbers) applied.

    Rejected or undecided proposals leave their lines outstanding; the balances are the reconciliation's.
    """
    groups = rec.found.groups
    proposed = set(groups.loc[groups["status"] == "proposed", "group"].tolist())
    unknown = sorted(set(accepted) - proposed)
    if unknown:
        raise FinshareError([Problem(
            "not-a-proposal", f"匹配 {unknown} 不是待确认的提议 / matches {unknown} are not proposals",
            Source(field="group"), "accept only groups whose status is 'proposed' / 只能确认待确认的匹配")])
    applied = set(groups.loc[groups["status"] == "auto", "group"].tolist()) | set(accepted)
    return statement(rec.book, rec.bank, _groups_of(rec.found.book_links, len(rec.book), applied),
                     _groups_of(rec.found.bank_links, len(rec.bank), applied), rec.days[1],
                     rec.statement.book_balance, rec.statement.bank_balance)


__all__ = ["bank_account_row", "bank_books", "counterparty_names", "decided_statement", "period_journal",
           "reconcile_with_ledger"]
