"""Reading a student's voucher template: YAML text → a checked :class:`VoucherTemplate`, or feedback.

The text goes through the core's own loader (:func:`finshare.parse_template`),
whose conditions are parsed with :mod:`ast` against a whitelist — nothing in
the text is ever evaluated. Anchors and aliases (``&x``/``*x``) are refused
before loading, so a small text cannot grow into a huge document.
"""
from __future__ import annotations

import yaml

from ..core.problems import FinshareError
from ..core.template import VoucherTemplate, parse_template
from .answers import read_text
from .fujian import doctypes

SOURCE = "<template_yaml>"


def problem_text(p) -> str:
    """A core problem as one feedback sentence: where, what, how to fix."""
    where = f"第 {p.source.line} 行 line {p.source.line}: " if p.source.line else ""
    fix = f" — 修正 fix: {p.hint}" if p.hint else ""
    return f"{where}{p.message}{fix}"


def read_template(value, doc_type: str, name: str = "template_yaml") -> tuple[VoucherTemplate | None, list[str]]:
    """The template a student wrote for ``doc_type``, or None and why not."""
    text, problems = read_text(value, name, ("凭证模板的 YAML 文本", "the YAML text of a voucher template"))
    if text is None:
        return None, problems
    if _has_alias(text):
        return None, ["模板里不能用 YAML 锚点或别名（& 和 *）/ the template may not use YAML anchors or aliases "
                      "(& and *): write each line out"]
    try:
        tpl = parse_template(text, doctypes(doc_type), SOURCE)
    except FinshareError as exc:
        return None, [problem_text(p) for p in exc.problems]
    except Exception as exc:  # a shape the core's loader does not describe: still feedback, not a traceback
        return None, [f"模板的结构不对（{type(exc).__name__}）/ the template's structure is not as expected "
                      f"({type(exc).__name__}: {str(exc)[:120]}): classes is a list of mappings, each with "
                      "code, when and lines; lines is a list of mappings with side, account, amount"]
    if tpl.doc_type != doc_type:
        return None, [f"模板的 doc_type 是 {tpl.doc_type}，本练习的单据类型是 {doc_type} / the template serves "
                      f"{tpl.doc_type}, but this exercise's documents are {doc_type}"]
    return tpl, []


def _has_alias(text: str) -> bool:
    try:
        return any(isinstance(t, (yaml.AnchorToken, yaml.AliasToken)) for t in yaml.scan(text))
    except yaml.YAMLError:
        return False  # the loader reports the syntax error with its line
