"""A safe condition language for voucher templates, compiled to pandas masks.

Template files come from students and clients, so a condition is *data*: it
is parsed with :mod:`ast` (parsing runs nothing) and every node is checked
against a whitelist before it is ever used. Allowed:

* field names (English field names or their Chinese labels, e.g. ``部门属性``);
* literals: strings, numbers, ``True``/``False``/``None``, and lists or tuples
  of literals (for ``in``);
* comparisons ``== != < <= > >=``, ``in`` and ``not in`` (chains allowed);
* ``and``, ``or``, ``not`` and parentheses.

Anything else — calls, attribute access, subscripts, lambdas, comprehensions,
arithmetic, names starting with ``_`` — is rejected with the reason, and so is
logic nested deeper than :data:`MAX_DEPTH`. Given the fields' kinds, a
comparison of a text field with a number (or a number field with text), or
of an enumerated field with a value it cannot hold, is refused when the
condition is parsed, not when it is applied (see
:mod:`finshare.core.condition_kinds`). Nothing is ever evaluated by Python:
:meth:`Condition.mask` walks the checked tree and builds a boolean numpy mask
from DataFrame columns.
"""
from __future__ import annotations

import ast
import datetime as dt
import difflib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Mapping

import numpy as np
import pandas as pd

from .condition_kinds import KindChecks

_COMPARE = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
    ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in",
}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
#: Deepest nesting of and/or/not a condition may have.
MAX_DEPTH = 50
_NODE_NAMES = {
    ast.Call: "a function call", ast.Attribute: "attribute access (.)",
    ast.Subscript: "indexing ([])", ast.Lambda: "a lambda", ast.BinOp: "arithmetic",
    ast.ListComp: "a comprehension", ast.GeneratorExp: "a generator",
    ast.DictComp: "a comprehension", ast.SetComp: "a comprehension",
    ast.Dict: "a dict literal", ast.IfExp: "an if-expression",
    ast.NamedExpr: "an assignment (:=)", ast.Starred: "unpacking (*)",
    ast.JoinedStr: "an f-string", ast.Await: "await",
}
#: The same constructs in Chinese, for the first half of a refusal.
_NODE_NAMES_ZH = {
    ast.Call: "函数调用", ast.Attribute: "属性访问（.）", ast.Subscript: "下标（[]）", ast.Lambda: " lambda ",
    ast.BinOp: "算术运算", ast.ListComp: "推导式", ast.GeneratorExp: "生成器", ast.DictComp: "推导式",
    ast.SetComp: "推导式", ast.Dict: "字典", ast.IfExp: "if 表达式", ast.NamedExpr: "赋值（:=）",
    ast.Starred: "解包（*）", ast.JoinedStr: " f-string ", ast.Await: " await ",
}
_ALLOWED_ZH = "只能使用字段名、字面量、比较、in 和 and/or/not"


class ConditionError(ValueError):
    """A condition text that is not in the safe language, or that compares mismatched types.

    ``col`` is the 1-based column of the offending part in the text; ``code``
    the problem code (``bad-condition``, ``bad-condition-type``,
    ``bad-condition-value`` or ``condition-too-deep``); ``zh`` the reason in
    Chinese and ``hint`` the fix, when more specific than the general ones.
    """

    def __init__(self, text: str, reason: str, col: int | None = None, code: str = "bad-condition",
                 zh: str = "条件不安全或无效", hint: str | None = None):
        self.text, self.reason, self.col = text, reason, col
        self.code, self.zh, self.hint = code, zh, hint
        where, where_zh = (f" at column {col}", f"第 {col} 列") if col else ("", "")
        super().__init__(f"条件 {text!r} {where_zh}：{zh} / condition {text!r}{where}: {reason}")

    @property
    def message(self) -> str:
        """The refusal in both languages: ``中文 / English`` (without the condition text)."""
        return f"{self.zh} / {self.reason}"


@dataclass(frozen=True)
class Condition:
    """A checked condition; build with :func:`parse_condition`.

    Attributes
    ----------
    text : str
        The condition as written.
    fields : frozenset of str
        Canonical field names it reads.
    """

    text: str
    tree: ast.expr
    fields: frozenset

    def mask(self, frame: pd.DataFrame, types: Mapping[str, str] | None = None,
             exps: np.ndarray | None = None) -> np.ndarray:
        """Rows of ``frame`` where the condition holds, as a bool array.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per document (or document line); columns are field names.
        types : mapping, optional
            Field kind per name (``"str"``, ``"int"``, ``"decimal"``,
            ``"money"``, ``"date"``, ``"bool"``); money fields hold minor
            units and compare with literals written in major units.
        exps : numpy.ndarray, optional
            Minor-unit exponent per row, needed for money comparisons.
        """
        try:
            return np.asarray(_Evaluator(frame, types or {}, exps).evaluate(self.tree), dtype=bool)
        except ConditionError as exc:
            raise ConditionError(self.text, exc.reason) from None

    def __str__(self) -> str:
        return self.text


def parse_condition(text: str, fields: Mapping[str, str] | None = None, kinds: Mapping[str, str] | None = None,
                    choices: Mapping[str, tuple] | None = None) -> Condition:
    """Parse and check a condition.

    Parameters
    ----------
    text : str
        E.g. ``'单据类型 == "费用采购" and 部门属性 in ("管理", "研发")'``.
    fields : mapping, optional
        Accepted names (English names and Chinese labels) to canonical field
        names. When given, unknown names are rejected.
    kinds : mapping, optional
        Kind per canonical field name (as :meth:`DocumentType.kinds`). When
        given, literals must suit the field (text in quotes for text fields,
        numbers for numbers and amounts, ISO dates for dates), two fields
        compared must be of one kind, and a bare field must be yes/no.
    choices : mapping, optional
        Allowed values per enumerated field; ``==``/``!=``/``in`` with another
        value is refused.

    Raises
    ------
    ConditionError
        Naming the offending construct and its column.
    """
    text = str(text).strip()
    if not text:
        raise ConditionError(text, "the condition is empty", zh="条件为空")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ConditionError(
            text, f"not a valid expression ({exc.msg}); write e.g. 部门属性 == \"管理\"",
            exc.offset, zh="不是有效的条件表达式（比较相等要写 ==）",
            hint='比较相等写 ==，文字加引号，例如 部门属性 == "管理" / write == and quote text, e.g. 部门属性 == "管理"') from None
    except (RecursionError, MemoryError):
        raise _too_deep(text) from None
    if _logic_depth(tree.body) > MAX_DEPTH:
        raise _too_deep(text)
    used: set[str] = set()
    checker = _Checker(text, fields, used, kinds, choices)
    new = checker.visit(tree.body)
    checker.check_truth(new)
    return Condition(text=text, tree=new, fields=frozenset(used))


def _logic_depth(node: ast.AST) -> int:
    """How deeply and/or/not nest in ``node`` (iterative: a deep tree cannot exhaust the stack)."""
    deepest, stack = 0, [(node, 0)]
    while stack:
        node, depth = stack.pop()
        depth += isinstance(node, (ast.BoolOp, ast.UnaryOp))
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))
    return deepest


def _too_deep(text: str) -> ConditionError:
    return ConditionError(text, f"and/or/not are nested more than {MAX_DEPTH} levels deep", code="condition-too-deep",
                          zh=f"条件嵌套超过 {MAX_DEPTH} 层", hint="simplify it: write not once, or split it over "
                          "several lines or classes")


class _Checker(KindChecks, ast.NodeTransformer):
    """Whitelist walk; also renames label aliases to canonical field names."""

    def __init__(self, text, fields, used, kinds=None, choices=None):
        self.text, self.fields, self.used = text, fields, used
        self.kinds, self.choices = kinds, choices or {}
        self.written: dict[str, str] = {}

    def fail(self, node, reason, **kw):
        offset = getattr(node, "col_offset", None)  # ast counts UTF-8 bytes; people count characters
        col = None if offset is None else len(self.text.encode()[:offset].decode(errors="ignore")) + 1
        raise ConditionError(self.text, reason, col, **kw)

    def generic_visit(self, node):
        kind = _NODE_NAMES.get(type(node), type(node).__name__)
        zh = _NODE_NAMES_ZH.get(type(node), type(node).__name__)
        self.fail(node, f"{kind} is not allowed; use field names, literals, "
                        "comparisons, in, and/or/not", zh=f"条件中不允许{zh}，{_ALLOWED_ZH}")

    def visit_BoolOp(self, node):
        return ast.BoolOp(op=node.op, values=[self.visit(v) for v in node.values])

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            return ast.UnaryOp(op=node.op, operand=self.visit(node.operand))
        if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
                and isinstance(node.operand.value, (int, float)) \
                and not isinstance(node.operand.value, bool):
            return ast.Constant(value=-node.operand.value, col_offset=node.col_offset)
        self.fail(node, "only 'not' and a minus sign before a number are allowed",
                  zh="只允许 not 和数字前的负号")

    def visit_Compare(self, node):
        for op in node.ops:
            if type(op) not in _COMPARE:
                self.fail(node, f"operator {type(op).__name__} is not allowed ('is' → use ==)",
                          zh="不允许这个运算符（is 请写成 ==）")
        left = self.visit(node.left)
        comps = [self.visit(c) for c in node.comparators]
        for op, right in zip(node.ops, comps):
            if isinstance(op, (ast.In, ast.NotIn)) and not isinstance(right, (ast.List, ast.Tuple, ast.Set)):
                self.fail(node, "the right side of 'in' must be a list such as (\"管理\", \"销售\")",
                          zh="in 的右边必须是一组值，例如 (\"管理\", \"销售\")")
        for a, op, b in zip([left, *comps], node.ops, comps):
            self.check_types(node, a, _COMPARE[type(op)], b)
        return ast.Compare(left=left, ops=node.ops, comparators=comps)

    def visit_Name(self, node):
        name = node.id
        if name.startswith("_"):
            self.fail(node, f"names starting with '_' ({name}) are not allowed", zh=f"不允许以 _ 开头的名字（{name}）")
        if name in ("True", "False", "None"):
            return ast.Constant(value={"True": True, "False": False, "None": None}[name])
        if self.fields is not None:
            if name not in self.fields:
                self._unknown_field(node, name)
            name = self.fields[name]
        self.written.setdefault(name, node.id)
        self.used.add(name)
        return ast.Name(id=name, ctx=ast.Load(), col_offset=node.col_offset)

    def _unknown_field(self, node, name: str) -> None:
        """Refuse an unknown name, listing each field once as ``中文标签 (name)`` and the closest ones."""
        names: dict[str, list[str]] = {}
        for written, canonical in self.fields.items():
            names.setdefault(canonical, []).append(written)
        known = ", ".join(" / ".join(sorted(ws, key=lambda w: (w == c, w))) if len(ws) > 1 else c
                          for c, ws in sorted(names.items()))
        close = difflib.get_close_matches(name, list(self.fields), n=3, cutoff=0.5)
        hint = (f"是不是 {' 或 '.join(close)}？did you mean {' or '.join(close)}? " if close else "") \
            + f"可用的字段 known fields: {known}"
        self.fail(node, f"unknown field {name!r}", zh=f"没有字段 {name}", hint=hint)

    def visit_Constant(self, node):
        if isinstance(node.value, (str, int, float, bool)) or node.value is None:
            return node
        self.fail(node, f"literal {node.value!r} is not allowed", zh=f"不允许字面量 {node.value!r}")

    def _seq(self, node):
        elts = []
        for e in node.elts:
            e = self.visit(e)
            if not isinstance(e, ast.Constant):
                self.fail(node, "a list in a condition may hold literals only", zh="条件中的一组值只能是字面量")
            elts.append(e)
        return ast.Tuple(elts=elts, ctx=ast.Load())

    visit_List = visit_Tuple = visit_Set = _seq


class _Evaluator:
    """Turns a checked tree into numpy masks over a DataFrame (never eval)."""

    def __init__(self, frame, types, exps):
        self.frame, self.types, self.exps = frame, types, exps
        self.n = len(frame)

    def evaluate(self, node):
        if isinstance(node, ast.BoolOp):
            masks = [self.evaluate(v) for v in node.values]
            out = masks[0]
            for m in masks[1:]:
                out = (out & m) if isinstance(node.op, ast.And) else (out | m)
            return out
        if isinstance(node, ast.UnaryOp):
            return ~self.evaluate(node.operand)
        if isinstance(node, ast.Compare):
            out = np.ones(self.n, dtype=bool)
            left = node.left
            for op, right in zip(node.ops, node.comparators):
                out &= self.compare(left, _COMPARE[type(op)], right)
                left = right
            return out
        if isinstance(node, ast.Name):  # a bare boolean field
            return self.column(node.id).fillna(False).astype(bool).to_numpy()
        if isinstance(node, ast.Constant):
            return np.full(self.n, bool(node.value))
        raise AssertionError(f"unchecked node {node!r}")  # the checker forbids this

    def column(self, name):
        return self.frame[name]

    def compare(self, left, op, right):
        if isinstance(left, ast.Constant) and isinstance(right, ast.Name):
            if op in ("in", "not in"):
                raise ConditionError("", "write the field on the left of 'in'")
            left, right, op = right, left, _FLIP[op]
        if isinstance(left, ast.Constant):  # literal vs literal
            other = [e.value for e in right.elts] if isinstance(right, ast.Tuple) else right.value
            return np.full(self.n, _py_compare(left.value, op, other))
        col = self.column(left.id)
        kind = self.types.get(left.id, "str")
        if isinstance(right, ast.Name):
            other = self.column(right.id)
            return _series_op(col, op, other)
        if isinstance(right, ast.Tuple):
            values = [self.literal(kind, e.value, left.id) for e in right.elts]
            hit = col.isin(values).to_numpy()
            return hit if op == "in" else ~hit
        value = right.value
        if value is None:
            na = col.isna().to_numpy()
            if op in ("==", "!="):
                return na if op == "==" else ~na
            return np.zeros(self.n, dtype=bool)
        if kind == "money":
            return self.money_compare(col, op, value, left.id)
        return _series_op(col, op, self.literal(kind, value, left.id))

    def literal(self, kind, value, name):
        if kind == "date" and isinstance(value, str):
            try:
                return pd.Timestamp(dt.date.fromisoformat(value))
            except ValueError:
                raise ConditionError("", f"{value!r} is not a date YYYY-MM-DD for field {name}") from None
        if kind in ("int", "decimal", "money") and isinstance(value, str):
            raise ConditionError("", f"field {name} is a number; compare it with a number, not {value!r}")
        if kind == "str" and value is not None and not isinstance(value, str):
            return str(value)
        return value

    def money_compare(self, col, op, value, name):
        if isinstance(value, (bool, str)):
            raise ConditionError("", f"field {name} is an amount; compare it with a number")
        try:
            lit = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover - ast literals are finite
            raise ConditionError("", f"{value!r} is not a number") from None
        exps = self.exps if self.exps is not None else np.full(self.n, 2)
        out = np.zeros(self.n, dtype=bool)
        a = col.to_numpy(dtype="int64", na_value=0)
        for e in np.unique(exps):
            rows = exps == e
            t = lit.scaleb(int(e))
            if t == t.to_integral_value():
                out[rows] = _np_op(a[rows], op, int(t))
            else:  # threshold between two minor units
                lo = int(t.to_integral_value(rounding="ROUND_FLOOR"))
                out[rows] = {
                    "==": np.zeros(rows.sum(), bool), "!=": np.ones(rows.sum(), bool),
                    "<": a[rows] <= lo, "<=": a[rows] <= lo,
                    ">": a[rows] > lo, ">=": a[rows] > lo,
                }[op]
        return out & col.notna().to_numpy()


def _np_op(a, op, b):
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _series_op(a, op, b):
    try:
        res = _np_op(a, op, b)
    except TypeError as exc:
        raise ConditionError("", f"cannot compare {a.name} with {b!r}: {exc}") from None
    return res.fillna(op == "!=").to_numpy(dtype=bool) if hasattr(res, "fillna") else np.asarray(res)


def _py_compare(a, op, b):
    if op == "in":
        return a in b
    if op == "not in":
        return a not in b
    return bool(_np_op(a, op, b))
