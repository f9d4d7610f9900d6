"""What a condition may compare, by field kind: text with text, numbers with numbers, enums with their values.

:class:`KindChecks` is mixed into the condition checker of
:mod:`finshare.core.condition`; given the document type's field kinds and
enumerated values, it refuses when a template loads what would otherwise
fail, or silently match nothing, when vouchers are posted.
"""
from __future__ import annotations

import ast
import datetime as dt

#: Each kind in Chinese and English, for messages.
KIND_WORDS = {"str": ("文本", "text"), "money": ("金额", "an amount"), "int": ("整数", "a whole number"),
              "decimal": ("数字", "a number"), "date": ("日期", "a date"), "bool": ("是/否", "yes/no")}
_KIND_HINTS = {"money": "compare it with a number such as 10000 or 12.50, without quotes",
               "int": "compare it with a whole number such as 3, without quotes",
               "decimal": "compare it with a number such as 1000 or 0.5, without quotes",
               "date": "compare it with a date in quotes such as \"2020-03-05\"",
               "bool": "compare it with True or False"}


def suits(kind: str, value) -> bool:
    """Whether a literal ``value`` can be compared with a field of ``kind``."""
    if kind in ("int", "decimal", "money"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "date":
        try:
            return isinstance(value, str) and bool(dt.date.fromisoformat(value))
        except ValueError:
            return False
    if kind == "bool":
        return isinstance(value, bool)
    return isinstance(value, str)


class KindChecks:
    """Mixin for the condition checker; needs ``kinds``, ``choices``, ``written`` and ``fail``."""

    kinds: dict | None
    choices: dict
    written: dict

    def label(self, name: str) -> str:
        """The field as the author wrote it, with its field name when that differs."""
        written = self.written.get(name, name)
        return written if written == name else f"{written} ({name})"

    def check_types(self, node, left, op: str, right) -> None:
        """Refuse a comparison whose sides cannot match (text vs number, a value an enum never has)."""
        if self.kinds is None:
            return
        if isinstance(left, ast.Constant) and isinstance(right, ast.Name):
            left, right = right, left
        if not isinstance(left, ast.Name):
            return                                          # literal against literal
        kind = self.kinds.get(left.id, "str")
        if isinstance(right, ast.Name):
            other = self.kinds.get(right.id, "str")
            if other != kind and not {kind, other} <= {"int", "decimal"}:
                self.type_error(node, left.id, kind, f"field {self.label(right.id)} ({KIND_WORDS[other][1]})",
                                f"字段 {self.label(right.id)}（{KIND_WORDS[other][0]}）",
                                "compare fields of one kind, or a field with a literal")
            return
        values = [e.value for e in right.elts] if isinstance(right, ast.Tuple) else [right.value]
        for v in values:
            if v is not None and not suits(kind, v):
                written = self.written.get(left.id, left.id)
                self.type_error(node, left.id, kind, repr(v), repr(v),
                                _KIND_HINTS.get(kind, f'put the value in quotes, e.g. {written} {op} "{v}"'))
        allowed = self.choices.get(left.id)
        if allowed and op in ("==", "!=", "in", "not in"):
            for v in values:
                if v is not None and v not in allowed:
                    listed = ", ".join(map(str, allowed))
                    self.fail(node, f"field {self.label(left.id)} is never {v!r}; its values are {listed}",
                              code="bad-condition-value", zh=f"字段 {self.label(left.id)} 没有值 {v!r}",
                              hint=f"改用 {listed} 之一 / use one of {listed}")

    def type_error(self, node, name: str, kind: str, other_en: str, other_zh: str, hint: str) -> None:
        zh, en = KIND_WORDS[kind]
        self.fail(node, f"field {self.label(name)} is {en} and cannot be compared with {other_en}",
                  code="bad-condition-type", zh=f"字段 {self.label(name)} 是{zh}，不能与 {other_zh} 比较", hint=hint)

    def check_truth(self, node) -> None:
        """A field standing alone as a condition (or under and/or/not) must be yes/no."""
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                self.check_truth(v)
        elif isinstance(node, ast.UnaryOp):
            self.check_truth(node.operand)
        elif isinstance(node, ast.Name) and self.kinds is not None:
            kind = self.kinds.get(node.id, "str")
            if kind != "bool":
                zh, en = KIND_WORDS[kind]
                self.fail(node, f"field {self.label(node.id)} is {en}, not yes/no; compare it with a value",
                          code="bad-condition-type", zh=f"字段 {self.label(node.id)} 是{zh}，不是是/否",
                          hint=f"write a comparison, e.g. {self.written.get(node.id, node.id)} == ...")
