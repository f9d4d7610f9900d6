"""The receivable history of the posted Fujian year, checked against the case files read independently."""
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import finshare
from finshare.forecast.features import features
from finshare.forecast.store import load_store

CASE = Path(__file__).resolve().parents[1] / "datasets" / "fujian-2020"
DOCS = CASE / "documents"


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fj") / "case"
    shutil.copytree(CASE, folder)
    ledger = finshare.Ledger(finshare.load_case(folder), folder / "ledger.sqlite")
    ledger.post()
    try:
        yield load_store(ledger)
    finally:
        ledger.close()


@pytest.fixture(scope="module")
def files():
    lines = pd.read_csv(DOCS / "ar_invoice_lines.csv", dtype=str)
    total = lines.assign(t=lines["total"].map(Decimal)).groupby("doc_no")["t"].sum()
    head = pd.read_csv(DOCS / "ar_invoice.csv", dtype=str, keep_default_na=False).set_index("doc_no")
    receipts = pd.read_csv(DOCS / "receipt.csv", dtype=str, keep_default_na=False)
    return total, head, receipts


def test_every_invoice_but_the_red_ones_with_its_total_including_vat(history, files):
    total, head, _ = files
    t = history.table.set_index("invoice_id")
    red = total[total <= 0].index
    assert len(t) == len(total) - len(red) and set(history.excluded["invoice_id"]) == set(red)
    assert set(history.excluded["code"]) == {"negative-amount"} and history.excluded_rows == len(red) == 68
    exp = head.loc[t.index, "currency"].map({"CNY": 2, "HKD": 2, "VND": 0})
    want = [int(total[i] * 10 ** e) for i, e in zip(t.index, exp)]
    assert list(t["amount"]) == want
    assert t.loc["YS0000001", "amount"] == 34630200 and t.loc["YS0000001", "currency"] == "VND"


def test_due_date_is_thirty_days_and_settlement_is_the_referencing_receipt(history, files):
    _, head, receipts = files
    t = history.table.set_index("invoice_id")
    assert ((t["due_date"] - t["invoice_date"]).dt.days == 30).all() and (t["payment_terms"] == 30).all()
    paid = receipts.set_index("invoice")["date"]
    settled = t["settled_date"].dropna().dt.strftime("%Y-%m-%d")
    assert len(settled) == receipts["invoice"].isin(t.index).sum() == 3726
    assert (settled == paid.loc[settled.index]).all()
    assert t.loc["YS0000001", "settled_date"] == pd.Timestamp("2020-03-08")
    assert pd.isna(t.loc["YS0000002", "settled_date"])
    assert t.loc["YS0000004", "invoice_date"] == pd.Timestamp(head.loc["YS0000004", "date"])


def test_the_store_history_feeds_the_features(history):
    last = history.table["invoice_date"].max()
    x = features(history.table, last)
    assert last == pd.Timestamp("2021-01-03") and len(x) == history.table["settled_date"].isna().sum() == 896
    assert x["hist_count"].gt(0).mean() > 0.9 and (x["days_open"] >= 0).all()
