"""A receivable scenario with ground truth, for testing and benchmarking the clearing rules.

``ar_scenario(seed, n_invoices)`` makes customers, open invoices and bank
receipts the way a collections desk sees them: memos naming the invoice (some
with a typo), memos naming nothing, one payment for 2–4 invoices, partial
payments, payments short by a bank fee, payers under another name (learned
aliases, new variants, English names) or the owner's personal card, and round
amounts repeated across customers so that an amount alone is ambiguous.
Deterministic per seed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import OPEN_ITEM_COLUMNS, RECEIPT_COLUMNS, conform

_CITIES = ["厦门", "深圳", "福州", "泉州", "广州", "上海", "杭州", "南京", "武汉", "成都", "重庆", "天津", "苏州", "宁波",
           "青岛", "长沙", "郑州", "西安", "合肥", "昆明"]
_TRADES = ["商贸", "餐饮管理", "零售", "电子科技", "贸易", "食品", "物流", "建材", "服装", "医药", "文化传媒", "机械"]
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚")
#: Scenario kinds of a paid invoice and their shares.
KINDS = {"reference": 0.50, "typo": 0.08, "plain": 0.16, "combined": 0.12, "partial": 0.06, "fee": 0.08}
#: Payer name kinds and their shares.
PAYERS = {"master": 0.80, "alias": 0.07, "variant": 0.05, "english": 0.04, "owner": 0.04}


def ar_scenario(seed: int = 0, n_invoices: int = 1000, n_customers: int | None = None, paid: float = 0.9,
                currency: str = "CNY"):
    """Customers, open invoices, bank receipts and the true clearings.

    Returns
    -------
    customers : DataFrame
        ``code, name_zh, name_en, owner``.
    invoices : DataFrame
        :data:`~finshare.reconcile.clearing.tables.OPEN_ITEM_COLUMNS` (nothing settled yet).
    receipts : DataFrame
        :data:`~finshare.reconcile.clearing.tables.RECEIPT_COLUMNS` (bank lines: payer and memo).
    truth : DataFrame
        ``receipt, invoice, amount, fee, kind, payer_kind, payer, customer`` — amount cleared on
        the invoice (fee included). ``truth.attrs["history"]`` holds earlier confirmed
        ``payer, customer`` pairs (aliases and owners' cards seen before) to learn aliases from.
    """
    rng = np.random.default_rng(seed)
    customers = _customers(rng, n_customers or max(5, n_invoices // 8))
    invoices = _invoices(rng, n_invoices, len(customers), customers["code"].to_numpy(object), currency)
    groups = _groups(rng, invoices, paid)
    receipts, truth = _receipts(rng, invoices, customers, groups, currency)
    return customers, invoices, receipts, truth


def _customers(rng, n: int) -> pd.DataFrame:
    code = np.array([f"K{i:06d}" for i in range(1, n + 1)], dtype=object)
    city = rng.choice(_CITIES, n)
    trade = rng.choice(_TRADES, n)
    name = pd.Series(city, dtype=object) + pd.Series(trade) + [f"有限公司{i:05d}" for i in range(1, n + 1)]
    owner = pd.Series(rng.choice(_SURNAMES, n), dtype=object) + rng.choice(_GIVEN, n) + rng.choice(_GIVEN, n)
    return pd.DataFrame({"code": code, "name_zh": name.to_numpy(object),
                         "name_en": [f"Customer {i:05d} Ltd" for i in range(1, n + 1)], "owner": owner.to_numpy(object)})


def _invoices(rng, n: int, n_cust: int, codes, currency: str) -> pd.DataFrame:
    round_ = rng.random(n) < 0.3                                          # round amounts repeat across customers
    amount = np.where(round_, rng.integers(1, 40, n) * 100_000, rng.integers(10_000, 5_000_000, n))
    date = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 300, n), "D")
    return conform(pd.DataFrame({
        "invoice": [f"YS{i:07d}" for i in range(1, n + 1)],
        "invoice_no": [f"FP{v:08d}" for v in rng.choice(90_000_000, n, replace=False) + 10_000_000],
        "customer": codes[rng.integers(0, n_cust, n)], "org": "XM", "date": date, "currency": currency,
        "amount": amount}), OPEN_ITEM_COLUMNS).sort_values(["date", "invoice"]).reset_index(drop=True)


def _groups(rng, invoices: pd.DataFrame, paid: float) -> pd.DataFrame:
    """``i, group, kind``: the paid invoices, grouped (several only for 'combined'), with their scenario kind."""
    n = len(invoices)
    pay = np.flatnonzero(rng.random(n) < paid)
    kind = rng.choice(list(KINDS), len(pay), p=list(KINDS.values()))
    g = pd.DataFrame({"i": pay, "kind": kind, "customer": invoices["customer"].to_numpy(object)[pay]})
    comb = g[g["kind"] == "combined"].copy()
    size = rng.integers(2, 5, len(comb))
    comb["slot"] = comb.groupby("customer").cumcount()
    comb["group"] = comb["customer"] + "#" + (comb["slot"] // np.maximum(size, 2)).astype(str)
    alone = comb.groupby("group")["i"].transform("size") == 1
    comb.loc[alone, "kind"] = "plain"
    g["group"] = "i" + g["i"].astype(str)
    g.loc[comb.index, "group"] = np.where(alone, g.loc[comb.index, "group"], comb["group"])
    g.loc[comb.index, "kind"] = comb["kind"]
    return g


def _receipts(rng, invoices, customers, groups, currency):
    inv_amt = invoices["amount"].to_numpy("int64")
    first = groups.drop_duplicates("group").reset_index(drop=True)
    m = len(first)
    rid = np.array([f"BK{k:07d}" for k in range(1, m + 1)], dtype=object)
    by_group = pd.Series(rid, index=first["group"])
    groups = groups.assign(receipt=groups["group"].map(by_group).to_numpy(object), amount=inv_amt[groups["i"]],
                           fee=0)
    fee_rows = groups["kind"] == "fee"
    groups.loc[fee_rows, "fee"] = rng.integers(500, 5001, int(fee_rows.sum()))
    part = groups["kind"] == "partial"
    share = rng.uniform(0.2, 0.8, int(part.sum()))
    groups.loc[part, "amount"] = np.minimum((inv_amt[groups.loc[part, "i"]] * share).astype("int64"),
                                            inv_amt[groups.loc[part, "i"]] - 10_001)
    paid = groups.groupby("receipt", sort=False).agg(amount=("amount", "sum"), fee=("fee", "sum"), i=("i", "first"),
                                                     kind=("kind", "first"), customer=("customer", "first"),
                                                     refs=("i", list))
    paid = paid.loc[rid]
    cust = customers.set_index("code")
    payer_kind = rng.choice(list(PAYERS), m, p=list(PAYERS.values()))
    payer = _payer_names(rng, payer_kind, cust.loc[paid["customer"].to_numpy()])
    kind = paid["kind"].to_numpy(object)
    names_ref = (kind == "reference") | (kind == "partial") | ((kind == "fee") & (rng.random(m) < 0.5)) \
        | ((kind == "combined") & (rng.random(m) < 0.4)) | ((payer_kind == "owner") & (kind != "typo"))
    memo = _memos(rng, invoices, paid["refs"].to_numpy(object), names_ref, kind == "typo")
    date = invoices["date"].to_numpy()[paid["i"].to_numpy()] + pd.to_timedelta(rng.integers(5, 60, m), "D").to_numpy()
    receipts = conform(pd.DataFrame({"receipt": rid, "source": "bank", "date": date, "org": "XM",
                                     "bank_account": "B001", "currency": currency,
                                     "amount": (paid["amount"] - paid["fee"]).to_numpy("int64"),
                                     "payer": payer, "memo": memo}), RECEIPT_COLUMNS)
    pk = pd.Series(payer_kind, index=rid)
    pn = pd.Series(payer, index=rid)
    truth = pd.DataFrame({"receipt": groups["receipt"].to_numpy(object),
                          "invoice": invoices["invoice"].to_numpy(object)[groups["i"]],
                          "amount": groups["amount"].to_numpy("int64"), "fee": groups["fee"].to_numpy("int64"),
                          "kind": groups["kind"].to_numpy(object)})
    truth["payer_kind"] = truth["receipt"].map(pk)
    truth["payer"] = truth["receipt"].map(pn)
    truth["customer"] = groups["customer"].to_numpy(object)
    truth = truth.sort_values(["receipt", "invoice"]).reset_index(drop=True)
    known = truth[truth["payer_kind"].isin(["alias", "owner"])].drop_duplicates("receipt")
    truth.attrs["history"] = known.iloc[: (len(known) * 3) // 4][["payer", "customer"]].reset_index(drop=True)
    return receipts, truth


def _payer_names(rng, kind, cust: pd.DataFrame) -> np.ndarray:
    name = cust["name_zh"].to_numpy(object)
    out = name.copy()
    alias = kind == "alias"
    out[alias] = [f"{n[:2]}{n[-5:]}号店" for n in name[alias]]                  # a trading name, learned before
    variant = kind == "variant"
    out[variant] = [n + "财务部" for n in name[variant]]                       # close to the master name
    eng = kind == "english"
    out[eng] = cust["name_en"].to_numpy(object)[eng]
    own = kind == "owner"
    out[own] = cust["owner"].to_numpy(object)[own]
    return out


def _memos(rng, invoices, refs, names_ref, typo) -> np.ndarray:
    doc = invoices["invoice"].to_numpy(object)
    fp = invoices["invoice_no"].to_numpy(object)
    use_fp = rng.random(len(refs)) < 0.5
    memo = np.array(["货款" if rng_ < 0.5 else "payment" for rng_ in rng.random(len(refs))], dtype=object)
    for k in np.flatnonzero(names_ref | typo):
        keys = [fp[i] if use_fp[k] else doc[i] for i in refs[k]]
        if typo[k]:
            keys = [_typo(rng, keys[0])]
        memo[k] = ("支付发票 " if use_fp[k] else "货款 ") + " ".join(keys)
    return memo


def _typo(rng, ref: str) -> str:
    pos = int(rng.integers(3, len(ref)))
    what = rng.integers(0, 3)
    digit = str((int(ref[pos]) + 1 + int(rng.integers(0, 8))) % 10)
    if what == 0:
        return ref[:pos] + digit + ref[pos + 1:]                           # one digit wrong
    if what == 1:
        return ref[:pos] + ref[pos + 1:]                                   # one digit dropped
    return ref[:pos] + digit + ref[pos:]                                   # one digit doubled in


def scorecard(clearings: pd.DataFrame, truth: pd.DataFrame) -> dict:
    """Precision and coverage of clearings against the scenario's truth.

    A clearing row is right when (receipt, invoice, amount) is a true one; a
    match group (a receipt's true rows) is covered when the receipt's
    clearings are exactly its true rows.
    """
    key = ["receipt", "invoice", "amount"]
    right = clearings[key].merge(truth[key], how="left", indicator=True)["_merge"].eq("both").to_numpy()
    auto = (clearings["status"] == "auto").to_numpy()
    got = clearings.assign(right=right)
    per = got.groupby("receipt").agg(rows=("right", "size"), right=("right", "all"), auto=("status", "first"))
    want = truth.groupby("receipt").size()
    per = per.join(want.rename("want"), how="left")
    exact = per["right"] & (per["rows"] == per["want"])
    groups = len(want)
    return {"auto_precision": float(right[auto].mean()) if auto.any() else 1.0,
            "auto_coverage": float((exact & (per["auto"] == "auto")).sum() / groups),
            "all_coverage": float(exact.sum() / groups),
            "groups": groups}
