"""The command line: output columns, and bad input refused with one clear message, store untouched."""
import csv
import io
import json
import subprocess
import sys

import pytest

from finshare.cli import JOURNAL_OUTPUT, main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_journal_csv_has_the_documented_columns(case_dir, capsys):
    code, out, err = run(capsys, "journal", case_dir, "--book", "FJ-CAS", "--kind", "business")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == JOURNAL_OUTPUT
    assert [(r["voucher_no"], r["account"], r["debit"], r["credit"], r["supplier"]) for r in rows] == [
        ("记-0001", "1403", "20000.00", "0.00", ""), ("记-0001", "220202", "0.00", "20000.00", "S001"),
        ("记-0002", "6602", "10000.00", "0.00", ""), ("记-0002", "220202", "0.00", "10000.00", "S002"),
        ("记-0003", "6601", "5000.00", "0.00", ""), ("记-0003", "220202", "0.00", "5000.00", "S003"),
    ]
    assert (case_dir / "ledger.sqlite").exists()


def test_journal_json_and_idempotent_second_run(case_dir, capsys):
    run(capsys, "journal", case_dir)
    code, out, _ = run(capsys, "journal", case_dir, "--book", "FJ-HKFRS", "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data) == 6            # not doubled by the second posting
    assert {d["debit"] for d in data} == {"22000.00", "5500.00", "11000.00", "0.00"}
    assert {d["currency_orig"] for d in data} == {"CNY"}


def test_trial_balance(case_dir, capsys):
    code, out, _ = run(capsys, "tb", case_dir, "--book", "FJ-CAS", "--period", "2020-03")
    rows = {r["account"]: r for r in csv.DictReader(io.StringIO(out))}
    assert code == 0
    assert rows["2202"]["closing_credit"] == "35000.00"
    assert rows[""]["account_name"] == "合计" and rows[""]["debit"] == rows[""]["credit"] == "35000.00"


def test_why(case_dir, capsys):
    code, out, _ = run(capsys, "why", case_dir, "--doc", "CG003", "--book", "FJ-HKFRS")
    assert code == 0
    assert "✓ fires 生成: line EXP/2 借 6601" in out
    assert "6100 销售及分销开支  5,500.00 HKD" in out


def ledger_rows(case_dir):
    import sqlite3
    con = sqlite3.connect(case_dir / "ledger.sqlite")
    try:
        return con.execute("select voucher, line, account, debit, credit from lines order by voucher, line").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("breakage, expected", [
    (lambda d: (d / "documents" / "purchase_receipt_lines.csv").unlink(),
     "purchase_receipt_lines.csv: 找不到分录文件 purchase_receipt_lines.csv / the lines file is missing"),
    (lambda d: (d / "books.yaml").unlink(), "books.yaml not found"),
    (lambda d: _edit(d / "documents" / "purchase_receipt.csv", "remark", "remarks"),
     "purchase_receipt.csv:1, 字段 field remarks: 未知列 'remarks' / unknown column 'remarks'"),
    (lambda d: _edit(d / "templates" / "purchase_receipt.yaml", 'account: "6602"', 'account: "6699"'),
     "科目 6699 不在 CAS 科目表中 / account 6699 is not in chart CAS"),
    (lambda d: _edit(d / "templates" / "purchase_receipt.yaml", 'account: "6602"', 'account: "2202"'),
     "account 2202 is not a leaf"),
    (lambda d: _edit(d / "templates" / "purchase_receipt.yaml", 'when: 部门属性 == "管理"',
                     "when: \"__import__('os').system('id')\""), "purchase_receipt.yaml:38, 字段 field when: 条件中不允许函数调用，只能使用字段名、字面量、比较、in 和 and/or/not / condition rejected: a function call is not allowed"),
    (lambda d: _edit(d / "templates" / "purchase_receipt.yaml", "side: credit", "side: debit"),
     "unbalanced-template"),
    (lambda d: _edit(d / "documents" / "purchase_receipt_lines.csv", "5000.00", "5000.001"),
     "purchase_receipt_lines.csv:4, 字段 field amount"),
    (lambda d: _edit(d / "masterdata" / "suppliers.csv", "91350200MA2Y00011P", "91350200MA2Y00011Q"),
     "GB 32100 gives 'P'"),
])
def test_bad_input_exits_nonzero_names_the_place_and_keeps_the_ledger(case_dir, capsys, breakage, expected):
    assert run(capsys, "journal", case_dir)[0] == 0
    before = ledger_rows(case_dir)
    (case_dir / "documents" / "purchase_receipt.csv").write_text(
        (case_dir / "documents" / "purchase_receipt.csv").read_text(encoding="utf-8")
        + "CG004,2020-03-20,XM,费用采购,S002,XM-ADM,CNY,approved,第四张\n", encoding="utf-8")
    with open(case_dir / "documents" / "purchase_receipt_lines.csv", "a", encoding="utf-8") as fh:
        fh.write("CG004,1,M002,10,20,200.00\n")
    breakage(case_dir)
    code, out, err = run(capsys, "journal", case_dir)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert ledger_rows(case_dir) == before


def test_unbalanced_voucher_refuses_the_whole_batch(case_dir, capsys):
    # a line condition that fires for nobody leaves CG002's credit without its debit
    _edit(case_dir / "templates" / "purchase_receipt.yaml", 'when: 部门属性 == "管理"', 'when: 部门属性 == "研发"')
    code, _, err = run(capsys, "journal", case_dir)
    assert code == 2
    assert "单据 CG002 的凭证借贷不平，差额 -10,000.00 CNY" in err
    assert "posting refused, nothing was stored" in err
    assert ledger_rows(case_dir) == []


def test_installed_entry_point(case_dir):
    proc = subprocess.run([sys.executable, "-m", "finshare.cli", "tb", str(case_dir), "--book", "CN-MGT",
                           "--format", "json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[-1]["debit"] == "35000.00"


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_run_schemes_for_cron(case_dir, capsys):
    code, out, _ = run(capsys, "run-schemes", case_dir)
    assert code == 0 and "PR-AUTO: batch 1, 3 documents, 9 business vouchers" in out
    code, out, _ = run(capsys, "run-schemes", case_dir)            # not due again until 02:00 tomorrow
    assert code == 0 and "no scheme is due" in out


def test_missing_dimension_names_document_line_and_account(case_dir, capsys):
    _edit(case_dir / "templates" / "purchase_receipt.yaml", "        dimensions: {supplier: supplier}\n", "", )
    code, _, err = run(capsys, "journal", case_dir)
    assert code == 2
    assert ("单据 document CG001, 账簿 book CN-MGT, 模板行 template line STD/2: 科目 220202 需要核算项目 供应商 / "
            "account 220202 requires dimension supplier [missing-dimension]") in err


def test_readme_journal_table_is_generated_from_the_one_schema():
    from pathlib import Path
    from finshare.core.journal import OUTPUT_COLUMNS, markdown_table
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme
    assert JOURNAL_OUTPUT == OUTPUT_COLUMNS and "org" in OUTPUT_COLUMNS


def test_a_fault_inside_the_engine_is_a_problem_naming_the_source(case_dir, capsys, monkeypatch):
    from finshare.core import batch

    def broken(*args, **kwargs):
        raise ValueError("cannot reshape array of size 3")

    monkeypatch.setattr(batch, "generate_entries", broken)
    code, out, err = run(capsys, "journal", case_dir)
    assert code == 2 and out == ""
    assert ("过账单据类型 purchase_receipt 时出错 / posting purchase_receipt failed: ValueError: cannot reshape array "
            "of size 3 [engine-error]") in err
    assert "purchase_receipt.yaml" in err and "nothing was stored" in err


def test_any_other_fault_is_a_message_with_exit_70_not_a_traceback(case_dir, capsys, monkeypatch):
    from finshare.core import ledger

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ledger.Ledger, "trial_balance", broken)
    code, out, err = run(capsys, "tb", case_dir, "--book", "FJ-CAS")
    assert code == 70 and "Traceback" not in err
    assert "内部错误 / internal error: RuntimeError: disk on fire" in err and "FINSHARE_DEBUG=1" in err


def test_readme_documents_every_entry_line_column():
    from pathlib import Path
    from finshare.core.dimensions import DIMENSIONS
    from finshare.core.posting import ENTRY_COLUMNS
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("#### The entry-line table"):readme.index("Auxiliary dimensions (核算项目) are data")]
    assert all(f"`{c}`" in table for c in ENTRY_COLUMNS if c not in DIMENSIONS)
