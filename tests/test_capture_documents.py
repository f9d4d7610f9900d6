"""Captured pages become documents in the store: approved ones post, drafts and duplicates do not."""
from __future__ import annotations

import shutil

import pytest

from capture_pages import TODAY, YEAR, invoice, invoice_values, receipt, receipt_values
from finshare import Ledger, load_case
from finshare.capture.context import CaptureContext
from finshare.capture.register import Register
from finshare.capture.status import assess_pages
from finshare.capture.todocs import store_captured, to_documents

# 长沙供应商21's purchase receipt CG0001599 (XM, 2020-12-19, 27,030.00) waits for its invoice in the year data;
# so does 福州供应商11's CG0001612 (XM, 2020-12-24, 26,345.00).
S015 = {"seller_name": "福州供应商11", "seller_tax_id": "91350203TNX2U6L350", "invoice_no": "04581999",
        "amount": "26345.00", "tax": "3424.85", "total": "29769.85", "total_in_words": "贰万玖仟柒佰陆拾玖圆捌角伍分"}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    folder = tmp_path_factory.mktemp("capture") / "fujian-2020"
    shutil.copytree(YEAR, folder)
    led = Ledger(load_case(folder), folder / "ledger.sqlite")
    led.post()
    yield led
    led.close()


def context(led) -> CaptureContext:
    return CaptureContext.from_case(led.case, today=TODAY, register=Register.from_ledger(led))


def lines_of(led, book, number):
    gl = led.lines(book, kind="business")
    got = gl[gl["source_no"] == number]
    return sorted(zip(got["account"], got["debit"].astype(int), got["credit"].astype(int), got["supplier"].fillna(""),
                      got["customer"].fillna(""), got["bank_account"].fillna("")))


def test_accepted_invoice_and_receipt_post_review_page_stays_draft(ledger):
    low = invoice(file="scan-2.png", **S015)
    low["fields"]["invoice_no"]["confidence"] = 0.4                  # a smudged number: review
    pages = [invoice(file="scan-1.png"), low, receipt(file="icbc-1.png")]
    results = assess_pages(pages, context(ledger))
    assert [r.status for r in results] == ["accepted", "review", "accepted"]
    made = store_captured(ledger, results)
    assert made.numbers("ap_invoice", "approved") == ["FP350019413004581726"]
    assert made.numbers("ap_invoice", "draft") == ["FP350019413004581999"]
    assert made.numbers("receipt", "approved") == ["HDICBC20201230000123"]
    head = made.documents["ap_invoice"].header
    assert head.loc["FP350019413004581726", ["org", "supplier", "receipt", "invoice_no"]].tolist() == \
        ["XM", "S025", "CG0001599", "04581726"]
    assert head.loc["FP350019413004581999", "receipt"] == "CG0001612"
    stored = ledger.store.documents("ap_invoice").set_index("number")
    assert stored.loc["FP350019413004581726", "status"] == "approved"
    assert stored.loc["FP350019413004581999", "status"] == "draft"
    events = ledger.store.events()
    assert "scan-1.png" in set(events["object"]) and "icbc-1.png" in set(events["object"])   # the image is the source

    result = ledger.post()
    assert result is not None
    for book in ("FJ-CAS", "CN-MGT"):
        assert lines_of(ledger, book, "FP350019413004581726") == [
            ("220201", 0, 3054390, "S025", "", ""),         # Cr 应付账款—明细 30,543.90
            ("220202", 2703000, 0, "S025", "", ""),         # Dr 暂估应付款 27,030.00 (the receipt's accrual)
            ("22210101", 351390, 0, "", "", "")]            # Dr 进项税额 3,513.90
        assert lines_of(ledger, book, "HDICBC20201230000123") == [
            ("1002", 662745, 0, "", "", "B001"), ("1122", 0, 662745, "", "C001", "")]
        assert lines_of(ledger, book, "FP350019413004581999") == []       # the draft posts nothing
    # the accrual of CG0001599 is reversed to nothing for S025 in the CAS book
    cas = ledger.lines("FJ-CAS", kind="business")
    accrual = cas[(cas["account"] == "220202") & (cas["supplier"] == "S025") &
                  cas["source_no"].isin(["CG0001599", "FP350019413004581726"])]
    assert int(accrual["credit"].sum()) == int(accrual["debit"].sum()) == 2703000


def test_a_second_capture_is_a_duplicate_and_adds_nothing(ledger):
    before = len(ledger.store.documents("ap_invoice"))
    ctx = context(ledger)                                            # the register holds the stored captures
    [again] = assess_pages([invoice(file="scan-1-again.png")], ctx)
    assert again.status == "review"
    assert [c.name for c in again.checks if not c.passed] == ["not_duplicate"]
    made = store_captured(ledger, [again], ctx)
    assert made.documents == {}
    assert "exists" in made.review["reason"].iloc[0]
    assert len(ledger.store.documents("ap_invoice")) == before
    stored = Register.from_ledger(ledger)                            # receipts by serial, date and amount
    assert stored.seen("receipt", receipt_values()) and not stored.seen("receipt", receipt_values(amount="6627.46"))
    assert stored.seen("invoice", invoice_values()) and not stored.seen("invoice", invoice_values(invoice_no="1"))


def test_pages_without_a_supplier_or_an_open_receipt_give_no_document(ledger):
    ctx = CaptureContext.from_case(ledger.case, today=TODAY)
    unknown = invoice(seller_name="北京某公司", seller_tax_id="91110000600037341L", invoice_no="11111111")
    no_receipt = invoice(invoice_no="22222222", amount="100.00", tax="13.00", total="113.00",
                         total_in_words="壹佰壹拾叁圆整")
    stranger = receipt(payer_name="无名公司", serial_no="ICBC20201230000999")
    results = assess_pages([unknown, no_receipt, stranger], ctx)
    made = to_documents(results, ledger.case, ctx)
    assert made.documents == {}
    reasons = made.review["reason"].tolist()
    assert "none is invented" in reasons[0] and "waiting for its invoice" in reasons[1]
    assert "no known customer" in reasons[2]
