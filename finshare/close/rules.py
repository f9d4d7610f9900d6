"""Period-close rules per chart (期末处理规则): the accounts depreciation, revaluation and carry-forward use.

The rules are data: ``finshare/data/close.yaml`` for the built-in CAS and
HKFRS charts, and optionally ``close.yaml`` in a case folder for a case's own
charts (a chart named there replaces the built-in rules of that name).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..core.problems import FinshareError, Problem, Source
from ..core.yamlio import load_yaml, read_yaml

BUILTIN = "close.yaml"


@lru_cache(maxsize=1)
def _builtin() -> dict:
    text = resources.files("finshare.data").joinpath(BUILTIN).read_text(encoding="utf-8")
    return load_yaml(text, f"finshare/data/{BUILTIN}")["charts"]


def _case_rules(case) -> dict:
    path = Path(case.path) / BUILTIN if getattr(case, "path", None) else None
    if path is None or not path.is_file():
        return {}
    body = read_yaml(path) or {}
    charts = body.get("charts") if isinstance(body, dict) else None
    if not isinstance(charts, dict):
        raise FinshareError([Problem("bad-close-rules", f"{path} 需要 charts: 映射 / {path} needs a mapping 'charts'",
                                     Source(str(path)), f"copy the shape of finshare/data/{BUILTIN}")])
    return charts


def rules(case, book, need: str, chart: str | None = None) -> dict:
    """The close rules of a chart (default ``book``'s); ``need`` names the rule the caller uses (checked to exist).

    Raises
    ------
    FinshareError
        When the chart has no rules, or they lack ``need``.
    """
    name = chart or book.chart.name
    found = {**_builtin(), **_case_rules(case)}.get(name)
    where = Source(str(Path(case.path) / BUILTIN) if getattr(case, "path", None) else BUILTIN, book=book.code,
                   field=need)
    if not isinstance(found, dict) or need not in found:
        raise FinshareError([Problem(
            "no-close-rule", f"科目表 {name} 没有期末处理规则 {need} / chart {name} has no close rule "
            f"{need!r} (book {book.code})", where,
            f"add charts: {{{name}: {{{need}: ...}}}} to close.yaml in the case folder "
            f"(see finshare/data/{BUILTIN})")])
    return found


def account(case, book, need: str) -> str:
    """One account of the rules, checked to be in the book's chart (or in the CAS chart it maps from)."""
    code = str(rules(case, book, need)[need])
    if code not in book.chart.accounts.index:
        raise FinshareError([Problem(
            "unknown-account", f"期末处理规则 {need} 的科目 {code} 不在账簿 {book.code} 的科目表中 / close rule "
            f"{need}: account {code} is not in the chart of book {book.code}", Source(BUILTIN, book=book.code,
                                                                                       field=need),
            f"add {code} to the chart, or name another account in close.yaml")])
    return code


#: what each step of a close needs, per chart: (rule, whether it names one account of the book's chart)
NEEDS = (("profit", True), ("retained", True), ("monetary", False), ("fx_difference", True))


def check(case, book, entries_chart: str = "CAS") -> None:
    """Refuse a book whose close rules are incomplete before any closing voucher is posted.

    The rules of the book's chart must name ``profit``, ``retained``, ``monetary`` and ``fx_difference``
    (accounts of that chart); the depreciation rules are read in ``entries_chart``, the chart closing
    entries are written in.
    """
    for need, one_account in NEEDS:
        account(case, book, need) if one_account else rules(case, book, need)
    for need in ("depreciation_expense", "accumulated_depreciation"):
        rules(case, book, need, entries_chart)
