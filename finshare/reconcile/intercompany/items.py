"""Each intercompany document's contribution to its side's balance, and the document fields that pair it.

An *item* is one source document (``source_type``, ``source_no``) of one side: its date, its role
(``shipment``: the seller's AR invoice or the buyer's purchase receipt; ``invoice``: the buyer's AP
invoice, folded into its receipt; ``settlement``: cash received or paid; ``other``: anything else),
and what it adds to the side's intercompany balance — in the transaction currency (the group's
presentation currency, CNY in the Fujian case) and in the book's currency, receivables debit
positive, payables credit positive, so the two sides compare with ``==``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.problems import FinshareError, Problem, Source
from ...core.sync import stored_documents

#: document type → (role, the field that names the document it follows), per side
ROLES = {1: {"ar_invoice": ("shipment", "outbound"), "receipt": ("settlement", "invoice")},
         -1: {"purchase_receipt": ("shipment", ""), "ap_invoice": ("invoice", "receipt"),
              "payment": ("settlement", "invoice")}}
COLUMNS = ["source_type", "doc", "role", "ref", "date", "period", "full", "amount", "book_amount", "material", "qty"]


def items(lines: pd.DataFrame, side, currency: str, end: pd.Timestamp, ledger) -> pd.DataFrame:
    """Per document of ``side``: ``COLUMNS`` (money int64 minor units; ``full`` over every period,
    ``amount`` and ``book_amount`` up to ``end``).

    Raises
    ------
    FinshareError
        ``ic-currency`` when an intercompany document is not in ``currency``.
    """
    net = lines["debit"].to_numpy("int64") - lines["credit"].to_numpy("int64")
    orig = np.where(net >= 0, 1, -1) * lines["amount_orig"].to_numpy("int64")
    in_cur = lines["currency_orig"].astype(str).to_numpy() == currency
    roles = ROLES[side.sign]
    _check_currency(lines, in_cur, roles, side, currency)
    upto = (lines["date"] <= end).to_numpy()
    frame = pd.DataFrame({
        "source_type": lines["source_type"].astype(str).to_numpy(object),
        "doc": lines["source_no"].astype(str).to_numpy(object), "date": lines["date"].to_numpy(),
        "full": side.sign * np.where(in_cur, orig, 0), "amount": side.sign * np.where(in_cur & upto, orig, 0),
        "book_amount": side.sign * np.where(upto, net, 0)})
    out = frame.groupby(["source_type", "doc"], as_index=False, sort=True).agg(
        date=("date", "min"), full=("full", "sum"), amount=("amount", "sum"), book_amount=("book_amount", "sum"))
    out["period"] = out["date"].dt.strftime("%Y-%m")
    out["role"] = out["source_type"].map({t: r for t, (r, _) in roles.items()}).fillna("other")
    fields = _fields(ledger, roles, set(out["doc"]))
    out = out.merge(fields, on=["source_type", "doc"], how="left")
    out[["ref", "material"]] = out[["ref", "material"]].fillna("")
    out["qty"] = out["qty"].fillna(0)
    return out[COLUMNS].sort_values(["date", "doc"], kind="stable").reset_index(drop=True)


def _check_currency(lines: pd.DataFrame, in_cur: np.ndarray, roles: dict, side, currency: str) -> None:
    bad = lines["source_type"].astype(str).isin(list(roles)).to_numpy() & ~in_cur
    if bad.any():
        no = str(lines["source_no"].to_numpy()[bad][0])
        raise FinshareError([Problem("ic-currency", f"内部交易单据 {no} 的币别不是 {currency} / intercompany document "
                                     f"{no} is not in {currency}",
                                     Source(document=no, book=side.book, field="currency"),
                                     f"内部交易单据使用集团列报货币 / write intercompany documents in the group's "
                                     f"currency {currency}")])


def _fields(ledger, roles: dict, numbers: set) -> pd.DataFrame:
    """``source_type, doc, ref, material, qty`` of the stored documents among ``numbers``."""
    frames = [pd.DataFrame(columns=["source_type", "doc", "ref", "material", "qty"])]
    for doc_type, (_, ref) in roles.items():  # a handful of document types
        if doc_type not in ledger.case.doctypes:
            continue
        flat = stored_documents(ledger, doc_type).flat()
        flat = flat[flat["doc_no"].astype(str).isin(numbers).to_numpy()]
        if not len(flat):
            continue
        doc = flat["doc_no"].astype(str)
        none, zero = pd.Series("", index=flat.index, dtype=object), pd.Series(0.0, index=flat.index)
        material = flat["material"].astype(str) if "material" in flat else none
        qty = pd.to_numeric(flat["qty"], errors="coerce").fillna(0) if "qty" in flat else zero
        refs = flat[ref].astype(str).where(flat[ref].notna(), "") if ref and ref in flat else none
        f = pd.DataFrame({"doc": doc, "ref": refs, "material": material, "qty": qty})
        g = f.groupby("doc", sort=True)
        kinds = f[["doc", "material"]].drop_duplicates().sort_values(["doc", "material"])
        frames.append(pd.DataFrame({"source_type": doc_type, "ref": g["ref"].first(), "qty": g["qty"].sum(),
                                    "material": kinds.groupby("doc")["material"].agg("+".join)})
                      .rename_axis("doc").reset_index())
    return pd.concat(frames, ignore_index=True)
