"""A year of the Fujian group at scale K: generate, post, close, report; hledger and beancount as peers.

Usage::

    python benchmarks/bench_year.py --scale 1 50 [--seed 2020] [--peer-book CN-MGT] [--out DIR] [--keep]
                                    [--no-peers] [--peer-venv DIR] [--json FILE]

For each K every stage runs as a fresh process, timed from outside (wall
clock, and the process's own peak RSS from GNU time), in this order:

* generate    ``finshare generate fujian-year --seed S --scale K --out DIR/year-K``
* post        ``finshare.Ledger(load_case(DIR), DIR/"ledger.sqlite").post()``: import and post all books
* close       ``close_books(ledger, books, "2020-MM")`` for MM = 01..12: each month in all four books at once
              (each closing step one batch for the four books, as ``finshare close --year`` does)
* statements  every statement of every book and month (a build refuses a balance sheet that does not
              balance), the group's for December, and the year's checks (``finshare.close.checks``)
* stored tb   ``ledger.trial_balance(book, "2020-12")`` of every book, twice; the second (warm) call is timed
* peers       the GL journal of one book (``--peer-book``) written as a hledger journal and a beancount
              file (benchmarks/peers.py), then ``hledger -f FILE bal``, ``hledger -f FILE bal --flat -E -O
              csv`` and beancount's ``loader.load_file`` + ``realization`` balances, each a whole command

The year's closing balance of every account of the peer book must be the same
in finshare's trial balance, hledger's and beancount's; every trial balance
must tie out. The exit status is 1 if not, or if a stage fails. No time is
asserted: the goals of the issue are printed beside the figures.

hledger (Debian package) and beancount (PyPI, GPL) are not dependencies of
finshare: when missing, this script installs hledger with ``apt-get`` and
beancount into a venv of its own (``--peer-venv``).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from bench_ledger import code_version, progress, run_timed, table  # noqa: E402

YEAR = "2020"
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
DEC = f"{YEAR}-12"
#: Goals of the issue, stated for K = 50: (label, stages summed, limit, unit)
GOALS = (("generate + import + post", ("generate", "post"), 120.0, "s"),
         ("close 12 months × 4 books + statements", ("close", "statements"), 30.0, "s"),
         ("peak memory of any finshare stage", ("generate", "post", "close", "statements", "stored_tb"), 4096.0,
          "MiB"))
LABELS = {"generate": "generate (finshare generate fujian-year)", "post": "import + post all books",
          "close": "close 12 months × 4 books", "statements": "statements 4 books × 12 months + group + checks",
          "stored_tb": "stored trial balance, 4 books (process)", "export": "write hledger + beancount files",
          "hledger_bal": "hledger bal", "hledger_csv": "hledger bal --flat -E -O csv",
          "beancount": "beancount load + balances"}
BEANCOUNT_SCRIPT = """\
import json, sys
from beancount import loader
from beancount.core import realization
entries, errors, options = loader.load_file(sys.argv[1])
currency = options["operating_currency"][0]
tree = realization.realize(entries)
balances = {node.account: str(node.balance.get_currency_units(currency).number)
            for node in realization.iter_children(tree) if not node.balance.is_empty()}
print(json.dumps({"errors": [str(e.message) for e in errors], "balances": balances}))
"""


# ---------------------------------------------------------------------------------------- child stages
def open_ledger(case: Path):
    """The case's stored ledger, as every stage opens it."""
    import finshare

    return finshare.Ledger(finshare.load_case(case, documents=False), case / "ledger.sqlite")   # files read only when changed


def book_codes(ledger) -> list[str]:
    """Codes of the case's books, in the case's order."""
    return [b.code for b in ledger.case.books]


def stage_post(case: Path, _args) -> dict:
    """Import and post every document into all books."""
    ledger = open_ledger(case)
    ledger.post()
    return {"books": book_codes(ledger)}


def stage_close(case: Path, args) -> dict:
    """Close the twelve months in order, each in all books at once, until ``--close-limit`` seconds have passed.

    Returns the closes done (book-months, of 48), the seconds of each month, whether the limit stopped it,
    and each book-month's result (profit, minor units).
    """
    import pandas

    from finshare.close import depreciation
    from finshare.close.period import close_books

    ledger = open_ledger(case)
    ledger.post()                                    # nothing is pending after the post stage: a quick check
    books = book_codes(ledger)
    before = {book: ledger.store.sums(book, kind="business", upto="2019-12") for book in books}
    register = depreciation.register(ledger)
    start, done, seconds = time.perf_counter(), [], []
    for month in MONTHS:
        if time.perf_counter() - start > args.close_limit:
            break
        t0 = time.perf_counter()
        done += close_books(ledger, books, month, post=False, before=before, register=register)
        for book in books:
            before[book] = pandas.concat([before[book], ledger.store.sums(book, kind="business", only=month)])
        seconds.append(time.perf_counter() - t0)
    return {"closed": len(done), "of": len(books) * len(MONTHS), "stopped": len(done) < len(books) * len(MONTHS),
            "seconds": seconds, "results": {f"{d.book} {d.period}": d.result for d in done}}


def stage_statements(case: Path, _args) -> dict:
    """Every statement of every book and month, the group's statements for December, and the year's checks;
    whether every balance sheet balances and every check passes."""
    from finshare.close.checks import year_checks
    from finshare.close.statements.report import book_statements, group_statements

    ledger = open_ledger(case)
    built = [book_statements(ledger, book, month, "all") for book in book_codes(ledger) for month in MONTHS]
    built.append(group_statements(ledger, DEC)[1])
    checks = year_checks(ledger, "2020")
    return {"statements": sum(len(b) for b in built), "tie_out": bool(checks["ok"].all())}


def stage_stored_tb(case: Path, _args) -> dict:
    """Each book's stored trial balance for December twice; seconds of the second (warm) call."""
    ledger = open_ledger(case)
    warm = {}
    for book in book_codes(ledger):
        ledger.trial_balance(book, DEC)
        t0 = time.perf_counter()
        ledger.trial_balance(book, DEC)
        warm[book] = time.perf_counter() - t0
    return {"warm_s": warm}


def stage_export(case: Path, args) -> dict:
    """Write the peer book's GL journal for hledger and beancount; finshare's closing balances to compare."""
    import peers
    from finshare.core.balances import ties_out

    ledger = open_ledger(case)
    book = ledger.case.books[args.peer_book]
    lines = ledger.lines(book.code, "gl")
    lines = lines[(lines["period"].astype(str) <= DEC).to_numpy()]    # the year's; documents of 2021 are left out
    paths = peers.write_peers(lines, book, Path(args.work))
    tb = ledger.trial_balance(book.code, DEC, exact=True)
    leaf = tb[tb["account"].isin(book.chart.leaf_codes())]
    names = peers.account_names(book.chart)[leaf["account"]]
    closing = leaf["closing_debit"] - leaf["closing_credit"]
    return {"lines": len(lines), "vouchers": int(lines.groupby(["period", "voucher_no"], observed=True).ngroups),
            "currency": book.currency, "exponent": book.exponent, "tie_out": ties_out(tb),
            "paths": {k: str(p) for k, p in paths.items()},
            "balances": {n: int(v) for n, v in zip(names, closing)}}


STAGES = {"post": stage_post, "close": stage_close, "statements": stage_statements, "stored_tb": stage_stored_tb,
          "export": stage_export}


def run_stage(args) -> int:
    """Internal ``--stage NAME --case DIR``: run one stage, print its figures as one JSON line."""
    print(json.dumps(STAGES[args.stage](Path(args.case), args)))
    return 0


# ------------------------------------------------------------------------------------------------ peers
def ensure_hledger() -> str:
    """``hledger --version``, installing Debian's hledger with apt-get first if it is missing."""
    if not shutil.which("hledger"):
        progress("hledger missing: apt-get install -y hledger\n")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
        if subprocess.run(["apt-get", "install", "-y", "hledger"], check=False, **quiet).returncode:
            subprocess.run(["apt-get", "update"], check=False, **quiet)
            subprocess.run(["apt-get", "install", "-y", "hledger"], check=False, **quiet)
    if not shutil.which("hledger"):
        raise SystemExit("hledger is missing and apt-get could not install it: install the Debian package "
                         "hledger as root, or run with --no-peers")
    return subprocess.run(["hledger", "--version"], capture_output=True, text=True, check=False).stdout.strip()


def ensure_beancount(venv: Path) -> tuple[Path, str]:
    """The interpreter of ``venv`` with beancount (created and installed from PyPI if needed) and the version."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import beancount; print(beancount.__version__)"]
    if not python.exists() or subprocess.run(probe, capture_output=True, check=False).returncode:
        progress(f"beancount missing: pip install beancount into {venv}\n")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "beancount"], check=True)
    return python, "beancount " + subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()


def to_minor(text: str, exponent: int) -> int:
    """Exact decimal text (``"-1234.56"``, ``"0"``) as integer minor units; refuses a fraction of a minor unit."""
    value = Decimal(text).scaleb(exponent)
    if value != value.to_integral_value():
        raise ValueError(f"{text} has more than {exponent} decimals")
    return int(value)


def hledger_balances(csv_text: str, exponent: int) -> dict[str, int]:
    """Balances of ``hledger bal --flat -O csv`` (``"Assets:A1002","1234.56 CNY"``) in minor units.

    The ``total`` row and bare roots (``Assets``, listed by ``-E``) are left out.
    """
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text)))[1:]
    return {account: to_minor(amount.split()[0] if amount.strip() else "0", exponent)
            for account, amount in rows if ":" in account}


def differences(name: str, reference: dict[str, int], other: dict[str, int]) -> list[str]:
    """Accounts whose balance in ``other`` differs from finshare's (an absent account counts as zero)."""
    accounts = sorted(set(reference) | set(other))
    return [f"{a}: finshare {reference.get(a, 0):,} != {name} {other.get(a, 0):,} (minor units)"
            for a in accounts if reference.get(a, 0) != other.get(a, 0)]


# ---------------------------------------------------------------------------------------- parent: timing
def this_script(stage: str, case: Path, args) -> list[str]:
    """Command line of this script running one stage in a fresh interpreter."""
    return [sys.executable, str(Path(__file__).resolve()), "--stage", stage, "--case", str(case),
            "--peer-book", args.peer_book, "--work", str(args.work), "--close-limit", str(args.close_limit)]


def timed(key: str, cmd: list[str], work: Path) -> dict:
    """Run one stage's command with `run_timed`; exit 1 with its stderr if it fails.

    Returns
    -------
    dict
        ``s``, ``mib`` and ``out`` (what the command printed on stdout).
    """
    out = work / f"{key}.out"
    r = run_timed(cmd, out, work)
    if r.pop("rc"):
        sys.stderr.write(f"\n{LABELS[key]} failed:\n{r['stderr']}\n")
        raise SystemExit(1)
    del r["stderr"]
    r["out"] = out.read_text(encoding="utf-8")
    progress(f"{key} {r['s']:.1f} s {r['mib']:,.0f} MiB; ")
    return r


def figures(r: dict) -> dict:
    """The JSON line a stage of this script printed last."""
    return json.loads(r.pop("out").strip().splitlines()[-1])


def measure_finshare(k: float, case: Path, args) -> tuple[dict, dict]:
    """Time generate, post, close, statements and the stored trial balance; their runs and figures."""
    runs = {"generate": timed("generate", [sys.executable, "-m", "finshare.cli", "generate", "fujian-year", "--seed",
                                           str(args.seed), "--scale", f"{k:g}", "--out", str(case)], args.work)}
    found = {"generate": runs["generate"].pop("out").strip()}
    for stage in ("post", "close", "statements", "stored_tb"):
        runs[stage] = timed(stage, this_script(stage, case, args), args.work)
        found[stage] = figures(runs[stage])
    return runs, found


def measure_peers(case: Path, args) -> tuple[dict, dict]:
    """Write the peer files, time hledger and beancount on them, compare every account's balance."""
    runs = {"export": timed("export", this_script("export", case, args), args.work)}
    ref = figures(runs["export"])
    journal, beanfile = ref["paths"]["hledger"], ref["paths"]["beancount"]
    runs["hledger_bal"] = timed("hledger_bal", ["hledger", "-f", journal, "bal"], args.work)
    runs["hledger_csv"] = timed("hledger_csv", ["hledger", "-f", journal, "bal", "--flat", "-E", "-O", "csv"],
                                args.work)
    runs["beancount"] = timed("beancount", [str(args.beancount), "-c", BEANCOUNT_SCRIPT, beanfile], args.work)
    bean = json.loads(runs["beancount"].pop("out"))
    exp = ref["exponent"]
    hledger = hledger_balances(runs["hledger_csv"].pop("out"), exp)
    runs["hledger_bal"].pop("out")
    beancount = {a: to_minor(v, exp) for a, v in bean["balances"].items()}
    problems = [f"beancount: {e}" for e in bean["errors"]]
    problems += differences("hledger", ref["balances"], hledger) + differences("beancount", ref["balances"], beancount)
    found = {"export": {k: v for k, v in ref.items() if k != "paths"}, "hledger": hledger, "beancount": beancount,
             "peer_problems": problems}
    return runs, found


def measure_scale(k: float, args) -> dict:
    """All stages for scale K in fresh folders; the raw runs, the stages' figures and the problems found."""
    case, args.work = args.out / f"year-{k:g}", args.out / f"work-{k:g}"
    for folder in (case, args.work):
        shutil.rmtree(folder, ignore_errors=True)
    args.work.mkdir(parents=True)
    progress(f"K={k:g}: ")
    runs, found = measure_finshare(k, case, args)
    if args.peers:
        more_runs, more = measure_peers(case, args)
        runs.update(more_runs)
        found.update(more)
    progress("\n")
    if not args.keep:
        shutil.rmtree(case)
        shutil.rmtree(args.work)
    return {"scale": k, "runs": runs, "found": found, "problems": problems_of(found)}


def problems_of(found: dict) -> list[str]:
    """What the stages' figures say is wrong: a trial balance that does not tie out, a peer that disagrees."""
    out = [] if found["statements"]["tie_out"] else ["a check of the closed year failed (finshare close --year)"]
    if "export" in found and not found["export"]["tie_out"]:
        out.append("the peer book's December trial balance does not tie out")
    return out + found.get("peer_problems", [])


# ----------------------------------------------------------------------------------------------- report
def goal_rows(runs: dict, close: dict) -> list[list[str]]:
    """The issue's goals (stated for K = 50) against these runs: label, seconds, MiB, goal, met.

    When ``--close-limit`` stopped the closes, the close's seconds are those of
    all 48 closes estimated from the mean of those done, marked ``~``.
    """
    rows = []
    for label, keys, limit, unit in GOALS:
        seconds, peak = sum(runs[k]["s"] for k in keys), max(runs[k]["mib"] for k in keys)
        approx = "close" in keys and close["stopped"]
        if approx:
            seconds += close_estimate(close) - runs["close"]["s"]
        value = seconds if unit == "s" else peak
        rows.append([f"= {label}", (f"~{seconds:.0f}" if approx else f"{seconds:.2f}") if unit == "s" else "",
                     f"{peak:,.0f}", f"<= {limit:,.0f} {unit}", "yes" if value <= limit else "NO"])
    return rows


def close_estimate(close: dict) -> float:
    """Seconds of all twelve months, from the mean of those done (the measured sum when none was left out)."""
    return sum(close["seconds"]) / max(len(close["seconds"]), 1) * len(MONTHS)


def stage_label(key: str, found: dict) -> str:
    """The stage's name in the table; a stopped close says how many of the 48 it did."""
    close = found["close"]
    if key == "close" and close["stopped"]:
        return f"close: {close['closed']} of {close['of']} closes, then stopped (--close-limit)"
    return LABELS[key]


def stage_table(r: dict) -> list[str]:
    """Stage, seconds, peak MiB, goal, met? for one scale."""
    rows = [[stage_label(k, r["found"]), f"{v['s']:.2f}", f"{v['mib']:,.0f}", "", ""] for k, v in r["runs"].items()]
    close = r["found"]["close"]
    lines = table(f"K={r['scale']:g}: {r['found']['generate']}", ["stage", "s", "peak MiB", "goal (K=50)", "met?"],
                  rows + goal_rows(r["runs"], close))
    per = sorted(close["seconds"])
    lines.insert(-1, f"one month in all books (close_books): median {per[len(per) // 2]:.2f} s, max {per[-1]:.2f} s "
                     f"over {len(per)}; all 12: {'~' if close['stopped'] else ''}{close_estimate(close):.1f} s")
    return lines


def ratio_lines(r: dict, book: str) -> list[str]:
    """finshare's warm stored trial balance of the peer book against hledger bal and beancount."""
    runs, found = r["runs"], r["found"]
    tb = found["stored_tb"]["warm_s"][book]
    ex = found["export"]
    lines = [f"peer book {book}: {ex['lines']:,} GL lines in {ex['vouchers']:,} vouchers, {ex['currency']}",
             f"finshare stored trial balance of {book} (warm second call in a fresh process): {tb:.3f} s"]
    for key, name in (("hledger_bal", "hledger-bal"), ("beancount", "beancount")):
        peer = runs[key]["s"]
        lines.append(f"finshare-tb : {name} = {tb:.3f} s : {peer:.2f} s = {tb / peer:.3g} "
                     f"(whole stored-tb process, 4 books twice: {runs['stored_tb']['s'] / peer:.3f})")
    agree = [f"{name} {'equal' if not differences(name, ex['balances'], found[name]) else 'DIFFER'}"
             for name in ("hledger", "beancount")]
    lines.append(f"closing balances {DEC} of {len(ex['balances'])} accounts, finshare vs {', '.join(agree)}")
    return lines + [""]


def report(results: list[dict], meta: dict) -> str:
    """The whole stdout report."""
    out = [f"finshare year benchmark — generated Fujian year, seed {meta['seed']}, {meta['cpus']} CPUs, "
           f"Python {meta['python']}, code {meta['code']}",
           "each stage a fresh process: wall seconds, peak RSS (GNU time)"]
    out += [f"peers: {meta['hledger']}; {meta['beancount']}", ""] if meta["peers"] else [""]
    for r in results:
        out += stage_table(r)
        out += ratio_lines(r, meta["peer_book"]) if meta["peers"] else []
        out += [f"K={r['scale']:g}: {p}" for p in r["problems"]]
    ok = all(not r["problems"] for r in results)
    out.append("trial balances tie out" + (", finshare, hledger and beancount agree on every account" if
                                           meta["peers"] else "") + ": " + ("yes" if ok else "NO"))
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, nargs="+", default=[1.0], help="K: 1 is about 18,500 documents")
    ap.add_argument("--seed", type=int, default=2020, help="generator seed")
    ap.add_argument("--peer-book", default="CN-MGT", help="book whose GL journal the peers read")
    ap.add_argument("--out", type=Path, help="working folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the case folders, ledgers and peer files")
    ap.add_argument("--no-peers", dest="peers", action="store_false", help="leave out hledger and beancount")
    ap.add_argument("--peer-venv", type=Path, default=BENCH / "out" / "peer-venv",
                    help="venv for beancount, created when beancount is missing")
    ap.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    ap.add_argument("--close-limit", type=float, default=1800.0,
                    help="stop closing after this many seconds (the rest of the 48 closes is estimated)")
    ap.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)    # internal: one stage
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def prepare_peers(args) -> dict:
    """Install the peers when missing; their versions. hledger reads UTF-8 only under a UTF-8 locale."""
    os.environ["LC_ALL"] = "C.UTF-8"
    os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"          # no pickle cache: every load parses the file
    args.beancount, bean_version = ensure_beancount(args.peer_venv)
    return {"hledger": ensure_hledger(), "beancount": bean_version}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or one internal stage); 0 when every check passes, 1 otherwise."""
    args = parse_args(argv)
    if args.stage:
        return run_stage(args)
    meta = {"seed": args.seed, "cpus": os.cpu_count(), "python": sys.version.split()[0], "code": code_version(),
            "peers": args.peers, "peer_book": args.peer_book, "goals": GOALS}
    if args.peers:
        meta.update(prepare_peers(args))
    temporary = args.out is None
    args.out = args.out or Path(tempfile.mkdtemp(prefix="finshare-bench-year-"))
    args.out.mkdir(parents=True, exist_ok=True)
    results = [measure_scale(k, args) for k in args.scale]
    print(report(results, meta))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2, ensure_ascii=False))
    if temporary and not args.keep:
        shutil.rmtree(args.out)
    return 0 if all(not r["problems"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
