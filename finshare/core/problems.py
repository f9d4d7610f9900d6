"""Problems: errors as data, each naming where it happened and how to fix it.

Loaders and the posting engine collect :class:`Problem` records instead of
raising at the first fault; the user-facing call raises one
:class:`FinshareError` listing them all.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Iterable

from .hints import bilingual_hint


@dataclass(frozen=True)
class Source:
    """Where a problem sits: a file and, when known, its line, row, field.

    ``line`` is the 1-based line in a text file (YAML or CSV, the CSV header
    being line 1), ``field`` a column or key. ``document`` and
    ``template_line`` name business objects when the fault is in posting.
    """

    file: str | None = None
    line: int | None = None
    field: str | None = None
    document: str | None = None
    book: str | None = None
    template_line: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        for label, value in (
            ("单据 document", self.document),
            ("账簿 book", self.book),
            ("模板行 template line", self.template_line),
            ("字段 field", self.field),
        ):
            if value:
                parts.append(f"{label} {value}")
        return ", ".join(parts) if parts else "<input>"


@dataclass(frozen=True)
class Problem:
    """One fault in the input, in accounting terms.

    Parameters
    ----------
    code : str
        Stable short name, e.g. ``"unknown-account"``; tests pin messages by it.
    message : str
        What is wrong, bilingual where it helps (``中文 / English``).
    source : Source
        Where it is.
    hint : str
        What to do about it.
    """

    code: str
    message: str
    source: Source = field(default_factory=Source)
    hint: str = ""

    @property
    def fix(self) -> str:
        """The hint in Chinese and English (``修正方法 / fix``)."""
        return bilingual_hint(self.code, self.hint)

    def __str__(self) -> str:
        text = f"{self.source}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n    修正 fix: {self.fix}"
        return text


class FinshareError(Exception):
    """Raised by user-facing calls when input has problems.

    The ``problems`` attribute holds every :class:`Problem` found, so a caller
    can show them all at once. Nothing is stored when this is raised.
    """

    def __init__(self, problems: Iterable[Problem], context: str = ""):
        self.problems = list(problems)
        self.context = context
        super().__init__(self._text())

    def _text(self) -> str:
        head = self.context or "输入有问题 / input has problems"
        n = len(self.problems)
        lines = [f"{head} ({n} problem{'s' if n != 1 else ''}):"]
        lines += [f"  {p}" for p in self.problems[:50]]
        if n > 50:
            lines.append(f"  ... and {n - 50} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(str(p.source))}</td><td><code>{p.code}</code></td>"
            f"<td>{html.escape(p.message)}</td><td>{html.escape(p.fix)}</td></tr>"
            for p in self.problems
        )
        return (
            f"<b>{html.escape(self.context or 'Problems / 问题')}</b>"
            "<table><tr><th>where 位置</th><th>code</th><th>problem 问题</th>"
            f"<th>fix 修正</th></tr>{rows}</table>"
        )


def raise_if_any(problems: Iterable[Problem], context: str = "") -> None:
    """Raise :class:`FinshareError` when ``problems`` is not empty."""
    problems = list(problems)
    if problems:
        raise FinshareError(problems, context)
