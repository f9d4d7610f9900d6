"""Static signs that a submitted notebook tries to change its own grade, found before it runs.

The checks run in the grader's process on plain data, so monkeypatching them
inside the kernel cannot change a score; but a notebook that tries is told so
and gets zero. :func:`scan` parses every code cell with :mod:`ast` (nothing
is run) and reports:

* assignments or ``setattr``/``delattr`` on anything imported from
  ``finshare`` or on ``builtins``, or on a check's name (``check``,
  ``grade``, ``check_…``);
* edits of ``sys.modules``;
* IPython hooks that would rewrite or follow later cells (input or AST
  transformers, ``events.register``);
* any mention of the grader's own names (``FINSHARE_GRADING…``, ``_finshare_…``).
"""
from __future__ import annotations

import ast

HOOKS = {"input_transformers_cleanup", "input_transformers_post", "ast_transformers"}
CHECK_NAMES = {"check", "grade", "start", "to_plain", "from_plain", "round_trip", "max_points"}
GRADER_MARKS = ("FINSHARE_GRADING", "_finshare_")


def scan(sources: list[str]) -> list[str]:
    """Reasons (bilingual) to treat the notebook whose code cells are ``sources`` as tampering."""
    reasons: list[str] = []
    imported: set[str] = {"builtins", "__builtins__"}
    for n, source in enumerate(sources, start=1):
        if any(mark in source for mark in GRADER_MARKS):
            reasons.append(_say(n, "提到了评分程序的内部名称", "it refers to the grader's own names"))
        tree = _parse(source)
        if tree is None:
            continue
        imported |= _finshare_names(tree)
        for node in ast.walk(tree):
            why = _finding(node, imported)
            if why:
                reasons.append(_say(n, *why))
    return list(dict.fromkeys(reasons))


def _say(cell: int, zh: str, en: str) -> str:
    return f"第 {cell} 个代码单元格{zh} / code cell {cell}: {en}"


def _parse(source: str) -> ast.AST | None:
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return None  # the kernel will report it when the cell runs


def _finshare_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name.split(".")[0]) for a in node.names if a.name.split(".")[0] == "finshare"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "finshare":
            names |= {a.asname or a.name for a in node.names}
    return names


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _finding(node: ast.AST, imported: set[str]) -> tuple[str, str] | None:
    targets = []
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
    for t in targets:
        if isinstance(t, ast.Attribute) and (_root(t) in imported or _is_check_name(t.attr)):
            return "改写了 finshare 或检查函数", f"it replaces {ast.unparse(t)} (finshare or a check)"
        if isinstance(t, ast.Subscript) and ast.unparse(t.value).endswith("sys.modules"):
            return "改写了 sys.modules", "it edits sys.modules"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
        args = node.args
        named = len(args) > 1 and isinstance(args[1], ast.Constant) and _is_check_name(str(args[1].value))
        if args and (_root(args[0]) in imported or named):
            return "用 setattr/delattr 改写了 finshare 或检查函数", "it patches finshare or a check with setattr/delattr"
    if isinstance(node, ast.Attribute) and (node.attr in HOOKS or (
            node.attr == "register" and isinstance(node.value, ast.Attribute) and node.value.attr == "events")):
        return "注册了改写或监视后续单元格的 IPython 钩子", "it installs an IPython hook that rewrites or follows later cells"
    return None


def _is_check_name(name: str) -> bool:
    return name in CHECK_NAMES or name.startswith(("check_", "_check"))
