"""Check results: points, maximum and bilingual feedback, shown as HTML in a notebook.

A check returns a :class:`CheckResult`; an exercise's checks together make a
:class:`Report`. Feedback says what is wrong in accounting terms and never
gives the right answer away.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one named check.

    Parameters
    ----------
    name : str
        Stable short name, e.g. ``"accounts"``; tests and score tables use it.
    title : str
        What is checked, ``中文 / English``.
    points, max_points : int
        Points earned and possible.
    feedback : tuple of str
        One bilingual sentence per finding; empty when all is right.
    hidden : bool, default False
        Run by the grader only (the notebook shows that it exists, not what it holds).
    """

    name: str
    title: str
    points: int
    max_points: int
    feedback: tuple[str, ...] = ()
    hidden: bool = False

    @property
    def passed(self) -> bool:
        return self.points == self.max_points

    def text(self) -> str:
        head = f"[{self.points}/{self.max_points}] {self.title}"
        return "\n".join([head, *(f"    - {f}" for f in self.feedback)])

    def _html_row(self) -> str:
        colour = "#2e7d32" if self.passed else ("#ef6c00" if self.points else "#c62828")
        notes = "".join(f"<li>{html.escape(f)}</li>" for f in self.feedback)
        if not notes and self.passed:
            notes = "<li>正确 / correct</li>"
        hidden = " <i>(隐藏检查 hidden check)</i>" if self.hidden else ""
        return (f"<tr><td style='text-align:left'>{html.escape(self.title)}{hidden}</td>"
                f"<td style='color:{colour};font-weight:bold'>{self.points} / {self.max_points}</td>"
                f"<td style='text-align:left'><ul style='margin:0'>{notes}</ul></td></tr>")


@dataclass
class Report:
    """The results of an exercise's checks for one student.

    ``notes`` are remarks about the answer as a whole (e.g. "not answered
    yet"); ``pending_hidden`` counts the hidden checks the grader will add.
    """

    exercise: str
    title: str
    results: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pending_hidden: int = 0

    @property
    def points(self) -> int:
        return sum(r.points for r in self.results)

    @property
    def max_points(self) -> int:
        return sum(r.max_points for r in self.results)

    def result(self, name: str) -> CheckResult:
        """The result of the check called ``name`` (``KeyError`` names the known ones)."""
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(f"no check {name!r}; checks: {', '.join(r.name for r in self.results)}")

    def feedback(self) -> list[str]:
        """Every feedback sentence, notes first."""
        return [*self.notes, *(f for r in self.results for f in r.feedback)]

    def text(self) -> str:
        lines = [f"{self.title}: {self.points} / {self.max_points}", *self.notes]
        lines += [r.text() for r in self.results]
        if self.pending_hidden:
            lines.append(_hidden_note(self.pending_hidden))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self.notes)
        rows = "".join(r._html_row() for r in self.results)
        hidden = f"<p><i>{html.escape(_hidden_note(self.pending_hidden))}</i></p>" if self.pending_hidden else ""
        return (f"<div><b>{html.escape(self.title)}</b> — 得分 score <b>{self.points} / {self.max_points}</b>"
                f"{notes}<table><tr><th>检查 check</th><th>得分 points</th><th>反馈 feedback</th></tr>{rows}"
                f"</table>{hidden}</div>")


def _hidden_note(n: int) -> str:
    return (f"另有 {n} 项隐藏检查，教师评分时运行 / {n} more hidden check(s) run when the teacher grades "
            "(other documents of the same kind)")


def yuan(minor: int, exp: int = 2) -> str:
    """Minor units as text with thousands separators: ``2000000 -> "20,000.00"``."""
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(int(minor)), 10 ** exp)
    return f"{sign}{whole:,}" + (f".{frac:0{exp}d}" if exp else "")

