"""Intercompany goods still inside the group at period end, and the seller's margin on them (from the documents).

For a seller book and a buyer unit, per product (material):

- the seller's IC sales are its ``sales_outbound`` (quantity, cost) and ``ar_invoice`` (quantity,
  amount) documents whose vouchers carry the buyer as partner; the unit margin is invoice amount per
  unit less outbound cost per unit;
- the buyer's IC purchases are its ``purchase_receipt`` documents whose vouchers carry the seller's unit
  as partner;
- **goods in transit** (在途) = shipped by the seller, not yet received by the buyer (quantity and the
  invoiced amount not yet received);
- **goods held** by the buyer that came from the seller = min(the buyer's closing stock of the product,
  its IC quantity received). Stock is the buyer's receipts less its outbound quantities up to the period
  end; the case gives opening stock in value only (1405), so opening quantities count as zero. This is the
  standard prudent assumption that goods bought in the group are the last to leave the buyer's stock; it
  fits the case's cost flow, where the buyer issues goods at standard cost, so its 1405 keeps the IC
  purchases at the IC price.

Unrealised profit per product = (held + in transit) × unit margin, rounded half away from zero.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.problems import FinshareError, Problem, Source

RECEIPT, OUTBOUND, INVOICE = "purchase_receipt", "sales_outbound", "ar_invoice"
COLUMNS = ["material", "shipped", "received", "stock", "held", "transit", "margin_num", "margin_den",
           "transit_amount", "unrealised_held", "unrealised_transit"]


def ic_goods(case, seller: str, seller_units, buyer: str, buyer_unit: str, end: pd.Timestamp,
             currency: str) -> pd.DataFrame:
    """Per product: IC quantities, stock, unrealised profit (minor units of ``currency``); see the module text.

    Parameters
    ----------
    case : finshare.Case
        With its documents (the approved ones, which the ledger has posted): a document is the seller's or
        the buyer's by its business unit, intercompany by its customer's or supplier's group organisation
        (master data ``org``, the partner its vouchers carry).
    seller, buyer : str
        Book codes; ``seller_units`` the seller's business units, ``buyer_unit`` the buyer's unit.
    end : pandas.Timestamp
        The period's last day.
    """
    def numbers(book, doc_type, partner=None, org=None):
        return _numbers(case, doc_type, case.books[book].units, partner, org)

    out = _flat(case, OUTBOUND, numbers(seller, OUTBOUND, [buyer_unit]), end, currency)
    inv = _flat(case, INVOICE, numbers(seller, INVOICE, [buyer_unit]), end, currency)
    rec_ic = _flat(case, RECEIPT, numbers(buyer, RECEIPT, list(seller_units), buyer_unit), end, currency)
    rec_all = _flat(case, RECEIPT, numbers(buyer, RECEIPT, org=buyer_unit), end, None)
    out_all = _flat(case, OUTBOUND, numbers(buyer, OUTBOUND, org=buyer_unit), end, None)
    t = pd.DataFrame({
        "shipped": out.groupby("material")["qty"].sum(), "cost": out.groupby("material")["cost"].sum(),
        "invoiced": inv.groupby("material")["qty"].sum(), "amount": inv.groupby("material")["amount"].sum(),
        "received": rec_ic.groupby("material")["qty"].sum(), "paid_in": rec_ic.groupby("material")["amount"].sum(),
        "stock": rec_all.groupby("material")["qty"].sum().sub(out_all.groupby("material")["qty"].sum(), fill_value=0),
    }).reindex(out["material"].unique()).fillna(0)
    return _unrealised(t.rename_axis("material").reset_index())


#: document type → (counterparty field, master-data table whose ``org`` is the group partner)
COUNTERPARTY = {OUTBOUND: ("customer", "customers"), INVOICE: ("customer", "customers"),
                RECEIPT: ("supplier", "suppliers")}


def _numbers(case, doc_type: str, units, partner=None, org=None) -> set:
    """Numbers of ``doc_type`` documents of ``units`` (and of ``org``), whose counterparty belongs to ``partner``."""
    docs = case.documents.get(doc_type)
    if docs is None or not len(docs):
        return set()
    h = docs.header
    m = h["org"].astype(str).isin(list(units)).to_numpy().copy()
    if partner is not None:
        field, table = COUNTERPARTY[doc_type]
        group_org = h[field].astype(str).map(case.master[table]["org"].astype(object)).fillna("")
        m &= group_org.isin(list(partner)).to_numpy()
    if org is not None:
        m &= (h["org"].astype(str) == org).to_numpy()
    return set(h.index[m].astype(str))


def _unrealised(t: pd.DataFrame) -> pd.DataFrame:
    q = {c: np.rint(t[c].to_numpy(float)).astype("int64") for c in ("shipped", "invoiced", "received", "stock")}
    held = np.clip(np.minimum(q["stock"], q["received"]), 0, None)
    transit = np.clip(q["shipped"] - q["received"], 0, None)
    amount, cost = t["amount"].to_numpy("int64"), t["cost"].to_numpy("int64")
    # unit margin = amount / invoiced − cost / shipped = (amount·shipped − cost·invoiced) / (invoiced·shipped)
    num = amount.astype(object) * q["shipped"].astype(object) - cost.astype(object) * q["invoiced"].astype(object)
    den = np.maximum(q["invoiced"] * q["shipped"], 1).astype(object)
    return pd.DataFrame({
        "material": t["material"].astype(str).to_numpy(object), "shipped": q["shipped"], "received": q["received"],
        "stock": q["stock"], "held": held, "transit": transit, "margin_num": num, "margin_den": den,
        "transit_amount": np.clip(amount - t["paid_in"].to_numpy("int64"), 0, None),
        "unrealised_held": _half_up(held.astype(object) * num, den),
        "unrealised_transit": _half_up(transit.astype(object) * num, den),
    })[COLUMNS]


def _half_up(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Exact ``round(num / den)`` half away from zero, on Python integers (no int64 overflow)."""
    a = np.abs(num)
    q = (2 * a + den) // (2 * den)
    return np.where(num < 0, -q, q).astype("int64")


def _flat(case, doc_type: str, numbers: set, end: pd.Timestamp, currency: str | None) -> pd.DataFrame:
    """Posted document lines of ``doc_type`` among ``numbers`` dated up to ``end``."""
    docs = case.documents.get(doc_type)
    if docs is None:
        if not numbers:
            return pd.DataFrame({"material": pd.Series(dtype=object), "qty": [], "cost": [], "amount": []})
        raise FinshareError([Problem("missing-documents", f"合并需要 {doc_type} 单据 / consolidation needs the "
                                     f"{doc_type} documents", Source(str(case.path / "documents"), field=doc_type),
                                     "load the case with its documents: finshare.load_case(folder)")])
    flat = docs.flat()
    flat = flat[flat["doc_no"].astype(str).isin(numbers) & (flat["date"] <= end)]
    if currency is not None and len(flat) and (flat["currency"].astype(str) != currency).any():
        no = flat.loc[flat["currency"].astype(str) != currency, "doc_no"].iloc[0]
        raise FinshareError([Problem("ic-currency", f"内部交易单据 {no} 的币别不是列报货币 {currency} / intercompany "
                                     f"document {no} is not in the presentation currency {currency}",
                                     Source(str(case.path / "documents"), document=str(no), field="currency"),
                                     "write intercompany documents in the presentation currency")])
    return flat.assign(material=flat["material"].astype(str))
