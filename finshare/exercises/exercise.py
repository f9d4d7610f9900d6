"""The exercise framework: an exercise is a class with per-student data and named questions.

A student's notebook starts one with :func:`finshare.exercises.start` and
checks an answer with ``ex.check("entries", entries)``; the grader calls
:meth:`Exercise.grade` with every answer read back from plain data, which
adds the hidden checks. Each question always yields the same checks with the
same maximum points, so a class's score table has one maximum per exercise.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .plain import call_each, from_plain, to_plain
from .result import CheckResult, Report
from .seed import normalise_id, rng


@dataclass(frozen=True)
class Question:
    """One answer variable of a notebook and the checks that read it.

    ``checks`` and ``hidden`` name methods of the exercise; each returns a
    list of :class:`CheckResult` for the answer (hidden ones run only when
    grading). ``calls`` names a method giving argument tuples when the answer
    is a function: the function is called on each where the student's code
    runs (:func:`~finshare.exercises.plain.call_each`) and the checks read the
    :class:`~finshare.exercises.plain.Calls`.
    """

    variable: str
    title: str
    checks: str
    hidden: str | None = None
    calls: str | None = None


class Exercise:
    """Base class: the data of one student and the checks of one exercise (see module docstring)."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    questions: ClassVar[tuple[Question, ...]] = ()

    def __init__(self, student_id=""):
        self.student_id = normalise_id(student_id)

    def rng(self, stream: str = "visible"):
        """The student's random generator for one data set of this exercise."""
        return rng(self.student_id, self.name, stream)

    def question(self, variable: str) -> Question:
        for q in self.questions:
            if q.variable == variable:
                return q
        known = ", ".join(q.variable for q in self.questions)
        raise KeyError(f"练习 {self.name} 没有答案变量 {variable!r} / no answer variable {variable!r}; "
                       f"the answers are: {known}")

    def check(self, variable: str, value) -> Report:
        """Check one answer as the grader will (public checks only); show the result in a notebook cell."""
        q = self.question(variable)
        results = getattr(self, q.checks)(self.read_back(variable, value))
        hidden = len(getattr(self, q.hidden)(None)) if q.hidden else 0
        return Report(self.name, f"{self.title} — {q.title}", results, pending_hidden=hidden)

    def grade(self, answers: dict) -> Report:
        """Every check of every question (hidden ones too) on answers read back from plain data."""
        from .plain import MISSING
        results: list[CheckResult] = []
        for q in self.questions:
            value = answers.get(q.variable, MISSING)
            results += getattr(self, q.checks)(value)
            if q.hidden:
                results += [_as_hidden(r) for r in getattr(self, q.hidden)(value)]
        return Report(self.name, self.title, results)

    def read_back(self, variable: str, value):
        """``value`` as the checks see it: a function answer called on its cases, anything else as plain data."""
        q = self.question(variable)
        return from_plain(call_each(value, getattr(self, q.calls)()) if q.calls else to_plain(value))

    def calls(self) -> dict[str, list[tuple]]:
        """Argument tuples per function answer, as the grader calls it in the notebook's kernel (often empty)."""
        return {q.variable: [tuple(args) for args in getattr(self, q.calls)()] for q in self.questions if q.calls}

    def max_points(self) -> int:
        """The exercise's total (the same for every student)."""
        return self.grade({}).max_points

    def describe(self) -> str:
        """The questions and their checks with points (what ``checks.py`` prints)."""
        lines = [f"{self.name}: {self.title}"]
        for q in self.questions:
            lines.append(f"  {q.variable}: {q.title}")
            lines += [f"    {r.max_points:>3}  {r.title}" for r in getattr(self, q.checks)(None)]
            if q.hidden:
                n = sum(r.max_points for r in getattr(self, q.hidden)(None))
                lines.append(f"    {n:>3}  隐藏检查 hidden checks (grader only)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} student={self.student_id!r}>"


def _as_hidden(r: CheckResult) -> CheckResult:
    return CheckResult(r.name, r.title, r.points, r.max_points, r.feedback, hidden=True)


def unchecked(shape: list[tuple[str, str, int]], why: list[str]) -> list[CheckResult]:
    """Zero for each check of ``shape``; the first carries ``why`` (the answer could not be read)."""
    rest = ("未检查：见上一项 / not checked: see above",)
    return [CheckResult(name, title, 0, most, tuple(why) if i == 0 else rest)
            for i, (name, title, most) in enumerate(shape)]


def with_notes(results: list[CheckResult], notes: list[str]) -> list[CheckResult]:
    """``results`` with ``notes`` (e.g. rows that could not be read) added to the first one."""
    if not notes or not results:
        return results
    first = results[0]
    return [CheckResult(first.name, first.title, first.points, first.max_points, (*notes, *first.feedback),
                        first.hidden), *results[1:]]
