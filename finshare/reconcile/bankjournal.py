"""The book side of a bank reconciliation: the journal lines of one bank account.

A journal frame has at least ``line_id, date, account, debit, credit,
summary`` (money in int64 minor units), as ``Ledger.lines()`` gives it or as
:func:`read_journal` reads a ``finshare journal`` CSV export. Other columns
(``bank_account``, ``customer``, ``supplier``, ``source_no``, ``voucher_no`` …) are
used when present: a bank line without a counterparty takes its voucher's.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from finshare.core.money import EXPONENTS, parse_amounts
from finshare.core.columns import arrow_text
from finshare.core.problems import FinshareError, Problem, Source
from finshare.core.textio import read_csv

REQUIRED = ("line_id", "date", "account", "debit", "credit", "summary")
#: Dimension columns that name the counterparty of a bank line, first non-empty wins.
COUNTERPARTY_COLUMNS = ("customer", "supplier", "partner", "employee")


def journal_for_account(frame: pd.DataFrame, account: str, bank_account: str | None = None) -> pd.DataFrame:
    """The lines of ``account`` and its sub-accounts (``1002`` covers ``100201``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Journal lines (see the module docstring).
    account : str
        Account code, e.g. ``"1002"`` 银行存款.
    bank_account : str, optional
        Keep only lines whose ``bank_account`` dimension is this (e.g. ``"B001"``).

    Raises
    ------
    FinshareError
        ``no-journal-column`` / ``no-bank-account-column`` / ``no-account-lines``.
    """
    _require(frame, REQUIRED, "<journal>")
    check_money(frame)
    acc = frame["account"].astype("string")
    keep = (acc == account) | acc.str.startswith(str(account)).fillna(False)
    if bank_account is not None:
        if "bank_account" not in frame:
            raise FinshareError([Problem(
                "no-bank-account-column", "日记账没有 bank_account 列 / the journal has no bank_account column",
                Source("<journal>", field="bank_account"),
                "导出日记账时包含银行账户核算项目，或不指定银行账户 / export the journal with the bank_account "
                "dimension, or leave out the bank account")])
        keep &= frame["bank_account"].astype("string") == bank_account
    keep = keep.fillna(False).to_numpy(dtype=bool)
    out = frame[keep].reset_index(drop=True)
    if "voucher_no" in frame and len(out):
        out["counterparty"] = voucher_counterparty(frame)[keep]
    if out.empty:
        what = f"{account}" + (f" / {bank_account}" if bank_account else "")
        raise FinshareError([Problem(
            "no-account-lines", f"日记账中没有科目 {what} 的分录 / the journal has no lines of account {what}",
            Source("<journal>", field="account"),
            "检查科目代码（银行存款一般为 1002）和银行账户 / check the account code (bank deposits: 1002) "
            "and the bank account")])
    return out


def line_counterparty(frame: pd.DataFrame) -> pd.Series:
    """Per line its counterparty code: ``counterparty``, else the first non-empty of
    :data:`COUNTERPARTY_COLUMNS`, else ``""``."""
    code = pd.Series("", index=frame.index, dtype="string")
    for col in reversed(("counterparty",) + COUNTERPARTY_COLUMNS):
        if col in frame:
            val = frame[col].astype("string").fillna("").str.strip()
            code = val.where(val != "", code)
    return code.fillna("")


def voucher_counterparty(frame: pd.DataFrame) -> np.ndarray:
    """Per line the counterparty of its voucher when the voucher has exactly one.

    A bank line (1002) seldom carries the customer or supplier; the voucher's other
    line does (1122 应收账款 with its customer). A summarised voucher of several
    counterparties gives none. Vouchers are told by ``book, kind, period, voucher_no``
    (those present).
    """
    key = [c for c in ("book", "kind", "period", "voucher_no") if c in frame]
    table = frame[key].astype("string").fillna("").assign(code=line_counterparty(frame).to_numpy())
    named = table[table["code"] != ""]
    stats = named.groupby(key, sort=False)["code"].agg(["nunique", "first"])
    sole = stats.loc[stats["nunique"] == 1, "first"].rename("sole").reset_index()
    got = table[key].merge(sole, on=key, how="left")["sole"]
    own = table["code"].to_numpy(dtype=object)
    return np.where(own != "", own, got.fillna("").to_numpy(dtype=object))


def read_journal(path: str | Path, currency: str = "CNY") -> pd.DataFrame:
    """Read a journal CSV (``finshare journal`` output or a user's export) into a journal frame.

    Money is decimal text (``"1234.50"``) in ``currency`` (or the file's ``currency``
    column); it becomes int64 minor units. Dates are ``YYYY-MM-DD``.

    Raises
    ------
    FinshareError
        ``no-journal-column``, ``bad-date`` or ``bad-amount`` naming the file, line and field
        (and the CSV faults of :func:`finshare.core.textio.read_csv`).
    """
    source = str(path)
    require_file(path, "日记账 / journal")
    frame = read_csv(path)
    _require(frame, REQUIRED, source)
    problems = []
    cur = frame["currency"] if "currency" in frame else pd.Series(currency, index=frame.index)
    exp = cur.map(EXPONENTS).fillna(EXPONENTS.get(currency, 2)).astype("int64").to_numpy()
    out = frame.copy()
    for col in ("debit", "credit"):
        text = frame[col].where(frame[col].str.strip() != "", "0")
        out[col], bad = parse_amounts(text, exp)
        problems += _first_bad(bad, source, col, "金额不是数字 / not an amount",
                               "写成数字，如 1234.50 / write a number such as 1234.50")
    out["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    problems += _first_bad(out["date"].isna().to_numpy(), source, "date", "日期无效 / not a date",
                           "日期写成 YYYY-MM-DD，例如 2020-03-05 / write the date as YYYY-MM-DD")
    if problems:
        raise FinshareError(problems, f"日记账 {source} 有错误 / the journal {source} has problems")
    return out


def book_side(journal: pd.DataFrame) -> pd.DataFrame:
    """Journal lines as the matcher's book side: ``pos, line_id, day, amount, code, ref, red, summary``.

    ``amount`` is ``debit − credit`` (a bank receipt matches a debit to the bank
    account, a payment a credit); ``red`` marks red-ink lines (a negative debit or credit).
    """
    n = len(journal)
    debit = journal["debit"].to_numpy(dtype="int64")
    credit = journal["credit"].to_numpy(dtype="int64")
    code = line_counterparty(journal)
    ref = journal["reference"] if "reference" in journal else journal.get("source_no")
    ref = pd.Series("", index=journal.index, dtype="string") if ref is None else ref.astype("string")
    return pd.DataFrame({
        "pos": np.arange(n), "line_id": journal["line_id"].astype("string").to_numpy(),
        "day": _days(journal["date"]), "amount": debit - credit, "code": code.fillna("").to_numpy(),
        "ref": normalise_reference(ref).to_numpy(), "red": (debit < 0) | (credit < 0),
        "summary": journal["summary"].astype("string").fillna("").to_numpy(),
    })


def normalise_reference(ref: pd.Series) -> pd.Series:
    """Upper case without blanks or punctuation, so ``"cg-001 "`` equals ``"CG001"``."""
    arr = pc.utf8_upper(pc.fill_null(arrow_text(ref), ""))
    return pd.Series(pc.replace_substring_regex(arr, r"[^0-9A-Z]", "").to_numpy(zero_copy_only=False),
                     index=ref.index, dtype="string")


def _days(dates) -> np.ndarray:
    """Dates as int64 days since 1970-01-01."""
    return pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[D]").astype("int64")


def require_file(path: str | Path, what: str) -> None:
    """Raise ``missing-file`` naming ``path`` when it is not a file."""
    if not Path(path).is_file():
        raise FinshareError([Problem("missing-file", f"找不到{what}文件 / no such file: {path}",
                                     Source(str(path)), "检查文件路径 / check the path")])


def check_money(frame: pd.DataFrame, source: str = "<journal>") -> None:
    """``debit`` and ``credit`` must be integer minor units (``Ledger.lines()`` or :func:`read_journal`)."""
    bad = [c for c in ("debit", "credit") if not pd.api.types.is_integer_dtype(frame[c])]
    if bad:
        raise FinshareError([Problem(
            "journal-money-not-minor-units", f"日记账的 {bad[0]} 列不是以分计的整数 / the journal's {bad[0]} column "
            f"is {frame[bad[0]].dtype}, not integer minor units", Source(source, field=bad[0]),
            "用 Ledger.lines() 或 read_journal() 读入日记账 / take the journal from Ledger.lines() or "
            "finshare.reconcile.bankjournal.read_journal()")])


def _require(frame: pd.DataFrame, columns, source: str) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise FinshareError([Problem(
            "no-journal-column", f"日记账缺少列 {', '.join(missing)} / the journal has no column "
            f"{', '.join(missing)}", Source(source, 1, missing[0]),
            f"导出时包含这些列 / export the journal with the columns {', '.join(columns)}")])


def _first_bad(bad: np.ndarray, source: str, field: str, what: str, fix: str) -> list[Problem]:
    rows = np.flatnonzero(bad)
    if not len(rows):
        return []
    more = f" (+{len(rows) - 1} more)" if len(rows) > 1 else ""
    return [Problem("bad-journal-value", f"{what}{more}", Source(source, int(rows[0]) + 2, field), fix)]
