"""Receivable clearing benchmark: 100,000 bank receipts against 100,000 open invoices.

Usage::

    python benchmarks/bench_clearing.py [--invoices 100000] [--seed 1]

Generates the scenario (:func:`finshare.reconcile.clearing.ar_scenario`:
about 0.87 receipts per invoice), learns the alias table from its history,
matches, and prints the seconds of each stage of the matcher, the total, and
the scorecard against the ground truth (precision of automatic matches,
coverage of match groups). No timing is asserted anywhere.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from finshare.reconcile.clearing import ar_scenario, learn_aliases, match_receipts, scorecard  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--invoices", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    run(args.invoices, args.seed)
    return 0


def run(n_invoices: int, seed: int) -> float:
    """Generate, match and score one scenario, printing the figures; return the matching seconds."""
    t = time.perf_counter()
    customers, invoices, receipts, truth = ar_scenario(seed, n_invoices)
    print(f"scenario: {len(invoices):,} open invoices, {len(receipts):,} receipts, {len(customers):,} customers "
          f"({time.perf_counter() - t:.2f} s to generate)")
    aliases = learn_aliases(truth.attrs["history"], customers)
    timings: dict = {}
    t = time.perf_counter()
    m = match_receipts(invoices, receipts, customers, aliases, timings=timings)
    total = time.perf_counter() - t
    for stage, sec in timings.items():
        print(f"  {stage:<20} {sec:7.3f} s")
    print(f"  {'total':<20} {total:7.3f} s")
    s = m.summary()
    print(f"receipts: auto {s['auto']:,}, proposed {s['proposed']:,}, unmatched {s['unmatched']:,}")
    card = scorecard(m.clearings, truth)
    print(f"auto precision {card['auto_precision']:.5f}; coverage of {card['groups']:,} match groups: "
          f"auto {card['auto_coverage']:.4f}, auto + proposed {card['all_coverage']:.4f}")
    return total


if __name__ == "__main__":
    sys.exit(main())
