"""Statement layouts as data: the line files and the index ``finshare/data/statements/statements.yaml``.

A line file is a CSV with columns ``section, code, name_zh, name_en, kind,
rule``; one section is one statement (``BS`` and ``IS`` of
``cas_2019.csv``). ``kind`` is ``header`` (a caption, no amount),
``detail``, ``detail-of`` (an "of which" line, outside ranges),
``subtotal`` or ``total``; ``rule`` is written in the mini-language of
:mod:`finshare.close.statements.rules`. The index names, per statement,
its file and section, the chart it is written for, its basis (``position``:
balances; ``performance``: movements) and, for a balance sheet, the two
lines that must be equal.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd
import yaml

from ...core.problems import FinshareError, Problem, Source, raise_if_any
from .rules import Term, parse_rule

KINDS = ("header", "detail", "detail-of", "subtotal", "total")
COLUMNS = ["section", "code", "name_zh", "name_en", "kind", "rule"]
_FOLDER = ("statements",)


@dataclass(frozen=True)
class Line:
    """One statement line: its code, names as on the form, kind and parsed rule."""

    code: str
    name_zh: str
    name_en: str
    kind: str
    rule: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Layout:
    """One statement: what the index says about it and its lines in order."""

    id: str
    key: str
    chart: str
    basis: str
    title_zh: str
    title_en: str
    form: str
    lines: tuple[Line, ...]
    balance: tuple[str, ...] = ()
    #: the line holding the period's result (净利润 / profit for the year), for the 账表相符 check
    profit: str = ""

    @property
    def codes(self) -> list[str]:
        return [ln.code for ln in self.lines]


def _data(name: str):
    return resources.files("finshare.data").joinpath(*_FOLDER, name)


@lru_cache(maxsize=None)
def index() -> tuple[dict, ...]:
    """The statements of ``statements.yaml``, in order."""
    with _data("statements.yaml").open(encoding="utf-8") as fh:
        return tuple(yaml.safe_load(fh)["statements"])


def layout(statement_id: str) -> Layout:
    """A built-in statement by id (``cas_bs``, ``cas_is``, ``mgt_pl``, ``hkfrs_sfp``, ``hkfrs_pl``)."""
    for entry in index():
        if entry["id"] == statement_id:
            with _data(entry["file"]).open(encoding="utf-8") as fh:
                frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
            return read_layout(frame[frame["section"] == entry["section"]], entry, f"<built-in {entry['file']}>")
    raise FinshareError([Problem("unknown-statement", f"没有报表 {statement_id!r} / no statement {statement_id!r}",
                                 Source(field="statement"), "use one of " + ", ".join(e["id"] for e in index()))])


def for_chart(chart_name: str) -> dict[str, str]:
    """``{key: statement id}`` for a chart: the HKFRS statements for ``HKFRS``, the CAS ones for any other."""
    chart = "HKFRS" if chart_name == "HKFRS" else "CAS"
    return {e["key"]: e["id"] for e in index() if e["chart"] == chart}


def read_layout(frame: pd.DataFrame, entry: dict, source: str) -> Layout:
    """Build a layout from line rows (columns :data:`COLUMNS`), checking every rule and line reference.

    Raises
    ------
    FinshareError
        ``bad-statement-rule``, ``bad-line-kind``, ``duplicate-code`` or ``unknown-line``, all at once.
    """
    problems, lines, seen = [], [], set()
    for i, row in enumerate(frame.to_dict("records")):
        where = Source(source, int(frame.index[i]) + 2, "rule")
        code = str(row["code"]).strip()
        if row["kind"] not in KINDS:
            problems.append(Problem("bad-line-kind", f"报表行 {code} 的类型 {row['kind']!r} 无效 / line {code}: "
                                    f"unknown kind {row['kind']!r}", where, "use one of " + ", ".join(KINDS)))
        if code in seen:
            problems.append(Problem("duplicate-code", f"报表行代码 {code} 重复 / line code {code} appears twice",
                                    where, "give every line its own code"))
        terms, found = parse_rule(row["rule"], where)
        problems += found + _references(terms, seen, code, where)
        seen.add(code)
        lines.append(Line(code, row["name_zh"], row["name_en"], row["kind"], row["rule"], terms))
    raise_if_any(problems, f"报表 {entry['id']} 的定义有错误 / statement {entry['id']} has problems")
    return Layout(entry["id"], entry["key"], entry["chart"], entry["basis"], entry["title_zh"], entry["title_en"],
                  entry.get("form", ""), tuple(lines), tuple(entry.get("balance") or ()),
                  str(entry.get("profit", "")))


def _references(terms, seen: set, code: str, where: Source) -> list[Problem]:
    refs = [r for t in terms if t.what in ("line", "range") for r in (t.ref, t.end) if r]
    return [Problem("unknown-line", f"报表行 {code} 引用了 {r}，它不在前面的行中 / line {code} refers to {r}, "
                    "which is not an earlier line", where, "refer only to lines above this one")
            for r in refs if r not in seen]


__all__ = ["Line", "Layout", "KINDS", "index", "layout", "for_chart", "read_layout"]
