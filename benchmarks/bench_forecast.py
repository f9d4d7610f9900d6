"""Cash-collection model benchmark: fit on 100,000 invoices, predict 20,000 open ones.

Usage::

    python benchmarks/bench_forecast.py [--customers 1000] [--years 5] [--open 20000] [--seed 1]

Generates a history (:func:`finshare.forecast.generator.generate_history`, about 107,000 invoices for
1,000 customers over 5 years), fits :class:`finshare.forecast.models.CollectionModel` as of 2022-06-30,
then predicts (settlement date, P(late), 80 % interval) and the 13-week cash forecast for ``--open``
invoices open at the end: the latest ones, their settlements blanked. Prints the seconds of each stage.
No timing is asserted anywhere.
"""
from __future__ import annotations

import argparse
import sys
import time

import pandas as pd
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from finshare.forecast.cash import cash_forecast  # noqa: E402
from finshare.forecast.generator import generate_history  # noqa: E402
from finshare.forecast.models import CollectionModel  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=1000)
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--open", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    h = generate_history(seed=args.seed, years=args.years, customers=args.customers)
    at = h["invoice_date"].max()
    fit_at = at - (at - h["invoice_date"].min()) * 0.1        # the model is some months old
    t0 = time.perf_counter()
    model = CollectionModel(random_state=args.seed).fit(h, fit_at)
    t1 = time.perf_counter()
    latest = h.sort_values("invoice_date", kind="stable").tail(args.open)
    open_ = latest.assign(settled_date=pd.NaT)
    past = h[~h["invoice_id"].isin(open_["invoice_id"])]
    pred = model.predict(open_, at, history=past)
    t2 = time.perf_counter()
    cash = cash_forecast(model, open_, at, 13, history=past)
    t3 = time.perf_counter()
    c = model.counts_
    print(f"history {len(h):,} invoices, {args.customers:,} customers; fitted as of {fit_at:%Y-%m-%d} on "
          f"{c['trained_on']:,} matured invoices ({c['fitted_on']:,} fit + {c['calibrated_on']:,} calibration)")
    print(f"fit (features + 3 boosted Pipelines + calibration)  {t1 - t0:6.2f} s")
    print(f"predict {len(pred):,} open invoices                  {t2 - t1:6.2f} s")
    print(f"13-week cash forecast ({len(cash)} rows)              {t3 - t2:6.2f} s")
    print(f"fit + predict                                      {t2 - t0:6.2f} s   (goal: under 30 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
