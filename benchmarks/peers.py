"""One book's GL journal as a hledger journal and a beancount file, for bench_year.py's peers.

Both files hold the same transactions: one per GL voucher (book, period,
voucher number), dated by its first line, with one posting per journal line
of ``debit - credit`` as an exact decimal in the book's currency (``VND``
without decimals, ``CNY``/``HKD`` with two). Accounts are named
``Root:A<code>`` with the root taken from the chart (`account_names`), so
hledger and beancount see the same names. The text is built column-wise with
pyarrow string kernels and written once; no Python loop runs per line.

beancount is GPL and hledger is a Debian program: neither is a dependency of
finshare; bench_year.py installs them for itself when they are missing.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: beancount's five roots by chart category; ``None``: decided by the normal balance (`root_of`)
ROOTS = {"asset": "Assets", "cost": "Assets", "liability": "Liabilities", "equity": "Equity",
         "common": None, "profit_and_loss": None}
#: the root of a ``common`` or ``profit_and_loss`` account by its normal balance (either: the debit side)
BY_SIDE = {"common": {"debit": "Assets", "either": "Assets", "credit": "Liabilities"},
           "profit_and_loss": {"debit": "Expenses", "either": "Expenses", "credit": "Income"}}
#: characters that would end or break a description (hledger ``;`` comment, beancount ``"`` string)
UNSAFE = r'[";\\\r\n\t]'


def root_of(category: str, normal_balance: str) -> str:
    """Root account of a chart category and normal balance, e.g. ``("profit_and_loss", "credit")`` -> ``Income``."""
    return ROOTS[category] or BY_SIDE[category][normal_balance]


def account_names(chart) -> pd.Series:
    """Peer account name of every account of ``chart``: ``1002`` -> ``Assets:A1002``, ``6001`` -> ``Income:A6001``.

    Contra accounts keep their category's root (1602 累计折旧 is ``Assets:A1602``
    with a credit balance), as in the chart's own balance sheet.
    """
    acc = chart.accounts
    roots = [root_of(c, n) for c, n in zip(acc["category"], acc["normal_balance"])]   # one per chart account
    return pd.Series(roots, index=acc.index, dtype=object) + ":A" + acc.index.astype(str)


def decimal_text(minor, exponent: int) -> pa.Array:
    """Integer minor units as exact decimal text: ``-123456, 2`` -> ``"-1234.56"``; ``5, 2`` -> ``"0.05"``.

    Parameters
    ----------
    minor : array-like of int64
        Amounts in minor units (fen, cents, dong).
    exponent : int
        Decimal places of the currency (VND 0, CNY/HKD 2).

    Returns
    -------
    pyarrow.Array
        Strings with exactly ``exponent`` decimals (none, and no point, for 0).
    """
    minor = np.asarray(minor, dtype=np.int64)
    sign = pc.if_else(pa.array(minor < 0), "-", "")
    size = np.abs(minor)
    whole = pc.cast(pa.array(size // 10 ** exponent), pa.string())
    if exponent:
        frac = pc.utf8_lpad(pc.cast(pa.array(size % 10 ** exponent), pa.string()), exponent, "0")
        whole = pc.binary_join_element_wise(whole, frac, ".")
    return pc.binary_join_element_wise(sign, whole, "")


def journal_frame(lines: pd.DataFrame, chart) -> pd.DataFrame:
    """GL lines in voucher order with what both writers need.

    Parameters
    ----------
    lines : pandas.DataFrame
        ``ledger.lines(book, "gl")`` of one book: ``period``, ``voucher_no``,
        ``line``, ``date``, ``account``, ``summary``, ``debit``, ``credit``.
    chart : finshare.core.chart.Chart
        The book's chart, for the account names.

    Returns
    -------
    pandas.DataFrame
        ``first`` (bool, a voucher's first line), ``date`` (``YYYY-MM-DD`` of the
        voucher's first line), ``code`` (``period/voucher_no``), ``summary``
        (cleaned of characters that end a description), ``account`` (peer name)
        and ``net`` (``debit - credit``, int64 minor units).
    """
    x = lines.sort_values(["period", "voucher_no", "line"], kind="stable")
    period, number = x["period"].astype(str), x["voucher_no"].astype(str)
    code = period + "/" + number
    first = (code != code.shift()).to_numpy()
    date = x["date"].dt.strftime("%Y-%m-%d").where(first).ffill()
    names = account_names(chart)
    return pd.DataFrame({
        "first": first, "date": date.to_numpy(), "code": code.to_numpy(),
        "summary": x["summary"].astype(str).str.replace(UNSAFE, " ", regex=True).str.strip().to_numpy(),
        "account": names.reindex(x["account"].astype(str)).to_numpy(),
        "net": (x["debit"].to_numpy(np.int64) - x["credit"].to_numpy(np.int64)),
    })


def posting_text(j: pd.DataFrame, currency: str, exponent: int) -> pa.Array:
    """Posting lines ``"    Assets:A1002  1234.56 CNY"`` (four spaces, two before the amount)."""
    amount = pc.binary_join_element_wise(decimal_text(j["net"], exponent), currency, " ")
    return pc.binary_join_element_wise(pa.array("    " + j["account"], pa.string()), amount, "  ")


def with_headers(headers: pa.Array, postings: pa.Array, first: np.ndarray) -> pa.Array:
    """Each posting line, preceded on a voucher's first line by a blank line and the transaction header."""
    return pc.if_else(pa.array(first), pc.binary_join_element_wise(headers, postings, "\n"), postings)


def join_lines(parts: list[pa.Array]) -> str:
    """All ``parts`` as one text, one element a line (one pyarrow join, no Python loop per line)."""
    lines = pa.concat_arrays([pc.cast(p, pa.large_string()) for p in parts])
    whole = pa.LargeListArray.from_arrays(pa.array([0, len(lines)], pa.int64()), lines)
    return pc.binary_join(whole, pa.scalar("\n", pa.large_string()))[0].as_py() + "\n"


def hledger_text(lines: pd.DataFrame, book) -> str:
    """One book's GL journal as a hledger journal (``DATE (PERIOD/NUMBER) SUMMARY`` and postings).

    Parameters
    ----------
    lines : pandas.DataFrame
        ``ledger.lines(book, "gl")``.
    book : finshare.core.books.Book
        The book (``chart``, ``currency``, ``exponent``).
    """
    j = journal_frame(lines, book.chart)
    header = pa.array("\n" + j["date"] + " (" + j["code"] + ") " + j["summary"], pa.string())
    body = with_headers(header, posting_text(j, book.currency, book.exponent), j["first"].to_numpy())
    preface = pa.array([f"; finshare GL journal of book {book.code}, amounts in {book.currency}",
                        f"commodity {decimal_text([0], book.exponent)[0].as_py()} {book.currency}"])
    return join_lines([preface, body])


def beancount_text(lines: pd.DataFrame, book) -> str:
    """One book's GL journal as a beancount file: options, ``open`` of every account used, transactions.

    Parameters
    ----------
    lines : pandas.DataFrame
        ``ledger.lines(book, "gl")``.
    book : finshare.core.books.Book
        The book (``chart``, ``currency``, ``exponent``).
    """
    j = journal_frame(lines, book.chart)
    header = pa.array("\n" + j["date"] + ' * "' + j["code"] + '" "' + j["summary"] + '"', pa.string())
    body = with_headers(header, posting_text(j, book.currency, book.exponent), j["first"].to_numpy())
    opened = sorted(pd.unique(j["account"]))
    since = j["date"].min() if len(j) else "2000-01-01"
    preface = pa.array([f'option "title" "finshare GL journal of book {book.code}"',
                        f'option "operating_currency" "{book.currency}"', "",
                        *(f"{since} open {a} {book.currency}" for a in opened)])
    return join_lines([preface, body])


def write_peers(lines: pd.DataFrame, book, folder: Path) -> dict[str, Path]:
    """Write ``folder/BOOK.journal`` (hledger) and ``folder/BOOK.beancount``; return both paths."""
    paths = {"hledger": folder / f"{book.code}.journal", "beancount": folder / f"{book.code}.beancount"}
    paths["hledger"].write_text(hledger_text(lines, book), encoding="utf-8")
    paths["beancount"].write_text(beancount_text(lines, book), encoding="utf-8")
    return paths
