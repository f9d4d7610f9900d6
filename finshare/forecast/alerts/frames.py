"""Stored documents as one row per document with its total in integer minor units (the rules' input)."""
from __future__ import annotations

import pandas as pd

from ...core.sync import stored_documents

#: document type → the money column of its lines that makes the document's total
TOTAL = {"payment": "amount", "expense_claim": "amount", "ar_invoice": "total", "ap_invoice": "total"}
#: header columns kept when a type has them
KEEP = ["supplier", "customer", "employee", "invoice", "invoice_no", "receipt"]
COLUMNS = ["doc_type", "doc_no", "date", "org", "currency", "amount", *KEEP]


def totals(header: pd.DataFrame, lines: pd.DataFrame, doc_type: str) -> pd.DataFrame:
    """One row per document: ``doc_type, doc_no, date, org, currency, amount`` (int64 minor units) and the
    counterparty and reference columns of ``KEEP`` ("" where the type has none)."""
    amount = lines.groupby(lines["doc_no"].astype(str))[TOTAL[doc_type]].sum().astype("int64")
    out = pd.DataFrame({"doc_type": doc_type, "doc_no": header["doc_no"].astype(str).to_numpy(object),
                        "date": pd.to_datetime(header["date"]).to_numpy("datetime64[ns]"),
                        "org": header["org"].astype(str).to_numpy(object),
                        "currency": header["currency"].astype(str).to_numpy(object)})
    out["amount"] = amount.reindex(out["doc_no"]).fillna(0).to_numpy("int64")
    for col in KEEP:
        out[col] = header[col].fillna("").astype(str).to_numpy(object) if col in header else ""
    return out


def stored_totals(ledger) -> dict[str, pd.DataFrame]:
    """:func:`totals` of the approved documents the ledger's store holds, per type of ``TOTAL``."""
    out = {}
    for code in TOTAL:
        docs = stored_documents(ledger, code)
        out[code] = totals(docs.header.reset_index(drop=True), docs.lines, code)
    return out
