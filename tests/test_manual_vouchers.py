"""Manual vouchers (手工凭证) go through the one posting path: checked, numbered, stored, never twice."""
import csv
import io

import pytest

from finshare.cli import main

HEAD = "voucher,book,date,word,account,summary,debit,credit,currency,org,department\n"
ACCRUAL = ("MJ-001,FJ-CAS,2020-03-31,记,6602,计提三月水电费,1200.00,,,XM,XM-ADM\n"
           "MJ-001,FJ-CAS,2020-03-31,记,2241,计提三月水电费,,1200.00,,XM,\n")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, body: str):
    path = tmp_path / "manual.csv"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def journal(capsys, case_dir, book="FJ-CAS"):
    _, out, _ = run(capsys, "journal", case_dir, "--book", book, "--kind", "business")
    return [r for r in csv.DictReader(io.StringIO(out)) if r["source_type"] == "manual"]


def test_a_manual_voucher_is_posted_once_with_its_lineage(case_dir, tmp_path, capsys):
    path = write(tmp_path, ACCRUAL)
    code, out, err = run(capsys, "post-vouchers", case_dir, path)
    assert code == 0, err
    assert out.strip() == "batch 1: 1 manual vouchers, 1 GL vouchers"
    rows = journal(capsys, case_dir)
    assert [(r["voucher_no"], r["account"], r["debit"], r["credit"], r["department"], r["org"], r["source_no"],
             r["template_line"]) for r in rows] == [
        ("记-0001", "6602", "1200.00", "0.00", "XM-ADM", "XM", "MJ-001", "manual/1"),
        ("记-0001", "2241", "0.00", "1200.00", "", "XM", "MJ-001", "manual/2")]
    code, out, _ = run(capsys, "post-vouchers", case_dir, path)
    assert code == 0 and out.strip() == ("MJ-001 (FJ-CAS) 已过账，跳过 / already posted, skipped "
                                         "(to change it, reverse it first)")
    assert len(journal(capsys, case_dir)) == 2
    assert run(capsys, "check", case_dir)[0] == 0


def test_a_foreign_currency_line_is_converted_at_the_rate_of_its_date(case_dir, tmp_path, capsys):
    path = write(tmp_path, "MJ-009,FJ-CAS,2020-03-31,转,6602,香港审计费,1100.00,,HKD,XM,XM-ADM\n"
                           "MJ-009,FJ-CAS,2020-03-31,转,2241,香港审计费,,1100.00,HKD,XM,\n")
    assert run(capsys, "post-vouchers", case_dir, path)[0] == 0
    rows = journal(capsys, case_dir)
    assert [(r["voucher_no"], r["debit"], r["credit"], r["amount_orig"], r["currency_orig"]) for r in rows] == [
        ("转-0001", "1000.00", "0.00", "1100.00", "HKD"), ("转-0001", "0.00", "1000.00", "1100.00", "HKD")]


@pytest.mark.parametrize("body, expected", [
    ("MJ-001,XX,2020-03-31,记,6602,x,1.00,,,XM,\n", "manual.csv:2, 字段 field book: 账簿 'XX' 不存在 / no book 'XX' [unknown-book]"),
    ("MJ-001,FJ-CAS,2020-03-31,记,6602,x,1.00,1.00,,XM,\n", "[manual-line-sides]"),
    ("MJ-001,FJ-CAS,2020-03-31,记,6602,x,1.00,,,XM,XM-ADM\nMJ-001,FJ-CAS,2020-03-30,记,2241,x,,1.00,,XM,\n",
     "manual.csv:2, 单据 document MJ-001: 凭证 MJ-001 的各行账簿、日期或凭证字不同"),
    ("MJ-001,FJ-CAS,2020-03-31,记,6699,x,1.00,,,XM,\nMJ-001,FJ-CAS,2020-03-31,记,2241,x,,1.00,,XM,\n",
     "单据 document MJ-001, 账簿 book FJ-CAS, 模板行 template line manual/1: 科目 6699 不在 CAS 科目表中"),
    ("MJ-001,FJ-CAS,2020-03-31,记,2202,x,,1.00,,XM,\nMJ-001,FJ-CAS,2020-03-31,记,6602,x,1.00,,,XM,XM-ADM\n",
     "[non-leaf-account]"),
    ("MJ-001,FJ-CAS,2020-03-31,记,6602,x,2.00,,,XM,XM-ADM\nMJ-001,FJ-CAS,2020-03-31,记,2241,x,,1.00,,XM,\n",
     "[unbalanced-voucher]"),
    ("MJ-001,FJ-CAS,2020-02-30,记,6602,x,1.00,,,XM,\n", "[bad-date]"),
])
def test_a_bad_manual_voucher_is_refused_and_nothing_stored(case_dir, tmp_path, capsys, body, expected):
    code, out, err = run(capsys, "post-vouchers", case_dir, write(tmp_path, body))
    assert code == 2 and out == "" and expected in err
    assert journal(capsys, case_dir) == []


def test_a_closed_period_refuses_manual_vouchers(case_dir, tmp_path, capsys):
    run(capsys, "period", case_dir, "--book", "FJ-CAS", "--period", "2020-03", "--close", "--reason", "结账")
    code, _, err = run(capsys, "post-vouchers", case_dir, write(tmp_path, ACCRUAL))
    assert code == 2 and "[period-closed]" in err and "2020-03" in err
