"""``match_intercompany(ledger, period)``: pair, classify and reconcile the group's intercompany balances.

The reconciliation, in the transaction currency (minor units, exact):

    receivable at the closing rate − payable at the closing rate
        = Σ difference of the pairs (timing + missing + amount) + Σ translation differences (fx)

because every intercompany line belongs to exactly one pair row (a document alone is a row with an
empty other side) and a side's translated balance less its transaction-currency amounts is its
translation row. Rounding: each account × counterparty balance is translated once, half away from
zero (as consolidation translates it).
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...close.consolidation.config import read_group
from ...core.journal import check_period
from ...core.money import EXPONENTS, convert, format_amounts
from ...core.problems import FinshareError, Problem, Source
from .classify import REASONS, classify
from .items import items
from .pairing import pair_all
from .sides import Side, sides

SIDE_COLUMNS = ["doc", "ref", "date", "period", "amount", "book_amount"]
COLUMNS = (["kind"] + [f"ar_{c}" for c in SIDE_COLUMNS] + [f"ap_{c}" for c in SIDE_COLUMNS]
           + ["difference", "reason", "other_period", "missing_side", "detail"])
MONEY = ["ar_amount", "ar_book_amount", "ap_amount", "ap_book_amount", "difference"]


@dataclass(frozen=True)
class ICMatch:
    """An intercompany match for one period (money int64 minor units).

    Attributes
    ----------
    period, currency : str
        ``YYYY-MM``; the transaction currency (the group's presentation currency).
    ar, ap : Side
        The receivable side (seller) and the payable side (buyer).
    pairs : pandas.DataFrame
        ``COLUMNS``: per pair, each side's document, its reference (the AR invoice's outbound, the
        receipt's AP invoice, the settlement's invoice), date, period, amount in ``currency`` and in
        the side's book currency (booked by the period end; receivable debit positive, payable credit
        positive), ``difference = ar_amount − ap_amount`` and the reason (:mod:`.classify`).
    balances : dict
        ``receivable`` and ``payable`` (book, currency, book amount, closing rate, amount, transaction
        amount) and their ``difference``.
    differences : dict
        Per reason, the sum of ``difference``; together they equal ``balances['difference']``.
    """

    period: str
    currency: str
    ar: Side
    ap: Side
    pairs: pd.DataFrame
    balances: dict
    differences: dict

    def ties_out(self) -> bool:
        """Whether the classified differences add up to the balance difference exactly."""
        return sum(self.differences.values()) == self.balances["difference"]

    @property
    def in_transit(self) -> int:
        """Goods shipped and invoiced by the seller that the buyer has not received by the period end."""
        p = self.pairs
        m = (p["kind"] == "shipment") & (p["reason"] == "timing") & (p["ar_date"] <= _end(self.period))
        return int(p.loc[m, "difference"].sum())

    def to_dict(self) -> dict:
        """The JSON form: ``period, currency, pairs, balances, differences`` (money as decimal text)."""
        exp = EXPONENTS[self.currency]
        pairs = self.pairs.copy()
        for s, side in (("ar", self.ar), ("ap", self.ap)):
            pairs[f"{s}_amount"] = format_amounts(pairs[f"{s}_amount"], exp)
            pairs[f"{s}_book_amount"] = format_amounts(pairs[f"{s}_book_amount"], EXPONENTS[side.currency])
            pairs[f"{s}_date"] = pairs[f"{s}_date"].dt.strftime("%Y-%m-%d").fillna("")
        pairs["difference"] = format_amounts(pairs["difference"], exp)
        return {"period": self.period, "currency": self.currency, "pairs": pairs.to_dict(orient="records"),
                "balances": _text_balances(self.balances, exp),
                "differences": {k: _money(v, exp) for k, v in self.differences.items()}}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def _repr_html_(self) -> str:
        b = self.balances
        head = (f"<b>内部往来对账 Intercompany match {html.escape(self.period)}</b> — {self.ar.book} ↔ {self.ap.book}, "
                f"difference {_money(b['difference'], EXPONENTS[self.currency])} {self.currency}, "
                f"ties out: {self.ties_out()}")
        return head + pd.Series(self.differences, name="difference").to_frame().to_html() + self.pairs.to_html()


def match_intercompany(ledger, period: str, receivable_book: str | None = None, payable_book: str | None = None,
                       window: int = 14) -> ICMatch:
    """Match the receivable side's IC receivables and sales with the payable side's payables and purchases.

    Parameters
    ----------
    ledger : finshare.Ledger
        Posted; its case has ``group.yaml`` and the partner dimension on intercompany lines.
    period : str
        ``YYYY-MM``.
    receivable_book, payable_book : str, optional
        Entities of the group; by default the pair with the most intercompany receivable lines.
    window : int, default 14
        Days within which the buyer's document may follow the seller's (pairing and in-transit).

    Raises
    ------
    FinshareError
        ``bad-period``, ``unknown-period``, ``missing-file`` (no group.yaml), ``no-ic-partner``,
        ``unknown-book``, ``ic-currency``, ``missing-rate``.

    Examples
    --------
    >>> m = match_intercompany(ledger, "2020-03")     # doctest: +SKIP
    >>> m.differences, m.ties_out()                   # doctest: +SKIP
    """
    check_period(period)
    group = read_group(ledger.case)
    ar, ap, ar_lines, ap_lines = sides(ledger, group, receivable_book, payable_book)
    _known(period, ar_lines, ap_lines, ar, ap)
    end, cur = _end(period), group.currency
    ar_items, ap_items = items(ar_lines, ar, cur, end, ledger), items(ap_lines, ap, cur, end, ledger)
    receipts = ap_items.loc[ap_items["role"] == "shipment", "doc"]
    orphan = (ap_items["role"] == "invoice") & ~ap_items["ref"].isin(receipts)  # an AP invoice of no IC receipt
    ap_items.loc[orphan.to_numpy(), "role"] = "other"
    rows = _rows(pair_all(ar_items, ap_items, window), ar_items, ap_items)
    horizon = max(ar_items["date"].max(), ap_items["date"].max() if len(ap_items) else ar_items["date"].max())
    names = (_name(ap_lines, group.dimension, ar.book), _name(ar_lines, group.dimension, ap.book))
    rows = classify(rows, end, pd.Timestamp(horizon), window, names)
    at_end = (rows["ar_period"] == period) | (rows["ap_period"] == period) | (rows["difference"] != 0)
    rec, ar_fx = _translated(ledger, ar, ar_lines, ar_items, cur, end, group.dimension)
    pay, ap_fx = _translated(ledger, ap, ap_lines, ap_items, cur, end, group.dimension)
    pairs = pd.concat([rows[at_end.to_numpy()], _fx_rows([ar_fx, ap_fx])], ignore_index=True)[COLUMNS]
    pairs[["ar_date", "ap_date"]] = pairs[["ar_date", "ap_date"]].apply(pd.to_datetime)
    pairs = pairs.astype({c: "int64" for c in MONEY})
    diffs = {r: int(pairs.loc[pairs["reason"] == r, "difference"].sum()) for r in REASONS}
    balances = {"receivable": rec, "payable": pay, "difference": rec["amount"] - pay["amount"]}
    return ICMatch(period, cur, ar, ap, pairs, balances, diffs)


def _name(lines: pd.DataFrame, dim: str, book: str) -> str:
    """The unit the other side's lines name as partner (e.g. ``XM``), else the book code."""
    named = lines[dim].astype(str).unique() if dim in lines and len(lines) else []
    return "/".join(sorted(named)) or book


def _end(period: str) -> pd.Timestamp:
    return pd.Period(period, "M").end_time.normalize()


def _known(period: str, ar_lines, ap_lines, ar: Side, ap: Side) -> None:
    """Refuse a period before the first or after the last intercompany line (``unknown-period``)."""
    periods = pd.concat([ar_lines["period"].astype(str), ap_lines["period"].astype(str)])
    first, last = periods.min(), periods.max()
    if period < first or period > last:
        raise FinshareError([Problem(
            "unknown-period", f"期间 {period} 没有内部往来数据 / period {period} has no intercompany data",
            Source(field="period", book=f"{ar.book}, {ap.book}"),
            f"改用 {first} 至 {last} 之间的期间 / use a period from {first} to {last}")])


def _rows(pairs: pd.DataFrame, ar_items: pd.DataFrame, ap_items: pd.DataFrame) -> pd.DataFrame:
    """Each pair with both sides' fields; AP invoices' amounts fold into their receipt's side."""
    inv = ap_items[ap_items["role"] == "invoice"]
    folded = inv.groupby("ref").agg(amount=("amount", "sum"), book_amount=("book_amount", "sum"),
                                    ref=("doc", "first"))
    main = ap_items[ap_items["role"] != "invoice"].set_index("doc")
    ap = main[["date", "period", "amount", "book_amount"]].copy()
    extra = folded.reindex(ap.index)
    ap["amount"] += extra["amount"].fillna(0).astype("int64")
    ap["book_amount"] += extra["book_amount"].fillna(0).astype("int64")
    ap["ref"] = extra["ref"].where(extra["ref"].notna(), main["ref"])
    ar = ar_items.set_index("doc")[["ref", "date", "period", "amount", "book_amount"]]
    out = pairs.join(ar.add_prefix("ar_"), on="ar_doc").join(ap.add_prefix("ap_"), on="ap_doc")
    for s in ("ar", "ap"):
        out[[f"{s}_amount", f"{s}_book_amount"]] = out[[f"{s}_amount", f"{s}_book_amount"]].fillna(0).astype("int64")
        out[[f"{s}_ref", f"{s}_period"]] = out[[f"{s}_ref", f"{s}_period"]].fillna("")
    out["difference"] = out["ar_amount"] - out["ap_amount"]
    return out


def _translated(ledger, side: Side, lines: pd.DataFrame, side_items: pd.DataFrame, cur: str, end: pd.Timestamp,
                dim: str) -> tuple[dict, dict]:
    """The side's balance at the closing rate (per account and counterparty, rounded half up) and its fx row."""
    upto = lines[(lines["date"] <= end).to_numpy()]
    net = side.sign * (upto["debit"].to_numpy("int64") - upto["credit"].to_numpy("int64"))
    who = [upto[c].astype(str).to_numpy(object) if c in upto else np.full(len(upto), "", object)
           for c in ("customer", "supplier")]
    by = pd.DataFrame({"account": upto["account"].astype(str).to_numpy(object),
                       "counterparty": np.where(who[0] != "", who[0], who[1]), "net": net})
    book = by.groupby(["account", "counterparty"])["net"].sum().to_numpy("int64")
    num, den, missing = ledger.case.rates.lookup(pd.Series([side.currency]), cur, pd.Series([end]))
    if missing.any():
        raise FinshareError([Problem(
            "missing-rate", f"缺少 {side.currency}→{cur} 在 {end.date()} 的汇率 / no {side.currency}→{cur} rate in force "
            f"on {end.date()}", Source(ledger.case.rates.source, book=side.book),
            f"在汇率表中补充这一天（或更早）的汇率 / add a row to rates.csv dated on or before {end.date()}: "
            f"{end.date()},{cur},{side.currency},<rate>")])
    amount = int(convert(book, num[0], den[0], EXPONENTS[side.currency], EXPONENTS[cur]).sum())
    transaction = int(side_items["amount"].sum())
    rate = f"{num[0]}/{den[0]}" if den[0] != 1 else str(num[0])
    bal = {"book": side.book, "units": list(side.units), "partners": list(side.partners),
           "accounts": list(side.accounts), "book_currency": side.currency, "book_amount": int(book.sum()),
           "rate": rate, "amount": amount, "transaction_amount": transaction}
    return bal, {"side": "ar" if side.sign > 0 else "ap", "fx": side.sign * (amount - transaction), **bal}


def _fx_rows(fx: list[dict]) -> pd.DataFrame:
    """One ``translation`` row per side whose balance translates to other than its transaction-currency amounts."""
    blank = {c: "" for c in COLUMNS} | {c: 0 for c in MONEY} | {"ar_date": pd.NaT, "ap_date": pd.NaT}
    rows = [blank | {"kind": "translation", f"{f['side']}_book_amount": f["book_amount"], "difference": f["fx"],
                     "reason": "fx", "detail": _fx_text(f)} for f in fx if f["fx"] != 0]
    return pd.DataFrame(rows, columns=COLUMNS).astype({c: "int64" for c in MONEY})


def _fx_text(f: dict) -> str:
    return (f"{f['book']} 内部往来余额 {f['book_amount']} {f['book_currency']} 按期末汇率 {f['rate']} 折算与交易币别金额之差 / "
            f"{f['book']}'s intercompany balance of {f['book_amount']} {f['book_currency']} at the closing rate "
            f"{f['rate']} against its transaction-currency amounts")


def _money(v: int, exp: int) -> str:
    return str(format_amounts(np.array([v], "int64"), exp)[0])


def _text_balances(b: dict, exp: int) -> dict:
    out = {}
    for k in ("receivable", "payable"):
        side = dict(b[k])
        for f in ("amount", "transaction_amount"):
            side[f] = _money(side[f], exp)
        side["book_amount"] = _money(side["book_amount"], EXPONENTS[side["book_currency"]])
        out[k] = side
    out["difference"] = _money(b["difference"], exp)
    return out
