"""Statement balances: per account and counterparty, the four figures every statement is drawn from.

The frame (the consolidation builds the same one for the group) has the columns

``account``        leaf code of the book's chart (str)
``counterparty``   the customer or supplier of the line, ``""`` otherwise (str)
``closing``        net debit-positive balance at the end of the period (int64, minor units)
``prior_closing``  net at the end of the previous year; the vouchers of ``opening_balance`` documents of
                   the year count there, since the ledger begins with them
``ytd``            net debit-positive movement January..period, without carry-forward vouchers
                   (``source_type == "close"``) and without the opening-balance vouchers
``prior_ytd``      the same months of the previous year (0 when the ledger has none)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.journal import check_period

MONEY = ["closing", "prior_closing", "ytd", "prior_ytd"]
COLUMNS = ["account", "counterparty", *MONEY]
OPENING = "opening_balance"
CLOSE = "close"


def _text(lines: pd.DataFrame, column: str) -> pd.Series:
    if column not in lines:
        return pd.Series("", index=lines.index, dtype=object)
    return lines[column].astype(object).where(lines[column].notna(), "").astype(str).replace({"nan": "", "<NA>": ""})


def statement_balances(lines: pd.DataFrame, period: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """The statement balances of one book at ``period`` (``YYYY-MM``) from its journal lines.

    Parameters
    ----------
    lines : pandas.DataFrame
        Journal lines of one book (money in minor units): ``period, account, debit, credit, source_type``
        and the ``customer``/``supplier`` dimensions. Pass business lines (``ledger.lines(book,
        "business")``) when the book summarises GL vouchers by day: a summarised GL voucher takes one
        source type for every document of the day, so the opening balances cannot be told apart in it.
    period : str
        ``YYYY-MM``.
    by : tuple of str, optional
        More journal columns to keep apart (e.g. ``("org",)`` for a P&L per business unit); they come
        after ``counterparty``.

    Returns
    -------
    pandas.DataFrame
        Columns ``account, counterparty, *by, closing, prior_closing, ytd, prior_ytd``, one row per key
        with any figure not zero, sorted by key.
    """
    check_period(period)
    year = int(period[:4])
    per = lines["period"].astype(str)
    kind = _text(lines, "source_type")
    opening, close = (kind == OPENING).to_numpy(), (kind == CLOSE).to_numpy()
    this_year = ((per >= f"{year}-01") & (per <= period)).to_numpy()
    last_year = ((per >= f"{year - 1}-01") & (per <= f"{year - 1}{period[4:]}")).to_numpy()
    net = lines["debit"].to_numpy("int64") - lines["credit"].to_numpy("int64")
    customer = _text(lines, "customer")
    frame = pd.DataFrame({
        "account": lines["account"].astype(str).to_numpy(object),
        "counterparty": customer.where(customer != "", _text(lines, "supplier")).to_numpy(object),
        **{b: _text(lines, b).to_numpy(object) for b in by},
        "closing": np.where((per <= period).to_numpy(), net, 0),
        "prior_closing": np.where((per < f"{year}-01").to_numpy() | (opening & this_year), net, 0),
        "ytd": np.where(this_year & ~close & ~opening, net, 0),
        "prior_ytd": np.where(last_year & ~close & ~opening, net, 0),
    })
    keys = ["account", "counterparty", *by]
    out = frame.groupby(keys, sort=True)[MONEY].sum().reset_index()
    out = out[(out[MONEY] != 0).any(axis=1)].reset_index(drop=True)
    for c in MONEY:
        out[c] = out[c].astype("int64")
    for k in keys:
        out[k] = out[k].astype(object)
    return out


def book_balances(ledger, book: str, period: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """:func:`statement_balances` of a stored book, from its business lines (exact source types) summed in the
    store per period, source type, account, unit and dimensions (:meth:`finshare.core.store.Store.sums`)."""
    ledger.case.books[book]
    return statement_balances(ledger.store.sums(book, "business", upto=period), period, by)


__all__ = ["MONEY", "COLUMNS", "statement_balances", "book_balances"]
