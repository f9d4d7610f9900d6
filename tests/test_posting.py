"""Posting details: conversion rounding, 本位币 amounts, ledgers by dimension, schemes."""
import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

import finshare


def _append(path, text):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def test_conversion_difference_goes_to_the_rounding_account(case_dir):
    _append(case_dir / "masterdata" / "materials.csv", "M004,咖啡机,Coffee machine,台,库存商品,1405\n")
    _append(case_dir / "documents" / "purchase_receipt.csv", "CG009,2020-03-25,XM,标准采购,S001,XM-PUR,CNY,approved,\n")
    _append(case_dir / "documents" / "purchase_receipt_lines.csv", "CG009,1,M001,1,0.05,0.05\nCG009,2,M004,1,0.05,0.05\n")
    ledger = finshare.Ledger(finshare.load_case(case_dir))
    ledger.post()
    hk = ledger.lines("FJ-HKFRS", "business")
    v = hk[hk["source_no"] == "CG009"]
    # 0.05 CNY x 1.10 = 0.055 -> 0.06 HKD on each debit line; the credit 0.10 -> 0.11: 0.01 left over
    assert list(zip(v["account"], v["debit"], v["credit"], v["template_line"])) == [
        ("1310", 6, 0, "STD/1"), ("1330", 6, 0, "STD/1"), ("2120", 0, 11, "STD/2"), ("4200", 0, 1, "rounding")]
    assert v["debit"].sum() == v["credit"].sum()
    cas = ledger.lines("FJ-CAS", "business")
    assert "rounding" not in set(cas["template_line"])          # CNY book: nothing to round


def test_local_currency_amount_is_used_by_books_in_that_currency(case_dir):
    tpl = case_dir / "templates" / "purchase_receipt.yaml"
    tpl.write_text(tpl.read_text(encoding="utf-8").replace("amount: amount", "amount: amount\n        amount_local: amount_local"),
                   encoding="utf-8")
    header = case_dir / "documents" / "purchase_receipt.csv"
    lines = case_dir / "documents" / "purchase_receipt_lines.csv"
    header.write_text("doc_no,date,org,biz_type,supplier,department,currency,local_currency,status,remark\n"
                      "HK001,2020-03-12,XM,费用采购,S002,XM-ADM,HKD,CNY,approved,港币采购\n", encoding="utf-8")
    lines.write_text("doc_no,line_no,material,qty,price,amount,amount_local\nHK001,1,M002,1,1100,1100.00,999.99\n",
                     encoding="utf-8")
    ledger = finshare.Ledger(finshare.load_case(case_dir))
    ledger.post()
    cas = ledger.journal("FJ-CAS", "business")
    assert list(cas["debit"]) == [Decimal("999.99"), Decimal("0.00")]      # the document's own 本位币金额
    assert list(cas["amount_orig"]) == [Decimal("1100.00")] * 2 and set(cas["currency_orig"]) == {"HKD"}
    hk = ledger.journal("FJ-HKFRS", "business")
    assert list(hk["debit"]) == [Decimal("1100.00"), Decimal("0.00")]       # HKD book: the HKD amount


def test_subsidiary_and_general_ledger(fujian):
    ledger = finshare.Ledger(fujian)
    ledger.post()
    sub = ledger.subsidiary("FJ-CAS", "2202", "supplier", "2020-03").set_index("supplier")
    assert sub["closing_credit"].to_dict() == {"S001": Decimal("20000.00"), "S002": Decimal("10000.00"),
                                               "S003": Decimal("5000.00")}
    gl = ledger.general_ledger("FJ-CAS", "2202")
    assert list(gl["period"]) == ["2020-03"] and gl["credit"].iloc[0] == Decimal("35000.00")
    dept = ledger.subsidiary("FJ-CAS", "6602", "department").set_index("department")
    assert dept.at["XM-ADM", "closing_debit"] == Decimal("10000.00")


def test_run_schemes_follows_the_cron_schedule(fujian, tmp_path):
    fujian.documents["purchase_receipt"].header.loc["CG003", "status"] = "submitted"
    ledger = finshare.Ledger(fujian, tmp_path / "l.sqlite")
    first = ledger.run_schemes(now=dt.datetime(2020, 3, 31, 2, 0))
    assert set(first["PR-AUTO"].business["source_no"]) == {"CG001", "CG002"}
    fujian.documents["purchase_receipt"].header.loc["CG003", "status"] = "approved"
    assert ledger.run_schemes(now=dt.datetime(2020, 3, 31, 12, 0)) == {}        # next run is 04-01 02:00
    later = ledger.run_schemes(now=dt.datetime(2020, 4, 1, 2, 5))
    assert set(later["PR-AUTO"].business["source_no"]) == {"CG003"}


def test_disabled_scheme_does_not_post_on_approval(fujian):
    from dataclasses import replace
    fujian.schemes = [replace(s, enabled=False) for s in fujian.schemes]
    fujian.documents["purchase_receipt"].header.loc["CG003", "status"] = "submitted"
    ledger = finshare.Ledger(fujian)
    assert ledger.approve("CG003") is None
    assert ledger.lines(None, None).empty


def test_documents_save_round_trip(fujian, tmp_path):
    docs = fujian.documents["purchase_receipt"]
    docs.save(tmp_path / "h.csv", tmp_path / "l.csv")
    back = finshare.Documents.read(docs.doctype, tmp_path / "h.csv", tmp_path / "l.csv", fujian.master)
    pd.testing.assert_frame_equal(docs.header.drop(columns="_line"), back.header.drop(columns="_line"))
    assert back.lines["amount"].tolist() == [2_000_000, 1_000_000, 500_000]


def test_editing_a_document_refreshes_lookups_and_the_vouchers(fujian):
    docs = fujian.documents["purchase_receipt"]
    with pytest.raises(finshare.FinshareError, match="document-approved"):
        docs.edit("CG003", department="XM-ADM")
    docs.set_status("CG003", "submitted")                   # 反审核
    docs.edit("CG003", 采购部门="XM-ADM")
    docs.edit("CG003", line_no=1, amount="4800.50")
    assert docs.header.at["CG003", "dept_attr"] == "管理"
    with pytest.raises(finshare.FinshareError, match="unknown-reference"):
        docs.edit("CG003", department="NOPE")
    ledger = finshare.Ledger(fujian)
    ledger.approve("CG003")
    j = ledger.journal("FJ-CAS", "business")
    cg003 = j[j["source_no"] == "CG003"]
    assert list(zip(cg003["account"], cg003["debit"])) == [("6602", Decimal("4800.50")), ("220202", Decimal("0.00"))]


def test_unmapped_account_is_one_clear_problem(fujian):
    from dataclasses import replace
    tpl = fujian.templates["PR"]
    std = tpl.classes[0]
    bad = replace(tpl, classes=(replace(std, lines=(std.lines[0], replace(std.lines[1], account="1131"))),
                                tpl.classes[1]))     # 应收股利 has no counterpart in the HKFRS map
    ex = finshare.why(fujian, "CG001", "FJ-HKFRS", template=bad)
    assert [p.code for p in ex.problems] == ["unmapped-account"]
    assert "add 1131 to the account map of book FJ-HKFRS" in ex.problems[0].hint


def test_last_guard_names_each_voucher_that_does_not_balance(case_dir):
    from finshare.core.batch import check_balanced
    from finshare.core.problems import FinshareError
    from finshare.core.result import PostingResult
    ledger = finshare.Ledger(finshare.load_case(case_dir))
    result = ledger.post()
    check_balanced(result)                                     # what was stored balances
    business = result.business.copy()
    first = business.index[business["voucher_no"] == business["voucher_no"].iloc[0]]
    book, period, voucher = business.loc[first[0], ["book", "period", "voucher_no"]].astype(str)
    business.loc[first[0], "debit"] += 1                       # one fen more on one line of one voucher
    with pytest.raises(FinshareError) as err:
        check_balanced(PostingResult(result.batch, business, result.gl))
    assert [p.code for p in err.value.problems] == ["unbalanced-voucher"]
    assert f"{book} {period} {voucher}" in err.value.problems[0].message
