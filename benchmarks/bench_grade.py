"""Grading benchmark: a fake class handing in the teacher solutions, graded as `finshare grade` does.

Usage::

    python benchmarks/bench_grade.py [--students 40] [--jobs 2] [--timeout 120]

Builds ``STUDENTS`` student folders in a temporary directory, each with the
teacher's solution notebook of every exercise (``exercises/_teacher``), runs
:func:`finshare.exercises.grade.grade_class` on them (each notebook in a fresh
kernel, ``--jobs`` at a time) and prints the wall time, the time per
notebook, and how many notebooks scored full marks (all of them should: each
solution computes its answers from the student's own data). No timing is
asserted anywhere.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from finshare.exercises import EXERCISES  # noqa: E402
from finshare.exercises.grade import grade_class, score_table  # noqa: E402


def build_class(folder: Path, students: int) -> None:
    """``folder/s001 …`` each holding every exercise's teacher solution."""
    for i in range(1, students + 1):
        student = folder / f"s{i:03d}"
        student.mkdir(parents=True)
        for name in EXERCISES:
            shutil.copy(ROOT / "exercises" / "_teacher" / f"{name}.ipynb", student / f"{name}.ipynb")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=40)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        build_class(Path(tmp), args.students)
        began = time.perf_counter()
        table = score_table(grade_class(Path(tmp), timeout=args.timeout, jobs=args.jobs))
        seconds = time.perf_counter() - began
    full = int((table["points"] == table["max"]).sum())
    print(f"{args.students} students x {len(EXERCISES)} exercises = {len(table)} notebooks, {args.jobs} at a time: "
          f"{seconds:.1f} s ({seconds / len(table):.2f} s per notebook); full marks {full}/{len(table)}; "
          f"statuses {table['status'].value_counts().to_dict()}")
    return 0 if full == len(table) else 1


if __name__ == "__main__":
    sys.exit(main())
