"""Auxiliary dimensions (核算项目) are data: six built in, more declared by a case.

A case adds its own in ``dimensions.yaml``::

    dimensions:
      - {code: partner, label_zh: 往来单位, label_en: Intercompany partner, table: organisations}
      - {code: project, label_zh: 项目, label_en: Project}

``table`` (optional) names the master-data table a value must be in. Charts
then let accounts carry the new dimension, templates fill it, journals show
it as a column and the store keeps it in its dimension sets, with no engine
code. :data:`DIMS` is one list object shared by every module, extended in
place by :func:`register`; modules that derive column lists from it
subscribe with :func:`on_new_dimension`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from .problems import FinshareError, Problem, Source

#: code → (label_zh, label_en)
DIMENSIONS: dict[str, tuple[str, str]] = {
    "supplier": ("供应商", "Supplier"),
    "customer": ("客户", "Customer"),
    "department": ("部门", "Department"),
    "employee": ("职员", "Employee"),
    "material": ("物料", "Material"),
    "bank_account": ("银行账户", "Bank account"),
}
#: Their codes in order (the same list object everywhere).
DIMS: list[str] = list(DIMENSIONS)
#: The master-data table each dimension's values come from (None: any value).
TABLES: dict[str, str | None] = {d: f"{d}s" for d in DIMS}
_LISTENERS: list[Callable[[str], None]] = []
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: Names a dimension may not take: they are journal columns already.
RESERVED = {"line_id", "book", "kind", "voucher_no", "voucher_word", "date", "period", "line", "account",
            "account_name", "summary", "debit", "credit", "currency", "amount_orig", "currency_orig", "org",
            "source_type", "source_no", "business_class", "template", "template_line", "reverses", "batch"}


def on_new_dimension(listener: Callable[[str], None]) -> None:
    """Call ``listener(code)`` whenever a dimension is added."""
    _LISTENERS.append(listener)


def register(code: str, label_zh: str, label_en: str, table: str | None = None) -> None:
    """Add a dimension for this process (a second registration of the same code changes nothing)."""
    if code in DIMENSIONS:
        return
    DIMENSIONS[code] = (label_zh, label_en)
    DIMS.append(code)
    TABLES[code] = table
    for listener in _LISTENERS:
        listener(code)


def read_dimensions(path: Path, tables: set[str]) -> list[Problem]:
    """Register the dimensions a case's ``dimensions.yaml`` declares; return the problems found."""
    if not path.exists():
        return []
    from .yamlio import read_yaml
    try:
        body = read_yaml(path) or {}
    except FinshareError as exc:
        return list(exc.problems)
    problems, items = [], body.get("dimensions") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return [Problem("bad-dimensions", "dimensions.yaml 需要一个 dimensions 列表 / dimensions.yaml needs a list "
                        "'dimensions'", Source(str(path)), "see datasets/fujian/README or the module finshare.core.dimensions")]
    for k, item in enumerate(items, start=1):
        item = item if isinstance(item, dict) else {}
        code, table = str(item.get("code", "")), item.get("table")
        where = Source(str(path), field=f"dimensions[{k}]")
        if not _CODE.match(code) or code in RESERVED:
            problems.append(Problem("bad-dimension-code", f"核算项目编码 {code!r} 无效 / dimension code {code!r} is not "
                                    "allowed", where, "lower-case letters, digits and _, starting with a letter, and not "
                                    "a journal column such as book or account"))
        elif table is not None and str(table) not in tables:
            problems.append(Problem("unknown-table", f"核算项目 {code} 的基础资料表 {table!r} 不存在 / dimension {code}: no "
                                    f"master-data table {table!r}", where, f"tables: {', '.join(sorted(tables))}"))
        else:
            register(code, str(item.get("label_zh", code)), str(item.get("label_en", code)),
                     None if table is None else str(table))
    return problems
