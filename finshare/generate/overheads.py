"""Flows of a generated year besides trade: intercompany sales, expense claims, payroll, assets, opening balances."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .flows import (BANK, FACTORY, MINOR, PER_YUAN, YEAR_END, Keys, Part, _doc_frames, _invoiced_and_paid,
                    _money_docs, counts, month_dates)
from .master import PRODUCTS

#: expense items of a claim and their range in yuan
ITEMS = {"差旅费": (200, 3000), "办公费": (50, 800), "招待费": (100, 2000), "交通费": (20, 300), "维修费": (100, 1500)}
#: monthly salaries per department attribute, in yuan at scale 1
PAYROLL = {"ADM": 60_000, "MKT": 80_000, "PRD": 200_000, "RND": 90_000, "PUR": 30_000}
#: asset category → (cost range in yuan, useful life in months: CAS books, HKFRS book)
ASSETS = {"机器设备": ((50_000, 400_000), 120, 96), "电子设备": ((5_000, 30_000), 36, 36),
          "运输工具": ((120_000, 300_000), 48, 60)}


def intercompany(rng, keys: Keys, per_month: float, scale: float) -> list[Part]:
    """The Vietnam factory sells products to Xiamen in CNY at cost plus 20 %: both sides of every document."""
    dates = month_dates(rng, counts(rng, per_month, scale))
    n = len(dates)
    codes = np.array(["P002", "P003", "P004", "P005"])
    prod = codes[rng.integers(0, len(codes), n)]
    qty = rng.integers(20, 201, n)
    cost = np.array([PRODUCTS[p][2] for p in prod], dtype="int64") * 100
    price = cost * 6 // 5
    amount = qty * price
    doc, one = np.arange(n), np.ones(n, "int64")
    out_key, inv_key = keys.take(n), keys.take(n)
    out = _doc_frames("sales_outbound", out_key, dates, "VN", "CNY", {"customer": "C900", "department": "VN-MKT"}, doc,
                      {"material": prod, "qty": qty, "cost": qty * cost}, one)
    rate = np.zeros(n)
    inv = _doc_frames("ar_invoice", inv_key, dates, "VN", "CNY", {"customer": "C900", "outbound": out_key,
                                                                  "department": "VN-MKT", "invoice_no": ""}, doc,
                      {"material": prod, "qty": qty, "price": price / 100, "amount": amount, "tax_rate": rate,
                       "tax": np.zeros(n, "int64"), "total": amount}, one)
    arrive = dates + rng.integers(3, 11, n).astype("timedelta64[D]")
    inside = arrive <= YEAR_END
    frame = pd.DataFrame({"date": arrive[inside], "biz_type": "标准采购", "supplier": "S900", "department": "XM-PUR",
                          "material": prod[inside], "qty": qty[inside], "price": price[inside] / 100,
                          "amount": amount[inside]})
    rec_key = keys.take(len(frame))
    rec = _doc_frames("purchase_receipt", rec_key, frame["date"].to_numpy("datetime64[D]"), "XM", "CNY",
                      {"biz_type": "标准采购", "supplier": "S900", "department": "XM-PUR"}, np.arange(len(frame)),
                      {"material": frame["material"].to_numpy(object), "qty": frame["qty"].to_numpy(),
                       "price": frame["price"].to_numpy(), "amount": frame["amount"].to_numpy("int64")},
                      np.ones(len(frame), "int64"))
    inv_ap, pay = _invoiced_and_paid(rng, keys, rec, frame, rec_key, "XM", "CNY", 0.0)
    paid_inv = pay.header["invoice"].to_numpy()
    ap_to_ar = pd.Series(inv_key[inside], index=rec_key).reindex(
        inv_ap.header.set_index("_key")["receipt"].reindex(paid_inv).to_numpy()).to_numpy()
    got = _money_docs("receipt", keys.take(len(pay.header)), pay.header["date"].to_numpy("datetime64[D]"), "VN", "CNY",
                      {"customer": "C900", "bank_account": "B102", "invoice": ap_to_ar},
                      pay.lines["amount"].to_numpy("int64"), "内部货款 / intercompany")
    return [out, inv, rec, inv_ap, pay, got]


def expense_claims(rng, keys: Keys, employees: pd.DataFrame, factory: str, per_month: float,
                   scale: float) -> list[Part]:
    """Claims paid from the factory's bank account, one to three items each."""
    cur = FACTORY[factory][0]
    staff = employees[employees["department"].str.startswith(factory + "-")]
    dates = month_dates(rng, counts(rng, per_month, scale))
    n = len(dates)
    who = rng.integers(0, len(staff), n)
    nlines = rng.integers(1, 4, n)
    doc = np.repeat(np.arange(n), nlines)
    names = np.array(list(ITEMS))
    item = names[rng.integers(0, len(names), len(doc))]
    lo, hi = (np.array([ITEMS[i][k] for i in item]) for k in (0, 1))
    yuan = lo + (rng.random(len(doc)) * (hi - lo)).astype("int64")
    amount = yuan * PER_YUAN[cur] if cur == "VND" else yuan * 100 + rng.integers(0, 100, len(doc))
    head = {"pay_mode": "银行付款", "employee": staff["code"].to_numpy(object)[who],
            "department": staff["department"].to_numpy(object)[who], "bank_account": BANK[factory]}
    return [_doc_frames("expense_claim", keys.take(n), dates, factory, cur, head, doc,
                        {"item": item, "amount": amount}, nlines)]


def payroll(keys: Keys, departments: pd.DataFrame, factory: str, scale: float) -> list[Part]:
    """One accrual per month on its last day, a line per department."""
    cur = FACTORY[factory][0]
    depts = departments[departments["org"] == factory]["code"].to_numpy(object)
    per_month = np.array([PAYROLL[d.split("-")[1]] for d in depts], dtype="int64") * (0.3 if factory == "VN" else 1)
    last = (np.datetime64("2020-02") + np.arange(12).astype("timedelta64[M]")).astype("datetime64[D]") - 1
    doc = np.repeat(np.arange(12), len(depts))
    amount = np.rint(np.tile(per_month, 12) * scale).astype("int64") * PER_YUAN[cur]
    return [_doc_frames("payroll_accrual", keys.take(12), last, factory, cur, {}, doc,
                        {"department": np.tile(depts, 12), "amount": amount}, np.full(12, len(depts)))]


def assets(rng, keys: Keys, suppliers: pd.DataFrame, factory: str, per_month: float, scale: float) -> list[Part]:
    """Equipment bought on credit with 13 % input VAT; useful lives differ between the CAS and HKFRS books."""
    cur = FACTORY[factory][0]
    dates = month_dates(rng, counts(rng, per_month, scale))
    n = len(dates)
    cats = np.array(list(ASSETS))
    cat = cats[rng.integers(0, len(cats), n)]
    lo, hi = (np.array([ASSETS[c][0][k] for c in cat]) for k in (0, 1))
    amount = (lo + (rng.random(n) * (hi - lo)).astype("int64")) // 100 * 100 * PER_YUAN[cur]
    tax = amount * 13 // 100
    key = keys.take(n)
    pool = suppliers[(suppliers["org"] == "")]["code"].to_numpy(object)
    head = {"supplier": pool[rng.integers(0, len(pool), n)], "department": f"{factory}-PRD", "invoice_no": ""}
    return [_doc_frames("fa_acquisition", key, dates, factory, cur, head, np.arange(n), {
        "asset": [f"FA{factory}{k:06d}" for k in key], "asset_name": cat, "category": cat, "amount": amount,
        "tax_rate": 0.13, "tax": tax, "total": amount + tax, "life_cas": [ASSETS[c][1] for c in cat],
        "life_hkfrs": [ASSETS[c][2] for c in cat], "salvage_rate": 0.05}, np.ones(n, "int64"))]


#: the building each factory stands in on 1 January: cost in yuan at scale 1, in service since, life in months
BUILDING = {"cost": 8_000_000, "in_service": "2014-12-20", "life": 240, "salvage_rate": 0.05, "months_used": 60}


def building(factory: str, scale: float) -> dict:
    """The factory's building as a fixed-asset card (固定资产卡片), cost and accumulated depreciation in minor units.

    Its useful life is the same under every policy, so the opening accumulated depreciation (60 months of
    straight-line charges since December 2014) is one figure for all four books.
    """
    cur = FACTORY[factory][0]
    share = 0.4 if factory == "VN" else 1.0
    cost = int(np.rint(BUILDING["cost"] * share * scale)) * PER_YUAN[cur]
    depreciable = cost - (2 * cost * 500 + 10_000) // 20_000                   # 5 % residual, half-up
    used = (2 * depreciable * BUILDING["months_used"] + BUILDING["life"]) // (2 * BUILDING["life"])
    place = {"XM": ("厦门", "Xiamen"), "SZ": ("深圳", "Shenzhen"), "VN": ("越南", "Vietnam")}[factory]
    card = {"code": f"FA{factory}-B01", "name_zh": f"{place[0]}工厂厂房", "name_en": f"{place[1]} factory building",
            "org": factory, "department": f"{factory}-ADM", "category": "房屋及建筑物", "currency": cur,
            "in_service": BUILDING["in_service"], "cost": f"{cost / MINOR[cur]:.{2 if MINOR[cur] > 1 else 0}f}",
            "salvage_rate": BUILDING["salvage_rate"], "life_cas": BUILDING["life"], "life_hkfrs": BUILDING["life"]}
    return {"card": card, "cost": cost, "accumulated": used}


def fixed_asset_cards(scale: float) -> pd.DataFrame:
    """The ``fixed_assets`` master-data table: the buildings in service before the year."""
    return pd.DataFrame([building(f, scale)["card"] for f in FACTORY])


def opening(keys: Keys, factory: str, scale: float) -> list[Part]:
    """Balances on 1 January: cash, stock, the building and its depreciation so far, and the capital."""
    cur = FACTORY[factory][0]
    share = 0.4 if factory == "VN" else 1.0
    rows = [("1002", 6_000_000, BANK[factory]), ("1403", 800_000, ""), ("1405", 2_500_000, "")]
    amounts = np.array([r[1] for r in rows], dtype="int64")
    b = building(factory, scale)
    minor = np.r_[np.rint(amounts * share * scale).astype("int64") * PER_YUAN[cur], b["cost"], -b["accumulated"]]
    rows += [("1601", 0, ""), ("1602", 0, "")]
    capital = int(minor.sum())
    debit = np.r_[np.maximum(minor, 0), 0]
    credit = np.r_[np.maximum(-minor, 0), capital]
    n = len(rows) + 1
    return [_doc_frames("opening_balance", keys.take(1), np.array([np.datetime64("2020-01-01")]), factory, cur, {},
                        np.zeros(n, "int64"), {"account": [r[0] for r in rows] + ["4001"], "debit": debit,
                                               "credit": credit, "bank_account": [r[2] for r in rows] + [""]},
                        np.array([n]))]


__all__ = ["intercompany", "expense_claims", "payroll", "assets", "opening", "building", "fixed_asset_cards", "MINOR"]
