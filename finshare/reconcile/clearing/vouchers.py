"""Clearing vouchers (核销凭证) through the one posting path, and the history written with them.

Per receipt one voucher ``CL-<receipt>`` dated the receipt's day, in every
book the receipt's business unit reaches, accounts written in CAS (each book
maps them):

* a bank line (money not yet booked): Dr 1002 银行存款 (bank account) the money
  received; Cr 1122 应收账款 (customer) each invoice's cleared amount; Dr 6603
  财务费用 a bank-fee shortfall; Cr 2203 预收账款 (customer) an overpayment;
* a 收款单 (already posted Dr 1002 / Cr 1122 for the money received): only the
  fee (Dr 6603 / Cr 1122) and an overpayment (Dr 1122 / Cr 2203) need a voucher.

Posting the same clearings twice posts and records nothing the second time.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core import columns as C
from ...core.dimensions import DIMS
from ...core.posting import ENTRY_COLUMNS
from ...core.problems import FinshareError, Problem, Source
from ...core.reach import reach_table
from .history import read_history, write_history
from .rules import Rules, load_rules

SOURCE_TYPE = "clearing"


@dataclass
class Cleared:
    """What :func:`clear` did: the posting result, vouchers skipped as already posted, rows recorded."""

    result: object
    skipped: list
    recorded: pd.DataFrame
    left_out: pd.DataFrame


def clear(ledger, clearings: pd.DataFrame, receipts: pd.DataFrame, open_items: pd.DataFrame, by: str = "",
          rules: Rules | None = None, status: tuple[str, ...] = ("auto",)) -> Cleared:
    """Post the clearing vouchers of ``clearings`` (rows with ``status``) and record them in the history.

    Raises
    ------
    FinshareError
        ``clearing-exceeds-invoice`` when an invoice's clearings (stored and
        new) would exceed its amount; nothing is posted then.
    """
    rules = rules or load_rules()
    rows = clearings[clearings["status"].isin(status)]
    with ledger.store.reading() as con:
        held = read_history(con)
    rows = rows[~_pairs(rows).isin(set(_pairs(held)))]
    _refuse_excess(rows, held, open_items)
    rec = receipts.set_index("receipt")
    rows = rows.assign(date=rec.loc[rows["receipt"], "date"].to_numpy(),
                       source=rec.loc[rows["receipt"], "source"].to_numpy(object))
    rows, left_out = _advances_allowed(ledger, rows, rules)
    rows["voucher"] = np.where(_needs_voucher(rows), "CL-" + rows["receipt"].astype(str), "")
    per_book = _per_book(ledger, _lines(rows, rec, rules))
    result, skipped = ledger.post_entries(per_book, SOURCE_TYPE, "<receivable clearing>", by, chart="CAS",
                                          record=lambda w, batch: write_history(w.con, rows, batch, by))
    return Cleared(result, skipped, rows, left_out)


def _pairs(frame: pd.DataFrame) -> pd.Series:
    return frame["receipt"].astype(str) + "\x1f" + frame["invoice"].astype(str)


def _refuse_excess(rows: pd.DataFrame, held: pd.DataFrame, open_items: pd.DataFrame) -> None:
    total = pd.concat([held[["invoice", "amount"]], rows[["invoice", "amount"]]]).groupby("invoice")["amount"].sum()
    amount = open_items.set_index("invoice")["amount"]
    total = total[total.index.isin(rows["invoice"])]
    over = total[total > amount.reindex(total.index).fillna(0).astype("int64")]
    if len(over):
        raise FinshareError([Problem(
            "clearing-exceeds-invoice", f"发票 {inv} 的核销合计 {int(t)} 超过其金额 {int(amount.get(inv, 0))}（最小单位）/ "
            f"the clearings of invoice {inv} would sum to {int(t)}, more than its amount {int(amount.get(inv, 0))} "
            "(minor units)", Source("clearings", document=str(inv), field="amount"),
            "clear at most the invoice's open amount; see clearing_history(ledger, invoice=...)")
            for inv, t in over.items()], "核销未过账 / clearings not posted")


def _advances_allowed(ledger, rows: pd.DataFrame, rules: Rules):
    """Overpayments need the advances account (2203 预收账款) in the CAS chart; else the receipt is left out."""
    charts = [b.chart for b in ledger.case.books if b.chart.name == "CAS"]
    has = all(rules.advances_account in c.accounts.index for c in charts)
    if has:
        return rows.copy(), rows.iloc[:0]
    bad = rows["receipt"].isin(rows.loc[rows["advance"] > 0, "receipt"])
    return rows[~bad].copy(), rows[bad].assign(
        reason=f"科目表没有 {rules.advances_account} 预收账款，多付款未核销 / the chart has no {rules.advances_account} "
               "for the overpayment: not cleared")


def _needs_voucher(rows: pd.DataFrame) -> np.ndarray:
    bank = (rows["source"] == "bank").to_numpy()
    extra = ((rows["fee"] > 0) | (rows["advance"] > 0)).to_numpy()
    any_extra = pd.Series(extra).groupby(rows["receipt"].to_numpy()).transform("any").to_numpy()
    return bank | any_extra


def _lines(rows: pd.DataFrame, rec: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """``voucher, org, date, account, net (debit +), currency, customer, bank_account, summary``."""
    rows = rows[rows["voucher"] != ""]
    r = rec.loc[rows["receipt"]]
    base = pd.DataFrame({"voucher": rows["voucher"].to_numpy(object), "org": r["org"].to_numpy(object),
                         "date": rows["date"].to_numpy(), "currency": rows["currency"].to_numpy(object),
                         "customer": rows["customer"].to_numpy(object), "bank_account": "",
                         "receipt": rows["receipt"].to_numpy(object), "invoice": rows["invoice"].to_numpy(object)})
    amount, fee, adv = (rows[c].to_numpy("int64") for c in ("amount", "fee", "advance"))
    bank = (rows["source"] == "bank").to_numpy()
    received = amount - fee + adv
    parts = [
        base[bank].assign(account=rules.bank_account, net=received[bank],
                          bank_account=r["bank_account"].to_numpy(object)[bank], customer="",
                          summary="核销收款 " + base["receipt"][bank] + " / receipt cleared"),
        base[bank].assign(account=rules.receivable_account, net=-amount[bank],
                          summary="核销应收 " + base["invoice"][bank] + " / receivable cleared"),
        base[~bank].assign(account=rules.receivable_account, net=-fee[~bank] + adv[~bank],
                           summary="核销应收 " + base["invoice"][~bank] + " / receivable cleared"),
        base.assign(account=rules.fee_account, net=fee, customer="",
                    summary="收款手续费 " + base["invoice"] + " / bank charges"),
        base.assign(account=rules.advances_account, net=-adv, summary="多收款转预收 " + base["receipt"] +
                    " / overpayment to advances"),
    ]
    lines = pd.concat(parts, ignore_index=True)
    return lines[lines["net"] != 0].sort_values(["voucher"], kind="stable").reset_index(drop=True)


def _per_book(ledger, lines: pd.DataFrame) -> dict[str, pd.DataFrame]:
    reach = reach_table(ledger.case.books)
    out = {}
    for book, units in reach.groupby("book", sort=False)["unit"]:
        part = lines[lines["org"].isin(units)]
        if len(part):
            out[book] = _entries(part.reset_index(drop=True))
    return out


def _entries(rows: pd.DataFrame) -> pd.DataFrame:
    """Entry lines (:data:`~finshare.core.posting.ENTRY_COLUMNS` plus ``voucher_word``) of one book."""
    n = len(rows)
    net = rows["net"].to_numpy("int64")
    rank = pd.factorize(rows["voucher"], sort=True)[0]
    order = rows.groupby("voucher", sort=False).cumcount().to_numpy() + 1
    out = {
        "doc_no": C.coded(rows["voucher"].astype(object)), "_doc": rank.astype("int64"),
        "org": C.coded(rows["org"].astype(object)), "date": rows["date"].to_numpy("datetime64[D]"),
        "business_class": C.constant("", n), "class_name": C.constant("", n),
        "template_line": C.coded(pd.Series(["clearing/" + str(i) for i in order], dtype=object)),
        "line_order": order.astype("int64"), "side": pd.Categorical(np.where(net > 0, "debit", "credit")),
        "account": C.coded(rows["account"].astype(object)), "amount_orig": np.abs(net),
        "currency_orig": C.coded(rows["currency"].astype(object)), "amount_local": np.zeros(n, "int64"),
        "currency_local": C.constant("", n), "summary": rows["summary"].astype(str),
    }
    for d in DIMS:
        out[d] = C.coded(rows[d].fillna("").astype(object)) if d in rows else C.constant("", n)
    entries = pd.DataFrame(out)[ENTRY_COLUMNS]
    entries["voucher_word"] = C.constant("记", n)
    return entries
