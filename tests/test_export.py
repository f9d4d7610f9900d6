"""finshare export: journal, trial balance and documents as Parquet, Excel and CSV, money exact.

Every test works on a private copy of the Fujian case (``case_dir``); files
read back with pyarrow and openpyxl are compared with what ``finshare
journal`` and ``finshare tb`` print.
"""
import csv
import datetime as dt
import io
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import finshare
from finshare import FinshareError
from finshare.cli import JOURNAL_OUTPUT, TB_OUTPUT, main
from finshare.core import tablefiles
from finshare.core.export import headers as export_headers
from finshare.core.doctext import canonical

FUJIAN = Path(__file__).resolve().parents[1] / "datasets" / "fujian"
BOOKS = ["VN-MGT", "CN-MGT", "FJ-CAS", "FJ-HKFRS"]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys, case_dir, *argv):
    code, out, err = run(capsys, "export", case_dir, *argv)
    assert code == 0, err
    return [Path(p) for p in out.splitlines()]


def printed(capsys, *argv):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def as_text(value):
    """A Parquet value as ``finshare journal`` prints it."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def add_vietnam_receipt(case_dir):
    """CG004: a receipt of the Vietnam factory, so VN-MGT books VND (15.01 CNY x 3300 = 49533 VND)."""
    with open(case_dir / "rates.csv", "a", encoding="utf-8") as fh:
        fh.write("2020-03-01,CNY,VND,3300\n")
    with open(case_dir / "documents" / "purchase_receipt.csv", "a", encoding="utf-8") as fh:
        fh.write("CG004,2020-03-12,VN,标准采购,S001,,CNY,approved,越南原料\n")
    with open(case_dir / "documents" / "purchase_receipt_lines.csv", "a", encoding="utf-8") as fh:
        fh.write("CG004,1,M001,10,1.5,15.01\n")


# ------------------------------------------------------------------ journal
def test_journal_parquet_reads_back_as_the_journal_csv(case_dir, capsys):
    (path,) = export(capsys, case_dir, "--what", "journal")
    assert path == case_dir / "export" / "journal.parquet"
    table = pq.read_table(path)
    assert table.column_names == JOURNAL_OUTPUT
    types = dict(zip(table.column_names, table.schema.types))
    assert types["debit"] == types["credit"] == types["amount_orig"] == pa.decimal128(38, 2)
    assert types["date"] == pa.date32() and types["line"] == types["batch"] == pa.int64()
    assert types["account_name"] == types["supplier"] == pa.string()
    expected = list(csv.DictReader(io.StringIO(printed(capsys, "journal", case_dir))))
    got = [{k: as_text(v) for k, v in row.items()} for row in table.to_pylist()]
    assert got == expected
    cas = [r for r in table.to_pylist() if r["book"] == "FJ-CAS"]
    assert [(r["account"], r["debit"], r["credit"]) for r in cas] == [
        ("1403", Decimal("20000.00"), Decimal("0.00")), ("220202", Decimal("0.00"), Decimal("20000.00")),
        ("6601", Decimal("5000.00"), Decimal("0.00")), ("6602", Decimal("10000.00"), Decimal("0.00")),
        ("220202", Decimal("0.00"), Decimal("10000.00")), ("220202", Decimal("0.00"), Decimal("5000.00"))]
    assert cas[0]["date"] == dt.date(2020, 3, 5) and cas[1]["supplier"] == "S001" and cas[0]["supplier"] == ""


def test_journal_options_filter_like_finshare_journal(case_dir, capsys):
    out = case_dir / "bv.csv"
    export(capsys, case_dir, "--what", "journal", "--format", "csv", "--book", "FJ-HKFRS", "--kind", "business",
           "--lang", "en", "--out", out)
    assert out.read_text(encoding="utf-8") == printed(capsys, "journal", case_dir, "--book", "FJ-HKFRS", "--kind",
                                                      "business", "--lang", "en")
    (path,) = export(capsys, case_dir, "--what", "journal", "--period", "2020-04")
    assert pq.read_table(path).num_rows == 0 and pq.read_table(path).column_names == JOURNAL_OUTPUT
    (path,) = export(capsys, case_dir, "--what", "journal", "--period", "2020-03")
    assert pq.read_table(path).num_rows == 18


def test_journal_xlsx_has_a_sheet_per_book_with_exact_numbers(case_dir, capsys):
    (path,) = export(capsys, case_dir, "--what", "journal", "--format", "xlsx")
    assert path == case_dir / "export" / "journal.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == BOOKS
    ws = wb["FJ-HKFRS"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [export_headers().get(c, c) for c in JOURNAL_OUTPUT] and len(rows) == 7
    assert rows[0][:3] == ("行标识 Line id", "账簿 Book", "凭证类型 Kind") and ws.freeze_panes == "A2"
    assert ws["K1"].value == "借方 Debit" and ws["K1"].font.b and ws.column_dimensions["K"].width >= 16
    col = {name: i for i, name in enumerate(JOURNAL_OUTPUT)}
    first = ws[2]
    assert first[col["debit"]].value == 22000 and first[col["debit"]].number_format == "#,##0.00"
    assert first[col["amount_orig"]].value == 20000 and first[col["amount_orig"]].number_format == "#,##0.00"
    assert first[col["date"]].value == dt.datetime(2020, 3, 5) and first[col["date"]].number_format == "yyyy-mm-dd"
    assert first[col["batch"]].value == 1 and first[col["batch"]].number_format == "General"
    assert [r[col["credit"]] for r in rows[1:]] == [0, 22000, 0, 0, 11000, 5500]
    assert list(openpyxl.load_workbook(path)["VN-MGT"].iter_rows(values_only=True)) == [
        tuple(export_headers().get(c, c) for c in JOURNAL_OUTPUT)]
    (path,) = export(capsys, case_dir, "--what", "journal", "--format", "xlsx", "--book", "FJ-CAS")
    assert openpyxl.load_workbook(path).sheetnames == ["FJ-CAS"]


def test_vnd_has_no_decimals_in_excel_and_csv_and_is_exact_in_parquet(case_dir, capsys):
    add_vietnam_receipt(case_dir)
    (path,) = export(capsys, case_dir, "--what", "journal", "--format", "xlsx", "--book", "VN-MGT")
    first = openpyxl.load_workbook(path)["VN-MGT"][2]
    col = {name: i for i, name in enumerate(JOURNAL_OUTPUT)}
    assert (first[col["debit"]].value, first[col["debit"]].number_format) == (49533, "#,##0")
    assert (first[col["amount_orig"]].value, first[col["amount_orig"]].number_format) == (15.01, "#,##0.00")
    (path,) = export(capsys, case_dir, "--what", "journal", "--book", "VN-MGT")
    assert pq.read_table(path).select(["debit", "credit", "amount_orig"]).to_pylist() == [
        {"debit": Decimal("49533"), "credit": Decimal("0"), "amount_orig": Decimal("15.01")},
        {"debit": Decimal("0"), "credit": Decimal("49533"), "amount_orig": Decimal("15.01")}]
    assert str(pq.read_table(path).column("debit")[0].as_py()) == "49533.00"        # one scale for every currency
    (path,) = export(capsys, case_dir, "--what", "journal", "--book", "VN-MGT", "--format", "csv")
    assert [r["debit"] for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))] == ["49533", "0"]


def test_money_array_is_exact_at_the_int64_limits():
    big = np.iinfo("int64")
    arr = tablefiles.money_array([big.max, big.min, -5, 7], [0, 2, 2, 0])
    assert arr.type == tablefiles.MONEY_TYPE
    assert arr.to_pylist() == [Decimal(big.max), Decimal(big.min) / 100, Decimal("-0.05"), Decimal(7)]


# ---------------------------------------------------------- trial balance
def test_tb_csv_is_what_finshare_tb_prints(case_dir, capsys):
    (path,) = export(capsys, case_dir, "--what", "tb", "--book", "FJ-CAS", "--format", "csv")
    assert path == case_dir / "export" / "tb.csv"
    assert path.read_text(encoding="utf-8") == printed(capsys, "tb", case_dir, "--book", "FJ-CAS")
    out = case_dir / "tb-en.csv"
    export(capsys, case_dir, "--what", "tb", "--book", "FJ-HKFRS", "--period", "2020-03", "--lang", "en",
           "--format", "csv", "--out", out)
    assert out.read_text(encoding="utf-8") == printed(capsys, "tb", case_dir, "--book", "FJ-HKFRS", "--period",
                                                      "2020-03", "--lang", "en")


def test_tb_parquet_and_xlsx(case_dir, capsys):
    (path,) = export(capsys, case_dir, "--what", "tb", "--book", "FJ-CAS")
    table = pq.read_table(path)
    assert table.column_names == TB_OUTPUT and table.schema.field("closing_credit").type == pa.decimal128(38, 2)
    rows = {r["account"]: r for r in table.to_pylist()}
    assert rows["2202"]["closing_credit"] == Decimal("35000.00") and rows["2202"]["level"] == 1
    assert rows[""]["account_name"] == "合计" and rows[""]["debit"] == rows[""]["credit"] == Decimal("35000.00")
    (path,) = export(capsys, case_dir, "--what", "tb", "--book", "FJ-HKFRS", "--format", "xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["FJ-HKFRS 2020-03"]
    total = list(wb.active.iter_rows())[-1]
    assert [c.value for c in total] == [None, "合计", 0, 0, 0, 38500, 38500, 38500, 38500]
    assert {c.number_format for c in total[3:]} == {"#,##0.00"}
    assert all(c.font.b for c in total) and not list(wb.active.iter_rows())[1][1].font.b
    assert [c.value for c in list(wb.active.iter_rows())[0]][:3] == ["科目 Account", "科目名称 Account name", "级次 Level"]


# -------------------------------------------------------------- documents
def header_rows(path):
    return {r["doc_no"]: r for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))}


def test_documents_show_the_store_status_after_approve_and_unapprove(case_dir, capsys):
    printed(capsys, "unapprove", case_dir, "--doc", "CG002", "--reason", "部门错误")
    header, lines = export(capsys, case_dir, "--what", "documents", "--format", "csv")
    assert (header, lines) == (case_dir / "export" / "documents_header.csv",
                               case_dir / "export" / "documents_lines.csv")
    assert header.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = header_rows(header)
    assert {n: r["status"] for n, r in rows.items()} == {"CG001": "approved", "CG002": "submitted",
                                                           "CG003": "approved"}
    assert "CG002,2020-03-10,XM,费用采购,S002,XM-ADM,CNY,approved" in \
        (case_dir / "documents" / "purchase_receipt.csv").read_text(encoding="utf-8")       # the file is not the truth
    assert list(rows["CG001"]) == ["doc_no", "date", "org", "biz_type", "supplier", "department", "currency",
                                   "local_currency", "status", "remark", "_doc_type", "_source_file", "_source_row"]
    assert (rows["CG003"]["_doc_type"], rows["CG003"]["_source_file"], rows["CG003"]["_source_row"]) == (
        "purchase_receipt", "documents/purchase_receipt.csv", "4")
    assert lines.read_text(encoding="utf-8-sig").splitlines() == [
        "doc_no,line_no,material,qty,price,amount,amount_local,_doc_type",
        "CG001,1,M001,1000,20,20000.00,0.00,purchase_receipt",
        "CG002,1,M002,1000,10,10000.00,0.00,purchase_receipt",
        "CG003,1,M003,1000,5,5000.00,0.00,purchase_receipt"]
    printed(capsys, "approve", case_dir, "--doc", "CG002")
    header, _ = export(capsys, case_dir, "--what", "documents", "--format", "csv")
    assert header_rows(header)["CG002"]["status"] == "approved"


def fresh_case(tmp_path, header_csv: str, lines_csv: str):
    """A new case folder whose documents are the exported tables."""
    fresh = tmp_path / "fresh"
    shutil.copytree(FUJIAN, fresh, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    (fresh / "documents" / "purchase_receipt.csv").write_text(header_csv, encoding="utf-8")
    (fresh / "documents" / "purchase_receipt_lines.csv").write_text(lines_csv, encoding="utf-8")
    return fresh


def same_documents(a, b):
    ca, cb = canonical(a), canonical(b)
    pd.testing.assert_frame_equal(ca.drop(columns=["row"]), cb.drop(columns=["row"]))


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_documents_round_trip_into_a_fresh_case(case_dir, tmp_path, capsys, fmt):
    printed(capsys, "unapprove", case_dir, "--doc", "CG003")
    paths = export(capsys, case_dir, "--what", "documents", "--format", fmt)
    if fmt == "csv":
        header, lines = (p.read_text(encoding="utf-8-sig") for p in paths)
    elif fmt == "xlsx":
        (path,) = paths
        assert openpyxl.load_workbook(path).sheetnames == ["header", "lines"]
        header, lines = (pd.read_excel(path, sheet_name=s, dtype=str).fillna("").to_csv(index=False)
                         for s in ("header", "lines"))
    else:
        header, lines = (pq.read_table(p).to_pandas().to_csv(index=False) for p in paths)
    back = finshare.load_case(fresh_case(tmp_path, header, lines)).documents["purchase_receipt"]
    original = finshare.load_case(case_dir).documents["purchase_receipt"]
    original.header.loc["CG003", "status"] = "submitted"          # as the store holds it
    same_documents(back, original)
    assert back.header["status"].to_dict() == {"CG001": "approved", "CG002": "approved", "CG003": "submitted"}


def test_an_edit_made_in_the_export_comes_back(case_dir, tmp_path, capsys):
    header, lines = export(capsys, case_dir, "--what", "documents", "--format", "csv")
    edited = header.read_text(encoding="utf-8-sig").replace("营销部宣传品", "营销部海报")
    back = finshare.load_case(fresh_case(tmp_path, edited, lines.read_text(encoding="utf-8-sig")))
    assert back.documents["purchase_receipt"].header.loc["CG003", "remark"] == "营销部海报"


def test_a_row_of_another_document_type_is_refused(case_dir, tmp_path, capsys):
    header, lines = export(capsys, case_dir, "--what", "documents", "--format", "csv")
    text = header.read_text(encoding="utf-8-sig").replace("营销部宣传品,purchase_receipt", "营销部宣传品,sales_order")
    with pytest.raises(FinshareError) as info:
        finshare.load_case(fresh_case(tmp_path, text, lines.read_text(encoding="utf-8-sig")))
    (p,) = info.value.problems
    assert str(p).endswith(
        "purchase_receipt.csv:4, 字段 field _doc_type: 这一行是 sales_order 单据，不是 purchase_receipt / this row is a "
        "sales_order document, not purchase_receipt [other-doc-type]\n    修正 fix: keep only the rows whose _doc_type "
        "is purchase_receipt; put the others in documents/sales_order.csv")


def test_text_that_looks_like_a_formula_stays_text_in_excel(case_dir, capsys):
    path = case_dir / "documents" / "purchase_receipt.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("咖啡原料入库", "=1+1"), encoding="utf-8")
    (xlsx,) = export(capsys, case_dir, "--what", "documents", "--format", "xlsx")
    cell = openpyxl.load_workbook(xlsx)["header"]["J2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


# -------------------------------------------------------------- bad input
def batches(case_dir):
    con = sqlite3.connect(case_dir / "ledger.sqlite")
    try:
        return con.execute("select count(*) from batches").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("argv, expected", [
    (["--what", "journal", "--book", "XX"],
     "字段 field book: 账簿 'XX' 不存在 / no book 'XX' [unknown-book]\n    修正 fix: 改用 books.yaml 中已有的账簿代码 / books: VN-MGT, CN-MGT, FJ-CAS, FJ-HKFRS"),
    (["--what", "tb"], "字段 field book: 试算平衡表要指定账簿 / a trial balance is of one book [missing-book]\n"
                       "    修正 fix: add --book, one of: VN-MGT, CN-MGT, FJ-CAS, FJ-HKFRS"),
    (["--what", "tb", "--book", "FJ-CAS", "--period", "2020-13"],
     "字段 field period: 期间 '2020-13' 无效 / '2020-13' is not a period [bad-period]\n"
     "    修正 fix: write YYYY-MM with a month 01–12, e.g. 2020-03"),
    (["--what", "journal", "--period", "March"], "期间 'March' 无效 / 'March' is not a period [bad-period]"),
    (["--what", "journal", "--out", "{tmp}/no/such/folder/j.parquet"],
     "{tmp}/no/such/folder/j.parquet, 字段 field out: 输出文件夹 {tmp}/no/such/folder 不存在 / the output folder "
     "{tmp}/no/such/folder does not exist [out-folder-missing]\n    修正 fix: create it first (mkdir -p "
     "{tmp}/no/such/folder), or leave out --out (CASE/export/<what>.<format>)"),
    (["--what", "documents", "--format", "csv", "--out", "{tmp}/gone/docs.csv"],
     "{tmp}/gone/docs_header.csv, 字段 field out: 输出文件夹 {tmp}/gone 不存在 / the output folder {tmp}/gone does not "
     "exist [out-folder-missing]"),
    (["--what", "journal", "--out", "{tmp}"],
     "{tmp}, 字段 field out: 不能写入 {tmp} / cannot write {tmp}: 它是文件夹 / it is a folder [out-not-writable]\n"
     "    修正 fix: name a file in it, e.g. --out {tmp}/"),
])
def test_bad_input_is_one_message_and_nothing_is_posted(case_dir, tmp_path, capsys, argv, expected):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, "export", case_dir, *argv)
    assert code == 2 and out == ""
    assert err.startswith("finshare export: 输入有问题 / input has problems (1 problem):\n")
    assert expected.replace("{tmp}", str(tmp_path)) in err
    assert "Traceback" not in err
    assert batches(case_dir) == 0 and not (case_dir / "export").exists()


def test_a_read_only_folder_is_refused(case_dir, tmp_path, capsys):
    import os
    import subprocess
    locked = tmp_path / "locked"
    locked.mkdir()
    as_root = os.geteuid() == 0
    if as_root:                                    # root ignores permissions, not the immutable flag
        subprocess.run(["chattr", "+i", str(locked)], check=True)
    else:
        locked.chmod(0o500)
    try:
        code, _, err = run(capsys, "export", case_dir, "--what", "journal", "--out", locked / "j.parquet")
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(locked)], check=True)
        locked.chmod(0o700)
    assert code == 2 and "[out-not-writable]" in err and str(locked) in err


def test_a_write_that_fails_is_one_message(case_dir, capsys):
    code, _, err = run(capsys, "export", case_dir, "--what", "journal", "--out", "/proc/finshare-export.parquet")
    assert code == 2 and "/proc/finshare-export.parquet, 字段 field out: 不能写入" in err
    assert "[out-not-writable]" in err and "Traceback" not in err


@pytest.mark.parametrize("argv, expected", [
    (["--what", "ledger"], "argument --what: invalid choice: 'ledger' (choose from 'journal', 'tb', 'documents')"),
    (["--what", "journal", "--format", "json"],
     "argument --format: invalid choice: 'json' (choose from 'parquet', 'xlsx', 'csv')"),
])
def test_unknown_what_or_format_is_refused_by_the_parser(case_dir, capsys, argv, expected):
    with pytest.raises(SystemExit) as info:
        main(["export", str(case_dir), *argv])
    assert info.value.code == 2 and expected in capsys.readouterr().err


def test_excel_limits_are_refused_not_rounded(case_dir, capsys, monkeypatch):
    frame = pd.DataFrame({"debit": np.array([10 ** 15], dtype="int64")})
    with pytest.raises(FinshareError) as info:
        tablefiles.excel_frame(frame, {"debit": 2}, "FJ-CAS")
    assert str(info.value.problems[0]) == (
        "字段 field debit: debit 有超过 15 位有效数字的金额，Excel 会舍入 / column debit has an amount of more than 15 "
        "significant digits, which Excel would round [excel-amount-too-large]\n"
        "    修正 fix: export --format parquet or csv (exact decimals)")
    monkeypatch.setattr(tablefiles, "EXCEL_MAX_ROWS", 5)
    code, _, err = run(capsys, "export", case_dir, "--what", "journal", "--format", "xlsx")
    assert code == 2
    assert ("字段 field format: 工作表 CN-MGT 有 6 行，超过 Excel 的上限 / sheet CN-MGT has 6 rows, more than Excel "
            "holds (5) [excel-too-many-rows]\n    修正 fix: export --format parquet (DuckDB, pandas) or csv, "
            "or one --book at a time") in err
