"""Open items and receipts of a stored ledger, and one period's receivable clearing (``reconcile ar``).

The store is the truth: open items are the approved AR invoices (应收单, their
价税合计) less what the clearing history already settled; receipts are the
approved 收款单 not yet in the history.
"""
from __future__ import annotations

import pandas as pd

from ...core.problems import FinshareError, Problem, Source
from ...core.sync import stored_documents
from .aliases import read_aliases
from .history import settled
from .match import Matching, match_receipts
from .rules import load_rules
from .tables import OPEN_ITEM_COLUMNS, RECEIPT_COLUMNS, conform


def open_items(ledger, until: str | None = None) -> pd.DataFrame:
    """Open AR invoices (:data:`OPEN_ITEM_COLUMNS`) dated up to ``until`` (YYYY-MM-DD), oldest first."""
    docs = stored_documents(ledger, "ar_invoice")
    h = docs.header
    total = docs.lines.groupby("doc_no")["total"].sum() if len(docs.lines) else pd.Series(dtype="int64")
    frame = pd.DataFrame({"invoice": h["doc_no"], "invoice_no": h["invoice_no"], "customer": h["customer"],
                          "org": h["org"], "date": h["date"], "currency": h["currency"],
                          "amount": h["doc_no"].map(total).fillna(0).astype("int64")})
    if until is not None:
        frame = frame[frame["date"] <= pd.Timestamp(until)]
    frame["settled"] = frame["invoice"].map(settled(ledger)).fillna(0).astype("int64")
    frame = conform(frame, OPEN_ITEM_COLUMNS)
    return frame[frame["open"] > 0].sort_values(["date", "invoice"]).reset_index(drop=True)


def stored_receipts(ledger, period: str | None = None) -> pd.DataFrame:
    """Approved 收款单 not yet cleared (:data:`RECEIPT_COLUMNS`), those of ``period`` (YYYY-MM) when given."""
    docs = stored_documents(ledger, "receipt")
    h = docs.header
    amount = docs.lines.groupby("doc_no")["amount"].sum() if len(docs.lines) else pd.Series(dtype="int64")
    frame = pd.DataFrame({"receipt": h["doc_no"], "source": "receipt", "date": h["date"], "org": h["org"],
                          "bank_account": h["bank_account"], "currency": h["currency"],
                          "amount": h["doc_no"].map(amount).fillna(0).astype("int64"), "customer": h["customer"],
                          "payer": h["customer_name"] if "customer_name" in h else "", "reference": h["invoice"]})
    if period is not None:
        frame = frame[frame["date"].dt.strftime("%Y-%m") == period]
    done = settled_receipts(ledger)
    frame = frame[~frame["receipt"].isin(done) & (frame["amount"] > 0)]
    return conform(frame, RECEIPT_COLUMNS).sort_values(["date", "receipt"]).reset_index(drop=True)


def settled_receipts(ledger) -> set:
    from .history import read_history
    with ledger.store.reading() as con:
        return set(read_history(con)["receipt"])


def reconcile_ar(ledger, period: str, case_dir=None, bank_receipts: pd.DataFrame | None = None
                 ) -> tuple[Matching, pd.DataFrame, pd.DataFrame]:
    """Match one period's receipts (收款单, plus ``bank_receipts`` if given) against the open invoices.

    Returns
    -------
    (Matching, receipts, open_items)
    """
    try:
        end = pd.Period(period, "M").end_time.normalize()
    except ValueError:
        raise FinshareError([Problem("bad-period", f"期间 {period!r} 应为 YYYY-MM / period {period!r} should be YYYY-MM",
                                     Source("--period", field="period"), "e.g. --period 2020-03")]) from None
    receipts = stored_receipts(ledger, period)
    if bank_receipts is not None and len(bank_receipts):
        receipts = pd.concat([receipts, conform(bank_receipts, RECEIPT_COLUMNS)], ignore_index=True)
    items = open_items(ledger, end.strftime("%Y-%m-%d"))
    customers = ledger.case.master.tables["customers"]
    rules = load_rules(case_dir)
    aliases = read_aliases(case_dir) if case_dir else None
    return match_receipts(items, receipts, customers, aliases, rules), receipts, items
