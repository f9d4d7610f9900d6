"""finshare close: post what is pending, carry profit and loss forward, lock the period; twice changes nothing."""
import csv
import io
import shutil
from pathlib import Path

from cases import batches
from finshare.cli import main

FUJIAN = Path(__file__).resolve().parents[1] / "datasets" / "fujian"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err



def test_closing_march_carries_the_loss_into_4103_and_locks_it(tmp_path, capsys):
    case = tmp_path / "case"
    shutil.copytree(FUJIAN, case, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    code, out, err = run(capsys, "close", case, "--book", "FJ-CAS", "--period", "2020-03", "--by", "王会计")
    assert code == 0, err
    assert out == "FJ-CAS 2020-03: 结转损益 carried forward in 转-0001: 亏损 loss 15,000.00 CNY; 已结账 / closed\n"
    code, out, _ = run(capsys, "tb", case, "--book", "FJ-CAS", "--period", "2020-03")
    rows = {r["account"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["6601"]["closing_debit"], rows["6602"]["closing_debit"]) == ("0.00", "0.00")
    assert rows["4103"]["closing_debit"] == "15000.00" and rows[""]["closing_debit"] == rows[""]["closing_credit"]
    before = batches(case)
    code, out, _ = run(capsys, "close", case, "--book", "FJ-CAS", "--period", "2020-03")
    assert (code, out, batches(case)) == (0, "FJ-CAS 2020-03: 已结账，未变 / already closed, unchanged\n", before)


def test_a_document_dated_in_a_closed_period_is_refused_with_book_and_period(tmp_path, capsys):
    case = tmp_path / "case"
    shutil.copytree(FUJIAN, case, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    receipts = case / "documents" / "purchase_receipt.csv"
    text = receipts.read_text(encoding="utf-8")
    receipts.write_text(text.replace("XM-MKT,CNY,approved", "XM-MKT,CNY,submitted"), encoding="utf-8")
    assert run(capsys, "close", case, "--book", "FJ-CAS", "--period", "2020-03")[0] == 0
    code, _, err = run(capsys, "approve", case, "--doc", "CG003")
    assert code == 2 and "CG003 已审核，但凭证未生成：期间已结账 / approved, but no voucher was made" in err
    assert "[period-closed]" in err and "period 2020-03 of book FJ-CAS is closed" in err
    code, out, err = run(capsys, "tb", case, "--book", "FJ-CAS", "--period", "2020-03")   # reading is not blocked
    assert code == 0 and "documents wait: their period is closed" in err
    assert out.splitlines()[-1] == ",合计,0,0.00,0.00,40000.00,40000.00,30000.00,30000.00"
    code, out, _ = run(capsys, "tb", case, "--book", "CN-MGT", "--period", "2020-03")     # it waits in every book
    assert code == 0 and "6601" not in out
    run(capsys, "period", case, "--book", "FJ-CAS", "--period", "2020-03", "--reopen", "--reason", "补录 CG003")
    code, out, err = run(capsys, "tb", case, "--book", "CN-MGT", "--period", "2020-03")
    assert code == 0 and "6601,销售费用,1,0.00,0.00,5000.00" in out and err == ""


def test_a_malformed_argument_is_refused_in_both_languages(capsys):
    import pytest
    with pytest.raises(SystemExit) as stop:
        main(["close", "datasets/fujian", "--book"])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert "finshare close: 参数有误 / bad argument: argument --book: expected one argument" in err
    assert "修正 fix: finshare close --help lists them" in err
