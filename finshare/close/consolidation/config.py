"""The group definition (合并范围): ``group.yaml`` in the case folder, read and checked.

``group.yaml`` names the entities (book codes), the presentation currency,
the group chart, each entity's account map into it (``identity`` or a CSV
``from_code,to_code``), the translation reserve and the intercompany
accounts. Every fault is reported with the file, the line and the field.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...core.chart import BUILTIN, Chart, account_map
from ...core.money import EXPONENTS
from ...core.problems import FinshareError, Problem, Source, raise_if_any
from ...core.yamlio import read_yaml

FILE = "group.yaml"
#: keys of ``intercompany:`` that name one group account, with what they hold
IC_ACCOUNTS = {"revenue": "内部销售收入 IC revenue", "cost_of_sales": "内部销售成本 IC cost of sales",
               "inventory": "存货 inventory holding IC goods", "in_transit": "在途物资 goods in transit",
               "difference": "内部往来差额 IC balance difference (FX)"}
#: keys of ``intercompany:`` that name a list of group accounts
IC_LISTS = ("receivables", "payables")


@dataclass(frozen=True)
class Entity:
    """One entity of the group: a book and its account map into the group chart (``None``: identity)."""

    book: str
    account_map: pd.Series | None = None


@dataclass(frozen=True)
class GroupConfig:
    """A checked group definition.

    Attributes
    ----------
    name_zh, name_en : str
    currency : str
        Presentation currency (列报货币).
    chart : Chart
        The group chart; worksheet rows and balances use its leaf codes.
    entities : tuple of Entity
    reserve : str
        Translation reserve account (外币报表折算差额, under CAS in 4003 其他综合收益).
    dimension : str
        The intercompany counterparty dimension (``partner``).
    ic : dict
        ``revenue, cost_of_sales, inventory, in_transit, difference`` (one account each) and
        ``receivables, payables`` (tuples of accounts).
    source : str
    """

    name_zh: str
    name_en: str
    currency: str
    chart: Chart
    entities: tuple[Entity, ...]
    reserve: str
    dimension: str
    ic: dict
    source: str = FILE


def read_group(case, path: str | Path | None = None) -> GroupConfig:
    """Read ``group.yaml`` of ``case`` (or ``path``) and check it against the case's books and the group chart.

    Raises
    ------
    FinshareError
        ``missing-file``, ``missing-value``, ``unknown-book``, ``unknown-currency``, ``unknown-account``,
        ``non-leaf-account`` or ``unmapped-account``, each naming the file, line and field.
    """
    path = Path(path) if path is not None else Path(case.path) / FILE
    src = str(path)
    if not path.exists():
        raise FinshareError([Problem("missing-file", "找不到合并范围定义 group.yaml / group.yaml not found",
                                     Source(src), "write group.yaml: entities, presentation_currency, chart, "
                                     "translation.reserve, intercompany accounts (see finshare generate fujian-year)")])
    body = read_yaml(path, lines=True) or {}
    problems: list[Problem] = []
    need = _needing(body, src, problems)
    currency = str(need("presentation_currency", body))
    if currency and currency not in EXPONENTS:
        problems.append(_at(body, "presentation_currency", src, "unknown-currency",
                            f"未知列报货币 {currency} / unknown presentation currency {currency}",
                            f"use one of {', '.join(sorted(EXPONENTS))}"))
    chart = _chart(need("chart", body), path.parent, body, src, problems)
    entities = _entities(body.get("entities") or [], case, chart, path.parent, src, problems)
    if not entities:
        problems.append(_at(body, "entities", src, "missing-value", "没有合并主体 / no entities",
                            "list the books to consolidate: entities: [{book: VN-MGT}, {book: CN-MGT}]"))
    trans = body.get("translation") or {}
    reserve = str(need("reserve", trans, "translation.reserve"))
    ic_body = body.get("intercompany") or {}
    ic = {k: str(need(k, ic_body, f"intercompany.{k}")) for k in IC_ACCOUNTS}
    ic.update({k: tuple(str(a) for a in (ic_body.get(k) or [])) for k in IC_LISTS})
    if chart is not None:
        named = [("translation.reserve", reserve, trans)] + [(f"intercompany.{k}", v, ic_body)
                                                             for k, v in ic.items() if k not in IC_LISTS]
        named += [(f"intercompany.{k}", a, ic_body) for k in IC_LISTS for a in ic[k]]
        problems += [p for field, code, where in named if code for p in _leaf(chart, code, where, field, src)]
    raise_if_any(problems, "合并范围定义有错误 / group.yaml has problems")
    return GroupConfig(str(body.get("name_zh", "")), str(body.get("name_en", "")), currency, chart, tuple(entities),
                       reserve, str(ic_body.get("dimension", "partner")), ic, src)


def _needing(body, src: str, problems: list[Problem]):
    def need(key: str, where, field: str | None = None):
        value = where.get(key) if isinstance(where, dict) else None
        if value in (None, ""):
            problems.append(_at(where if isinstance(where, dict) else body, key, src, "missing-value",
                                f"缺少 {field or key} / {field or key} is missing",
                                f"add {field or key} to group.yaml"))
            return ""
        return value
    return need


def _at(where, key: str, src: str, code: str, message: str, hint: str) -> Problem:
    line = getattr(where, "key_lines", {}).get(key) or getattr(where, "line", None)
    return Problem(code, message, Source(src, line, key), hint)


def _chart(name, folder: Path, body, src: str, problems: list[Problem]) -> Chart | None:
    if not name:
        return None
    try:
        return Chart.builtin(name) if name in BUILTIN else Chart.read(folder / name, name=Path(name).stem)
    except FinshareError as exc:
        problems.append(_at(body, "chart", src, exc.problems[0].code,
                            f"集团科目表无法读取 / the group chart cannot be read: {exc.problems[0].message}",
                            "name CAS, HKFRS or a chart CSV in the case folder, e.g. charts/CAS.csv"))
        return None


def _entities(rows, case, chart: Chart | None, folder: Path, src: str, problems: list[Problem]) -> list[Entity]:
    out = []
    for row in rows:
        code = str(row.get("book", "")) if isinstance(row, dict) else str(row)
        if code not in case.books.codes():
            problems.append(_at(row if isinstance(row, dict) else {}, "book", src, "unknown-book",
                                f"账簿 {code!r} 不在 books.yaml 中 / book {code!r} is not in books.yaml",
                                f"use one of {', '.join(case.books.codes())}"))
            continue
        spec = row.get("account_map", "identity") if isinstance(row, dict) else "identity"
        mapping = None if spec in (None, "", "identity") else _map(folder / str(spec), row, src, problems)
        if chart is not None:
            problems += _unmapped(case.books[code].chart, chart, mapping, code, src, row)
        out.append(Entity(code, mapping))
    return out


def _map(path: Path, row, src: str, problems: list[Problem]) -> pd.Series | None:
    if not path.exists():
        problems.append(_at(row, "account_map", src, "missing-file",
                            f"找不到科目对照表 {path.name} / account map {path.name} not found",
                            "write a CSV with columns from_code,to_code, or write identity"))
        return None
    return account_map("entity", "group", path)


def _unmapped(entity_chart: Chart, group: Chart, mapping, book: str, src: str, row) -> list[Problem]:
    """Leaf accounts of the entity's chart that reach no leaf of the group chart."""
    leaves = entity_chart.accounts.index[entity_chart.accounts["is_leaf"]]
    target = pd.Series(leaves, index=leaves) if mapping is None else mapping.reindex(leaves)
    known = group.accounts.index[group.accounts["is_leaf"]]
    bad = target.isna() | ~target.isin(known)
    return [_at(row, "account_map", src, "unmapped-account",
                f"账簿 {book} 的科目 {a} 在集团科目表中没有对应的末级科目 / account {a} of book {book} maps to no "
                "leaf account of the group chart", "add a row from_code,to_code for it to the account map")
            for a in target.index[bad]]


def _leaf(chart: Chart, code: str, where, field: str, src: str) -> list[Problem]:
    if code not in chart.accounts.index:
        return [_at(where, field.split(".")[-1], src, "unknown-account",
                    f"{field}: 科目 {code} 不在集团科目表中 / account {code} is not in the group chart",
                    f"add it to {chart.source or chart.name}, or name an existing account")]
    if not chart.accounts.at[code, "is_leaf"]:
        return [_at(where, field.split(".")[-1], src, "non-leaf-account",
                    f"{field}: 科目 {code} 不是末级科目 / account {code} is not a leaf account",
                    "name one of its sub-accounts")]
    return []

