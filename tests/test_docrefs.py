"""A document field may refer to another document (type ``docref``), checked like a master-data reference."""
import shutil
from pathlib import Path

import pytest

import finshare
from finshare.cli import main
from finshare.core.docrefs import read_order
from finshare.core.problems import FinshareError

FUJIAN = Path(__file__).resolve().parents[1] / "datasets" / "fujian"

#: A case-level document type: a supplier's invoice naming the receipt it settles.
AP_INVOICE = """\
code: ap_invoice
label_zh: 应付发票
label_en: AP invoice
header:
  doc_no: {type: code, required: true, label_zh: 单据编号}
  date: {type: date, required: true, label_zh: 业务日期}
  org: {type: ref, ref: organisations, required: true, label_zh: 业务组织}
  supplier: {type: ref, ref: suppliers, required: true, label_zh: 供应商}
  receipt: {type: docref, ref: purchase_receipt, required: true, label_zh: 入库单号, label_en: Purchase receipt}
  credit_of: {type: docref, ref: ap_invoice, label_zh: 原发票, label_en: Credited invoice}
  currency: {type: currency, required: true, label_zh: 币别}
  status: {type: enum, required: true, values: [draft, submitted, approved], label_zh: 单据状态}
lines:
  doc_no: {type: code, required: true, label_zh: 单据编号}
  line_no: {type: int, required: true, label_zh: 行号}
  amount: {type: money, required: true, label_zh: 金额}
"""


def invoices(case: Path, rows: list[tuple[str, str, str]]) -> None:
    """Write draft AP invoices ``(number, receipt, credit_of)``, one line of 100.00 each."""
    head = ["doc_no,date,org,supplier,receipt,credit_of,currency,status"]
    head += [f"{n},2020-03-20,XM,S001,{r},{c},CNY,draft" for n, r, c in rows]
    (case / "documents" / "ap_invoice.csv").write_text("\n".join(head) + "\n", encoding="utf-8")
    lines = ["doc_no,line_no,amount"] + [f"{n},1,100.00" for n, _, _ in rows]
    (case / "documents" / "ap_invoice_lines.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def case(tmp_path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(FUJIAN, dest, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    (dest / "doctypes").mkdir(exist_ok=True)
    (dest / "doctypes" / "ap_invoice.yaml").write_text(AP_INVOICE, encoding="utf-8")
    return dest


def problem_of(exc: FinshareError) -> tuple:
    (p,) = exc.problems
    return p.code, Path(p.source.file).name, p.source.line, p.source.field


def test_a_reference_to_a_document_of_the_case_loads(case):
    invoices(case, [("FP001", "CG001", ""), ("FP002", "CG003", "FP001")])
    docs = finshare.load_case(case).documents["ap_invoice"]
    assert list(docs.header["receipt"]) == ["CG001", "CG003"]
    assert list(docs.header["credit_of"].fillna("")) == ["", "FP001"]     # its own type, same file


def test_an_unknown_reference_names_file_row_field_and_value(case):
    invoices(case, [("FP001", "CG001", ""), ("FP002", "CG009", "")])
    with pytest.raises(FinshareError) as err:
        finshare.load_case(case)
    assert problem_of(err.value) == ("unknown-document-reference", "ap_invoice.csv", 3, "receipt")
    assert "'CG009' 不是已有的purchase_receipt单据 / 'CG009' is not a known purchase_receipt document" \
        in err.value.problems[0].message


def test_referenced_types_are_read_first():
    types = {"ap_invoice": None, "purchase_receipt": None}
    case = finshare.load_case(FUJIAN, documents=False)
    doctypes = dict(case.doctypes)
    from finshare.core.documents import DocumentType
    doctypes["ap_invoice"] = DocumentType.from_yaml(AP_INVOICE)
    assert read_order(doctypes, types) == ["purchase_receipt", "ap_invoice"]


def test_the_store_knows_receipts_imported_earlier(case, capsys):
    """The receipts file is unchanged (not read again): the invoice's reference is checked against the store."""
    assert main(["tb", str(case), "--book", "FJ-CAS", "--period", "2020-03"]) == 0
    invoices(case, [("FP001", "CG002", "")])
    assert main(["journal", str(case), "--book", "FJ-CAS"]) == 0
    ledger = finshare.Ledger(finshare.load_case(case, documents=False), case / "ledger.sqlite")
    assert list(ledger.store.documents("ap_invoice")["number"]) == ["FP001"]
    stored = ledger.store.documents("purchase_receipt")
    assert stored.to_dict("list") == {"number": ["CG001", "CG002", "CG003"], "status": ["approved"] * 3,
                                      "posted": [True] * 3}
    invoices(case, [("FP001", "CG002", ""), ("FP002", "CG404", "")])
    capsys.readouterr()
    assert main(["journal", str(case), "--book", "FJ-CAS"]) == 2
    err = capsys.readouterr().err
    assert "unknown-document-reference" in err and "CG404" in err and "ap_invoice.csv" in err
    assert list(ledger.store.documents("ap_invoice")["number"]) == ["FP001"]   # nothing of the file was taken


def test_a_reference_to_an_unknown_type_is_a_problem_of_the_type_file(case):
    (case / "doctypes" / "ap_invoice.yaml").write_text(AP_INVOICE.replace("ref: purchase_receipt", "ref: goods_receipt"),
                                                       encoding="utf-8")
    with pytest.raises(FinshareError) as err:
        finshare.load_case(case, documents=False)
    (p,) = err.value.problems
    assert (p.code, p.source.field) == ("unknown-doctype", "receipt")
    assert "refers to an unknown document type 'goods_receipt'" in p.message


def test_types_referring_to_each_other_in_a_cycle_are_refused(case):
    back = AP_INVOICE.replace("code: ap_invoice", "code: ap_return").replace("ref: purchase_receipt", "ref: ap_invoice")
    (case / "doctypes" / "ap_return.yaml").write_text(back, encoding="utf-8")
    (case / "doctypes" / "ap_invoice.yaml").write_text(AP_INVOICE.replace("ref: purchase_receipt", "ref: ap_return"),
                                                       encoding="utf-8")
    with pytest.raises(FinshareError) as err:
        finshare.load_case(case, documents=False)
    (p,) = err.value.problems
    assert p.code == "document-reference-cycle"
    assert "ap_invoice → ap_return" in p.message or "ap_return → ap_invoice" in p.message
