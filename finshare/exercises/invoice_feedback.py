"""Exercise 09's grading: a student's function judged by class of case, a student's verdicts judged page by page.

Feedback names the class of pairs a function gets wrong ("amounts with 零 in
the middle") and how often, never a pair or its answer; on the pages it says
whether the status is right, which checks the student named that pass, and
how many failing checks are still unnamed and what they concern in
accounting terms (the credit codes, how the amounts add up …), never their
names.
"""
from __future__ import annotations

import re

import pandas as pd

from .answers import code_text, not_a_table
from .capital_cases import CLASSES, Case
from .exercise import unchecked, with_notes
from .invoice_batch import CHECK_TERMS, Verdict
from .plain import Calls, Raised, Unreadable
from .result import CheckResult

STATUS_WORDS = {"accepted": "accepted", "accept": "accepted", "通过": "accepted", "接受": "accepted",
                "review": "review", "复核": "review", "人工复核": "review", "待复核": "review"}
VERDICT_ALIASES = {"页": "page", "页码": "page", "状态": "status", "结论": "status", "未通过": "failed",
                   "未通过校验": "failed", "checks": "failed"}


# ------------------------------------------------------------------ the function
def function_problem(value, name: str = "words_equal_figures") -> str | None:
    """Why ``value`` (what the notebook's function gave) cannot be graded, or None when it can."""
    if value is None:
        return (f"还没有作答：{name} 是 None，请写一个函数 / not answered yet: {name} is None — define the function "
                f"def {name}(words, amount): ...")
    if isinstance(value, Unreadable) and value.kind == "missing":
        return f"没有找到函数 {name} / the function {name} is not defined: run its cell and keep its name"
    if not isinstance(value, Calls):
        kind = value.kind if isinstance(value, Unreadable) else type(value).__name__
        return f"{name} 应是一个函数，现在是 {kind} / {name} should be a function (def {name}(words, amount): ...), not a {kind}"
    return None


def _judged(cases: list[Case], results: list) -> list[tuple[Case, str]]:
    """Each case with how the function did: "right", "wrong", "raised:<type>" or "not-bool:<type>"."""
    out = []
    for case, got in zip(cases, results):
        if isinstance(got, Raised):
            out.append((case, f"raised:{got.type}"))
        elif not isinstance(got, bool):
            out.append((case, f"not-bool:{type(got).__name__ if not isinstance(got, Unreadable) else got.kind}"))
        else:
            out.append((case, "right" if got == case.equal else "wrong"))
    return out


def class_results(cases: list[Case], results: Calls, points: int, prefix: str = "") -> list[CheckResult]:
    """One check per class of case: ``points`` when every case is right, half (rounded down) when most are.

    A function that gives one answer to every pair checks nothing and scores nothing.
    """
    shape = [(f"{prefix}{kind}", f"{zh} / {en}", points) for kind, (zh, en) in CLASSES.items()]
    if all(isinstance(r, bool) for r in results) and len(set(results)) == 1:
        return unchecked(shape, ["函数对每一对都给出同样的结果，等于没有检查 / the function gives the same answer for "
                                 "every pair: it checks nothing"])
    judged = _judged(cases, results)
    out = []
    for (name, title, most), (kind, (zh, en)) in zip(shape, CLASSES.items()):
        mine = [how for c, how in judged if c.kind == kind]
        right = mine.count("right")
        got = most if right == len(mine) else most // 2 if 2 * right > len(mine) else 0
        out.append(CheckResult(name, title, got, most, _class_feedback(zh, en, mine)))
    return out


def _class_feedback(zh: str, en: str, mine: list[str]) -> tuple[str, ...]:
    notes = []
    wrong = mine.count("wrong")
    if wrong:
        notes.append(f"{zh}：有 {wrong} 对（共 {len(mine)} 对）判断错了 / {en}: {wrong} of {len(mine)} pairs judged "
                     "wrongly")
    raised = sorted({h.split(":", 1)[1] for h in mine if h.startswith("raised:")})
    if raised:
        notes.append(f"{zh}：函数出错（{', '.join(raised)}），没有返回结果 / {en}: the function raised "
                     f"{', '.join(raised)} instead of answering")
    other = sorted({h.split(":", 1)[1] for h in mine if h.startswith("not-bool:")})
    if other:
        notes.append(f"函数应返回 True 或 False，却返回了 {', '.join(other)} / the function should return True or False, "
                     f"not {', '.join(other)}")
    return tuple(notes)


# ------------------------------------------------------------------ the verdicts
def read_verdicts(value) -> tuple[dict[int, tuple[str, frozenset[str]]] | None, list[str]]:
    """``{page: (status, named checks)}`` from the student's table; problems with its shape or rows."""
    what = ("一张表 (pandas DataFrame)：page, status, failed", "a table (a pandas DataFrame): page, status, failed")
    why = not_a_table(value, "verdicts", what)
    if why:
        return None, [why]
    frame = value.rename(columns=lambda c: VERDICT_ALIASES.get(str(c).strip(), str(c).strip().lower()))
    missing = [c for c in ("page", "status") if c not in frame.columns]
    if missing:
        return None, [f"verdicts 缺少列 {', '.join(missing)} / verdicts lacks the column(s) {', '.join(missing)} "
                      "(needed: page, status, failed)"]
    if len(frame) == 0:
        return None, ["verdicts 还是空表 / verdicts has no rows yet: one row per page"]
    out, problems = {}, []
    for i, r in enumerate(frame.to_dict("records"), start=1):
        page, status = code_text(r.get("page")), STATUS_WORDS.get(code_text(r.get("status")).lower())
        if not page.isdigit() or status is None:
            problems.append(f"第 {i} 行：页码应是数字，状态应是 accepted 或 review / row {i}: the page should be a number "
                            f"and the status accepted or review (read {r.get('page')!r}, {r.get('status')!r})")
        elif int(page) in out:
            problems.append(f"第 {page} 页写了两次，只看第一行 / page {page} has two rows; the first is checked")
        else:
            out[int(page)] = (status, frozenset(re.findall(r"[a-z0-9_]+", str(r.get("failed") or "").lower())))
    return out, problems


def page_result(n: int, truth: Verdict, got: tuple[str, frozenset[str]] | None) -> CheckResult:
    """Two points for page ``n``: one for its status, one for naming exactly the checks that fail."""
    title = f"第 {n} 页 / page {n}"
    if got is None:
        return CheckResult(f"page-{n}", title, 0, 2, (f"第 {n} 页没有作答 / page {n} has no row in verdicts",))
    status, named = got
    notes = []
    if status != truth.status:
        notes.append(f"第 {n} 页不能直接通过：至少有一项校验未通过 / page {n} cannot be accepted: a check fails on it"
                     if truth.status == "review" else
                     f"第 {n} 页每项校验都通过，不必送复核 / every check passes on page {n}: it needs no review")
    unknown = sorted(named - set(CHECK_TERMS))
    if unknown:
        notes.append(f"第 {n} 页：{', '.join(unknown)} 不是校验的名称（见 ex.check_names）/ page {n}: "
                     f"{', '.join(unknown)} is not the name of a check (see ex.check_names)")
    passing = sorted((named & set(CHECK_TERMS)) - truth.failed)
    if passing:
        notes.append(f"第 {n} 页：{', '.join(passing)} 在这一页是通过的 / page {n}: {', '.join(passing)} passes on this page")
    unnamed = truth.failed - named
    if unnamed:
        zh = "、".join(dict.fromkeys(CHECK_TERMS[c][0] for c in sorted(unnamed)))
        en = ", ".join(dict.fromkeys(CHECK_TERMS[c][1] for c in sorted(unnamed)))
        notes.append(f"第 {n} 页：还有 {len(unnamed)} 项未通过的校验没有列出，涉及{zh} / page {n}: {len(unnamed)} failing "
                     f"check(s) not named, about {en}")
    points = int(status == truth.status) + int(named == truth.failed)
    return CheckResult(f"page-{n}", title, points, 2, tuple(notes))


def page_shape(n_pages: int) -> list[tuple[str, str, int]]:
    """``(name, title, points)`` of each page's check."""
    return [(f"page-{n}", f"第 {n} 页 / page {n}", 2) for n in range(1, n_pages + 1)]


def verdict_results(truths: list[Verdict], got: dict, problems: list[str]) -> list[CheckResult]:
    """Every page's result from the verdicts read (:func:`read_verdicts`), the table's problems on the first."""
    extra = sorted(set(got) - set(range(1, len(truths) + 1)))
    problems = problems + [f"第 {p} 页不在这批发票里 / there is no page {p} in the batch" for p in extra]
    return with_notes([page_result(n, t, got.get(n)) for n, t in enumerate(truths, start=1)], problems)


def check_names_table() -> pd.DataFrame:
    """The checks a page may fail: ``name, 中文, English``."""
    return pd.DataFrame([(k, v[2], v[3]) for k, v in CHECK_TERMS.items()], columns=["name", "中文", "English"])
