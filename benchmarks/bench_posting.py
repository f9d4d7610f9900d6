"""Posting throughput benchmark on the Fujian case with N synthetic purchase receipts.

Usage::

    python benchmarks/bench_posting.py --n 1000 10000 100000 1000000 [--seed 7] [--store]

Each N runs in a fresh subprocess (this script with the internal flag
``--one N``) so that its peak memory (``ru_maxrss``) belongs to that N
alone. The child loads ``datasets/fujian``, replaces the purchase receipts
by N generated documents, and times with ``time.perf_counter``:

* generate   building the raw text frames (numpy, deterministic from the seed)
* validate   ``Documents.from_text`` (type checks, references, look-ups)
* prepare    ``Ledger.prepare()`` in memory: entries for all books,
             voucher numbering, GL summarisation (nothing stored)
* per book   ``generate_entries`` once, then ``entries_for_book`` per book
* TB         ``balances.trial_balance`` of every book for 2020-12
* store      (``--store``, N <= --store-max) ``Ledger.post()`` into a SQLite
             file in a temporary folder, then the trial balances read back

It then checks that every voucher balances and every trial balance ties out.
No timing is asserted; the figures are printed for people to read.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "datasets" / "fujian"
DOC_TYPE = "purchase_receipt"
PERIOD = "2020-12"
GOAL = 100_000  # documents per second per book


# --------------------------------------------------------------------------- child
def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_raw_frames(n: int, seed: int):
    """N purchase receipts as text frames (as read from CSV), one line each."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    nums = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(7)
    doc_no = ("PR" + nums).to_numpy(object)
    days = rng.integers(0, 366, n)                               # 2020 is a leap year
    dates = np.datetime_as_string(np.datetime64("2020-01-01") + days.astype("timedelta64[D]"), unit="D")
    org = rng.choice(np.array(["XM", "SZ", "VN"], dtype=object), n, p=[0.45, 0.45, 0.10])
    expense = rng.random(n) < 0.5
    biz = np.where(expense, "费用采购", "标准采购").astype(object)
    supplier = rng.choice(np.array(["S001", "S002", "S003"], dtype=object), n)
    dept = rng.choice(np.array(["XM-ADM", "XM-MKT"], dtype=object), n)  # 管理 / 销售: an expense line fires
    material = np.where(expense, rng.choice(np.array(["M002", "M003"], dtype=object), n), "M001").astype(object)
    cents = rng.integers(1, 100_000_000 + 1, n)                  # 0.01 .. 1,000,000.00
    amount = (pd.Series(cents // 100).astype(str) + "."
              + pd.Series(cents % 100).astype(str).str.zfill(2)).to_numpy(object)
    header = pd.DataFrame({
        "doc_no": doc_no, "date": dates.astype(object), "org": org, "biz_type": biz, "supplier": supplier,
        "department": dept, "currency": "CNY", "status": "approved", "remark": "",
    })
    lines = pd.DataFrame({
        "doc_no": doc_no, "line_no": "1", "material": material, "qty": "1", "price": amount, "amount": amount,
    })
    return header, lines


def bench_rates(case):
    """The case's rates plus CNY->HKD 1.10 and CNY->VND 3300 from 2020-01-01.

    The case's own CNY->HKD 1.10 holds from 2020-03-01, but the generated
    documents start in January; VN documents also need CNY->VND for VN-MGT.
    """
    import pandas as pd

    from finshare.core.rates import RateTable

    rows = [(pd.Timestamp(r.date), r.from_currency, r.to_currency, Fraction(int(r.num), int(r.den)))
            for r in case.rates.rates.itertuples(index=False)]
    have = {(d, f, t) for d, f, t, _ in rows}
    for d, f, t, rate in (("2020-01-01", "CNY", "HKD", "1.10"), ("2020-01-01", "CNY", "VND", "3300")):
        if (pd.Timestamp(d), f, t) not in have:
            rows.append((pd.Timestamp(d), f, t, rate))
    return RateTable.from_rows(rows)


def check_balanced(result) -> tuple[bool, int]:
    """Every voucher (book, kind, period, voucher_no) balances; returns (ok, vouchers checked)."""
    import pandas as pd

    ok, count = True, 0
    for frame in (result.business, result.gl):
        sums = frame.groupby(["book", "kind", "period", "voucher_no"], sort=False)[["debit", "credit"]].sum()
        count += len(sums)
        ok &= bool((sums["debit"] == sums["credit"]).all())
        ok &= bool(pd.Series(frame["debit"]).sum() == pd.Series(frame["credit"]).sum())
    return ok, count


def run_one(n: int, seed: int, store: bool, store_max: int) -> dict:
    import pandas as pd

    import finshare
    from finshare.core.balances import ties_out, trial_balance
    from finshare.core.documents import Documents
    from finshare.core.booking import entries_for_book
    from finshare.core.posting import generate_entries

    out: dict = {"n": n, "seed": seed, "pandas": pd.__version__}
    case = finshare.load_case(CASE)
    case.rates = bench_rates(case)
    doctype = case.doctypes[DOC_TYPE]
    out["rss_base_mb"] = rss_mb()

    # (a) generate + validate
    t0 = time.perf_counter()
    raw_h, raw_l = make_raw_frames(n, seed)
    t1 = time.perf_counter()
    docs = Documents.from_text(doctype, raw_h, raw_l, case.master, "<generated header>", "<generated lines>")
    t2 = time.perf_counter()
    del raw_h, raw_l
    case.documents = {DOC_TYPE: docs}
    out["t_generate"], out["t_validate"] = t1 - t0, t2 - t1

    orgs = docs.header[doctype.org_field].astype(object)
    reach = {b.code: int(orgs.isin(b.units).sum()) for b in case.books}
    out["reach"] = reach
    out["doc_book_postings"] = sum(reach.values())

    # (b) posting without storing
    ledger = finshare.Ledger(case)
    t0 = time.perf_counter()
    result, problems = ledger.prepare()
    t1 = time.perf_counter()
    out["t_prepare"] = t1 - t0
    if problems:
        raise SystemExit(f"posting problems ({len(problems)}), first: {problems[0]}")
    out["business_lines"], out["gl_lines"] = len(result.business), len(result.gl)

    # per book: book-independent entries once, then entries_for_book per book
    tpl = case.templates_for(DOC_TYPE)[0]
    chart = case.template_chart(tpl)
    t0 = time.perf_counter()
    entries, _ = generate_entries(docs, tpl, docs.approved())
    out["t_entries"] = time.perf_counter() - t0
    out["t_book"] = {}
    for b in case.books:
        t0 = time.perf_counter()
        lines, probs = entries_for_book(entries, b, tpl, case.rates, chart)
        out["t_book"][b.code] = time.perf_counter() - t0
        if probs:
            raise SystemExit(f"problems in {b.code}: {probs[0]}")
    del entries, lines

    # (c) trial balance per book over the prepared GL lines
    t0 = time.perf_counter()
    tbs = {}
    gl = result.gl
    for b in case.books:
        if reach[b.code]:  # a book no document reaches has no trial balance
            tbs[b.code] = trial_balance(gl[gl["book"] == b.code], b.chart, PERIOD)
    out["t_tb"] = time.perf_counter() - t0

    ok, vouchers = check_balanced(result)
    ties = all(ties_out(tb) for tb in tbs.values())
    out["vouchers_checked"] = vouchers
    out["rss_prepare_mb"] = rss_mb()

    # (d) optional: store into SQLite, then the trial balance read back
    out["stored"] = False
    if store and n <= store_max:
        del result, gl
        with tempfile.TemporaryDirectory(prefix="finshare-bench-") as tmp:
            path = Path(tmp) / "ledger.sqlite"
            sledger = finshare.Ledger(case, path)
            t0 = time.perf_counter()
            posted = sledger.post()
            t1 = time.perf_counter()
            read_tbs = {b.code: sledger.trial_balance(b.code, PERIOD, exact=True) for b in case.books if reach[b.code]}
            t2 = time.perf_counter()
            out["t_store"], out["t_tb_read"] = t1 - t0, t2 - t1
            out["db_mb"] = path.stat().st_size / 2**20
            out["stored"] = True
            ok2, _ = check_balanced(posted)
            ok &= ok2
            for code, tb in read_tbs.items():
                ties &= ties_out(tb)
                ties &= bool(tb.drop(columns=["account_name"]).equals(tbs[code].drop(columns=["account_name"])))
            sledger.store.engine.dispose()
    out["balanced"] = bool(ok)
    out["ties_out"] = bool(ties)
    out["rss_peak_mb"] = rss_mb()
    return out


# -------------------------------------------------------------------------- parent
def fmt_rate(x: float) -> str:
    return f"{x:,.0f}"


def report(results: list[dict], seed: int) -> str:
    books = list(results[0]["t_book"])
    title = (f"finshare posting benchmark — Fujian case, {len(books)} books, seed {seed}, "
             f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, pandas {results[0]['pandas']}, "
             f"code {code_version()}")
    out = [title, ""]
    any_store = any(r["stored"] for r in results)

    head = ["N", "gen s", "valid s", "prep s", "TB s"] + (["store s", "TBread s"] if any_store else []) + \
        ["docs/s", "doc-book/s", "BV lines", "GL lines", "peak RSS MB"]
    rows = []
    for r in results:
        p = r["t_prepare"]
        row = [f"{r['n']:,}", f"{r['t_generate']:.3f}", f"{r['t_validate']:.3f}", f"{p:.3f}", f"{r['t_tb']:.3f}"]
        if any_store:
            row += [f"{r['t_store']:.2f}", f"{r['t_tb_read']:.2f}"] if r["stored"] else ["-", "-"]
        row += [fmt_rate(r["n"] / p), fmt_rate(r["doc_book_postings"] / p), f"{r['business_lines']:,}",
                f"{r['gl_lines']:,}", f"{r['rss_peak_mb']:,.0f}"]
        rows.append(row)
    out += table("Stages (seconds) and posting rate of Ledger.prepare()", head, rows)

    head = ["N", "entries s"] + [f"{b} s" for b in books] + [f"{b} docs/s" for b in books]
    rows = []
    for r in results:
        tb = r["t_book"]
        row = [f"{r['n']:,}", f"{r['t_entries']:.3f}"] + [f"{tb[b]:.3f}" for b in books]
        row += [fmt_rate(r["reach"][b] / tb[b]) if r["reach"][b] else "-" for b in books]
        rows.append(row)
    out += table("Per book: generate_entries once, then entries_for_book per book "
                 "(docs/s = documents reaching the book / its entries_for_book time)", head, rows)
    reach = results[-1]["reach"]
    out.append("documents reaching each book at N=" + f"{results[-1]['n']:,}: "
               + ", ".join(f"{b} {reach[b]:,}" for b in books))
    out.append(f"goal: ≥{GOAL:,} documents per second per book")
    out.append("prepare() end to end, all books: " + ", ".join(
        f"N={r['n']:,} {r['doc_book_postings'] / r['t_prepare']:,.0f} document-book postings/s "
        f"({'meets' if r['doc_book_postings'] / r['t_prepare'] >= GOAL else 'below'})" for r in results))
    out.append("")

    head = ["N", "base MB", "peak MB (prepare)", "peak MB (end)", "MB/1k docs", "DB MB"]
    rows = []
    for r in results:
        grow = r["rss_prepare_mb"] - r["rss_base_mb"]
        rows.append([f"{r['n']:,}", f"{r['rss_base_mb']:.0f}", f"{r['rss_prepare_mb']:.0f}",
                     f"{r['rss_peak_mb']:.0f}", f"{grow / r['n'] * 1000:.2f}",
                     f"{r['db_mb']:.1f}" if r["stored"] else "-"])
    out += table("Peak memory (ru_maxrss of a fresh subprocess per N; MB/1k docs = (peak at prepare - base) "
                 "per 1000 documents)", head, rows)

    if len(results) > 1:
        head = ["N -> N'", "N ratio", "validate", "prepare", "TB", "memory (peak-base)"]
        rows = []
        for a, b in itertools.pairwise(results):
            ga = a["rss_prepare_mb"] - a["rss_base_mb"]
            gb = b["rss_prepare_mb"] - b["rss_base_mb"]
            rows.append([f"{a['n']:,} -> {b['n']:,}", f"{b['n'] / a['n']:.1f}",
                         f"{b['t_validate'] / a['t_validate']:.1f}", f"{b['t_prepare'] / a['t_prepare']:.1f}",
                         f"{b['t_tb'] / a['t_tb']:.1f}", f"{gb / ga:.1f}" if ga > 0 else "-"])
        out += table("Scaling: time and memory ratios between consecutive N (linear = N ratio)", head, rows)

    bal = all(r["balanced"] for r in results)
    ties = all(r["ties_out"] for r in results)
    out.append(f"vouchers checked: {sum(r['vouchers_checked'] for r in results):,}; "
               f"trial balances tie out: {'yes' if ties else 'NO'}")
    out.append(f"balanced: {'yes' if bal and ties else 'NO'}")
    return "\n".join(out)


def code_version() -> str:
    """Commit of the working tree, with "+dirty" when finshare/ has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "finshare"], cwd=ROOT, capture_output=True,
                               text=True, check=False).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(title: str, head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    line = lambda cells: "  ".join(c.rjust(w) for c, w in zip(cells, widths))
    return [title, line(head), "  ".join("-" * w for w in widths), *map(line, rows), ""]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--store", action="store_true", help="also post into a SQLite file (N <= --store-max)")
    ap.add_argument("--store-max", type=int, default=100_000, help="largest N stored with --store")
    ap.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one N, print JSON
    args = ap.parse_args(argv)

    if args.one is not None:
        print(json.dumps(run_one(args.one, args.seed, args.store, args.store_max)))
        return 0

    results = []
    for n in args.n:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(n), "--seed", str(args.seed),
               "--store-max", str(args.store_max)] + (["--store"] if args.store else [])
        t0 = time.perf_counter()
        print(f"N={n:,} ...", end=" ", flush=True, file=sys.stderr)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print("failed", file=sys.stderr)
            sys.stderr.write(proc.stderr)
            return proc.returncode or 1
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"{time.perf_counter() - t0:.1f} s wall", file=sys.stderr)
    print(report(results, args.seed))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if all(r["balanced"] and r["ties_out"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
