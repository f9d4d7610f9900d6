"""Period locks (结账) and `finshare check`: a closed period refuses postings; an edited ledger is caught."""
import csv
import io
import shutil
import sqlite3
from pathlib import Path

import pytest

import finshare
from finshare import FinshareError
from finshare.cli import main

V0 = Path(__file__).parent / "data" / "ledger_v0.sqlite"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def checks(out: str) -> dict[str, str]:
    return {r["check"]: r["ok"] for r in csv.DictReader(io.StringIO(out))}


def test_a_closed_period_refuses_posting_and_reversal_until_reopened(fujian, tmp_path):
    ledger = finshare.Ledger(fujian, tmp_path / "l.sqlite")
    docs = fujian.documents["purchase_receipt"]
    docs.set_status("CG003", "submitted")
    ledger.post()
    ledger.close_period("FJ-CAS", "2020-03", reason="三月结账", by="王会计")
    before = ledger.lines(None, None)
    docs.set_status("CG003", "approved")
    with pytest.raises(FinshareError) as exc:
        ledger.post()
    assert [p.code for p in exc.value.problems] == ["period-closed"]
    assert "账簿 FJ-CAS 的 2020-03 期间已结账" in str(exc.value) and "--reopen" in str(exc.value)
    with pytest.raises(FinshareError, match="period-closed"):
        ledger.reverse("FJ-CAS", "记-0001", "2020-03", reason="test")
    assert ledger.lines(None, None).equals(before)
    assert ledger.reopen_period("FJ-CAS", "2020-03", reason="补录 CG003", by="王会计") == "closed"
    assert ledger.post().documents == 1
    events = ledger.store.events()
    docs_events = events[events["object_type"] == "document"]
    assert list(zip(docs_events["object"], docs_events["from_state"], docs_events["to_state"])) == [
        ("purchase_receipt/CG003", "submitted", "approved")]
    events = events[events["object_type"] == "period"]
    assert list(zip(events["action"], events["from_state"], events["to_state"], events["by"], events["reason"])) == [
        ("close", "open", "closed", "王会计", "三月结账"), ("reopen", "closed", "open", "王会计", "补录 CG003")]


def test_period_command_keeps_who_and_why(case_dir, capsys):
    code, out, err = run(capsys, "period", case_dir, "--book", "FJ-HKFRS", "--period", "2020-03", "--close",
                         "--reason", "month end", "--by", "lin")
    assert code == 0, err
    assert out.strip() == "FJ-HKFRS 2020-03: 开放 open → 已结账 closed"
    assert run(capsys, "period", case_dir, "--book", "FJ-HKFRS", "--period", "2020-03", "--close",
               "--reason", "again")[1].strip().endswith("（未变 unchanged）")
    store = finshare.Ledger(finshare.load_case(case_dir), case_dir / "ledger.sqlite").store
    assert store.periods().to_dict("records") == [{"book": "FJ-HKFRS", "period": "2020-03", "status": "closed"}]


@pytest.mark.parametrize("period", ["2020-3", "2020-13", "2020-00", "abc", "2020-03-15", "20200-3"])
def test_a_malformed_period_is_refused_not_answered(case_dir, capsys, period):
    code, out, err = run(capsys, "tb", case_dir, "--book", "FJ-CAS", "--period", period)
    assert code == 2 and out == ""
    assert f"期间 {period!r} 无效 / {period!r} is not a period [bad-period]" in err
    assert "write YYYY-MM with a month 01–12" in err


def test_an_unknown_book_is_refused(case_dir, capsys):
    code, out, err = run(capsys, "journal", case_dir, "--book", "XX")
    assert code == 2 and out == ""
    assert "账簿 'XX' 不存在 / no book 'XX' [unknown-book]" in err and "FJ-CAS" in err


def test_check_passes_on_a_posted_ledger_and_catches_one_cent(case_dir, capsys):
    run(capsys, "journal", case_dir)
    code, out, _ = run(capsys, "check", case_dir)
    assert code == 0 and set(checks(out).values()) == {"ok"} and len(checks(out)) == 7
    con = sqlite3.connect(case_dir / "ledger.sqlite")
    con.execute("UPDATE lines SET debit = debit + 1 WHERE debit > 0 AND voucher = "
                "(SELECT MIN(id) FROM vouchers WHERE kind = 2)")          # one GL amount + 0.01
    con.commit()
    con.close()
    code, out, _ = run(capsys, "check", case_dir)
    assert code == 1
    assert checks(out) == {"vouchers-balance": "FAILED", "trial-balances-tie-out": "ok",
                           "balances-equal-lines": "FAILED", "numbering-gapless": "ok",
                           "gl-equals-business": "FAILED", "documents-posted": "ok", "hash-chain": "FAILED"}


def test_check_catches_a_deleted_voucher_and_an_edited_summary(case_dir, capsys):
    run(capsys, "journal", case_dir)
    con = sqlite3.connect(case_dir / "ledger.sqlite")
    con.execute("UPDATE texts SET text = text || ' ' WHERE id = 1")
    con.commit()
    code, out, _ = run(capsys, "check", case_dir)
    assert code == 1 and checks(out)["hash-chain"] == "FAILED" and checks(out)["vouchers-balance"] == "ok"
    con.execute("UPDATE texts SET text = rtrim(text) WHERE id = 1")
    last = con.execute("SELECT MAX(id) FROM vouchers WHERE kind = 1").fetchone()[0]
    con.execute("DELETE FROM lines WHERE voucher = ?", (last,))
    con.execute("DELETE FROM vouchers WHERE id = ?", (last,))
    con.commit()
    con.close()
    code, out, _ = run(capsys, "check", case_dir)
    assert code == 1
    assert checks(out)["numbering-gapless"] == "FAILED" and checks(out)["hash-chain"] == "FAILED"
    assert checks(out)["documents-posted"] == "FAILED"          # the deleted voucher was CG003's


def test_a_migrated_file_is_sealed_into_the_chain(case_dir, capsys):
    shutil.copy(V0, case_dir / "ledger.sqlite")
    code, out, _ = run(capsys, "check", case_dir)
    assert code == 0 and set(checks(out).values()) == {"ok"}
