"""Grade a class: execute every submitted notebook, check the answers outside it, write scores and feedback.

``SUBMISSIONS_DIR/<student>/<NN-topic>.ipynb`` → one row per student and
exercise in the score table (``student, exercise, points, max, status``) and
one feedback page per student. Notebooks run two (or ``jobs``) at a time,
each in its own kernel (:func:`finshare.exercises.run.run_notebook`); the
checks run here, in the grader's process, on the plain data each notebook's
answers were written as. A notebook that crashes, hangs or tampers gets zero
with the reason, and the run goes on.
"""
from __future__ import annotations

import html
import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.problems import FinshareError, Problem, Source
from . import EXERCISES, exercise_class
from .plain import from_plain
from .result import CheckResult, Report
from .run import Outcome, run_notebook
from .seed import normalise_id

SCORE_COLUMNS = ["student", "exercise", "points", "max", "status"]


@dataclass(frozen=True)
class Graded:
    """One student's result in one exercise: the outcome of running it and the checks' report."""

    student: str
    exercise: str
    outcome: Outcome
    report: Report

    def row(self) -> dict:
        return {"student": self.student, "exercise": self.exercise, "points": self.report.points,
                "max": self.report.max_points, "status": self.outcome.status}


def find_submissions(folder: Path, exercise: str | None = None) -> list[tuple[str, str, Path]]:
    """``(student, exercise, notebook path)`` for every student folder and exercise to grade, sorted.

    Exercises are ``exercise`` alone, or every exercise some student handed in;
    a student without that notebook gets a row with status ``missing``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FinshareError([Problem("missing-file", "找不到提交文件夹 / submissions folder not found",
                                     Source(str(folder)), "give the folder that holds one folder per student")])
    if exercise is not None and exercise not in EXERCISES:
        raise FinshareError([Problem("unknown-exercise", f"没有练习 {exercise} / no exercise {exercise}",
                                     Source(str(folder)), f"use one of {', '.join(EXERCISES)}")])
    students = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not students:
        raise FinshareError([Problem("no-submissions", "提交文件夹里没有学生文件夹 / no student folders",
                                     Source(str(folder)), "lay it out as SUBMISSIONS_DIR/<student>/<NN-topic>.ipynb")])
    names = [exercise] if exercise else [e for e in EXERCISES if any((s / f"{e}.ipynb").exists() for s in students)]
    if not names:
        raise FinshareError([Problem("no-submissions", "没有找到练习笔记本 / no exercise notebooks found",
                                     Source(str(folder)), f"notebooks are named after the exercise: "
                                     f"{', '.join(e + '.ipynb' for e in EXERCISES)}")])
    return [(s.name, e, s / f"{e}.ipynb") for s in students for e in names]


def grade_one(student: str, exercise: str, outcome: Outcome) -> Graded:
    """Run the checks (public and hidden) on a notebook's answers; zero with the reason when it did not run."""
    ex = exercise_class(exercise)(student)
    if outcome.status != "ok":
        report = ex.grade({})
        report = Report(exercise, ex.title, [CheckResult(r.name, r.title, 0, r.max_points, (), r.hidden)
                                             for r in report.results], [outcome.reason])
        return Graded(student, exercise, outcome, report)
    report = ex.grade({k: from_plain(v) for k, v in outcome.answers.items()})
    if normalise_id(outcome.notebook_id) != normalise_id(student):
        report.notes.append(f"笔记本里的 STUDENT_ID 是 {outcome.notebook_id!r}，按文件夹 {student} 的数据评分 / the "
                            f"notebook's STUDENT_ID is {outcome.notebook_id!r}; graded with the data of {student}")
    return Graded(student, exercise, outcome, report)


def grade_class(folder: Path, exercise: str | None = None, timeout: float = 120, jobs: int | None = None,
                progress: bool = True) -> list[Graded]:
    """Grade every submission under ``folder`` (see module docstring), in student and exercise order."""
    tasks = find_submissions(folder, exercise)
    jobs = jobs or os.cpu_count() or 1
    variables = {name: [q.variable for q in EXERCISES[name].questions] for name in EXERCISES}
    graded: dict[tuple[str, str], Graded] = {}
    bar = _progress(len(tasks), progress)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {}
        for student, name, path in tasks:
            if not path.exists():
                graded[(student, name)] = grade_one(student, name, Outcome(
                    "missing", f"没有提交 {path.name} / {path.name} was not handed in"))
                bar.update()
                continue
            calls = exercise_class(name)(student).calls()
            futures[pool.submit(run_notebook, path, variables[name], student, timeout, calls)] = (student, name)
        for future in as_completed(futures):
            student, name = futures[future]
            graded[(student, name)] = grade_one(student, name, future.result())
            bar.update()
    bar.close()
    return [graded[(s, e)] for s, e, _ in tasks]


def _progress(total: int, show: bool):
    from tqdm import tqdm
    return tqdm(total=total, desc="评分 grading", unit="notebook", disable=not show)


def score_table(graded: list[Graded]) -> pd.DataFrame:
    """The score table: ``student, exercise, points, max, status``."""
    return pd.DataFrame([g.row() for g in graded], columns=SCORE_COLUMNS)


def write_feedback(graded: list[Graded], folder: Path) -> list[Path]:
    """One HTML page per student (every exercise: status, reason, each check's points and feedback)."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for student in dict.fromkeys(g.student for g in graded):
        mine = [g for g in graded if g.student == student]
        body = "".join(f"<h2>{html.escape(g.exercise)} — {g.report.points} / {g.report.max_points} "
                       f"({html.escape(g.outcome.status)})</h2>{g.report._repr_html_()}" for g in mine)
        total = sum(g.report.points for g in mine), sum(g.report.max_points for g in mine)
        page = folder / f"{student}.html"
        page.write_text(f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>{html.escape(student)}"
                        f"</title></head><body><h1>练习反馈 Feedback: {html.escape(student)} — {total[0]} / {total[1]}"
                        f"</h1>{body}</body></html>", encoding="utf-8")
        pages.append(page)
    return pages
