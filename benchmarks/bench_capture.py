"""Capture benchmark per engine, side by side: field accuracy, pages accepted, wrong values accepted, s/page.

    .venv/bin/python benchmarks/bench_capture.py [--seed 2026] [--invoices 50] [--receipts 50]
        [--noisy 0.5] [--engines combined rapidocr tesseract] [--keep DIR]

Renders a fresh capture set (:func:`finshare.capture.render.render_set`; the
families and banks take turns, ``--noisy`` of the pages get noise), captures
every page with each engine (:func:`finshare.capture.pipeline.capture_image`,
each engine with a fresh context, so no engine sees another's pages as
duplicates) and compares the fields with the truth
(:func:`finshare.capture.report.compare`). Prints per engine: field accuracy
by field and by family, clean vs noisy; the share of pages accepted (clean,
noisy, and of the clean pages that ought to be accepted — their true values
pass every check: a CMB receipt, whose account is not one of the case's, or an
invented seller ought to go to review); seconds per page, wall-clock and CPU
(the process's and its Tesseract children's: on a machine shared with other
work the CPU seconds are what a quiet machine would take with one OCR thread);
and the wrong values among accepted pages — the number that matters most. Ends
with a table of the engines side by side. A measuring tool: nothing here asserts.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from finshare.capture.context import load_context
from finshare.capture.pipeline import capture_image
from finshare.capture.render import render_set
from finshare.capture.report import compare, summary, truth_verdicts


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (the tesseract program)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run(folder: Path, truths: list[dict], engine: str) -> pd.DataFrame:
    """:func:`compare` rows (page × field) with the page's ``seconds`` (wall) and ``cpu``."""
    context, pages, spent = load_context(), [], {}
    for truth in truths:
        wall, cpu = time.perf_counter(), cpu_seconds()
        pages.append(capture_image(folder / truth["file"], file=truth["file"], engine=engine, context=context))
        spent[truth["file"]] = (time.perf_counter() - wall, cpu_seconds() - cpu)
    table = compare(truths, pages)
    table["seconds"] = table["file"].map(lambda f: spent[f][0])
    table["cpu"] = table["file"].map(lambda f: spent[f][1])
    return table


def report(engine: str, table: pd.DataFrame, truth_fails: pd.Series) -> dict:
    """Print one engine's figures; return its :func:`summary`."""
    condition = table["noisy"].map({False: "clean", True: "noisy"})
    pages = table.groupby("file", sort=False).first()
    figures = summary(table, truth_fails)
    print(f"\n=== {engine} ===")
    print("field accuracy % (clean / noisy):")
    by_field = table.pivot_table(index=["kind", "field"], columns=condition, values="right", aggfunc="mean") * 100
    print(by_field.round(1).to_string())
    print("field accuracy % by family (clean / noisy):")
    print((table.pivot_table(index="family", columns=condition, values="right", aggfunc="mean") * 100)
          .round(1).to_string())
    print(f"overall field accuracy: clean {figures['clean acc %']:.1f} %, noisy {figures['noisy acc %']:.1f} %")
    print(f"pages accepted: clean {figures['accepted clean %']:.1f} %, noisy {figures['accepted noisy %']:.1f} %  "
          f"({int(pages['accepted'].sum())}/{len(pages)}); of the clean pages whose truth passes every check "
          f"{figures['accepted of acceptable clean %']:.1f} %")
    print(f"seconds per page: wall mean {pages['seconds'].mean():.2f}, median {pages['seconds'].median():.2f}, "
          f"max {pages['seconds'].max():.2f}; CPU mean {pages['cpu'].mean():.2f}")
    print(f"WRONG VALUES IN ACCEPTED PAGES: {figures['wrong accepted']}")
    if figures["wrong accepted"]:
        print(table[table["accepted"] & ~table["right"]][["file", "field", "truth", "read"]].to_string())
    return figures


def print_truth_fails(truth_fails: pd.Series) -> None:
    """The pages that ought to go to review whatever is read, by the checks their truth fails."""
    ought = truth_fails[truth_fails != ""]
    print(f"pages whose true values fail a check (review is right for them): {len(ought)}")
    for checks, files in ought.groupby(ought).groups.items():
        print(f"  {checks}: {len(files)} ({', '.join(sorted(files)[:4])}{' …' if len(files) > 4 else ''})")


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
        folder = Path(args.keep) if args.keep else Path(scratch) / "set"
        truths = render_set(folder, args.seed, args.invoices, args.receipts, args.noisy)
        print(f"{args.invoices} invoices + {args.receipts} receipts, seed {args.seed}, "
              f"{sum(bool(t['noise']) for t in truths)} noisy")
        truth_fails = truth_verdicts(truths, load_context())
        print_truth_fails(truth_fails)
        side_by_side = {}
        for engine in args.engines:
            table = run(folder, truths, engine)
            if args.keep:
                table.to_csv(folder / f"bench_{engine}.csv", index=False)
            side_by_side[engine] = report(engine, table, truth_fails)
        print("\n=== engines side by side ===")
        print(pd.DataFrame(side_by_side).T.round(2).to_string())


if __name__ == "__main__":
    main()
