"""Capture benchmark: field accuracy, pages accepted, wrong values in accepted pages, seconds per page.

    .venv/bin/python benchmarks/bench_capture.py [--seed 2026] [--invoices 50] [--receipts 50]
        [--noisy 0.5] [--engines combined rapidocr tesseract] [--keep DIR]

Renders a fresh capture set (:func:`finshare.capture.render.render_set`; the
families and banks take turns, ``--noisy`` of the pages get noise), captures
every page with each engine (:func:`finshare.capture.pipeline.capture_image`)
and compares the fields with the truth. Prints per engine: field accuracy by
field and by family, clean vs noisy; the share of pages accepted (clean,
noisy); seconds per page; and the count of wrong values among accepted pages
— the number that matters most. A measuring tool: nothing here asserts.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from finshare.capture.context import load_context
from finshare.capture.pipeline import capture_image
from finshare.capture.render import render_set


def run(folder: Path, truths: list[dict], engine: str, context: dict) -> pd.DataFrame:
    """One row per (page, field): truth, value read, right or not, page status, seconds of the page."""
    rows = []
    for truth in truths:
        start = time.perf_counter()
        page = capture_image(folder / truth["file"], file=truth["file"], engine=engine, context=context)
        seconds = time.perf_counter() - start
        for name, expected in truth["fields"].items():
            got = page["fields"].get(name, {"value": None})["value"] if page["kind"] == truth["kind"] else None
            rows.append({"file": truth["file"], "kind": truth["kind"], "family": truth["family"],
                         "noisy": bool(truth["noise"]), "field": name, "truth": expected, "read": got,
                         "right": got == expected, "accepted": page["status"] == "accepted", "seconds": seconds})
    return pd.DataFrame(rows)


def report(engine: str, table: pd.DataFrame) -> None:
    pages = table.groupby("file").agg(noisy=("noisy", "first"), accepted=("accepted", "first"),
                                      seconds=("seconds", "first"), wrong=("right", lambda r: int((~r).sum())))
    condition = table["noisy"].map({False: "clean", True: "noisy"})
    print(f"\n=== {engine} ===")
    print("field accuracy % (clean / noisy):")
    by_field = table.pivot_table(index=["kind", "field"], columns=condition, values="right", aggfunc="mean") * 100
    print(by_field.round(1).to_string())
    print("field accuracy % by family (clean / noisy):")
    print((table.pivot_table(index="family", columns=condition, values="right", aggfunc="mean") * 100)
          .round(1).to_string())
    overall = table.groupby(condition)["right"].mean() * 100
    accepted = pages.groupby(pages["noisy"].map({False: "clean", True: "noisy"}))["accepted"].mean() * 100
    wrong_accepted = int(table.loc[table["accepted"], "right"].eq(False).sum())
    print(f"overall field accuracy: clean {overall.get('clean', float('nan')):.1f} %, "
          f"noisy {overall.get('noisy', float('nan')):.1f} %")
    print(f"pages accepted: clean {accepted.get('clean', float('nan')):.1f} %, "
          f"noisy {accepted.get('noisy', float('nan')):.1f} %  ({int(pages['accepted'].sum())}/{len(pages)})")
    print(f"seconds per page: mean {pages['seconds'].mean():.2f}, median {pages['seconds'].median():.2f}, "
          f"max {pages['seconds'].max():.2f}")
    print(f"WRONG VALUES IN ACCEPTED PAGES: {wrong_accepted}")
    if wrong_accepted:
        print(table[table["accepted"] & ~table["right"]][["file", "field", "truth", "read"]].to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--invoices", type=int, default=50)
    parser.add_argument("--receipts", type=int, default=50)
    parser.add_argument("--noisy", type=float, default=0.5)
    parser.add_argument("--engines", nargs="+", default=["combined", "rapidocr", "tesseract"])
    parser.add_argument("--keep", help="render into this (new) folder and keep it, with a CSV per engine")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        truths = render_set(folder / "set" if not args.keep else folder, args.seed, args.invoices, args.receipts,
                            args.noisy)
        folder = folder / "set" if not args.keep else folder
        context = load_context()
        print(f"{args.invoices} invoices + {args.receipts} receipts, seed {args.seed}, "
              f"{sum(bool(t['noise']) for t in truths)} noisy")
        for engine in args.engines:
            table = run(folder, truths, engine, context)
            if args.keep:
                table.to_csv(folder / f"bench_{engine}.csv", index=False)
            report(engine, table)


if __name__ == "__main__":
    main()
