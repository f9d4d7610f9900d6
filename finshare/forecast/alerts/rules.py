"""The alert rules: each a vectorised function of document totals (:mod:`.frames`) and master data.

A rule takes ``docs`` (document type → :func:`~.frames.totals` frame), ``master`` (the case's
:class:`~finshare.core.masterdata.MasterData`, or a dict of tables) and its :class:`~.config.Rule`, and returns
alerts in the shape of :data:`ALERT_COLUMNS`: ``rule, severity, period, documents`` (a tuple of
``"doc_type/doc_no"``), ``why`` (中文 / English, with the figures) and ``score`` (how far past the threshold;
higher is worse).
"""
from __future__ import annotations

from fractions import Fraction
from decimal import Decimal

import numpy as np
import pandas as pd

from ...core.money import exponents, format_amounts

ALERT_COLUMNS = ["rule", "severity", "period", "documents", "why", "score"]
#: the master table of suppliers' payee accounts over time (finshare/data/masterdata.yaml)
BANK_HISTORY = "supplier_bank_accounts"


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "score" else object) for c in ALERT_COLUMNS})


def _money(frame: pd.DataFrame, col: str = "amount") -> pd.Series:
    text = format_amounts(frame[col].to_numpy("int64"), exponents(frame["currency"]))
    return pd.Series(text, index=frame.index) + " " + frame["currency"].astype(str)


def _refs(frame: pd.DataFrame) -> pd.Series:
    return frame["doc_type"].astype(str) + "/" + frame["doc_no"].astype(str)


def _make(rule, frame: pd.DataFrame, documents, why: pd.Series, score) -> pd.DataFrame:
    if frame.empty:
        return empty()
    return pd.DataFrame({"rule": rule.code, "severity": rule.severity,
                         "period": pd.to_datetime(frame["date"]).dt.strftime("%Y-%m").to_numpy(object),
                         "documents": list(documents), "why": why.to_numpy(object),
                         "score": np.asarray(score, dtype="float64")})


def _days(a: pd.Series, b: pd.Series) -> np.ndarray:
    return ((a.to_numpy("datetime64[D]") - b.to_numpy("datetime64[D]")).astype("int64"))


def bank_change_payment(docs, master, rule) -> pd.DataFrame:
    """A large payment to a supplier within ``window_days`` after its payee bank account changed."""
    hist = master[BANK_HISTORY]
    if hist.empty:
        return empty()
    hist = hist.assign(valid_from=pd.to_datetime(hist["valid_from"])).sort_values(["supplier", "valid_from"],
                                                                                   kind="stable")
    changes = hist[hist.duplicated("supplier", keep="first")][["supplier", "valid_from", "account_no"]]
    pay = docs["payment"]
    large = rule.minor("large", pay["currency"])
    pay = pay.assign(_large=large)[(large >= 0) & (pay["amount"].to_numpy() >= large)]
    m = pay.merge(changes, on="supplier")
    m = m.assign(_d=_days(m["date"], m["valid_from"]))
    m = m[(m["_d"] >= 0) & (m["_d"] <= int(rule.params["window_days"]))].reset_index(drop=True)
    day = m["valid_from"].dt.strftime("%Y-%m-%d") if len(m) else m["supplier"]
    why = ("供应商 " + m["supplier"] + " 收款账户于 " + day + " 变更为 " + m["account_no"].astype(str) + "，"
           + m["_d"].astype(str) + " 天后付款 " + _money(m) + " / supplier " + m["supplier"]
           + "'s bank account changed on " + day + "; paid " + _money(m) + " " + m["_d"].astype(str)
           + " days later (large ≥ " + _money(m, "_large") + ")")
    return _make(rule, m, [(r,) for r in _refs(m)], why, m["amount"] / m["_large"].clip(lower=1))


def _bursts(frame: pd.DataFrame, key: str, window: int, min_count: int) -> pd.DataFrame:
    """Per ``key`` the densest run of rows within ``window`` days, if it holds ``min_count`` or more:
    the rows of each run with ``_end`` (the run's last row) and ``_n`` (its size)."""
    if frame.empty:
        return frame.assign(_end=pd.Series(dtype="int64"), _n=pd.Series(dtype="int64"))
    code = pd.factorize(frame[key])[0].astype("int64")
    days = frame["date"].to_numpy("datetime64[D]").astype("int64")
    comp = code * 10_000_000 + (days - days.min())
    order = np.lexsort((frame["doc_no"].to_numpy(str), comp))
    f = frame.iloc[order].reset_index(drop=True)
    comp = comp[order]
    lo = np.searchsorted(comp, comp - window, side="left")
    n = np.arange(len(f)) - lo + 1
    key_code = code[order]
    best = pd.Series(n).groupby(key_code).idxmax()              # per key: the row ending its densest run
    best = best[n[best.to_numpy()] >= min_count]
    e = pd.Series(key_code).map(best).fillna(-1).to_numpy("int64")   # each row: its key's run end, or -1
    pos = np.arange(len(f))
    keep = (e >= 0) & (pos <= e) & (pos >= lo[np.clip(e, 0, None)])
    return f[keep].assign(_end=e[keep], _n=n[e[keep]])


def _burst_alerts(rule, frame: pd.DataFrame, key: str, what_zh: str, what_en: str) -> pd.DataFrame:
    small = rule.minor("small", frame["currency"])
    frame = frame[(small >= 0) & (frame["amount"].abs().to_numpy() < small)]
    runs = _bursts(frame, key, int(rule.params["window_days"]), int(rule.params["min_count"]))
    if runs.empty:
        return empty()
    runs = runs.assign(_ref=_refs(runs))
    g = runs.groupby("_end", sort=True)
    last = g.tail(1).set_index("_end").sort_index()
    first = g["date"].min().sort_index()
    docs = g["_ref"].agg(tuple).sort_index()
    amount = g["amount"].sum().sort_index()
    last = last.assign(_sum=amount.to_numpy("int64"))
    n = last["_n"].astype(str)
    span = first.dt.strftime("%Y-%m-%d").to_numpy(object) + "—" + last["date"].dt.strftime("%Y-%m-%d")
    why = (last[key] + " 在 " + span + " 有 " + n + " 笔小额" + what_zh + "，合计 " + _money(last, "_sum") + " / "
           + n + " small " + what_en + " for " + last[key] + " between " + span + ", together "
           + _money(last, "_sum") + " (each below " + pd.Series(format_amounts(
               rule.minor("small", last["currency"]), exponents(last["currency"])), index=last.index) + ")")
    return _make(rule, last, docs.to_numpy(), why, last["_n"] / int(rule.params["min_count"]))


def many_returns(docs, master, rule) -> pd.DataFrame:
    """``min_count`` or more small returns (red AR invoices) from one customer within ``window_days``."""
    ar = docs["ar_invoice"]
    return _burst_alerts(rule, ar[ar["amount"] < 0], "customer", "退货", "returns")


def many_refunds(docs, master, rule) -> pd.DataFrame:
    """``min_count`` or more small expense claims paid to one employee within ``window_days``."""
    ec = docs["expense_claim"]
    return _burst_alerts(rule, ec[ec["amount"] > 0], "employee", "报销", "refunds (expense claims)")


def _groups(rule, frame: pd.DataFrame, keys: list[str], what_zh: str, what_en: str) -> pd.DataFrame:
    """One alert per group of two or more rows sharing ``keys``."""
    dup = frame[frame.duplicated(keys, keep=False)]
    if dup.empty:
        return empty()
    dup = dup.assign(_ref=_refs(dup)).sort_values([*keys, "date", "doc_no"], kind="stable")
    g = dup.groupby(keys, sort=False)
    last = g.tail(1).reset_index(drop=True)
    refs = g["_ref"].agg(tuple).to_numpy()
    n = g.size().to_numpy()
    nos = pd.Series([", ".join(r) for r in refs], dtype=object)
    why = (pd.Series(what_zh, index=last.index) + "：" + nos + "，供应商 " + last["supplier"] + "，金额 "
           + _money(last) + " / " + what_en + ": " + nos + ", supplier " + last["supplier"] + ", "
           + _money(last))
    return _make(rule, last, refs, why, n / 1.0)


def _paid_twice_by_amount(pay: pd.DataFrame, window: int) -> pd.DataFrame:
    """Pairs of payments to one supplier of one amount within ``window`` days, as groups keyed by ``_pair``."""
    m = pay.reset_index(drop=True).reset_index().merge(
        pay.reset_index(drop=True).reset_index(), on=["supplier", "currency", "amount"], suffixes=("", "_b"))
    m = m[(m["index"] < m["index_b"]) & (np.abs(_days(m["date"], m["date_b"])) <= window)]
    pair = np.arange(len(m))
    a = pay.reset_index(drop=True).iloc[m["index"].to_numpy()].assign(_pair=pair)
    b = pay.reset_index(drop=True).iloc[m["index_b"].to_numpy()].assign(_pair=pair)
    return pd.concat([a, b], ignore_index=True)


def duplicate_invoice(docs, master, rule) -> pd.DataFrame:
    """The same AP invoice captured twice (supplier + invoice number, or supplier + receipt + amount), or
    paid twice (two payments naming one invoice, or one supplier and amount within ``window_days``)."""
    ap, pay = docs["ap_invoice"], docs["payment"]
    parts = [_groups(rule, ap[ap["invoice_no"] != ""], ["supplier", "invoice_no"], "发票号重复", "invoice number twice"),
             _groups(rule, ap[ap["receipt"] != ""], ["supplier", "receipt", "amount"], "同一入库单重复开票",
                     "one receipt invoiced twice"),
             _groups(rule, pay[pay["invoice"] != ""], ["invoice"], "同一应付单重复付款", "one AP invoice paid twice"),
             _groups(rule, _paid_twice_by_amount(pay, int(rule.params["window_days"])), ["_pair"],
                     "同一供应商同额重复付款", "same supplier and amount paid twice")]
    out = pd.concat([p for p in parts if not p.empty] or [empty()], ignore_index=True)
    return out.drop_duplicates("documents", keep="first").reset_index(drop=True)


def just_under_limit(docs, master, rule) -> pd.DataFrame:
    """Expense claims whose total is in ``[limit × (1 − within), limit)`` (the margin rounded half-up)."""
    ec = docs["expense_claim"]
    limit = rule.minor("limit", ec["currency"])
    w = Fraction(Decimal(str(rule.params["within"])))
    lower = limit - (2 * limit * w.numerator + w.denominator) // (2 * w.denominator)
    a = ec["amount"].to_numpy("int64")
    hit = ec.assign(_limit=limit)[(limit > 0) & (a >= lower) & (a < limit)].reset_index(drop=True)
    gap = hit["_limit"] - hit["amount"]
    hit = hit.assign(_gap=gap)
    why = ("报销单合计 " + _money(hit) + "，仅比审批限额 " + _money(hit, "_limit") + " 少 " + _money(hit, "_gap")
           + " / claim total " + _money(hit) + " is " + _money(hit, "_gap") + " under the approval limit "
           + _money(hit, "_limit") + " (" + hit["employee"] + ")")
    return _make(rule, hit, [(r,) for r in _refs(hit)], why, hit["amount"] / hit["_limit"].clip(lower=1))


def round_weekend(docs, master, rule) -> pd.DataFrame:
    """A payment of a round amount (a multiple of ``multiple``, above ``above``) dated on a Saturday or Sunday."""
    pay = docs["payment"]
    mult, above = rule.minor("multiple", pay["currency"]), rule.minor("above", pay["currency"])
    a = pay["amount"].to_numpy("int64")
    weekend = pd.to_datetime(pay["date"]).dt.day_of_week.to_numpy() >= 5
    ok = (mult > 0) & (above >= 0) & weekend & (a > above)
    ok &= np.where(mult > 0, a % np.where(mult > 0, mult, 1), 1) == 0
    hit = pay.assign(_above=above)[ok].reset_index(drop=True)
    day = hit["date"].dt.day_name() if len(hit) else hit["doc_no"]
    why = ("周末（" + day + "）付款整数金额 " + _money(hit) + " 给供应商 " + hit["supplier"] + " / round payment of "
           + _money(hit) + " to supplier " + hit["supplier"] + " dated on a " + day)
    return _make(rule, hit, [(r,) for r in _refs(hit)], why, hit["amount"] / hit["_above"].clip(lower=1))


#: rule code → function (the order alerts are listed in)
RULES = {"bank-change-payment": bank_change_payment, "many-returns": many_returns, "many-refunds": many_refunds,
         "duplicate-invoice": duplicate_invoice, "just-under-limit": just_under_limit,
         "round-weekend": round_weekend}
