"""The business of a generated year as document flows, drawn with numpy for all months at once.

Each flow returns :class:`Part` objects: header and line frames of one
document type with an integer ``_key`` per document; a reference to another
document (an invoice's outbound, a payment's invoice) holds that document's
key until :mod:`finshare.generate.year` numbers the documents. Money is in
minor units of the document's currency (CNY fen, whole VND).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .master import BEHAVIOUR, PRODUCTS, RAW

YEAR_START, YEAR_END = np.datetime64("2020-01-01"), np.datetime64("2020-12-31")
#: share of a month's business: the Spring Festival dip, the year-end peak
SEASON = np.array([0.6, 0.7, 1.0, 1.0, 1.0, 1.05, 1.0, 1.0, 1.1, 1.15, 1.2, 1.3])
#: factory → (currency, VAT rate on its domestic sales)
FACTORY = {"XM": ("CNY", 0.13), "SZ": ("CNY", 0.13), "VN": ("VND", 0.10)}
#: minor units of a currency per yuan of value (prices are set in CNY; VND at about 3,300 per yuan)
PER_YUAN = {"CNY": 100, "VND": 3300}
#: minor units per major unit
MINOR = {"CNY": 100, "VND": 1}
BANK = {"XM": "B001", "SZ": "B002", "VN": "B101"}


@dataclass
class Part:
    """Documents of one type from one flow."""

    doc_type: str
    header: pd.DataFrame
    lines: pd.DataFrame


class Keys:
    """Unique document keys across all flows, in the order they are drawn."""

    def __init__(self):
        self.next = 0

    def take(self, n: int) -> np.ndarray:
        out = np.arange(self.next, self.next + n, dtype="int64")
        self.next += n
        return out


def month_dates(rng: np.random.Generator, counts: np.ndarray) -> np.ndarray:
    """A uniform day in month ``m`` for each of ``counts[m]`` documents (months 0–11)."""
    months = np.repeat(np.arange(12), counts)
    first = np.datetime64("2020-01") + months.astype("timedelta64[M]")
    days = (first + np.timedelta64(1, "M")).astype("datetime64[D]") - first.astype("datetime64[D]")
    return first.astype("datetime64[D]") + (rng.random(len(months)) * days.astype("int64")).astype("timedelta64[D]")


def counts(rng: np.random.Generator, per_month: float, scale: float) -> np.ndarray:
    """Documents per month: Poisson around ``per_month`` × season × scale."""
    return rng.poisson(per_month * SEASON * scale)


def _tax(amount: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """VAT in minor units, half away from zero, exact for rates given in whole per mille."""
    permille = np.rint(rate * 1000).astype("int64")
    num = amount * permille
    return np.sign(num) * ((np.abs(num) + 500) // 1000)


def sales(rng, keys: Keys, customers: pd.DataFrame, behaviour: pd.Series, factory: str, per_month: float,
          scale: float) -> list[Part]:
    """Order to cash at one factory: outbound, AR invoice, receipt; a few sales come back (红字)."""
    cur, vat = FACTORY[factory]
    pool = customers[(customers["currency"] == cur) & (customers["org"] == "")]["code"].to_numpy(object)
    n_cnt = counts(rng, per_month, scale)
    dates = month_dates(rng, n_cnt)
    n = len(dates)
    cust = pool[rng.integers(0, len(pool), n)]
    out_key, inv_key = keys.take(n), keys.take(n)
    nlines = 1 + (rng.random(n) < 0.35)
    doc = np.repeat(np.arange(n), nlines)
    codes = np.array(list(PRODUCTS))
    prod = codes[rng.integers(0, len(codes), len(doc))]
    qty = np.where(prod == "P006", rng.integers(1, 4, len(doc)), rng.integers(1, 41, len(doc)))
    cost_unit = np.array([PRODUCTS[p][2] for p in prod]) * PER_YUAN[cur]
    price_unit = (np.rint(np.array([PRODUCTS[p][3] for p in prod]) * (1 + rng.uniform(-0.05, 0.05, len(doc))))
                  * PER_YUAN[cur]).astype("int64")
    amount = qty * price_unit
    rate = np.full(len(doc), vat)
    tax = _tax(amount, rate)
    inv_date = dates + rng.integers(0, 4, n).astype("timedelta64[D]")
    dept = f"{factory}-MKT"
    out = _doc_frames("sales_outbound", out_key, dates, factory, cur, {"customer": cust, "department": dept},
                      doc, {"material": prod, "qty": qty, "cost": (qty * cost_unit).astype("int64")}, nlines)
    inv = _doc_frames("ar_invoice", inv_key, inv_date, factory, cur,
                      {"customer": cust, "outbound": out_key, "department": dept, "invoice_no": ""}, doc,
                      {"material": prod, "qty": qty, "price": price_unit / MINOR[cur], "amount": amount, "tax_rate": rate, "tax": tax, "total": amount + tax}, nlines)
    total = np.bincount(doc, weights=amount + tax, minlength=n).astype("int64")
    back = rng.random(n) < 0.015
    parts = [out, inv, *_returns(rng, keys, out, inv, back)]
    lo = np.array([BEHAVIOUR[behaviour[c]][1] for c in cust])
    hi = np.array([BEHAVIOUR[behaviour[c]][2] for c in cust])
    paid = inv_date + (30 + lo + (rng.random(n) * (hi - lo + 1)).astype("int64")).astype("timedelta64[D]")
    keep = ~back & (paid <= YEAR_END)
    parts.append(_money_docs("receipt", keys.take(int(keep.sum())), paid[keep], factory, cur,
                             {"customer": cust[keep], "bank_account": BANK[factory], "invoice": inv_key[keep]},
                             total[keep], "货款"))
    return parts


def _returns(rng, keys: Keys, out: Part, inv: Part, back: np.ndarray) -> list[Part]:
    """Sales returned in full a week later (within the year): outbound and invoice again, negative (红字)."""
    back = back & (inv.header["date"].to_numpy("datetime64[D]") + np.timedelta64(7, "D") <= YEAR_END)
    if not back.any():
        return []
    renamed: dict[str, pd.Series] = {}
    parts = []
    for part in (out, inv):
        head = part.header[back].copy()
        new = pd.Series(keys.take(len(head)), index=head["_key"].to_numpy())
        renamed[part.doc_type] = new
        head["_key"], head["date"] = new.to_numpy(), head["date"] + np.timedelta64(7, "D")
        head["remark"] = "销售退回 / sales return"
        if "outbound" in head:
            head["outbound"] = renamed["sales_outbound"].reindex(head["outbound"].to_numpy()).to_numpy()
        lines = part.lines[part.lines["_key"].isin(new.index)].copy()
        lines["_key"] = new.reindex(lines["_key"].to_numpy()).to_numpy()
        for c in ("qty", "cost", "amount", "tax", "total"):
            if c in lines:
                lines[c] = -lines[c]
        parts.append(Part(part.doc_type, head.reset_index(drop=True), lines.reset_index(drop=True)))
    return parts


def purchases(rng, keys: Keys, suppliers: pd.DataFrame, factory: str, sold: pd.DataFrame, per_month: float,
              scale: float) -> list[Part]:
    """Procure to pay at one factory: receipts (products to replenish what sold, raw materials, expenses),
    AP invoices naming them, payments."""
    cur = FACTORY[factory][0]
    external = suppliers[(suppliers["org"] == "") & ~suppliers["code"].isin(["S002", "S003"])]["code"].to_numpy(object)
    recs = [_replenish(rng, sold, external, cur), _raw(rng, per_month, scale, external, cur),
            _expense(rng, per_month / 4, scale, factory, cur)]
    frame = pd.concat([r for r in recs if len(r)], ignore_index=True)
    n = len(frame)
    key = keys.take(n)
    head = {"biz_type": frame["biz_type"].to_numpy(object), "supplier": frame["supplier"].to_numpy(object),
            "department": frame["department"].to_numpy(object)}
    doc = np.arange(n)
    amount = frame["amount"].to_numpy("int64")
    rec = _doc_frames("purchase_receipt", key, frame["date"].to_numpy("datetime64[D]"), factory, cur, head, doc,
                      {"material": frame["material"].to_numpy(object), "qty": frame["qty"].to_numpy(),
                       "price": frame["price"].to_numpy(), "amount": amount}, np.ones(n, "int64"))
    return [rec, *_invoiced_and_paid(rng, keys, rec, frame, key, factory, cur, 0.13)]


def _invoiced_and_paid(rng, keys: Keys, rec: Part, frame: pd.DataFrame, key: np.ndarray, factory: str, cur: str,
                       vat: float, bank: str | None = None) -> list[Part]:
    """AP invoices a few weeks after the receipts (some not by year end: 暂估), payments later still."""
    n = len(frame)
    inv_date = frame["date"].to_numpy("datetime64[D]") + rng.integers(0, 26, n).astype("timedelta64[D]")
    has = inv_date <= YEAR_END
    amount = frame["amount"].to_numpy("int64")[has]
    rate = np.full(int(has.sum()), vat)
    tax = _tax(amount, rate)
    inv_key = keys.take(int(has.sum()))
    sup = frame["supplier"].to_numpy(object)[has]
    inv = _doc_frames("ap_invoice", inv_key, inv_date[has], factory, cur,
                      {"supplier": sup, "receipt": key[has], "invoice_no": ""}, np.arange(len(inv_key)),
                      {"material": frame["material"].to_numpy(object)[has], "qty": frame["qty"].to_numpy()[has],
                       "amount": amount, "tax_rate": rate, "tax": tax, "total": amount + tax}, np.ones(len(inv_key), "int64"))
    pay_date = inv_date[has] + rng.integers(20, 61, len(inv_key)).astype("timedelta64[D]")
    paid = pay_date <= YEAR_END
    pay = _money_docs("payment", keys.take(int(paid.sum())), pay_date[paid], factory, cur,
                      {"supplier": sup[paid], "bank_account": bank or BANK[factory], "invoice": inv_key[paid]},
                      (amount + tax)[paid], "货款")
    return [inv, pay]


def _replenish(rng, sold: pd.DataFrame, suppliers: np.ndarray, cur: str) -> pd.DataFrame:
    """One receipt per product and month, on the 1st, of what that month sells (rounded up to tens)."""
    if sold.empty:
        return sold
    qty = (np.ceil(sold["qty"].to_numpy() / 10) * 10).astype("int64")
    price = np.array([PRODUCTS[p][2] for p in sold["material"]]) * PER_YUAN[cur]
    return pd.DataFrame({"date": sold["month"].to_numpy("datetime64[D]"), "biz_type": "标准采购",
                         "supplier": suppliers[rng.integers(0, len(suppliers), len(sold))],
                         "department": sold["factory"].to_numpy(object) + "-PUR", "material": sold["material"],
                         "qty": qty, "price": price / MINOR[cur], "amount": qty * price})


def _raw(rng, per_month: float, scale: float, suppliers: np.ndarray, cur: str) -> pd.DataFrame:
    dates = month_dates(rng, counts(rng, per_month, scale))
    n = len(dates)
    codes = np.array(list(RAW))
    mat = codes[rng.integers(0, len(codes), n)]
    qty = rng.integers(10, 501, n)
    price = np.array([RAW[m][2] for m in mat], dtype="int64") * PER_YUAN[cur]
    return pd.DataFrame({"date": dates, "biz_type": "标准采购", "supplier": suppliers[rng.integers(0, len(suppliers), n)],
                         "department": "", "material": mat, "qty": qty, "price": price / MINOR[cur],
                         "amount": qty * price})


def _expense(rng, per_month: float, scale: float, factory: str, cur: str) -> pd.DataFrame:
    """Office supplies for administration (S002, M002), promotional material for marketing (S003, M003)."""
    dates = month_dates(rng, counts(rng, per_month, scale))
    n = len(dates)
    mkt = rng.random(n) < 0.5
    qty = rng.integers(10, 301, n)
    price = np.where(mkt, 5, 10) * PER_YUAN[cur]
    return pd.DataFrame({"date": dates, "biz_type": "费用采购", "supplier": np.where(mkt, "S003", "S002"),
                         "department": np.where(mkt, f"{factory}-MKT", f"{factory}-ADM"),
                         "material": np.where(mkt, "M003", "M002"), "qty": qty, "price": price / MINOR[cur],
                         "amount": qty * price})


def _doc_frames(doc_type: str, key: np.ndarray, dates: np.ndarray, org: str, cur: str, head: dict, doc: np.ndarray,
                lines: dict, nlines: np.ndarray) -> Part:
    """Header and line frames; ``doc`` gives each line's document position."""
    header = pd.DataFrame({"_key": key, "date": dates, "org": org, **head, "currency": cur, "remark": ""})
    line_no = np.arange(len(doc)) - np.repeat(np.cumsum(nlines) - nlines, nlines) + 1
    return Part(doc_type, header, pd.DataFrame({"_key": key[doc], "line_no": line_no, **lines}))


def _money_docs(doc_type: str, key: np.ndarray, dates: np.ndarray, org: str, cur: str, head: dict,
                amount: np.ndarray, purpose: str) -> Part:
    """Receipts and payments: one line with the amount."""
    n = len(key)
    return _doc_frames(doc_type, key, dates, org, cur, head, np.arange(n),
                       {"amount": np.asarray(amount, dtype="int64"), "purpose": purpose}, np.ones(n, "int64"))


def monthly_sold(parts: list[Part], factory: str) -> pd.DataFrame:
    """Quantity of each product an outbound flow sold per month: ``factory, month, material, qty``."""
    out = next(p for p in parts if p.doc_type == "sales_outbound")
    month = out.header.set_index("_key")["date"].reindex(out.lines["_key"].to_numpy()).to_numpy("datetime64[M]")
    frame = pd.DataFrame({"month": month, "material": out.lines["material"].to_numpy(object),
                          "qty": out.lines["qty"].to_numpy()})
    frame = frame[frame["qty"] > 0].groupby(["month", "material"], as_index=False)["qty"].sum()
    frame["factory"] = factory
    return frame
