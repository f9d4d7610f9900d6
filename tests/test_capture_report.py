"""Captured pages for people: accuracy against the truth, the review queue, the voucher preview, boxes drawn."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from capture_pages import YEAR, context, invoice, invoice_values, receipt_values
from finshare import load_case
from finshare.capture.context import CaptureContext
from finshare.capture.preview import entry_lines, preview_page
from finshare.capture.report import compare, field_accuracy, review_queue, summary, truth_verdicts
from finshare.capture.status import assess
from finshare.ui.capture_figures import FLAGGED_COLOUR, OK_COLOUR, boxed_page

AMOUNT, TAX = 2_703_000, 351_390        # capture_pages.invoice_values: 27,030.00 at 13 %, half up in fen


@pytest.fixture(scope="module")
def case():
    return load_case(YEAR)


def captured(page: dict, case) -> dict:
    """A hand page as the pipeline returns it: fields judged, checks as dicts, status."""
    r = assess(page, CaptureContext.from_case(case))
    return {**page, "fields": r.fields, "checks": [c.as_dict() for c in r.checks], "status": r.status}


def test_compare_counts_exact_values_only_and_a_wrong_kind_reads_nothing():
    truths = [{"file": "a.png", "kind": "invoice", "family": "special", "noise": [],
               "fields": {"amount": "10.00", "tax": "1.30"}},
              {"file": "b.png", "kind": "receipt", "family": "icbc", "noise": ["blur"], "fields": {"amount": "5.00"}}]
    pages = [{"file": "a.png", "kind": "invoice", "status": "accepted",
              "fields": {"amount": {"value": "10.00"}, "tax": {"value": "1.3"}}},
             {"file": "b.png", "kind": "invoice", "status": "review", "fields": {"amount": {"value": "5.00"}}}]
    table = compare(truths, pages)
    assert table["right"].tolist() == [True, False, False]
    assert table["read"].iloc[:2].tolist() == ["10.00", "1.3"] and table["read"].isna().tolist() == [False, False, True]
    assert table["noisy"].tolist() == [False, False, True]
    acc = field_accuracy(table).set_index(["kind", "field"])
    assert acc.loc[("invoice", "amount"), ["pages", "right", "accuracy"]].tolist() == [1, 1, 1.0]
    assert acc.loc[("receipt", "amount"), "accuracy"] == 0.0


def test_review_queue_names_failed_checks_and_flagged_fields(case):
    good = captured(invoice(file="good.png"), case)
    bad = captured(invoice(file="bad.png", total="30643.90", invoice_no="04581727"), case)
    queue = review_queue([good, bad])
    assert queue["file"].tolist() == ["bad.png"]
    assert queue["failed_checks"].iloc[0] == "total_is_amount_plus_tax, words_match_total"
    assert queue["flagged_fields"].iloc[0] == "amount, tax, total, total_in_words"


def test_preview_of_an_accepted_invoice_settles_the_waiting_receipt(case):
    page = captured(invoice(), case)
    assert page["status"] == "accepted"
    preview = preview_page(page, case)
    assert (preview.doc_type, preview.number, preview.header["receipt"]) == \
        ("ap_invoice", "FP350019413004581726", "CG0001599")
    lines = entry_lines(preview)
    cas = lines[lines["book"] == "FJ-CAS"]
    assert list(zip(cas["account"], cas["debit"], cas["credit"], cas["supplier"])) == [
        ("220202", AMOUNT, 0, "S025"), ("22210101", TAX, 0, ""), ("220201", 0, AMOUNT + TAX, "S025")]
    for book, part in lines.groupby("book"):
        assert int(part["debit"].sum()) == int(part["credit"].sum()), book
    assert "CG0001599" not in set(case.documents["ap_invoice"].header.get("receipt", []))   # the case is untouched


def test_preview_of_an_unknown_seller_gives_the_reason(case):
    page = captured(invoice(seller_name="北京某公司", seller_tax_id="91110000600037341L"), case)
    preview = preview_page(page, case)
    assert preview.number is None and "none is invented" in preview.reason
    assert entry_lines(preview).empty


def test_boxed_page_draws_ok_fields_green_and_flagged_fields_red():
    image = np.full((100, 200), 255, dtype=np.uint8)
    out = np.asarray(boxed_page(image, {"amount": {"box": [20, 40, 50, 20], "ok": True},
                                        "total": {"box": [120, 40, 50, 20], "ok": False},
                                        "memo": {"box": None, "ok": False}}))
    assert tuple(out[50, 17]) == OK_COLOUR              # left edge of the amount's box (3 px outside, 3 px wide)
    assert tuple(out[50, 117]) == FLAGGED_COLOUR
    assert tuple(out[50, 100]) == (255, 255, 255)


def test_truth_verdicts_name_the_checks_a_true_page_fails_without_registering_it():
    ctx = context()
    truths = [{"file": "inv.png", "kind": "invoice", "family": "special", "fields": invoice_values()},
              {"file": "cmb.png", "kind": "receipt", "family": "cmb",
               "fields": receipt_values(payee_name="福建制造公司", payee_account="591902345610001")}]
    fails = truth_verdicts(truths, ctx)
    assert fails.to_dict() == {"inv.png": "", "cmb.png": "our_account, counterparty_known"}
    assert truth_verdicts(truths, ctx)["inv.png"] == ""          # not remembered: no duplicate the second time


def test_summary_of_one_engine():
    rows = [("a", False, True, True, 1.0), ("a", False, True, True, 1.0),          # clean, accepted, right
            ("b", False, True, False, 3.0), ("b", False, True, True, 3.0),         # clean, accepted, one wrong
            ("c", False, False, True, 2.0), ("c", False, False, True, 2.0),        # clean, truth fails, review
            ("d", True, False, False, 6.0), ("d", True, False, False, 6.0)]        # noisy, review, both wrong
    table = pd.DataFrame(rows, columns=["file", "noisy", "accepted", "right", "seconds"])
    got = summary(table, pd.Series({"a": "", "b": "", "c": "our_account", "d": ""}))
    assert got == pytest.approx({"clean acc %": 100 * 5 / 6, "noisy acc %": 0.0, "accepted clean %": 100 * 2 / 3,
                                 "accepted noisy %": 0.0, "accepted of acceptable clean %": 100.0,
                                 "seconds/page": 3.0, "wrong accepted": 1})
