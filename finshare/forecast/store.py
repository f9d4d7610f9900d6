"""The receivable history of a stored ledger: approved AR invoices (应收单) and when each was settled.

Rules (the store is the truth, not the case files):

- one row per approved ``ar_invoice``; ``amount`` is its 价税合计 (sum of the lines' ``total``,
  VAT included) in the invoice's currency; red invoices (credit notes, total ≤ 0) are left out and
  counted in ``History.excluded`` (code ``negative-amount``);
- ``due_date`` = invoice date + the customer's ``payment_terms`` (days) when the customer master has
  that column, otherwise + ``default_terms`` (30 days; the Fujian master has no terms);
- ``settled_date`` = the date the clearing history (核销记录) brought the cleared amount up to the
  invoice amount; for an invoice the clearing history has not fully settled, the date the approved
  收款单 that reference it (``receipt.invoice``, same currency) add up to the amount; empty if neither.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.sync import stored_documents
from .history import History, row_problem


def _settled_on(payments: pd.DataFrame, due: pd.Series) -> pd.Series:
    """First date the running total of ``payments`` (invoice, date, amount) reaches ``due`` per invoice."""
    if payments.empty:
        return pd.Series(dtype="datetime64[ns]")
    p = payments.sort_values(["invoice", "date"], kind="stable")
    p = p.assign(run=p.groupby("invoice")["amount"].cumsum(), need=p["invoice"].map(due))
    return p[p["run"] >= p["need"]].groupby("invoice")["date"].min()


def load_store(ledger, default_terms: int = 30) -> History:
    """The receivable history of ``ledger`` (see the module docstring for the rules).

    Parameters
    ----------
    ledger : finshare.Ledger
        A posted ledger (its store holds the documents and the clearing history).
    default_terms : int, default=30
        Days from invoice to due date for customers whose master row has no ``payment_terms``.

    Returns
    -------
    History
        ``source`` is ``"store"``; ``payment_terms`` holds the days used.
    """
    from ..reconcile.clearing.history import read_history
    docs = stored_documents(ledger, "ar_invoice")
    h = docs.header.reset_index(drop=True)
    total = docs.lines.groupby("doc_no")["total"].sum().astype("int64") if len(docs.lines) else pd.Series(
        dtype="int64")
    table = pd.DataFrame({"invoice_id": h["doc_no"].astype(str), "customer_id": h["customer"].astype(str),
                          "invoice_date": pd.to_datetime(h["date"]).astype("datetime64[ns]"),
                          "amount": h["doc_no"].map(total).fillna(0).astype("int64").to_numpy(),
                          "currency": h["currency"].astype(str)})
    customers = ledger.case.master.tables["customers"]
    terms = (customers.set_index("code")["payment_terms"] if "payment_terms" in customers
             else pd.Series(dtype="float64"))
    days = pd.to_numeric(table["customer_id"].map(terms), errors="coerce").fillna(default_terms).astype("int64")
    table["due_date"] = table["invoice_date"] + pd.to_timedelta(days, unit="D")
    due = table.set_index("invoice_id")["amount"]
    with ledger.store.reading() as con:
        cleared = read_history(con)
    cleared = cleared.assign(date=pd.to_datetime(cleared["date"]))[["invoice", "date", "amount"]]
    settled = _settled_on(cleared, due)
    receipts = _receipts(ledger, table)
    by_receipt = _settled_on(receipts[~receipts["invoice"].isin(settled.index)], due)
    table["settled_date"] = table["invoice_id"].map(pd.concat([settled, by_receipt])).astype("datetime64[ns]")
    table["payment_terms"] = pd.array(days, dtype="Int64")
    table = table[["invoice_id", "customer_id", "invoice_date", "due_date", "amount", "currency", "settled_date",
                   "payment_terms"]]
    credit = (table["amount"] <= 0).to_numpy()
    lines = np.flatnonzero(credit) + 1
    excluded = pd.DataFrame({"line": lines, "invoice_id": table["invoice_id"].to_numpy()[credit],
                             "code": "negative-amount",
                             "message": row_problem("negative-amount", lines, "store").message if credit.any() else ""})
    return History(table[~credit].reset_index(drop=True), excluded, "store")


def _receipts(ledger, invoices: pd.DataFrame) -> pd.DataFrame:
    """Approved 收款单 amounts per referenced invoice, in the invoice's currency: invoice, date, amount."""
    docs = stored_documents(ledger, "receipt")
    h = docs.header.reset_index(drop=True)
    if h.empty or "invoice" not in h:
        return pd.DataFrame({"invoice": pd.Series(dtype=str), "date": pd.Series(dtype="datetime64[ns]"),
                             "amount": pd.Series(dtype="int64")})
    amount = docs.lines.groupby("doc_no")["amount"].sum().astype("int64")
    r = pd.DataFrame({"invoice": h["invoice"].astype(str), "date": pd.to_datetime(h["date"]),
                      "amount": h["doc_no"].map(amount).fillna(0).astype("int64").to_numpy(),
                      "currency": h["currency"].astype(str)})
    inv_currency = invoices.set_index("invoice_id")["currency"]
    return r[r["invoice"].map(inv_currency) == r["currency"]][["invoice", "date", "amount"]]


__all__ = ["load_store"]
