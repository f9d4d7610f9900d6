"""The stored ledger as a user meets it: ``finshare tb`` and ``journal`` on a grown case.

Usage::

    python benchmarks/bench_ledger.py --n 1000 20000 100000 [--seed 7] [--out DIR] [--keep]
                                      [--repeat 3] [--peers] [--json FILE]

For each N the Fujian case (``datasets/fujian``) is copied to ``DIR/case-N``
and its purchase receipts are replaced by N generated, approved documents
written as the case's own CSV files (the same documents as
``bench_posting.py`` draws for the same seed). Then whole processes are
timed, each a fresh interpreter running this checkout's command line:

* first tb    ``finshare tb CASE --book FJ-CAS --period 2020-12`` on the new
              case: reads and checks the CSVs, posts every document into the
              four books and stores the ledger in ``CASE/ledger.sqlite`` (once)
* tb          the same command again, with nothing new to post (median)
* journal     ``finshare journal CASE --book FJ-CAS`` to a file (median)
* import      ``python -c "import finshare"``: the floor every command pays

and the size of ``ledger.sqlite`` (plus ``-wal``) per document. Every trial
balance must tie out and equal a pandas computation straight from the
generated CSVs, and the journal's sums per account must equal it too; the
exit status is 1 if not. No time is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "datasets" / "fujian"
BOOK = "FJ-CAS"
PERIOD = "2020-12"
PAYABLE = "220202"                      # 应付账款—暂估应付款, the credit of every receipt
EXPENSE_ACCOUNT = {"管理": "6602", "销售": "6601"}  # 部门属性 -> account, as in templates/purchase_receipt.yaml
EXTRA_RATES = (("2020-01-01", "CNY", "HKD", "1.10"), ("2020-01-01", "CNY", "VND", "3300"))
MONEY = ["opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit"]
MIB = 1024                              # ru_maxrss is in KiB on Linux

#: Goals from the issue, all stated for N = 1,000,000: (figure key, label, limit, unit).
GOALS = (
    ("first_s", "first tb: import + post + store", 60.0, "s"),
    ("first_mib", "first tb: peak memory", 4096.0, "MiB"),
    ("tb_s", "tb with nothing new to post", 1.0, "s"),
    ("tb_mib", "tb with nothing new: peak memory", 500.0, "MiB"),
    ("db_bytes_per_doc", "ledger.sqlite (+ -wal) per document", 1000.0, "B"),
)
#: Trial balance of a 1M-transaction journal on this machine, as stated in the issue (seconds).
PEERS = {"ledger-cli": 14.7, "hledger": 83.0, "beancount": 117.0, "DuckDB over Parquet": 0.22}
PEER_N = 1_000_000

DUCKDB_SCRIPT = """\
import json, sys, time
t0 = time.perf_counter()
import duckdb
t1 = time.perf_counter()
rows = duckdb.sql("SELECT account, sum(debit)::BIGINT, sum(credit)::BIGINT FROM read_parquet('"
                  + sys.argv[1].replace("'", "''") + "') GROUP BY account ORDER BY account").fetchall()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "query_s": t2 - t1, "rows": rows}))
"""


# ------------------------------------------------------------------------------------------ generation
def draw_codes(n: int, seed: int) -> dict[str, np.ndarray]:
    """Draw N purchase receipts as integer codes, with bench_posting.py's generator calls.

    Parameters
    ----------
    n : int
        Number of documents.
    seed : int
        Seed of ``numpy.random.default_rng``; the draws are those of
        ``bench_posting.make_raw_frames``, so both benchmarks see the same documents.

    Returns
    -------
    dict of str to numpy.ndarray
        ``day`` (0-365 from 2020-01-01), ``org`` (0 XM, 1 SZ, 2 VN), ``expense``
        (bool: 费用采购), ``supplier`` (0-2: S001-S003), ``department`` (0 XM-ADM,
        1 XM-MKT), ``material`` (0 M001, 1 M002, 2 M003) and ``cents`` (1 .. 10^8).
    """
    rng = np.random.default_rng(seed)
    day = rng.integers(0, 366, n)                                  # 2020 is a leap year
    org = rng.choice(3, n, p=[0.45, 0.45, 0.10])
    expense = rng.random(n) < 0.5
    supplier = rng.choice(3, n)
    department = rng.choice(2, n)
    material = np.where(expense, 1 + rng.choice(2, n), 0)
    cents = rng.integers(1, 100_000_000 + 1, n)                    # 0.01 .. 1,000,000.00
    return {"day": day, "org": org, "expense": expense, "supplier": supplier, "department": department,
            "material": material, "cents": cents}


def pick(values: list[str], codes: np.ndarray) -> pa.Array:
    """Text column ``values[codes]`` as a pyarrow string array (vectorised take)."""
    return pc.take(pa.array(values, pa.string()), pa.array(codes, pa.int32()))


def constant(value: str, n: int) -> pa.Array:
    """A text column of N times ``value``."""
    return pick([value], np.zeros(n, np.int32))


def amount_text(cents: np.ndarray) -> pa.Array:
    """Cents as decimal text with two places, e.g. ``1234567`` -> ``"12345.67"``."""
    whole = pc.cast(pa.array(cents // 100), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), 2, "0")
    return pc.binary_join_element_wise(whole, frac, ".")


def doc_numbers(n: int) -> pa.Array:
    """Document numbers ``PR0000001`` … (at least seven digits)."""
    digits = max(7, len(str(n)))
    return pc.binary_join_element_wise("PR", pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()),
                                                          digits, "0"), "")


def receipt_tables(codes: dict[str, np.ndarray]) -> tuple[pa.Table, pa.Table]:
    """Header and line tables of the documents in ``codes``, columns as in the case's CSVs.

    Parameters
    ----------
    codes : dict of str to numpy.ndarray
        As returned by `draw_codes`.

    Returns
    -------
    header, lines : pyarrow.Table
        ``purchase_receipt.csv`` and ``purchase_receipt_lines.csv``, one line per document.
    """
    n = len(codes["day"])
    doc_no = doc_numbers(n)
    dates = pa.array(np.datetime64("2020-01-01", "D") + codes["day"].astype("timedelta64[D]"), pa.date32())
    amount = amount_text(codes["cents"])
    header = pa.table({
        "doc_no": doc_no, "date": dates, "org": pick(["XM", "SZ", "VN"], codes["org"]),
        "biz_type": pick(["标准采购", "费用采购"], codes["expense"].astype(np.int32)),
        "supplier": pick(["S001", "S002", "S003"], codes["supplier"]),
        "department": pick(["XM-ADM", "XM-MKT"], codes["department"]),
        "currency": constant("CNY", n), "status": constant("approved", n), "remark": constant("", n),
    })
    lines = pa.table({
        "doc_no": doc_no, "line_no": constant("1", n), "material": pick(["M001", "M002", "M003"], codes["material"]),
        "qty": constant("1", n), "price": amount, "amount": amount,
    })
    return header, lines


def write_csv(table: pa.Table, path: Path) -> None:
    """Write ``table`` as plain UTF-8 CSV like the case's files (header line, no quotes, LF)."""
    with open(path, "wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pa_csv.write_csv(table, fh, pa_csv.WriteOptions(include_header=False, quoting_style="none"))


def add_rates(path: Path) -> None:
    """Append CNY->HKD 1.10 and CNY->VND 3300 from 2020-01-01 to ``rates.csv`` unless present.

    The case's own CNY->HKD holds only from 2020-03-01, and VN documents need
    VND for book VN-MGT (the same rates as bench_posting.py adds).
    """
    text = path.read_text(encoding="utf-8")
    have = {tuple(line.split(",")[:3]) for line in text.splitlines()}
    new = [",".join(r) for r in EXTRA_RATES if r[:3] not in have]
    path.write_text(text.rstrip("\n") + "\n" + "".join(f"{line}\n" for line in new), encoding="utf-8")


def write_case(n: int, seed: int, dest: Path) -> Path:
    """Copy the Fujian case to ``dest`` with N generated purchase receipts in its CSVs.

    Parameters
    ----------
    n : int
        Number of approved purchase receipts (one line each).
    seed : int
        Generator seed; the same seed gives byte-identical files.
    dest : pathlib.Path
        Target folder; replaced if it exists (so no old ledger.sqlite survives).

    Returns
    -------
    pathlib.Path
        ``dest``, a case folder that ``finshare.load_case`` reads.

    Examples
    --------
    >>> case = finshare.load_case(write_case(50, 7, tmp / "case-50"))   # doctest: +SKIP
    >>> len(case.documents["purchase_receipt"])                          # doctest: +SKIP
    50
    """
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(CASE, dest, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    header, lines = receipt_tables(draw_codes(n, seed))
    write_csv(header, dest / "documents" / "purchase_receipt.csv")
    write_csv(lines, dest / "documents" / "purchase_receipt_lines.csv")
    add_rates(dest / "rates.csv")
    return dest


# ----------------------------------------------------------------------------------------- expectation
def to_fen(text: pd.Series) -> np.ndarray:
    """Decimal text with at most two places (``"12345.6"``, ``"-3.00"``) as int64 fen."""
    neg = text.str.startswith("-").to_numpy()
    parts = text.str.lstrip("-").str.partition(".")
    fen = parts[0].astype("int64").to_numpy() * 100 + parts[2].str.ljust(2, "0").astype("int64").to_numpy()
    return np.where(neg, -fen, fen)


def case_lines(case: Path) -> pd.DataFrame:
    """Every journal line of book FJ-CAS the case's CSVs imply, computed directly with pandas.

    A 标准采购 debits the material's account (materials.csv: 1403 原材料 or 1405
    库存商品); a 费用采购 debits 6602 管理费用 or 6601 销售费用 by the department's
    attribute; both credit 220202. FJ-CAS is in CNY, like the documents, and
    reaches every organisation, so no document is left out or converted.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``account``, ``debit``, ``credit`` (int64 fen), two rows per document line.
    """
    read = lambda rel, cols: pd.read_csv(case / rel, dtype=str, keep_default_na=False, usecols=cols)
    head = read("documents/purchase_receipt.csv", ["doc_no", "date", "biz_type", "department", "status"])
    lines = read("documents/purchase_receipt_lines.csv", ["doc_no", "material", "amount"])
    stock = read("masterdata/materials.csv", ["code", "account"]).set_index("code")["account"]
    attribute = read("masterdata/departments.csv", ["code", "attribute"]).set_index("code")["attribute"]
    x = lines.merge(head[head["status"] == "approved"], on="doc_no", validate="many_to_one")
    expense = x["department"].map(attribute).map(EXPENSE_ACCOUNT)
    account = x["material"].map(stock).where(x["biz_type"] == "标准采购", expense)
    fen, period = to_fen(x["amount"]), x["date"].str[:7]
    debit = pd.DataFrame({"period": period, "account": account, "debit": fen, "credit": 0})
    credit = pd.DataFrame({"period": period, "account": PAYABLE, "debit": 0, "credit": fen})
    return pd.concat([debit, credit], ignore_index=True)


def split_sides(net: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Net balances as (debit, credit) columns: positive on the debit side, negative on the credit side."""
    return net.clip(lower=0), (-net).clip(lower=0)


def expected_tb(lines: pd.DataFrame, period: str) -> pd.DataFrame:
    """Trial balance of ``lines`` for ``period`` in fen, parents (first four digits) rolled up, and 合计.

    Returns
    -------
    pandas.DataFrame
        Indexed by account (``""`` for 合计), columns as ``finshare tb``'s money columns.
    """
    lines = lines[lines["period"] <= period]
    parent = lines.assign(account=lines["account"].str[:4])
    rows = pd.concat([lines, parent[lines["account"].str.len() > 4]])
    before = rows["period"] < period
    sums = rows[["debit", "credit"]].groupby(rows["account"]).sum()
    opening = (rows["debit"] - rows["credit"]).where(before, 0).groupby(rows["account"]).sum()
    moves = rows[["debit", "credit"]].where(~before, 0).groupby(rows["account"]).sum()
    closing = sums["debit"] - sums["credit"]
    tb = pd.DataFrame(index=sums.index)
    tb["opening_debit"], tb["opening_credit"] = split_sides(opening)
    tb["debit"], tb["credit"] = moves["debit"], moves["credit"]
    tb["closing_debit"], tb["closing_credit"] = split_sides(closing)
    tb.loc[""] = tb[tb.index.str.len() == 4].sum()
    return tb[MONEY].astype("int64")


def read_tb(path: Path) -> pd.DataFrame:
    """``finshare tb`` CSV output, money columns in fen, indexed by account (``""`` for 合计)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = pd.DataFrame({c: to_fen(frame[c]) for c in MONEY}, index=frame["account"].rename("account"))
    out.attrs["last_name"] = frame["account_name"].iloc[-1] if len(frame) else ""
    return out


def check_tb(path: Path, expected: pd.DataFrame) -> list[str]:
    """Problems with a printed trial balance: it must tie out and equal ``expected``."""
    tb = read_tb(path)
    if tb.attrs["last_name"] != "合计":
        return [f"{path.name}: the last row is not 合计"]
    total, problems = tb.iloc[-1], []
    for side in ("opening", "", "closing"):
        d, c = (f"{side}_debit", f"{side}_credit") if side else ("debit", "credit")
        if total[d] != total[c]:
            problems.append(f"{path.name}: 合计 {d} {total[d]} != {c} {total[c]} (fen)")
    got, want = tb.sort_index(), expected.sort_index()
    if not got.index.equals(want.index):
        problems.append(f"{path.name}: accounts {list(got.index)} != expected {list(want.index)}")
    elif not got.equals(want):
        bad = (got != want).any(axis=1)
        diff = pd.concat({"tb": got[bad], "pandas": want[bad]}).to_string()
        problems.append(f"{path.name}: differs from the pandas computation (fen):\n{diff}")
    return problems


def check_journal(path: Path, lines: pd.DataFrame) -> list[str]:
    """Problems with a printed journal: its debits and credits per account must equal ``lines``'."""
    opts = pa_csv.ConvertOptions(include_columns=["account", "debit", "credit"],
                                 column_types={c: pa.string() for c in ("account", "debit", "credit")})
    j = pa_csv.read_csv(path, convert_options=opts).to_pandas()
    got = pd.DataFrame({"debit": to_fen(j["debit"]), "credit": to_fen(j["credit"])}).groupby(j["account"]).sum()
    want = lines[["debit", "credit"]].groupby(lines["account"]).sum()
    if got.sort_index().astype("int64").equals(want.sort_index().astype("int64")):
        return []
    return [f"{path.name}: sums per account differ from the pandas computation (fen):\n"
            + pd.concat({"journal": got, "pandas": want}).to_string()]


# ---------------------------------------------------------------------------------------------- timing
def child_env() -> dict[str, str]:
    """Environment of the timed processes: this checkout first on PYTHONPATH, no FINSHARE_STORE, and compiled
    bytecode kept (in a cache folder outside the checkout) as an installed package has it — with
    ``PYTHONDONTWRITEBYTECODE`` set, every process would compile finshare again (about 0.15 s)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FINSHARE_STORE", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "finshare-bench-pycache")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return env


GNU_TIME = "/usr/bin/time"


def run_timed(cmd: list[str], stdout: Path, cwd: Path) -> dict:
    """Run ``cmd`` as a fresh process; wall seconds and its own peak RSS.

    A child forked from this (large) process starts with the parent's peak
    RSS as its own (Linux records the old memory's high-water mark at
    ``exec``), so the peak is read from GNU time (``/usr/bin/time``, Debian
    package ``time``), which forks the command from itself; without it,
    ``os.wait4`` gives an upper bound.

    Returns
    -------
    dict
        ``s`` (wall clock, float), ``mib`` (peak RSS), ``rc`` and ``stderr`` (last 4,000 characters).
    """
    err = stdout.with_name(stdout.name + ".err")
    peak = stdout.with_name(stdout.name + ".rss")
    gnu = os.access(GNU_TIME, os.X_OK)
    full = [GNU_TIME, "-f", "%M", "-o", str(peak), *cmd] if gnu else cmd
    with open(stdout, "wb") as out, open(err, "wb") as errf:
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=errf, stdin=subprocess.DEVNULL, cwd=cwd, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    mib = usage.ru_maxrss / MIB
    if gnu and peak.exists():
        lines = [ln for ln in peak.read_text().split() if ln.isdigit()]
        mib = int(lines[-1]) / MIB if lines else mib
        peak.unlink()
    text = err.read_text(encoding="utf-8", errors="replace")[-4000:]
    err.unlink()
    return {"s": seconds, "mib": mib, "rc": proc.returncode, "stderr": text}


def cli(*args: str) -> list[str]:
    """Command line of ``finshare ARGS`` run from this checkout in the current interpreter."""
    return [sys.executable, "-m", "finshare.cli", *args]


def timed_ok(cmd: list[str], stdout: Path, cwd: Path, label: str) -> dict:
    """`run_timed`, exiting with status 1 and the process's stderr if it failed."""
    r = run_timed(cmd, stdout, cwd)
    if r["rc"] != 0:
        sys.stderr.write(f"\n{label} failed with status {r['rc']}:\n{r['stderr']}\n")
        raise SystemExit(1)
    del r["stderr"]
    progress(f"{r['s']:.2f} s {r['mib']:.0f} MiB; ")
    return r


def repeated(cmd: list[str], stdout: Path, cwd: Path, label: str, times: int) -> list[dict]:
    """Run ``cmd`` ``times`` times with `timed_ok`."""
    return [timed_ok(cmd, stdout, cwd, label) for _ in range(times)]


def median(runs: list[dict], key: str) -> float:
    """Median of ``key`` over ``runs``."""
    return statistics.median(r[key] for r in runs)


def store_bytes(case: Path) -> dict[str, int]:
    """Bytes of ``ledger.sqlite``, of its ``-wal`` (0 when absent), and of any other file the CLI added."""
    size = lambda p: p.stat().st_size if p.exists() else 0
    db, wal = case / "ledger.sqlite", case / "ledger.sqlite-wal"
    added = [p for p in case.rglob("*") if p.is_file() and p not in (db, wal)
             and not (CASE / p.relative_to(case)).exists()]
    return {"db": size(db), "wal": size(wal), "other": sum(size(p) for p in added)}


def progress(text: str) -> None:
    """Progress on stderr, without a newline."""
    print(text, end="", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------- peers
def write_journal_parquet(lines: pd.DataFrame, path: Path) -> None:
    """The generated journal lines (account, debit, credit as int64 fen) as Parquet."""
    import pyarrow.parquet as pq

    table = pa.table({"account": pa.array(lines["account"], pa.string()),
                      "debit": pa.array(lines["debit"], pa.int64()), "credit": pa.array(lines["credit"], pa.int64())})
    pq.write_table(table, path)


def duckdb_available() -> bool:
    """Whether the duckdb package is importable by the timed interpreter."""
    probe = subprocess.run([sys.executable, "-c", "import duckdb"], env=child_env(), capture_output=True, check=False)
    return probe.returncode == 0


def measure_duckdb(lines: pd.DataFrame, work: Path, times: int) -> dict:
    """Time a trial balance by DuckDB over Parquet in fresh processes; check its sums.

    Returns
    -------
    dict
        ``s`` and ``mib`` (median whole process), ``query_s`` (median of the query
        alone, inside the process), ``ok`` (sums equal the pandas computation).
    """
    parquet = work / "journal.parquet"
    write_journal_parquet(lines, parquet)
    progress("duckdb: ")
    runs = repeated([sys.executable, "-c", DUCKDB_SCRIPT, str(parquet)], work / "duckdb.json", work, "duckdb", times)
    result = json.loads((work / "duckdb.json").read_text())
    want = lines[["debit", "credit"]].groupby(lines["account"]).sum().sort_index()
    ok = [list(r) for r in result["rows"]] == [[a, int(d), int(c)] for a, d, c in want.itertuples()]
    parquet.unlink()
    return {"s": median(runs, "s"), "mib": median(runs, "mib"), "query_s": result["query_s"],
            "parquet_rows": len(lines), "ok": bool(ok)}


# -------------------------------------------------------------------------------------------- one case
def measure_n(n: int, args: argparse.Namespace, out: Path) -> dict:
    """Generate the case with N documents, time the commands, check their output.

    Returns
    -------
    dict
        Raw figures for N (see benchmarks/README.md) and ``problems`` (list of
        str, empty when every check passes).
    """
    case, work = out / f"case-{n}", out / f"work-{n}"
    work.mkdir(parents=True, exist_ok=True)
    progress(f"N={n:,}: generate ")
    t0 = time.perf_counter()
    write_case(n, args.seed, case)
    r: dict = {"n": n, "gen_s": time.perf_counter() - t0}
    progress(f"{r['gen_s']:.2f} s; ")
    lines = case_lines(case)
    r.update(time_cli(case, work, lines, args.repeat))
    r.update(summary(r))
    if args.peers and duckdb_available():
        r["duckdb"] = measure_duckdb(lines, work, args.repeat)
        if not r["duckdb"]["ok"]:
            r["problems"].append("duckdb: the sums per account differ from the pandas computation")
    progress("checks " + ("ok" if not r["problems"] else "FAILED") + "\n")
    if not args.keep:
        shutil.rmtree(case)
        shutil.rmtree(work)
    return r


def time_cli(case: Path, work: Path, lines: pd.DataFrame, repeat: int) -> dict:
    """Time the first tb, the warm tbs and the journals on ``case``; check what they print.

    Parameters
    ----------
    case : pathlib.Path
        A case folder from `write_case`, not posted yet.
    work : pathlib.Path
        Folder for the commands' output.
    lines : pandas.DataFrame
        The case's FJ-CAS journal lines from `case_lines`, the reference for the checks.
    repeat : int
        Runs of each warm command.

    Returns
    -------
    dict
        ``first``, ``tb``, ``journal`` (runs), store sizes, journal size and ``problems``.
    """
    expected = expected_tb(lines, PERIOD)
    tb_cmd = cli("tb", str(case), "--book", BOOK, "--period", PERIOD)
    progress("first tb ")
    first = timed_ok(tb_cmd, work / "tb-first.csv", work, "first tb")
    problems = check_tb(work / "tb-first.csv", expected)
    store_first = store_bytes(case)
    progress("tb ")
    warm = repeated(tb_cmd, work / "tb.csv", work, "tb", repeat)
    problems += check_tb(work / "tb.csv", expected)
    progress("journal ")
    journal = repeated(cli("journal", str(case), "--book", BOOK), work / "journal.csv", work, "journal", repeat)
    problems += check_journal(work / "journal.csv", lines)
    with open(work / "journal.csv", "rb") as fh:
        journal_lines = sum(1 for _ in fh) - 1
    return {"first": first, "tb": warm, "journal": journal, "problems": problems, "store_after_first": store_first,
            "store_after_all": store_bytes(case), "journal_lines": journal_lines,
            "journal_bytes": (work / "journal.csv").stat().st_size}


def summary(r: dict) -> dict:
    """The headline figures of one N from its raw runs."""
    store = r["store_after_first"]
    return {"first_s": r["first"]["s"], "first_mib": r["first"]["mib"],
            "tb_s": median(r["tb"], "s"), "tb_mib": median(r["tb"], "mib"),
            "journal_s": median(r["journal"], "s"), "journal_mib": median(r["journal"], "mib"),
            "db_bytes_per_doc": (store["db"] + store["wal"]) / r["n"],
            "other_bytes_per_doc": store["other"] / r["n"]}


def measure_import(out: Path, times: int) -> dict:
    """``python -c "import finshare"`` in fresh processes: median seconds and peak MiB."""
    progress("import finshare: ")
    runs = repeated([sys.executable, "-c", "import finshare"], out / "import.out", out, "import finshare", times)
    (out / "import.out").unlink()
    progress("\n")
    return {"s": median(runs, "s"), "mib": median(runs, "mib"), "runs": runs}


# ---------------------------------------------------------------------------------------------- report
def table(title: str, head: list[str], rows: list[list[str]]) -> list[str]:
    """A plain-text table: title, header, rule; the first column left-aligned, the others right-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    return [title, line(head), "  ".join("-" * w for w in widths), *map(line, rows), ""]


def figures_table(results: list[dict], repeat: int) -> list[str]:
    """Per N: the timed commands, their peak memory and the store size."""
    head = ["N", "gen s", "first tb s", "first MiB", f"tb s (med {repeat})", "tb MiB",
            f"journal s (med {repeat})", "journal MiB", "DB B/doc", "checks"]
    rows = [[f"{r['n']:,}", f"{r['gen_s']:.2f}", f"{r['first_s']:.2f}", f"{r['first_mib']:,.0f}",
             f"{r['tb_s']:.2f}", f"{r['tb_mib']:,.0f}", f"{r['journal_s']:.2f}", f"{r['journal_mib']:,.0f}",
             f"{r['db_bytes_per_doc']:,.0f}", "ok" if not r["problems"] else "FAILED"] for r in results]
    return table("Whole processes (fresh interpreter, wall clock; MiB = peak RSS of that process)", head, rows)


def goals_table(results: list[dict]) -> list[str]:
    """Each goal of the issue against each N (the goals are stated for N = 1,000,000)."""
    head = ["figure", "goal"] + [f"N={r['n']:,}" for r in results]
    rows = []
    for key, label, limit, unit in GOALS:
        cells = [f"{r[key]:,.2f} {'ok' if r[key] <= limit else 'over'}" if unit == "s"
                 else f"{r[key]:,.0f} {'ok' if r[key] <= limit else 'over'}" for r in results]
        rows.append([label, f"<= {limit:,.4g} {unit}", *cells])
    return [*table("Goals (stated for N = 1,000,000; ok = within the goal at this N)", head, rows)]


def peers_table(results: list[dict]) -> list[str]:
    """The peers' stated times and finshare's largest-N figures divided by them."""
    r = results[-1]
    note = "" if r["n"] == PEER_N else f" (finshare at N={r['n']:,}, peers at N={PEER_N:,}: not like for like)"
    head = ["tool", "tb s (stated)", "finshare tb / tool", "finshare first tb / tool"]
    rows = [[tool, f"{s:g}", f"{r['tb_s'] / s:.3g}", f"{r['first_s'] / s:.3g}"] for tool, s in PEERS.items()]
    if "duckdb" in r:
        d = r["duckdb"]
        rows.append([f"DuckDB measured, N={r['n']:,}", f"{d['s']:.2f}", f"{r['tb_s'] / d['s']:.3g}",
                     f"{r['first_s'] / d['s']:.3g}"])
    lines = table(f"Peers: trial balance of a 1M-transaction journal on this machine, as stated in the issue{note}",
                  head, rows)
    if "duckdb" in r:
        d = r["duckdb"]
        lines.insert(-1, f"DuckDB measured: whole process {d['s']:.2f} s (query alone {d['query_s']:.3f} s), "
                         f"{d['mib']:,.0f} MiB, {d['parquet_rows']:,} journal lines, sums "
                         f"{'equal' if d['ok'] else 'DIFFER'}")
    return lines


def report(results: list[dict], floor: dict, meta: dict, peers_note: str) -> str:
    """The whole stdout report."""
    out = [f"finshare ledger benchmark — Fujian case grown to N purchase receipts, book {BOOK}, period {PERIOD}, "
           f"seed {meta['seed']}, {meta['cpus']} CPUs, Python {meta['python']}, code {meta['code']}", "",
           f"import finshare alone: {floor['s']:.2f} s, {floor['mib']:,.0f} MiB (median of {len(floor['runs'])}; "
           "the floor every command pays)", ""]
    out += figures_table(results, meta["repeat"])
    out += [f"N={r['n']:,}: the commands also added {r['other_bytes_per_doc']:,.0f} B/doc of other files to the case"
            for r in results if r["other_bytes_per_doc"]]
    out += goals_table(results)
    out += peers_table(results)
    if peers_note:
        out += [peers_note, ""]
    for r in results:
        out += [f"N={r['n']:,}: {p}" for p in r["problems"]]
    ok = all(not r["problems"] for r in results)
    out.append("trial balances tie out and equal the pandas computation; journal sums equal it: "
               + ("yes" if ok else "NO"))
    return "\n".join(out)


def code_version() -> str:
    """Commit of the checkout, with ``+dirty`` when finshare/ has uncommitted changes."""
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--", "finshare") else "")


# ------------------------------------------------------------------------------------------------ main
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1_000_000], help="documents (several allowed)")
    ap.add_argument("--seed", type=int, default=7, help="generator seed; the same seed gives the same files")
    ap.add_argument("--out", type=Path, help="working folder (default: a temporary one); DIR/case-N is replaced")
    ap.add_argument("--keep", action="store_true", help="keep the case folders, ledgers and outputs")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each warm command (median is reported)")
    ap.add_argument("--peers", action="store_true", help="also time DuckDB over Parquet (needs duckdb)")
    ap.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when every check passes, 1 otherwise."""
    args = parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="finshare-bench-ledger-"))
    out.mkdir(parents=True, exist_ok=True)
    peers_note = ""
    if args.peers and not duckdb_available():
        peers_note = "DuckDB skipped: the duckdb package is not importable (pip install duckdb)"
        progress(peers_note + "\n")
    meta = {"seed": args.seed, "cpus": os.cpu_count(), "python": sys.version.split()[0], "code": code_version(),
            "repeat": args.repeat, "book": BOOK, "period": PERIOD, "peers_stated_s": PEERS, "goals": GOALS}
    floor = measure_import(out, args.repeat)
    results = [measure_n(n, args, out) for n in args.n]
    print(report(results, floor, meta, peers_note))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"meta": meta, "import": floor, "results": results}, indent=2,
                                        ensure_ascii=False, default=str))
    if args.out is None and not args.keep:
        shutil.rmtree(out)
    return 0 if all(not r["problems"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
