"""Receivable clearing on the Fujian year: a bank-line receipt's clearing vouchers, the history, the command."""
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import finshare
from finshare.cli import main
from finshare.core.problems import FinshareError
from finshare.reconcile.banklines import conform as bank_lines
from finshare.reconcile.clearing import receipts_from_bank_lines
from finshare.reconcile.clearing.case import open_items, reconcile_ar
from finshare.reconcile.clearing.history import clearing_history
from finshare.reconcile.clearing.vouchers import clear

YEAR = Path(__file__).parent.parent / "datasets" / "fujian-2020"
DOCS = YEAR / "documents"


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clearing") / "case"
    shutil.copytree(YEAR, folder, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    ledger = finshare.Ledger(finshare.load_case(folder), folder / "ledger.sqlite")
    ledger.post()
    yield folder, ledger
    ledger.close()


def _unpaid_xm_invoice(k=0):
    """The k-th approved Xiamen CNY invoice of Q1 no 收款单 names (a credit note left out), its customer's
    code and name, and its 价税合计 in fen, read from the CSVs."""
    head = pd.read_csv(DOCS / "ar_invoice.csv", dtype=str)
    lines = pd.read_csv(DOCS / "ar_invoice_lines.csv", dtype=str)
    total = lines.groupby("doc_no")["total"].agg(lambda t: int(sum(Decimal(v) for v in t) * 100))
    paid = set(pd.read_csv(DOCS / "receipt.csv", dtype=str)["invoice"])
    pick = head[(head["org"] == "XM") & (head["currency"] == "CNY") & (head["status"] == "approved")
                & (head["date"] <= "2020-03-15") & ~head["doc_no"].isin(paid)
                & (head["doc_no"].map(total) > 0)].iloc[k]
    name = pd.read_csv(YEAR / "masterdata" / "customers.csv", dtype=str).set_index("code").loc[pick["customer"], "name_zh"]
    return pick["doc_no"], pick["customer"], name, int(total[pick["doc_no"]])


def test_a_bank_line_short_by_a_fee_clears_its_invoice_in_every_book(case):
    folder, ledger = case
    doc, customer, name, total = _unpaid_xm_invoice()
    statement = bank_lines(pd.DataFrame({"row": [7], "date": [pd.Timestamp("2020-03-20")], "amount": [total - 1500],
                                         "currency": ["CNY"], "counterparty": [name], "memo": [f"货款 {doc}"]}),
                           account_no="4100021709024500001")
    bank = receipts_from_bank_lines(statement, org="XM", bank_account="B001")
    m, receipts, items = reconcile_ar(ledger, "2020-03", folder, bank_receipts=bank)
    mine = m.clearings[m.clearings["receipt"] == "4100021709024500001#7"]
    assert mine[["invoice", "amount", "fee", "rule", "status"]].to_dict("records") == [
        {"invoice": doc, "amount": total, "fee": 1500, "rule": "reference+fee", "status": "auto"}]
    done = clear(ledger, mine, receipts, items, by="clerk")
    expected = [("1002", total - 1500, 0, "", "B001"), ("1122", 0, total, customer, ""), ("6603", 1500, 0, "", "")]
    for book in ("FJ-CAS", "CN-MGT"):
        lines = ledger.lines(book, kind="business")
        lines = lines[lines["source_no"] == "CL-4100021709024500001#7"]
        got = sorted(zip(lines["account"].astype(str), lines["debit"], lines["credit"],
                         lines["customer"].astype(str).replace("nan", ""),
                         lines["bank_account"].astype(str).replace("nan", "")))
        assert got == expected, book
        assert set(lines["source_type"].astype(str)) == {"clearing"}
    assert not (ledger.lines("VN-MGT", kind="business")["source_type"].astype(str) == "clearing").any()  # XM only
    history = clearing_history(ledger, invoice=doc)
    assert history[["receipt", "amount", "fee", "rule", "voucher", "by"]].to_dict("records") == [
        {"receipt": "4100021709024500001#7", "amount": f"{Decimal(total) / 100:.2f}", "fee": "15.00",
         "rule": "reference+fee", "voucher": "CL-4100021709024500001#7", "by": "clerk"}]
    assert int(history["batch"].iloc[0]) == done.result.batch                # the same transaction as the voucher
    again = clear(ledger, mine, receipts, items, by="clerk")
    assert again.recorded.empty and again.result.documents == 0
    assert doc not in set(open_items(ledger)["invoice"])


def test_clearings_beyond_an_invoice_are_refused_and_nothing_is_stored(case):
    folder, ledger = case
    doc, customer, name, total = _unpaid_xm_invoice()
    items = pd.DataFrame({"invoice": [doc], "amount": [total]})
    extra = pd.DataFrame({"receipt": ["X#1"], "invoice": [doc], "customer": [customer], "currency": ["CNY"],
                          "amount": [1], "fee": [0], "advance": [0], "rule": ["manual"], "agreed": [""], "score": [100],
                          "status": ["auto"]})
    receipts = pd.DataFrame({"receipt": ["X#1"], "date": [pd.Timestamp("2020-03-25")], "source": ["bank"],
                             "org": ["XM"], "bank_account": ["B001"]})
    before = len(clearing_history(ledger))
    with pytest.raises(FinshareError) as err:
        clear(ledger, extra, receipts, items)
    assert err.value.problems[0].code == "clearing-exceeds-invoice"
    assert f"the clearings of invoice {doc} would sum to {total + 1}, more than its amount {total}" in str(err.value)
    assert len(clearing_history(ledger)) == before


def test_reconcile_ar_clears_the_months_receipts_once(case, capsys):
    folder, ledger = case
    csv = pd.read_csv(DOCS / "receipt.csv", dtype=str)
    april = csv[(csv["date"].str[:7] == "2020-04") & (csv["status"] == "approved")]
    assert main(["reconcile", "ar", str(folder), "--period", "2020-04", "--format", "json", "--post", "--by", "t"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["auto"] == len(april) and report["summary"]["unmatched"] == 0
    amounts = pd.read_csv(DOCS / "receipt_lines.csv", dtype=str).set_index("doc_no")["amount"]
    got = {r["receipt"]: r["amount"] for r in report["clearings"]}
    assert got == {k: f"{Decimal(amounts[k]):.{0 if c == 'VND' else 2}f}" for k, c in zip(april["doc_no"],
                                                                                          april["currency"])}
    assert report["posted"]["clearings"] == len(april) and report["posted"]["vouchers"] == []   # 收款单: no voucher
    assert main(["reconcile", "ar", str(folder), "--period", "2020-04", "--format", "json", "--post"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["summary"]["auto"] == 0 and again["posted"]["clearings"] == 0
    assert main(["reconcile", "ar", str(folder), "--period", "2020-4x"]) == 2
    assert "期间 '2020-4x' 应为 YYYY-MM / period '2020-4x' should be YYYY-MM" in capsys.readouterr().err


def test_an_overpaid_bank_line_credits_the_rest_to_advances(case):
    folder, ledger = case
    doc, customer, name, total = _unpaid_xm_invoice(1)
    statement = bank_lines(pd.DataFrame({"row": [9], "date": [pd.Timestamp("2020-03-21")], "amount": [total + 1000],
                                         "currency": ["CNY"], "counterparty": [name], "memo": [f"货款 {doc}"]}),
                           account_no="ACC")
    bank = receipts_from_bank_lines(statement, org="XM", bank_account="B001")
    m, receipts, items = reconcile_ar(ledger, "2020-03", folder, bank_receipts=bank)
    mine = m.clearings[m.clearings["receipt"] == "ACC#9"]
    clear(ledger, mine, receipts, items)
    lines = ledger.lines("FJ-CAS", kind="business")
    lines = lines[lines["source_no"] == "CL-ACC#9"]
    got = sorted(zip(lines["account"].astype(str), lines["debit"], lines["credit"], lines["customer"].astype(str)))
    assert got == [("1002", total + 1000, 0, ""), ("1122", 0, total, customer), ("2203", 0, 1000, customer)]


def test_a_receipt_document_short_by_a_fee_posts_only_the_fee(case):
    folder, ledger = case
    doc, customer, name, total = _unpaid_xm_invoice(2)
    receipts = pd.DataFrame({"receipt": ["SK9"], "source": ["receipt"], "date": [pd.Timestamp("2020-03-22")],
                             "org": ["XM"], "bank_account": ["B001"], "currency": ["CNY"], "amount": [total - 800],
                             "customer": [customer], "reference": [doc]})
    items = open_items(ledger, "2020-03-31")
    from finshare.reconcile.clearing import match_receipts
    m = match_receipts(items, receipts, ledger.case.master.tables["customers"])
    assert m.clearings[["invoice", "amount", "fee", "rule"]].to_dict("records") == [
        {"invoice": doc, "amount": total, "fee": 800, "rule": "reference+fee"}]
    clear(ledger, m.clearings, receipts, items)
    lines = ledger.lines("CN-MGT", kind="business")
    lines = lines[lines["source_no"] == "CL-SK9"]
    got = sorted(zip(lines["account"].astype(str), lines["debit"], lines["credit"], lines["customer"].astype(str)))
    assert got == [("1122", 0, 800, customer), ("6603", 800, 0, "")]
