"""Risk alerts on a generated year with planted cases: recall per rule and false alarms per 1,000 documents.

Usage::

    python benchmarks/bench_alerts.py [--seed 2020] [--scale 1] [--plant-seed 0]

Generates the year (:func:`finshare.generate.year.generate_year`) in a temporary folder, plants the known
cases (:func:`finshare.forecast.alerts.plant.plant_alerts`), posts it, finds the alerts and prints the seconds
of each stage and :func:`finshare.forecast.alerts.plant.measure`. No timing is asserted anywhere.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import finshare  # noqa: E402
from finshare.forecast.alerts import find_alerts  # noqa: E402
from finshare.forecast.alerts.plant import measure, plant_alerts  # noqa: E402
from finshare.generate.year import generate_year  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--plant-seed", type=int, default=0)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "year"
        t = time.perf_counter()
        counts = generate_year(case, args.seed, args.scale)
        truth = plant_alerts(case, args.plant_seed)
        n_docs = sum(counts.values()) + truth["document"].nunique()
        t1 = time.perf_counter()
        with finshare.Ledger(finshare.load_case(case), case / "ledger.sqlite") as ledger:
            ledger.post()
            t2 = time.perf_counter()
            alerts = find_alerts(ledger)
            t3 = time.perf_counter()
    print(f"{n_docs:,} documents (seed {args.seed}, scale {args.scale:g}, {len(truth):,} planted documents in "
          f"{truth['case'].nunique()} cases); generate+plant {t1 - t:.1f} s, post {t2 - t1:.1f} s, "
          f"alerts {t3 - t2:.1f} s")
    print(measure(alerts, truth, n_docs).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
