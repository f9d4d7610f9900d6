"""The line-rule mini-language of the statement files: signed sums of accounts, categories and lines.

A rule is a sum of terms, each with a sign (``+`` or ``-``; the first may
omit it); an empty rule is a line with no account in the chart (always 0).
Terms:

``1122``
    The account 1122 and every account whose code starts with it, stated
    in 1122's normal direction (余额方向: a debit account debit-positive, a
    credit account credit-positive; an *either* account as its category:
    assets and costs debit, the others credit). So ``1601 - 1602`` is cost
    less accumulated depreciation, as the textbooks write it.
``1122:debit_by_counterparty``
    Only the debit balances, taken per customer/supplier (the
    ``counterparty`` column), as positive amounts; ``credit_…`` takes the
    credit balances. The grouping after ``_by_`` is ``counterparty``,
    ``child`` (each direct sub-account of 1122 with its own sub-accounts,
    e.g. 222101 应交增值税 netted as one) or ``account`` (each leaf);
    ``1901:debit`` nets the whole account first.
``[profit_and_loss]``
    Every account of a chart category (``asset``, ``liability``, ``equity``,
    ``cost``, ``common``, ``profit_and_loss``), stated in the category's
    direction (assets and costs debit, the others credit: profit positive).
``BS15``, ``BS02..BS14``
    An earlier line of the same statement; a range sums the ``detail``
    lines from the first to the last code, both included.

Nothing in a rule runs: it is split by one regular expression into these
tokens and anything else is refused with the file, line and position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...core.problems import Problem, Source

SIDES = ("debit", "credit")
GROUPINGS = ("", "counterparty", "child", "account")
CATEGORIES = ("asset", "liability", "common", "equity", "cost", "profit_and_loss")
_TOKEN = re.compile(r"""\s*(?:
      (?P<sign>[+\-])
    | (?P<range>[A-Z]{1,6}\d{1,4})\s*\.\.\s*(?P<range_end>[A-Z]{1,6}\d{1,4})
    | (?P<line>[A-Z]{1,6}\d{1,4})
    | (?P<account>\d{1,20})(?::(?P<selector>[a-z_]+))?
    | \[(?P<category>[a-z_]+)\]
    )\s*""", re.VERBOSE)
_MINUS = str.maketrans({"−": "-", "－": "-", "＋": "+"})


@dataclass(frozen=True)
class Term:
    """One signed term: ``what`` is ``account``, ``category``, ``line`` or ``range``."""

    sign: int
    what: str
    ref: str
    side: str = ""          # account terms: "", "debit" or "credit"
    by: str = ""            # with a side: "", "counterparty", "child" or "account"
    end: str = ""           # range terms: the last line code


def parse_rule(text: str, where: Source) -> tuple[tuple[Term, ...], list[Problem]]:
    """Parse one rule; return its terms and the problems found (terms are empty when there is one)."""
    text = (text or "").translate(_MINUS).strip()
    terms, pos, sign = [], 0, None
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            return (), [_bad(text, where, f"无法识别第 {pos + 1} 个字符起的内容 / cannot read from character {pos + 1}: "
                                          f"{text[pos:pos + 12]!r}")]
        pos = m.end()
        if m["sign"]:
            if sign is not None:
                return (), [_bad(text, where, "两个符号相连 / two signs in a row")]
            sign = -1 if m["sign"] == "-" else 1
            continue
        if sign is None and terms:
            return (), [_bad(text, where, "两项之间缺少 + 或 - / a + or - is missing between two terms")]
        term, problem = _term(m, 1 if sign is None else sign, text, where)
        if problem:
            return (), [problem]
        terms.append(term)
        sign = None
    if sign is not None:
        return (), [_bad(text, where, "规则以符号结尾 / the rule ends with a sign")]
    return tuple(terms), []


def _term(m: re.Match, sign: int, text: str, where: Source) -> tuple[Term | None, Problem | None]:
    if m["range"]:
        return Term(sign, "range", m["range"], end=m["range_end"]), None
    if m["line"]:
        return Term(sign, "line", m["line"]), None
    if m["category"]:
        if m["category"] not in CATEGORIES:
            return None, _bad(text, where, f"没有科目类别 {m['category']!r} / no category {m['category']!r}")
        return Term(sign, "category", m["category"]), None
    selector = m["selector"] or ""
    side, _, by = selector.partition("_by_")
    if selector and (side not in SIDES or by not in GROUPINGS or (selector.endswith("_by_") or
                                                                  ("_by_" not in selector and selector not in SIDES))):
        return None, _bad(text, where, f"{m['account']}:{selector} 的取数方式无效 / unknown selector {selector!r}")
    return Term(sign, "account", m["account"], side, by), None


def _bad(text: str, where: Source, what: str) -> Problem:
    return Problem("bad-statement-rule", f"报表行规则有误 / bad statement rule {text!r}: {what}", where,
                   "规则写成科目、[类别] 或行代码，用 + 和 - 连接 / write accounts, [category] or line codes joined by + and -, e.g. 1601 - 1602, "
                   "1122:debit_by_counterparty, BS02..BS14 (see finshare.close.statements.rules)")


__all__ = ["Term", "parse_rule", "SIDES", "GROUPINGS", "CATEGORIES"]
