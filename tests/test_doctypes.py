"""Document types are data: a new type posts with no new engine code."""
from decimal import Decimal

import pytest

import finshare

EXPENSE_CLAIM = """\
code: expense_claim
label_zh: 费用报销单
label_en: Expense claim
header:
  doc_no: {type: code, required: true, label_zh: 单据编号}
  date: {type: date, required: true, label_zh: 业务日期}
  org: {type: ref, ref: organisations, required: true, label_zh: 组织}
  employee: {type: ref, ref: employees, required: true, label_zh: 报销人}
  department: {type: ref, ref: departments, required: true, label_zh: 费用承担部门}
  currency: {type: currency, required: true, label_zh: 币别}
  amount: {type: money, required: true, label_zh: 报销金额}
  status: {type: enum, values: [draft, submitted, approved], required: true, label_zh: 单据状态}
  dept_attr: {lookup: {from: department, table: departments, column: attribute}, label_zh: 部门属性}
  employee_name: {lookup: {from: employee, table: employees, column: name_zh}, label_zh: 报销人姓名}
"""
TEMPLATE = """\
code: EC
doc_type: expense_claim
voucher_word: 付
classes:
  - code: PAY
    lines:
      - {side: 借, account: "6602", when: 部门属性 == "管理", amount: amount, dimensions: {department: department},
         summary: "报销 {报销人姓名} {doc_no}"}
      - {side: 借, account: "6601", when: 部门属性 == "销售", amount: amount, dimensions: {department: department},
         summary: "报销 {报销人姓名} {doc_no}"}
      - {side: 贷, account: "1002", amount: amount, dimensions: {bank_account: {value: B001}},
         summary: "付款 {doc_no} {amount}"}
"""


def test_a_new_document_type_from_yaml_posts(case_dir):
    (case_dir / "doctypes").mkdir()
    (case_dir / "doctypes" / "expense_claim.yaml").write_text(EXPENSE_CLAIM, encoding="utf-8")
    (case_dir / "templates" / "expense_claim.yaml").write_text(TEMPLATE, encoding="utf-8")
    (case_dir / "documents" / "expense_claim.csv").write_text(
        "doc_no,date,org,employee,department,currency,amount,status\n"
        "BX001,2020-03-18,XM,E001,XM-ADM,CNY,1234.50,approved\n"
        "BX002,2020-03-19,XM,E002,XM-MKT,CNY,800.00,approved\n"
        "BX003,2020-03-19,XM,E002,XM-MKT,CNY,99.00,draft\n", encoding="utf-8")
    ledger = finshare.Ledger(finshare.load_case(case_dir))
    ledger.post()
    j = ledger.journal("FJ-CAS", "business")
    bx = j[j["source_type"] == "expense_claim"]
    assert list(zip(bx["voucher_no"], bx["account"], bx["debit"], bx["credit"], bx["bank_account"], bx["summary"])) == [
        ("付-0001", "6602", Decimal("1234.50"), Decimal("0.00"), "", "报销 林晓 BX001"),
        ("付-0001", "1002", Decimal("0.00"), Decimal("1234.50"), "B001", "付款 BX001 1234.50"),
        ("付-0002", "6601", Decimal("800.00"), Decimal("0.00"), "", "报销 陈明 BX002"),
        ("付-0002", "1002", Decimal("0.00"), Decimal("800.00"), "B001", "付款 BX002 800.00"),
    ]
    # the purchase receipts keep their own voucher word and numbers
    assert list(j.loc[j["source_type"] == "purchase_receipt", "voucher_no"].unique()) == ["记-0001", "记-0002", "记-0003"]


def test_status_moves_one_step_at_a_time(fujian):
    docs = fujian.documents["purchase_receipt"]
    docs.set_status("CG001", "submitted")
    docs.set_status("CG001", "draft")
    with pytest.raises(finshare.FinshareError, match="cannot become approved directly"):
        docs.set_status("CG001", "approved")
    with pytest.raises(finshare.FinshareError, match="bad-status"):
        docs.set_status("CG001", "posted")
