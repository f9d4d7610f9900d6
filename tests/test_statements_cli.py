"""finshare statements: JSON, CSV and Excel of a book's statements; bad requests refused in both languages.

Works on a private copy of the Fujian March case: FJ-CAS holds the three purchase receipts CG001–CG003
(20,000 coffee to stock, 10,000 office supplies to 管理费用, 5,000 promotion to 销售费用, all on 暂估应付).
"""
import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from finshare.cli import main

FUJIAN = Path(__file__).resolve().parents[1] / "datasets" / "fujian"


@pytest.fixture
def case_dir(tmp_path):
    shutil.copytree(FUJIAN, tmp_path / "case", ignore=shutil.ignore_patterns("ledger.sqlite*"))
    return tmp_path / "case"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_groups_lines_per_statement_with_exact_amounts(case_dir, capsys):
    code, out, err = run(capsys, "statements", case_dir, "--book", "FJ-CAS", "--period", "2020-03")
    assert code == 0, err
    body = json.loads(out)
    assert (body["book"], body["period"], body["currency"]) == ("FJ-CAS", "2020-03", "CNY")
    assert list(body["statements"]) == ["bs", "is", "mgt"]
    bs = {ln["code"]: ln for ln in body["statements"]["bs"]["lines"]}
    assert set(bs["BS10"]) == {"code", "name_zh", "name_en", "kind", "current", "comparative"}
    assert (bs["BS10"]["name_zh"], bs["BS10"]["current"], bs["BS10"]["comparative"]) == ("存货", "20000.00", "0.00")
    assert bs["BS42"]["current"] == "35000.00" and bs["BS71"]["current"] == "-15000.00"
    assert bs["BS36"]["current"] == bs["BS73"]["current"] == "20000.00"
    assert bs["BS01"]["current"] is None and body["statements"]["bs"]["form"] == "会企01表"
    is_ = {ln["code"]: ln["current"] for ln in body["statements"]["is"]["lines"]}
    assert (is_["IS04"], is_["IS05"], is_["IS24"]) == ("5000.00", "10000.00", "-15000.00")
    mgt = body["statements"]["mgt"]
    assert mgt["units"] == ["XM"] and {ln["code"]: ln["XM"] for ln in mgt["lines"]}["MP09"] == "-15000.00"


def test_csv_and_hkfrs(case_dir, capsys):
    code, out, err = run(capsys, "statements", case_dir, "--book", "FJ-HKFRS", "--period", "2020-03",
                         "--statement", "is", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["statement", "code", "name_zh", "name_en", "kind", "current", "comparative"]
    by = {r["code"]: r for r in rows}
    assert by["PL07"]["name_en"] == "Administrative expenses" and by["PL12"]["name_en"] == "Profit for the year"
    assert by["PL07"]["current"] == "-11000.00" and by["PL06"]["current"] == "-5500.00"


def test_xlsx_is_written_to_out(case_dir, capsys, tmp_path):
    out_file = tmp_path / "fs.xlsx"
    code, out, err = run(capsys, "statements", case_dir, "--book", "FJ-CAS", "--period", "2020-03",
                         "--format", "xlsx", "--out", out_file, "--statement", "bs")
    assert code == 0, err
    assert out.strip() == str(out_file)
    ws = openpyxl.load_workbook(out_file).active
    assert ws["A3"].value == "项目 Item" and ws["B3"].value == "行次 Line"


@pytest.mark.parametrize("argv, text", [
    (["--book", "XX", "--period", "2020-03"], "账簿 'XX' 不存在 / no book 'XX' [unknown-book]"),
    (["--book", "FJ-CAS", "--period", "2020-13"], "期间 '2020-13' 无效 / '2020-13' is not a period [bad-period]"),
    (["--book", "FJ-CAS", "--period", "2020-03", "--format", "xlsx"],
     "Excel 报表要写入文件 / an Excel workbook is written to a file [missing-out]"),
    (["--group", "--period", "2020-03"], "找不到合并范围定义 group.yaml / group.yaml not found [missing-file]"),
    (["--book", "FJ-HKFRS", "--period", "2020-03", "--statement", "mgt"],
     "没有报表 mgt / book FJ-HKFRS (chart HKFRS) has no statement 'mgt'"),
])
def test_bad_requests_exit_2_with_a_bilingual_message(case_dir, capsys, argv, text):
    code, out, err = run(capsys, "statements", case_dir, *argv)
    assert code == 2 and out == "" and text in err and "Traceback" not in err and "修正 fix:" in err


def test_book_and_group_are_mutually_exclusive(case_dir, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["statements", str(case_dir), "--book", "FJ-CAS", "--group", "--period", "2020-03"])
    assert exc.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
