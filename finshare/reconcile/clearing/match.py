"""Receipts against open AR invoices, rule by rule, without comparing every receipt with every invoice.

Each rule proposes claims (receipt, invoice, amount); :func:`_accept` takes a
receipt's claims all or none, earliest receipt first, never beyond an
invoice's open amount, and marks the receipt done. A receipt is matched by
at most one rule, so nothing is matched twice.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.money import exponents, format_amounts
from . import refs as R
from .aliases import resolve_payers
from .rules import Rules
from .subsets import combination_hits, too_many
from .tables import CLEARING_COLUMNS, OPEN_ITEM_COLUMNS, RECEIPT_COLUMNS, UNMATCHED_COLUMNS, conform, empty

_CLAIM = ["r", "i", "amount", "fee", "advance", "rule", "agreed", "score", "status"]


@dataclass
class Matching:
    """The result of :func:`match_receipts`: ``clearings`` (auto and proposed) and ``unmatched`` (with why)."""

    clearings: pd.DataFrame
    unmatched: pd.DataFrame

    def summary(self) -> dict:
        """Receipts per status and per rule."""
        c = self.clearings
        return {"auto": int(c.loc[c["status"] == "auto", "receipt"].nunique()),
                "proposed": int(c.loc[c["status"] == "proposed", "receipt"].nunique()),
                "unmatched": len(self.unmatched),
                "rules": c.drop_duplicates("receipt")["rule"].value_counts().sort_index().to_dict()}


class _State:
    """Receipts and open items by position, what is left open, which receipts are done, and notes."""

    def __init__(self, receipts, open_items, payers, rules: Rules):
        self.rec, self.inv, self.rules = receipts, open_items, rules
        self.cust = payers["customer"].fillna("").to_numpy(object)
        self.name_ok = (payers["how"] != "fuzzy").to_numpy() | (payers["score"] >= rules.name_auto).to_numpy()
        self.amount = receipts["amount"].to_numpy("int64")
        self.rec_cur = receipts["currency"].to_numpy(object)
        self.rec_date = receipts["date"].to_numpy()
        self.inv_cust = open_items["customer"].to_numpy(object)
        self.inv_cur = open_items["currency"].to_numpy(object)
        self.inv_date = open_items["date"].to_numpy()
        self.left = open_items["open"].to_numpy("int64").copy()
        self.done = np.zeros(len(receipts), bool)
        self.claims: list[pd.DataFrame] = []
        self.proposals: list[pd.DataFrame] = []
        self.notes = pd.Series("", index=range(len(receipts)), dtype=object)

    def claim(self, c: pd.DataFrame) -> None:
        """Accept automatic claims now; keep proposals until every rule has had its automatic turn."""
        auto = (c["status"] == "auto").to_numpy().copy()
        prop = np.unique(c["r"].to_numpy()[~auto])
        auto &= ~np.isin(c["r"].to_numpy(), prop)
        if auto.any():
            self.claims.append(_accept(self, c[auto]))
        if len(prop):
            self.proposals.append(c[~auto])

    def propose(self) -> None:
        """The proposals, in rule order, for receipts and invoice amounts automatic matches left."""
        for c in self.proposals:
            self.claims.append(_accept(self, c))


def match_receipts(open_items: pd.DataFrame, receipts: pd.DataFrame, customers: pd.DataFrame,
                   aliases: pd.DataFrame | None = None, rules: Rules | None = None,
                   timings: dict | None = None) -> Matching:
    """Match receipts to open invoices by the configured rules.

    Parameters
    ----------
    open_items : DataFrame
        :data:`~finshare.reconcile.clearing.tables.OPEN_ITEM_COLUMNS`.
    receipts : DataFrame
        :data:`~finshare.reconcile.clearing.tables.RECEIPT_COLUMNS`.
    customers : DataFrame
        Customer master: ``code, name_zh, name_en``.
    aliases : DataFrame, optional
        ``payer, customer`` (see :func:`~finshare.reconcile.clearing.aliases.learn_aliases`).
    rules : Rules, optional
        Default: :func:`~finshare.reconcile.clearing.rules.load_rules`.
    timings : dict, optional
        Filled with seconds per stage (for the benchmark).

    Returns
    -------
    Matching
        ``clearings`` (:data:`CLEARING_COLUMNS`) and ``unmatched`` (:data:`UNMATCHED_COLUMNS`).
    """
    from .rules import load_rules
    rules = rules or load_rules()
    clock = _Clock(timings)
    inv = conform(open_items, OPEN_ITEM_COLUMNS)
    rec = conform(receipts, RECEIPT_COLUMNS)
    payers = resolve_payers(rec, customers, aliases, rules.name_block_chars, rules.name_propose)
    st = _State(rec, inv, payers, rules)
    clock("payers")
    toks, keys = R.tokens(rec, rules.reference_pattern), R.invoice_keys(inv)
    exact = R.exact_pairs(toks, keys)
    clock("references")
    steps = {"reference": lambda: _by_reference(st, exact, "reference", 100),
             "reference_fuzzy": lambda: _by_fuzzy_reference(st, toks, keys, exact),
             "customer_amount": lambda: _by_customer_amount(st), "subset_sum": lambda: _by_subset_sum(st),
             "customer_tolerance": lambda: _by_tolerance(st)}
    for rule in rules.order:
        steps[rule]()
        clock(rule)
    st.propose()
    clock("proposals")
    out = Matching(_clearings(st), _unmatched(st))
    clock("tables")
    return out


class _Clock:
    """Seconds per stage into ``timings`` (nothing when it is None)."""

    def __init__(self, timings):
        self.timings, self.last = timings, time.perf_counter()

    def __call__(self, stage: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[stage] = now - self.last
            self.last = now


# ------------------------------------------------------------------ accepting claims
def _accept(st: _State, c: pd.DataFrame) -> pd.DataFrame:
    """Claims of receipts not yet done, all or none per receipt, earliest receipt first, within what is open."""
    c = c[~st.done[c["r"].to_numpy()]]
    date = st.rec_date[c["r"].to_numpy()]
    c = c.assign(_d=date).sort_values(["i", "_d", "r"], kind="stable")
    cum = c.groupby("i")["amount"].cumsum().to_numpy()
    over = cum > st.left[c["i"].to_numpy()]
    refused = np.unique(c["r"].to_numpy()[over])
    c = c[~np.isin(c["r"].to_numpy(), refused)].drop(columns="_d")
    st.notes.iloc[refused] = "与更早的收款争用同一发票 / competes with an earlier receipt for the same invoice"
    np.subtract.at(st.left, c["i"].to_numpy(), c["amount"].to_numpy("int64"))
    st.done[c["r"].to_numpy()] = True
    return c


def _claims(r, i, amount, rule, agreed, score, status, fee=0, advance=0) -> pd.DataFrame:
    n = len(r)
    b = lambda v, dt: np.broadcast_to(np.asarray(v, dtype=dt), n).copy()     # noqa: E731
    return pd.DataFrame({"r": b(r, "int64"), "i": b(i, "int64"), "amount": b(amount, "int64"),
                         "fee": b(fee, "int64"), "advance": b(advance, "int64"), "rule": b(rule, object),
                         "agreed": b(agreed, object), "score": b(score, "int64"), "status": b(status, object)})


# ------------------------------------------------------------------ rules
def _by_reference(st: _State, pairs: pd.DataFrame, rule: str, score: int) -> None:
    """Receipts naming invoices: in full, in full less a bank fee, in part, or more (to 预收账款)."""
    p = pairs[~st.done[pairs["r"].to_numpy()]]
    r, i = p["r"].to_numpy(), p["i"].to_numpy()
    same_cur = (st.rec["currency"].to_numpy()[r] == st.inv["currency"].to_numpy()[i])
    cleared = st.left[i] == 0
    gone = np.unique(r[cleared & same_cur])
    st.notes.iloc[gone] = "摘要所引发票已核销 / the invoice the memo names is already cleared"
    p = p[same_cur & ~cleared]
    if p.empty:
        return
    r, i = p["r"].to_numpy(), p["i"].to_numpy()
    rc, ic = st.cust[r], st.inv_cust[i]
    other = (rc != "") & (rc != ic)                     # another customer's invoice: a typo, or a third party paying
    st.notes.iloc[np.unique(r[other])] = "摘要所引发票属于另一客户 / the memo names another customer's invoice"
    p = p[~other]
    r, i, rc, ic = r[~other], i[~other], rc[~other], ic[~other]
    if p.empty:
        return
    left, amt = st.left[i], st.amount[r]
    n = p.groupby("r")["i"].transform("size").to_numpy()
    tot = pd.Series(left).groupby(r).transform("sum").to_numpy()
    agrees = (rc == ic)
    agreed = np.where(agrees, "reference,customer", "reference")
    fee_lim = st.rules.fee_limit(left, st.rec_cur[r])
    short = tot - amt
    status = np.where(agrees | ((short >= 0) & (short <= fee_lim)), "auto", "proposed")   # else customer or amount
    full = short == 0
    fee = (n == 1) & (short > 0) & (short <= fee_lim)
    part = (n == 1) & (short > fee_lim)
    over = (n == 1) & (short < 0)
    many_off = (n > 1) & ~full
    st.notes.iloc[np.unique(r[many_off])] = "摘要所引多张发票合计与金额不符 / the invoices the memo names do not sum to the amount"
    parts = [
        _claims(r[full], i[full], left[full], rule, agreed[full] + ",amount", score, status[full]),
        _claims(r[fee], i[fee], left[fee], rule + "+fee", agreed[fee] + ",amount~fee", score - 5, status[fee],
                fee=short[fee]),
        _claims(r[part], i[part], amt[part], rule + "+partial", agreed[part], score - 10, status[part]),
        _claims(r[over], i[over], left[over], rule + "+advance", agreed[over], score - 10, status[over],
                advance=-short[over]),
    ]
    st.claim(pd.concat(parts, ignore_index=True))


def _by_fuzzy_reference(st: _State, toks, keys, exact) -> None:
    """References one edit from an invoice's key, compared only within the customer's block (or, for an unknown
    payer, the block of open invoices of exactly the amount, when it is small)."""
    todo = np.flatnonzero(~st.done)
    if not len(todo):
        return
    open_ = np.flatnonzero(st.left > 0)
    inv = pd.DataFrame({"i": open_, "customer": st.inv_cust[open_],
                        "left": st.left[open_], "currency": st.inv_cur[open_]})
    rec = pd.DataFrame({"r": todo, "customer": st.cust[todo], "amount": st.amount[todo],
                        "currency": st.rec_cur[todo]})
    rec = rec[rec["r"].isin(toks["r"])]
    by_amount = rec[rec["customer"] == ""].merge(inv, left_on=["amount", "currency"], right_on=["left", "currency"])
    by_amount = by_amount[by_amount.groupby("r")["i"].transform("size") <= st.rules.fuzzy_block_max]
    blocks = pd.concat([rec[rec["customer"] != ""].merge(inv, on=["customer", "currency"])[["r", "i"]],
                        by_amount[["r", "i"]]], ignore_index=True).drop_duplicates()
    fuzzy = R.fuzzy_pairs(toks, keys, blocks, st.rules.fuzzy_min_length, st.rules.fuzzy_max_edits)
    pairs = pd.concat([exact[exact["r"].isin(fuzzy["r"])], fuzzy], ignore_index=True).drop_duplicates(["r", "i"])
    _by_reference(st, pairs, "reference_fuzzy", 90)


def _todo_with_customer(st: _State) -> pd.DataFrame:
    todo = np.flatnonzero(~st.done & (st.cust != ""))
    return pd.DataFrame({"r": todo, "customer": st.cust[todo], "amount": st.amount[todo],
                         "currency": st.rec_cur[todo], "name_ok": st.name_ok[todo]})


def _open_frame(st: _State) -> pd.DataFrame:
    o = np.flatnonzero(st.left > 0)
    return pd.DataFrame({"i": o, "customer": st.inv_cust[o], "left": st.left[o],
                         "currency": st.inv_cur[o],
                         "date": st.inv_date[o]}).sort_values(["date", "i"], kind="stable")


def _by_customer_amount(st: _State) -> None:
    """The customer's one open invoice of exactly the amount (unique both ways), else a proposal."""
    rec, inv = _todo_with_customer(st), _open_frame(st)
    m = rec.merge(inv, left_on=["customer", "currency", "amount"], right_on=["customer", "currency", "left"])
    n_inv = m.groupby("r")["i"].transform("size")
    n_rec = m.groupby("i")["r"].transform("size")
    unique = ((n_inv == 1) & (n_rec == 1) & m["name_ok"]).to_numpy()
    m = m.drop_duplicates("r")                                                # oldest invoice for a proposal
    unique = unique[m.index]
    st.claim(_claims(m["r"], m["i"], m["amount"], "customer_amount", "customer,amount",
                     np.where(unique, 95, 70), np.where(unique, "auto", "proposed")))
    _by_amount_only(st, inv)


def _by_amount_only(st: _State, inv: pd.DataFrame) -> None:
    """A payer no customer was found for: the one open invoice of exactly the amount, as a proposal."""
    todo = np.flatnonzero(~st.done & (st.cust == ""))
    rec = pd.DataFrame({"r": todo, "amount": st.amount[todo], "currency": st.rec_cur[todo]})
    inv = inv[inv["left"] > 0]
    m = rec.merge(inv, left_on=["currency", "amount"], right_on=["currency", "left"])
    m = m[m.groupby("r")["i"].transform("size") == 1]
    st.claim(_claims(m["r"], m["i"], m["amount"], "amount_only", "amount", 50, "proposed"))


def _by_subset_sum(st: _State) -> None:
    """Several of the customer's open invoices summing to the amount: one combination → auto."""
    rec, inv = _todo_with_customer(st), _open_frame(st)
    inv = inv[inv["i"].isin(np.flatnonzero(st.left > 0))]
    rec["group"] = rec["customer"] + "|" + rec["currency"]
    items = inv.assign(group=inv["customer"] + "|" + inv["currency"])
    many = too_many(items[items["group"].isin(rec["group"])], st.rules.subset_max_open)
    crowded = rec["r"][rec["group"].isin(many.index)].to_numpy()
    st.notes.iloc[crowded] = [f"客户有 {many[g]} 张未核销发票，超过组合搜索上限 {st.rules.subset_max_open} / the customer has "
                              f"{many[g]} open invoices, more than the {st.rules.subset_max_open} a subset search takes"
                              for g in rec.loc[rec["group"].isin(many.index), "group"]]
    hits = combination_hits(items, rec[["r", "group", "amount"]], st.rules.subset_max_open,
                            st.rules.subset_max_combination)
    if hits.empty:
        return
    n_hits = hits.groupby("r")["hit"].transform("max").to_numpy() + 1
    ok = st.name_ok[hits["r"].to_numpy()]
    hits = hits[hits["hit"] == 0]
    unique = (n_hits[hits.index] == 1) & ok[hits.index]
    st.claim(_claims(hits["r"], hits["i"], st.left[hits["i"].to_numpy()], "subset_sum", "customer,amount=sum",
                     np.where(unique, 90, 60), np.where(unique, "auto", "proposed")))


def _by_tolerance(st: _State) -> None:
    """The customer's open invoice the amount falls short of by at most the bank-fee tolerance."""
    rec, inv = _todo_with_customer(st), _open_frame(st)
    m = rec.merge(inv, on=["customer", "currency"])
    short = (m["left"] - m["amount"]).to_numpy()
    m = m[(short > 0) & (short <= st.rules.fee_limit(m["left"].to_numpy(), m["currency"].to_numpy(object)))]
    n = m.groupby("r")["i"].transform("size").to_numpy()
    m = m.assign(short=m["left"] - m["amount"], n=n).sort_values(["r", "short", "date"], kind="stable")
    m = m.drop_duplicates("r")
    unique = (m["n"] == 1).to_numpy() & m["name_ok"].to_numpy()
    st.claim(_claims(m["r"], m["i"], m["left"], "customer_tolerance", "customer,amount~fee",
                     np.where(unique, 85, 60), np.where(unique, "auto", "proposed"), fee=m["short"]))


# ------------------------------------------------------------------ results
def _clearings(st: _State) -> pd.DataFrame:
    if not st.claims:
        return empty(CLEARING_COLUMNS)
    c = pd.concat(st.claims, ignore_index=True).sort_values(["r", "i"]).reset_index(drop=True)
    r, i = c["r"].to_numpy(), c["i"].to_numpy()
    out = c.drop(columns=["r", "i"]).assign(
        receipt=st.rec["receipt"].to_numpy(object)[r], invoice=st.inv["invoice"].to_numpy(object)[i],
        customer=st.inv_cust[i], currency=st.inv_cur[i])
    return conform(out, CLEARING_COLUMNS)


def _unmatched(st: _State) -> pd.DataFrame:
    todo = np.flatnonzero(~st.done)
    rec = st.rec.iloc[todo]
    cust = st.cust[todo]
    has_open = pd.Series(cust + "|" + rec["currency"].to_numpy(object)).isin(
        set(_open_frame(st).pipe(lambda f: f["customer"] + "|" + f["currency"]))).to_numpy()
    amount = rec["amount"].to_numpy()
    shown = format_amounts(amount, exponents(rec["currency"]))
    reason = np.where(
        cust == "", [f"付款人 {p!r} 不是已知客户，摘要未引用未核销发票 / payer {p!r} is no known customer and the memo "
                     "names no open invoice" for p in rec["payer"]],
        np.where(~has_open, [f"客户 {c} 没有未核销的 {k} 发票 / customer {c} has no open {k} invoice"
                             for c, k in zip(cust, rec["currency"])],
                 [f"金额 {a} 与客户 {c} 的任何未核销发票、组合或手续费容差都不符 / amount {a} fits no open invoice, "
                  f"combination or fee tolerance of customer {c}" for a, c in zip(shown, cust)]))
    note = st.notes.to_numpy(object)[todo]
    reason = np.where(note != "", note, reason)
    return conform(pd.DataFrame({"receipt": rec["receipt"].to_numpy(object), "customer": cust,
                                 "currency": rec["currency"].to_numpy(object), "amount": amount, "reason": reason}),
                   UNMATCHED_COLUMNS)
