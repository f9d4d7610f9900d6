"""Reconciliation at scale: 100,000 bank lines against 100,000 book lines, then receipts against 100,000
open invoices; seconds per stage.

Run: ``python benchmarks/bench_reconcile.py [--lines 100000] [--invoices 100000] [--seed 7]``. The bank
scenario comes from :func:`finshare.reconcile.samples.bank_scenario` (three months); the period reconciled
is the second month, with the first as history and the third as next month's lines. The clearing stage is
``bench_clearing.py``'s (:func:`finshare.reconcile.clearing.ar_scenario`). Goal: bank reconciliation
(matching, reasons, 调节表) and receivable clearing together under 5 s; JSON printing is timed apart.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from finshare.reconcile.accuracy import accuracy
from finshare.reconcile.bank import BankOptions, reconcile_bank
from finshare.reconcile.samples import bank_scenario

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_clearing import run as run_clearing  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--invoices", type=int, default=100_000, help="open invoices of the clearing stage")
    args = ap.parse_args()
    t0 = time.perf_counter()
    bank, journal, truth = bank_scenario(args.seed, args.lines, "2020-01", 3)
    n_book = int(journal["account"].str.startswith("1002").sum())
    print(f"scenario: {len(bank):,} bank lines, {n_book:,} book lines of 1002 ({len(journal):,} journal lines) "
          f"in {time.perf_counter() - t0:.2f} s (not counted)")
    timings: dict = {}
    t0 = time.perf_counter()
    rec = reconcile_bank(bank, journal, "1002", "2020-02", BankOptions(book_opening=100_000_000), timings)
    total = time.perf_counter() - t0
    for stage, secs in timings.items():
        print(f"  {stage:<34} {secs:6.2f} s")
    print(f"reconcile total                      {total:6.2f} s")
    t0 = time.perf_counter()
    text = rec.to_json()
    print(f"to_json ({len(text) / 1e6:.1f} MB)                   {time.perf_counter() - t0:6.2f} s")
    day = lambda s: pd.Series(s.to_numpy(dtype="datetime64[D]").astype("int64"))  # noqa: E731
    acc = accuracy(rec.matches(), truth.groups, rec.days, day(bank["date"]).set_axis(bank["row"]),
                   day(journal["date"]).set_axis(journal["line_id"]))
    print(f"accuracy: auto precision {acc.precision:.4f}, auto coverage {acc.coverage:.4f}, "
          f"auto+proposed coverage {acc.coverage_with_proposed:.4f} of {acc.truth:,} true groups; "
          f"调节表 agrees: {rec.statement.agrees}")
    print(f"\nreceivable clearing (bench_clearing.py, {args.invoices:,} open invoices):")
    clearing = run_clearing(args.invoices, 1)
    both = total + clearing
    print(f"\nbank reconciliation {total:.2f} s + receivable clearing {clearing:.2f} s = {both:.2f} s "
          f"(goal < 5 s: {'met' if both < 5 else 'NOT met'})")


if __name__ == "__main__":
    main()
