"""Documents live in the store: statuses survive a restart, files are imported incrementally, posted ones stay put."""
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import finshare
from cases import batches
from finshare.cli import main
from finshare.core.documents import Documents

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def business(out: str) -> list[tuple[str, str, str]]:
    return [(r["source_no"], r["voucher_no"], r["debit"]) for r in csv.DictReader(io.StringIO(out)) if r["debit"] != "0.00"]



def test_approve_on_the_command_line_survives_a_new_process(case_dir, capsys):
    edit(case_dir / "documents" / "purchase_receipt.csv", "XM-MKT,CNY,approved", "XM-MKT,CNY,submitted")
    code, out, _ = run(capsys, "journal", case_dir, "--book", "FJ-CAS", "--kind", "business")
    assert code == 0 and [s for s, _, _ in business(out)] == ["CG001", "CG002"]
    code, out, err = run(capsys, "approve", case_dir, "--doc", "CG003", "--by", "李审核", "--reason", "单据齐全")
    assert code == 0, err
    assert out.strip() == "CG003: 已审核 approved; batch 2: 1 documents, 3 business vouchers, 3 GL vouchers"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    later = subprocess.run([sys.executable, "-m", "finshare.cli", "journal", str(case_dir), "--book", "FJ-CAS",
                            "--kind", "business"], capture_output=True, text=True, env=env, timeout=120)
    assert later.returncode == 0, later.stderr
    assert business(later.stdout) == [("CG001", "记-0001", "20000.00"), ("CG002", "记-0002", "10000.00"),
                                      ("CG003", "记-0003", "5000.00")]
    assert batches(case_dir) == 2                       # the later journal posted nothing again
    store = finshare.Ledger(finshare.load_case(case_dir, documents=False), case_dir / "ledger.sqlite").store
    ev = store.events()
    ev = ev[ev["object"] == "purchase_receipt/CG003"]
    assert list(zip(ev["action"], ev["from_state"], ev["to_state"], ev["by"], ev["reason"])) == [
        ("approve", "submitted", "approved", "李审核", "单据齐全")]


def test_an_unchanged_file_is_not_read_again(case_dir, capsys, monkeypatch):
    assert run(capsys, "journal", case_dir)[0] == 0

    def must_not_read(*args, **kwargs):
        raise AssertionError("an unchanged file was read again")

    monkeypatch.setattr(Documents, "read", must_not_read)
    assert run(capsys, "tb", case_dir, "--book", "FJ-CAS")[0] == 0
    os.utime(case_dir / "documents" / "purchase_receipt.csv")      # touched, same bytes: the hash says unchanged
    assert run(capsys, "tb", case_dir, "--book", "FJ-CAS")[0] == 0
    monkeypatch.undo()
    edit(case_dir / "documents" / "purchase_receipt.csv", "咖啡原料入库", "咖啡原料入库（补）")
    code, _, err = run(capsys, "tb", case_dir, "--book", "FJ-CAS")
    assert code == 2 and "posted-document-changed" in err           # the file was read: CG001 is posted


def test_a_change_to_a_posted_document_is_refused_with_the_way_to_correct_it(case_dir, capsys):
    run(capsys, "journal", case_dir)
    before = batches(case_dir)
    edit(case_dir / "documents" / "purchase_receipt_lines.csv", "5000.00", "6000.00")
    code, out, err = run(capsys, "journal", case_dir)
    assert code == 2 and out == ""
    assert "单据 CG003 已过账，文件里的修改没有导入 / CG003 is posted: the change in the file was not imported" in err
    assert "purchase_receipt.csv:4" in err and "finshare unapprove CASE --doc CG003" in err and "红字冲销" in err
    assert batches(case_dir) == before


def test_a_changed_document_not_yet_posted_is_updated_and_logged(case_dir, capsys):
    edit(case_dir / "documents" / "purchase_receipt.csv", "XM-MKT,CNY,approved", "XM-MKT,CNY,draft")
    run(capsys, "journal", case_dir)
    edit(case_dir / "documents" / "purchase_receipt_lines.csv", "5000.00", "6000.00")
    assert run(capsys, "journal", case_dir)[0] == 0
    code, out, _ = run(capsys, "approve", case_dir, "--doc", "CG003")
    assert code == 0 and "batch 2" in out
    _, out, _ = run(capsys, "journal", case_dir, "--book", "FJ-CAS", "--kind", "business")
    assert ("CG003", "记-0003", "6000.00") in business(out)
    store = finshare.Ledger(finshare.load_case(case_dir, documents=False), case_dir / "ledger.sqlite").store
    ev = store.events()
    assert list(ev.loc[ev["object"] == "purchase_receipt/CG003", "action"]) == ["edit", "submit", "approve"]


def test_unapprove_says_the_vouchers_still_stand(case_dir, capsys):
    run(capsys, "journal", case_dir)
    code, out, _ = run(capsys, "unapprove", case_dir, "--doc", "CG003", "--reason", "金额有误")
    assert code == 0
    assert out.splitlines() == ["CG003: 反审核 → 已提交 submitted",
                                "  CG003 仍有凭证：先红字冲销 / CG003 still has vouchers: reverse them first "
                                "(finshare reverse CASE --doc CG003 --reason …), then correct it and approve it again"]
    code, _, err = run(capsys, "unapprove", case_dir, "--doc", "CG003")
    assert code == 2 and "CG003 is submitted, not approved [not-approved]" in err
    code, _, err = run(capsys, "approve", case_dir, "--doc", "CG999")
    assert code == 2 and "no document CG999 [unknown-document]" in err


@pytest.mark.parametrize("where, old, new, code", [
    ("purchase_receipt.csv", "2020-03-10,XM,费用采购,S003", "2020-03-10,CN-PC,费用采购,S003", "document-reaches-no-book"),
    ("purchase_receipt.csv", "2020-03-10,XM,费用采购,S003", "2020-03-10,FJ,费用采购,S003", "document-reaches-no-book"),
    ("purchase_receipt_lines.csv", "CG003,1,M003,1000,5,5000.00", "CG003,1,M003,0,5,0.00", "document-zero-amount"),
    ("purchase_receipt_lines.csv", "CG003,1,M003,1000,5,5000.00\n", "", "document-without-lines"),
])
def test_an_approved_document_that_would_post_nothing_is_reported(case_dir, capsys, where, old, new, code):
    edit(case_dir / "documents" / where, old, new)
    status, out, err = run(capsys, "journal", case_dir)
    assert status == 2 and out == "" and f"[{code}]" in err and "CG003" in err
    assert batches(case_dir) == 0


def test_documents_may_come_as_excel_workbooks(case_dir, tmp_path, capsys):
    """A consultant's client sends .xlsx: real dates and numbers in the cells, the same vouchers come out."""
    import pandas as pd
    reference = tmp_path / "csv-case"
    import shutil
    shutil.copytree(case_dir, reference)
    folder = case_dir / "documents"
    header = pd.read_csv(folder / "purchase_receipt.csv", dtype=str, keep_default_na=False)
    header["date"] = pd.to_datetime(header["date"])                    # an Excel date cell
    lines = pd.read_csv(folder / "purchase_receipt_lines.csv", dtype=str, keep_default_na=False)
    for c in ("line_no", "qty", "price", "amount"):
        lines[c] = pd.to_numeric(lines[c])                             # Excel number cells
    header.to_excel(folder / "purchase_receipt.xlsx", index=False)
    lines.to_excel(folder / "purchase_receipt_lines.xlsx", index=False)
    (folder / "purchase_receipt.csv").unlink()
    (folder / "purchase_receipt_lines.csv").unlink()
    code, out, err = run(capsys, "journal", case_dir, "--kind", "business")
    assert code == 0, err
    assert out == run(capsys, "journal", reference, "--kind", "business")[1]
    (folder / "purchase_receipt.xlsx").write_bytes(b"not a workbook")
    code, _, err = run(capsys, "journal", case_dir)
    assert code == 2 and "Excel 文件打不开 / cannot read the workbook" in err and "[bad-excel]" in err


def test_a_type_with_both_a_csv_and_a_workbook_is_ambiguous(case_dir, capsys):
    import pandas as pd
    pd.read_csv(case_dir / "documents" / "purchase_receipt.csv", dtype=str).to_excel(
        case_dir / "documents" / "purchase_receipt.xlsx", index=False)
    code, _, err = run(capsys, "journal", case_dir)
    assert code == 2 and "purchase_receipt 既有 CSV 又有 Excel 文件 / purchase_receipt has both a CSV and an Excel " \
                         "file [two-document-files]" in err


def test_a_posted_document_is_corrected_on_the_command_line(case_dir, capsys):
    """反审核 → 红字冲销 → edit the file → 审核: the corrected document posts again, the old vouchers stay."""
    run(capsys, "journal", case_dir)
    lines_csv = case_dir / "documents" / "purchase_receipt_lines.csv"
    edit(lines_csv, "5000.00", "6000.00")
    assert run(capsys, "journal", case_dir)[0] == 2                       # refused while CG003 stands
    assert run(capsys, "unapprove", case_dir, "--doc", "CG003", "--reason", "金额有误")[0] == 0
    code, out, err = run(capsys, "reverse", case_dir, "--doc", "CG003", "--reason", "金额有误")
    assert code == 0, err
    assert out.splitlines() == [f"{b} 2020-03 记-0004: 红字冲销 2020-03/记-0003 / reversal (batch {k})"
                                for k, b in ((2, "CN-MGT"), (3, "FJ-CAS"), (4, "FJ-HKFRS"))]
    code, out, err = run(capsys, "approve", case_dir, "--doc", "CG003", "--reason", "已更正")
    assert code == 0 and "batch 5" in out, err
    _, out, _ = run(capsys, "journal", case_dir, "--book", "FJ-CAS", "--kind", "business")
    assert [r for r in business(out) if r[0] == "CG003"] == [
        ("CG003", "记-0003", "5000.00"), ("CG003", "记-0004", "-5000.00"), ("CG003", "记-0005", "6000.00")]
    code, _, err = run(capsys, "reverse", case_dir, "--doc", "CG001", "--book", "XX", "--reason", "x")
    assert code == 2 and "[unknown-book]" in err
    run(capsys, "reverse", case_dir, "--doc", "CG001", "--book", "FJ-CAS", "--reason", "x")
    code, _, err = run(capsys, "reverse", case_dir, "--doc", "CG001", "--book", "FJ-CAS", "--reason", "x")
    assert code == 2 and "单据 CG001 没有未冲销的凭证 / CG001 has no voucher left to reverse [nothing-to-reverse]" in err
