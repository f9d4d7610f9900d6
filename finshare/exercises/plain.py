"""Answers as plain data: what a notebook's answer variables are turned into before they are checked.

The grader never unpickles or trusts a notebook's objects: after the
student's cells, an injected cell writes every answer variable as JSON made by
:func:`to_plain` (tables as rows of text, numbers as decimal text), and the
grader process checks what :func:`from_plain` reads back. A notebook's own
``ex.check(...)`` takes the same round trip, so the feedback a student sees is
the feedback the grader gives.

An answer that is a function (exercise 09's ``words_equal_figures``) is run
where the student's code runs, in the notebook's kernel: :func:`call_each`
calls it on the exercise's cases and keeps only what each call returned, as
plain data (:class:`Calls`); an exception is kept as its type's name
(:class:`Raised`).

:func:`to_plain` and :func:`call_each` use the standard library only and never
raise: their source is copied into the injected cell.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd

#: Most rows or items kept of one answer (a larger answer is cut, and says so).
LIMIT = 2000


def to_plain(value, depth=0):
    """``value`` as JSON-ready data: ``{"kind": ..., ...}`` (see the module docstring)."""
    def cell(x):
        if x is None or type(x).__name__ in ("NAType", "NaTType"):
            return None
        if isinstance(x, float):
            return None if x != x else repr(x)
        if hasattr(x, "item") and not isinstance(x, (str, bytes)):
            try:
                return cell(x.item())
            except Exception:
                return str(x)
        return str(x)

    try:
        if value is None:
            return {"kind": "none"}
        if isinstance(value, bool):
            return {"kind": "bool", "value": value}
        if isinstance(value, str):
            return {"kind": "text", "value": value[:200000]}
        if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
            return {"kind": "number", "value": cell(value) or "nan"}
        if hasattr(value, "columns") and hasattr(value, "itertuples"):
            rows = [[cell(x) for x in row] for row in value.head(LIMIT).itertuples(index=False, name=None)]
            return {"kind": "table", "columns": [str(c) for c in value.columns], "rows": rows,
                    "cut": len(value) > LIMIT}
        if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
            return to_plain(value.item(), depth)
        if depth < 3 and isinstance(value, dict):
            return {"kind": "dict", "items": [[str(k), to_plain(v, depth + 1)] for k, v in list(value.items())[:LIMIT]]}
        if depth < 3 and (isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "tolist")):
            items = list(value.tolist() if hasattr(value, "tolist") else value)
            if isinstance(value, (set, frozenset)):
                items = sorted(items, key=str)
            return {"kind": "list", "items": [to_plain(v, depth + 1) for v in items[:LIMIT]]}
        return {"kind": "other", "type": type(value).__name__}
    except Exception as exc:  # an answer that cannot be read is an answer of the wrong shape
        return {"kind": "other", "type": f"{type(value).__name__} ({type(exc).__name__})"}


def call_each(fn, cases):
    """``fn(*args)`` for each ``args`` of ``cases``: ``{"kind": "calls", "results": [...]}``; never raises.

    Each result is :func:`to_plain` of what the call returned, or
    ``{"kind": "raised", "type": ...}``; a ``fn`` that is not callable is
    written as :func:`to_plain` writes any value.
    """
    if not callable(fn):
        return to_plain(fn)
    results = []
    for args in cases:
        try:
            results.append(to_plain(fn(*args)))
        except Exception as exc:  # the student's function failed on this case: a wrong answer, not a crash
            results.append({"kind": "raised", "type": type(exc).__name__})
    return {"kind": "calls", "results": results}


class Unreadable:
    """An answer of a type the checks do not take (a function, a model …); ``kind`` names it."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"<{self.kind}>"


#: What a variable the notebook never defined reads back as.
MISSING = Unreadable("missing")


class Raised:
    """A call of a student's function that raised; ``type`` names the exception."""

    def __init__(self, type_name: str):
        self.type = type_name

    def __repr__(self) -> str:
        return f"<raised {self.type}>"


class Calls(list):
    """What a function answer returned on each case, in case order (plain values or :class:`Raised`)."""


def from_plain(plain):
    """The Python value :func:`to_plain` wrote: tables as DataFrames of text, numbers as Decimals."""
    if not isinstance(plain, dict):
        return Unreadable(type(plain).__name__)
    kind = plain.get("kind")
    if kind == "none":
        return None
    if kind == "missing":
        return MISSING
    if kind == "bool":
        return bool(plain.get("value"))
    if kind == "text":
        return str(plain.get("value", ""))
    if kind == "number":
        try:
            return Decimal(str(plain.get("value")))
        except InvalidOperation:
            return Unreadable("number")
    if kind == "table":
        return _table(plain)
    if kind == "list":
        return [from_plain(v) for v in plain.get("items", [])]
    if kind == "dict":
        return {str(k): from_plain(v) for k, v in plain.get("items", [])}
    if kind == "calls":
        return Calls(Raised(str(r.get("type", "?"))) if isinstance(r, dict) and r.get("kind") == "raised"
                     else from_plain(r) for r in plain.get("results", []))
    return Unreadable(str(plain.get("type", kind)))


def _table(plain: dict) -> pd.DataFrame:
    columns = [str(c) for c in plain.get("columns", [])]
    rows = [list(r) + [None] * (len(columns) - len(r)) for r in plain.get("rows", []) if isinstance(r, list)]
    frame = pd.DataFrame([r[:len(columns)] for r in rows], columns=columns, dtype=object)
    frame.attrs["cut"] = bool(plain.get("cut"))
    return frame


def round_trip(value):
    """What the checks see of ``value``: ``from_plain(to_plain(value))``."""
    return from_plain(to_plain(value))
