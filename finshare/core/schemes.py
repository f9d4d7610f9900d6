"""Automatic voucher-generation schemes (凭证生成方案).

A scheme names a document type, its templates and books, whether approving
a document (单据审核) posts it at once (``on_approve``), and optionally a cron
schedule for batch generation. ``finshare run-schemes CASE`` posts what is
pending for every enabled scheme that is due, so the system cron can drive
it (e.g. ``*/10 * * * * finshare run-schemes /srv/case``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .problems import Problem, Source, raise_if_any
from .yamlio import read_yaml


@dataclass(frozen=True)
class Scheme:
    """One generation scheme (see module docstring)."""

    code: str
    name_zh: str
    doc_type: str
    templates: tuple[str, ...]
    books: tuple[str, ...] = ()      # empty: every book the documents reach
    enabled: bool = True
    on_approve: bool = True
    cron: str | None = None

    def due(self, last_run: dt.datetime | None, now: dt.datetime) -> bool:
        """Whether a scheduled run falls in ``(last_run, now]`` (first run: always)."""
        if not self.enabled or not self.cron:
            return False
        if last_run is None:
            return True
        from croniter import croniter             # imported when a schedule is evaluated
        return croniter(self.cron, last_run).get_next(dt.datetime) <= now


def read_schemes(path: str | Path, templates: dict, doctypes: Mapping | None = None) -> list[Scheme]:
    """Load ``schemes.yaml`` (a missing file means no schemes).

    Parameters
    ----------
    path : path
    templates : mapping
        Known templates by code.
    doctypes : mapping, optional
        Known document types by code; when given, a scheme's ``doc_type``
        must be one of them.
    """
    path = Path(path)
    if not path.exists():
        return []
    body = read_yaml(path, lines=True) or {}
    problems, out = [], []
    for s in body.get("schemes", []):
        code = str(s.get("code"))
        tpls = tuple(str(t) for t in s.get("templates", []))
        for t in tpls:
            if t not in templates:
                problems.append(Problem("unknown-template", f"方案 {code} 引用的模板 {t} 不存在 / unknown template",
                                        Source(str(path), field="templates"), f"templates: {', '.join(templates)}"))
        doc_type = str(s.get("doc_type"))
        if doctypes is not None and doc_type not in doctypes:
            problems.append(Problem("unknown-doctype", f"方案 {code} 的单据类型 {doc_type!r} 不存在 / "
                                    f"scheme {code}: unknown document type {doc_type!r}",
                                    Source(str(path), getattr(s, "key_lines", {}).get("doc_type"), "doc_type"),
                                    f"known document types: {', '.join(sorted(doctypes))}"))
        cron = s.get("cron")
        if cron and not _cron_valid(str(cron)):
            problems.append(Problem("bad-cron", f"方案 {code} 的计划 {cron!r} 不是有效的 cron 表达式 / invalid cron",
                                    Source(str(path), field="cron"), "e.g. '0 2 * * *' = every day at 02:00"))
        out.append(Scheme(code=code, name_zh=str(s.get("name_zh", code)), doc_type=str(s.get("doc_type")),
                          templates=tpls, books=tuple(str(b) for b in s.get("books", [])),
                          enabled=bool(s.get("enabled", True)), on_approve=bool(s.get("on_approve", True)),
                          cron=str(cron) if cron else None))
    raise_if_any(problems, f"生成方案 {path} 有错误 / schemes have problems")
    return out


def _cron_valid(cron: str) -> bool:
    """Whether ``cron`` is a schedule croniter understands (croniter is imported only when a scheme has one)."""
    from croniter import croniter
    return croniter.is_valid(cron)
