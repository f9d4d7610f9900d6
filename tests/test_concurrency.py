"""Several writers at once: every document's vouchers exactly once, numbers without gaps; kill -9 loses nothing."""
import os
import signal
import subprocess
import sys
from pathlib import Path

from cases import grown_case

ROOT = Path(__file__).resolve().parents[1]
N = 400


def _finshare(*args) -> list[str]:
    return [sys.executable, "-m", "finshare.cli", *map(str, args)]


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), FINSHARE_LOCK_TIMEOUT="120")
    env.pop("FINSHARE_STORE", None)
    return env


def _run_all(commands, tmp_path) -> list[subprocess.CompletedProcess]:
    """Start every command at once, then wait for all."""
    procs = []
    for k, cmd in enumerate(commands):
        out = open(tmp_path / f"out{k}.csv", "w")
        err = open(tmp_path / f"err{k}.txt", "w")
        procs.append((subprocess.Popen(cmd, stdout=out, stderr=err, env=_env(), cwd=tmp_path), out, err, k))
    done = []
    for p, out, err, k in procs:
        p.wait(timeout=600)
        out.close()
        err.close()
        done.append(subprocess.CompletedProcess(p.args, p.returncode, "", (tmp_path / f"err{k}.txt").read_text()))
    return done


def _three_cases(tmp_path):
    return [grown_case(tmp_path / name, name, N, seed=k) for k, name in enumerate("ABC")]


def _assert_each_document_once(store_url, cases):
    import finshare
    ledger = finshare.Ledger(finshare.load_case(cases[0]), store_url)
    bv = ledger.lines(None, "business")
    per = bv.drop_duplicates(["book", "period", "voucher_no"]).groupby(["source_no", "book"], observed=True).size()
    assert (per == 1).all(), per[per != 1]
    # every document reaches three books: its unit's management book and the two legal-entity books
    assert len(per) == 3 * N * len(cases)
    check = ledger.store.check()
    assert check["ok"].all(), check[~check["ok"]].to_string()
    gl = ledger.lines(None, "gl")
    assert gl["debit"].sum() == gl["credit"].sum() and bv["debit"].sum() == bv["credit"].sum()


def test_four_writers_on_one_new_sqlite_file(tmp_path):
    cases = _three_cases(tmp_path)
    shared = tmp_path / "shared.sqlite"           # does not exist yet: four processes create it at once
    runs = _run_all([_finshare("journal", c, "--store", shared) for c in (cases[0], cases[0], cases[1], cases[2])],
                    tmp_path)
    assert [r.returncode for r in runs] == [0, 0, 0, 0], [r.stderr[-2000:] for r in runs]
    _assert_each_document_once(shared, cases)


def test_two_writers_on_one_new_postgresql_database(tmp_path, pg_database):
    cases = _three_cases(tmp_path)[:2]
    runs = _run_all([_finshare("journal", c, "--store", pg_database) for c in cases], tmp_path)
    assert [r.returncode for r in runs] == [0, 0], [r.stderr[-2000:] for r in runs]
    _assert_each_document_once(pg_database, cases)


KILL_IN_WRITE = """
import os, signal, sys
from finshare.core.store import tables, write
original = write.insert_frame
def insert_then_die(con, table, frame):
    original(con, table, frame)
    if table is tables.lines:                      # vouchers and lines written, batch row not yet
        os.kill(os.getpid(), signal.SIGKILL)
write.insert_frame = insert_then_die
from finshare.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_kill_9_during_a_batch_then_rerun_gives_the_clean_result(tmp_path):
    case = grown_case(tmp_path / "A", "A", N)
    killed = subprocess.run([sys.executable, "-c", KILL_IN_WRITE, "journal", case, "--store", tmp_path / "k.sqlite"],
                            env=_env(), capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    again = subprocess.run(_finshare("journal", case, "--store", tmp_path / "k.sqlite"), env=_env(),
                           capture_output=True, text=True, timeout=300)
    clean = subprocess.run(_finshare("journal", case, "--store", tmp_path / "clean.sqlite"), env=_env(),
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == clean.returncode == 0, again.stderr + clean.stderr
    assert again.stdout == clean.stdout and len(again.stdout.splitlines()) > 2 * N
    check = subprocess.run(_finshare("check", case, "--store", tmp_path / "k.sqlite"), env=_env(),
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout


def _busy(store_url, case, tmp_path):
    """Run `finshare journal` while this process holds the ledger's write lock."""
    import finshare
    from finshare.core.store import Store
    finshare.Ledger(finshare.load_case(case), store_url).post()      # the store exists and holds the case
    (case / "documents" / "purchase_receipt.csv").write_text(
        (case / "documents" / "purchase_receipt.csv").read_text(encoding="utf-8").replace(
            "A00400,", "A00400,", 1), encoding="utf-8")
    env = dict(_env(), FINSHARE_LOCK_TIMEOUT="1")
    store = Store(store_url)
    with store.writer("test") as w:
        w.event("test", "lock", "hold", "", "", "holding the write lock")
        run = subprocess.run(_finshare("post-vouchers", case, tmp_path / "mj.csv", "--store", store_url), env=env,
                             capture_output=True, text=True, timeout=120)
    store.engine.dispose()
    return run


def test_a_writer_that_cannot_get_the_lock_says_ledger_busy(tmp_path):
    case = grown_case(tmp_path / "A", "A", 5)
    (tmp_path / "mj.csv").write_text("voucher,book,date,account,debit,credit,org\n"
                                     "MJ-1,FJ-CAS,2020-01-31,6602,1.00,,XM\nMJ-1,FJ-CAS,2020-01-31,2241,,1.00,XM\n",
                                     encoding="utf-8")
    run = _busy(str(tmp_path / "l.sqlite"), case, tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "账簿正忙" in run.stderr and "ledger busy: another writer held the lock for more than 1 s" in run.stderr
    assert "[ledger-busy]" in run.stderr


def test_a_writer_that_cannot_get_the_lock_says_ledger_busy_on_postgresql(tmp_path, pg_database):
    case = grown_case(tmp_path / "A", "A", 5)
    (tmp_path / "mj.csv").write_text("voucher,book,date,account,debit,credit,org\n"
                                     "MJ-1,FJ-CAS,2020-01-31,6602,1.00,,XM\nMJ-1,FJ-CAS,2020-01-31,2241,,1.00,XM\n",
                                     encoding="utf-8")
    run = _busy(pg_database, case, tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "[ledger-busy]" in run.stderr and "FINSHARE_LOCK_TIMEOUT" in run.stderr
