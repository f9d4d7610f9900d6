"""Why a student's statement line differs from the engine's, said in terms of the line's rule.

A line of the CAS balance sheet is a rule of the statement mini-language
(:mod:`finshare.close.statements.rules`). The typical mistakes are the rule
with a term left out, or with the regrouping (重分类) per customer, supplier
or sub-account left out; each is computed with the engine's own
:func:`~finshare.close.statements.build.weights` on the student's balances, so
when the student's figure equals one of them the feedback names that term.
Otherwise it lists the terms of the line that hold a balance. It never
states the right figure.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..close.statements.build import weights
from ..close.statements.layout import Layout, Line
from ..close.statements.rules import Term
from ..core.chart import Chart

SIDE = {"debit": "借方", "credit": "贷方"}
CATEGORY = {"profit_and_loss": ("尚未结转的损益类科目余额", "the balances of profit-and-loss accounts not yet carried "
                                                           "forward")}


def line_value(line: Line, terms: tuple[Term, ...], balances: pd.DataFrame, chart: Chart) -> int:
    """The closing amount of ``line`` if its rule were ``terms`` (minor units)."""
    lay = Layout("exercise", "bs", "CAS", "position", "", "", "", (replace(line, terms=terms),))
    return int(weights(lay, balances, "closing", chart)[0] @ balances["closing"].to_numpy("int64"))


def describe(term: Term, chart: Chart) -> tuple[str, str]:
    """A term in words, ``(中文, English)``."""
    if term.what == "category":
        return CATEGORY.get(term.ref, (f"{term.ref} 类科目余额", f"the balances of {term.ref} accounts"))
    zh_name = f"{term.ref} {chart.name_of(term.ref)}" if term.ref in chart else term.ref
    en_name = f"{term.ref} {chart.name_of(term.ref, 'en')}" if term.ref in chart else term.ref
    if not term.side:
        return zh_name, en_name
    side = SIDE[term.side]
    if term.by == "counterparty":
        who = _counterparty(term.ref, chart)
        return f"{zh_name} 按{who[0]}的{side}余额", f"the {term.side} balances of {en_name} per {who[1]}"
    if term.by in ("child", "account"):
        return (f"{zh_name} 各明细科目的{side}余额", f"the {term.side} balances of each sub-account of {en_name}")
    return f"{zh_name} 的{side}余额", f"{en_name} when its balance is on the {term.side} side"


def _counterparty(code: str, chart: Chart) -> tuple[str, str]:
    """Whom an account is kept by: its customer or supplier dimension."""
    dims = str(chart.accounts.at[code, "dimensions"]) if code in chart else ""
    if "customer" in dims:
        return "客户", "customer"
    if "supplier" in dims:
        return "供应商", "supplier"
    return "往来单位", "customer or supplier"


def _has_balance(term: Term, line: Line, balances: pd.DataFrame, chart: Chart) -> bool:
    return line_value(line, (replace(term, sign=1),), balances, chart) != 0


def _netted(line: Line, chart: Chart) -> tuple[tuple[Term, ...], Term] | None:
    """The rule without regrouping: its first side term taken as the account's net, the other side terms left out
    (only when that first term takes the account's normal side, e.g. 1122:debit, 2202:credit)."""
    sided = [t for t in line.terms if t.what == "account" and t.side]
    if not sided or sided[0].ref not in chart:
        return None
    first = sided[0]
    if chart.accounts.at[first.ref, "normal_balance"] != first.side:
        return None
    return tuple(replace(t, side="", by="") if t is first else t for t in line.terms if t is first or not t.side), first


def diagnose(line: Line, got: int, want: int, balances: pd.DataFrame, chart: Chart) -> str:
    """One bilingual sentence on why ``got`` is not the line's amount (``want``), without giving ``want``."""
    name = f"{line.name_zh} {line.name_en}"
    if got == -want:
        return (f"{line.name_zh} 的符号反了：报表项目按它的余额方向填正数 / {name}: the sign is reversed — a line is "
                "stated as a positive amount in its own direction (assets debit, liabilities and equity credit)")
    netted = _netted(line, chart)
    if netted is not None and got == line_value(line, netted[0], balances, chart) != want:
        return _regroup(line, netted[1], chart)
    held = [t for t in line.terms if _has_balance(t, line, balances, chart)]
    for terms, why in _mistakes(line, held, chart):
        if got == line_value(line, terms, balances, chart) != want:
            return why
    return _draws_on(line, held, chart)


def _mistakes(line: Line, held: list[Term], chart: Chart):
    """``(terms, feedback)`` of typical mistakes: one term left out, one term's sign reversed, two left out."""
    name = f"{line.name_zh} {line.name_en}"
    for term in held:
        yield tuple(t for t in line.terms if t is not term), _left_out([term], line, chart)
    for term in held:
        zh, en = describe(term, chart)
        flipped = tuple(replace(t, sign=-t.sign) if t is term else t for t in line.terms)
        if term.sign > 0:
            yield flipped, f"{line.name_zh} 要加上{zh}，不是减去 / {name} adds {en}; it is not subtracted"
        else:
            yield flipped, f"{line.name_zh} 要减去{zh}，不是加上 / {name} is stated net of {en}: subtract it, do not add it"
    for i, first in enumerate(held):
        for second in held[i + 1:]:
            yield tuple(t for t in line.terms if t is not first and t is not second), \
                _left_out([first, second], line, chart)


def _left_out(terms: list[Term], line: Line, chart: Chart) -> str:
    """``line also includes A and B`` / ``is stated net of C`` for terms a student left out."""
    name = f"{line.name_zh} {line.name_en}"
    added = [describe(t, chart) for t in terms if t.sign > 0]
    less = [describe(t, chart) for t in terms if t.sign < 0]
    zh, en = [], []
    if added:
        zh.append("还包括 " + "、".join(d[0] for d in added))
        en.append("also includes " + " and ".join(d[1] for d in added))
    if less:
        zh.append("要减去 " + "、".join(d[0] for d in less))
        en.append("is stated net of " + " and ".join(d[1] for d in less) + " (subtract it)")
    return f"{line.name_zh} {'；'.join(zh)} / {name} {'; and '.join(en)}"


def _regroup(line: Line, term: Term, chart: Chart) -> str:
    zh, en = describe(replace(term, side="", by=""), chart)
    name = f"{line.name_zh} {line.name_en}"
    if term.by == "counterparty":
        who = _counterparty(term.ref, chart)
        return (f"{line.name_zh} 要按{who[0]}分别看 {zh} 的余额方向：余额在另一方的{who[0]}属于另一个报表项目（重分类）/ "
                f"{name} is taken per {who[1]}: a {who[1]} whose {en} balance is on the other side belongs to another "
                "line (regrouping)")
    return (f"{line.name_zh} 要按 {zh} 的明细科目分别看余额方向：余额在另一方的明细科目（如借方余额的增值税）属于另一个报表项目 / "
            f"{name} is taken per sub-account of {en}: a sub-account whose balance is on the other side (such as "
            "VAT with a debit balance) belongs to another line")


def _draws_on(line: Line, held: list[Term], chart: Chart) -> str:
    parts = [(("加 " if t.sign > 0 else "减 ") + describe(t, chart)[0], ("plus " if t.sign > 0 else "less ")
              + describe(t, chart)[1]) for t in held]
    zh = "；".join(p[0] for p in parts).removeprefix("加 ")
    en = "; ".join(p[1] for p in parts).removeprefix("plus ")
    return (f"{line.name_zh} 与账上余额不符；本题中它取自：{zh} / {line.name_en} does not agree with the balances; "
            f"here it draws on: {en}")
