"""The clearing history (核销记录) in the store: which receipt settled which invoice, how much, how.

Rows are written by :func:`~finshare.reconcile.clearing.vouchers.clear` in the
transaction that posts the clearing vouchers; a (receipt, invoice) pair is
written once.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from ...core.store.tables import clearings as table

HISTORY_COLUMNS = ["receipt", "invoice", "customer", "currency", "amount", "fee", "advance", "rule", "agreed",
                   "score", "date", "voucher", "source", "batch", "at", "by"]


def read_history(con) -> pd.DataFrame:
    """Every stored clearing row (money in minor units)."""
    rows = con.execute(sa.select(*[table.c[c] for c in HISTORY_COLUMNS])).all()
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    return frame.astype({"amount": "int64", "fee": "int64", "advance": "int64", "score": "int64", "batch": "Int64"})


def write_history(con, rows: pd.DataFrame, batch: int | None, by: str) -> None:
    """Insert clearing rows (``receipt, invoice, …, date, voucher, source``); ``batch`` is the vouchers' batch."""
    if rows.empty:
        return
    now = dt.datetime.now().replace(microsecond=0)
    frame = rows[HISTORY_COLUMNS[:13]].assign(batch=batch, at=now, by=by)
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    con.execute(table.insert(), frame.astype(object).where(frame.notna(), None).to_dict("records"))


def settled(ledger) -> pd.Series:
    """Amount cleared so far per invoice (minor units), from the history."""
    with ledger.store.reading() as con:
        h = read_history(con)
    return h.groupby("invoice")["amount"].sum().astype("int64")


def clearing_history(ledger, customer: str | None = None, invoice: str | None = None) -> pd.DataFrame:
    """The clearing history, readable: receipt, invoice, customer, amount (decimal text), rule, date, voucher.

    Parameters
    ----------
    ledger : finshare.Ledger
    customer, invoice : str, optional
        Only this customer's / this invoice's rows.

    Returns
    -------
    DataFrame
        ``receipt, invoice, customer, currency, amount, fee, advance, rule, agreed, score, date,
        voucher, batch, by`` — money as decimal text of its currency — ordered by date, receipt.
    """
    from ...core.money import exponents, format_amounts
    with ledger.store.reading() as con:
        h = read_history(con)
    if customer is not None:
        h = h[h["customer"] == customer]
    if invoice is not None:
        h = h[h["invoice"] == invoice]
    h = h.sort_values(["date", "receipt", "invoice"]).reset_index(drop=True)
    exp = exponents(h["currency"])
    for c in ("amount", "fee", "advance"):
        h[c] = format_amounts(h[c].to_numpy("int64"), exp)
    return h[["receipt", "invoice", "customer", "currency", "amount", "fee", "advance", "rule", "agreed", "score",
              "date", "voucher", "batch", "by"]]
