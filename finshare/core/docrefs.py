"""References between documents: a ``docref`` field names a document of another type.

An AP invoice names the purchase receipt whose 暂估 accrual it reverses; a
return names the sale it returns. Such a field is checked like a reference
to master data: the number must belong to a document of the referenced type,
either one read in the same run or one the store already holds. Types are
therefore read in an order where a referenced type comes first
(:func:`read_order`); a cycle between types, or a reference to a type the
case does not know, is a problem of the document-type files.
"""
from __future__ import annotations

from typing import Callable, Mapping

import graphlib

import pandas as pd

from .problems import Problem, Source


def targets(doctype) -> dict[str, list[str]]:
    """Referenced type → the fields of ``doctype`` that refer to it."""
    out: dict[str, list[str]] = {}
    for spec in (doctype.header, doctype.lines):
        for f in spec.fields:
            if f.type == "docref":
                out.setdefault(f.ref, []).append(f.name)
    return out


def problems_of(doctypes: Mapping) -> list[Problem]:
    """References to unknown document types, and cycles between types."""
    out = []
    for dt in doctypes.values():
        for ref, fields in targets(dt).items():
            if ref not in doctypes:
                out.append(Problem(
                    "unknown-doctype", f"{dt.code} 的字段 {', '.join(fields)} 引用未知单据类型 {ref!r} / "
                    f"{dt.code}: field {', '.join(fields)} refers to an unknown document type {ref!r}",
                    Source(dt.source or dt.code, field=fields[0]),
                    f"name one of {', '.join(sorted(doctypes))} in ref:, or add doctypes/{ref}.yaml"))
    if not out:
        try:
            _ordered(doctypes)
        except graphlib.CycleError as exc:
            cycle = " → ".join(exc.args[1])
            out.append(Problem("document-reference-cycle", f"单据类型循环引用 {cycle} / document types refer to each "
                               f"other in a cycle: {cycle}", Source(doctypes[exc.args[1][0]].source),
                               "a document may refer to documents of types read before it; remove one reference"))
    return out


def _ordered(doctypes: Mapping) -> list[str]:
    """All types, a referenced type before the types referring to it, ties by name (stdlib graphlib)."""
    sorter = graphlib.TopologicalSorter({code: {r for r in targets(dt) if r != code and r in doctypes}
                                         for code, dt in doctypes.items()})
    sorter.prepare()
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order += ready
        sorter.done(*ready)
    return order


def read_order(doctypes: Mapping, codes) -> list[str]:
    """``codes`` ordered so that a referenced type comes before the types referring to it.

    With a cycle between types (a problem :func:`problems_of` reports) the
    codes come sorted by name.
    """
    wanted = set(codes)
    try:
        order = _ordered(doctypes)
    except graphlib.CycleError:
        order = sorted(doctypes)
    return [c for c in order if c in wanted] + sorted(wanted - set(order))


def known_numbers(doctype, read: Mapping, stored: Callable[[str], pd.Index] | None = None) -> dict[str, pd.Index]:
    """For each type ``doctype`` refers to: the numbers it may name (read now, or held by the store).

    Parameters
    ----------
    read : mapping
        Type → :class:`~finshare.core.documents.Documents` read in this run.
    stored : callable, optional
        Type → numbers the store holds of that type.
    """
    out = {}
    for ref in targets(doctype):
        parts = [read[ref].header.index.astype(object)] if ref in read else []
        if stored is not None:
            parts.append(pd.Index(stored(ref), dtype=object))
        out[f"doc:{ref}"] = parts[0].append(parts[1:]) if parts else pd.Index([], dtype=object)
    return out
