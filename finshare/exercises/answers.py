"""Reading a student's answer into the form the checks compare, with feedback for any other shape.

Every reader returns ``(value, problems)``: ``value`` is None when the answer
cannot be checked at all, and ``problems`` are bilingual sentences saying
what is wrong with its shape (never a traceback). Money is read exactly
(:class:`~decimal.Decimal`, then integer minor units), never through floats.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd

from ..core.posting import DIMS
from .plain import MISSING, Unreadable

#: Column names a student may write in Chinese.
COLUMN_ALIASES = {
    "单据编号": "doc_no", "单据": "doc_no", "单号": "doc_no", "科目": "account", "科目编码": "account",
    "借方": "debit", "借方金额": "debit", "贷方": "credit", "贷方金额": "credit", "供应商": "supplier",
    "部门": "department", "职员": "employee", "员工": "employee", "银行账户": "bank_account",
}
ENTRY_COLUMNS = ["doc_no", "account", "debit", "credit"]


def not_answered(value, name: str, what: tuple[str, str]) -> str | None:
    """The problem with an answer that is missing, None or unreadable, or None when it is there.

    ``what`` says what the answer should be, ``(中文, English)``.
    """
    if value is MISSING:
        return (f"没有找到变量 {name} / the variable {name} is not defined: run the answer cell and keep the "
                "variable's name")
    if value is None:
        return (f"还没有作答：{name} 是 None，请在答案单元格填写{what[0]} / not answered yet: {name} is None — "
                f"put {what[1]} in the answer cell")
    if isinstance(value, Unreadable):
        return f"{name} 应是{what[0]}，现在是 {value.kind} / {name} should be {what[1]}, not a {value.kind}"
    return None


def not_a_table(value, name: str, what: tuple[str, str]) -> str | None:
    """As :func:`not_answered`, and the problem with an answer that is not a table (pandas DataFrame)."""
    why = not_answered(value, name, what)
    if why is None and not isinstance(value, pd.DataFrame):
        why = (f"{name} 应是一张表 (pandas DataFrame)，现在是 {type(value).__name__} / {name} should be a table "
               f"(a pandas DataFrame), not a {type(value).__name__}")
    return why


def parse_money(value, exp: int = 2, signed: bool = False) -> tuple[int | None, str | None]:
    """An amount in minor units, ``(0, None)`` for a blank, or ``(None, why)`` when it is no amount.

    A negative amount is refused (``"negative"``) unless ``signed``.
    """
    if value is None:
        return 0, None
    text = str(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    if text == "" or text.lower() in ("nan", "none", "<na>"):
        return 0, None
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None, "not-number"
    if not d.is_finite():
        return 0, None
    minor = d.scaleb(exp)
    if minor != minor.to_integral_value():
        return None, "too-many-places"
    if d < 0 and not signed:
        return None, "negative"
    return int(minor), None


def code_text(value) -> str:
    """A code as text: blanks are "", ``6602.0`` (a number column) is ``6602``."""
    if value is None:
        return ""
    text = str(value).strip()
    if text.lower() in ("nan", "none", "<na>"):
        return ""
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text


def read_entries(value, name: str = "entries", exp: int = 2,
                 columns: tuple[str, ...] = tuple(ENTRY_COLUMNS)) -> tuple[pd.DataFrame | None, list[str]]:
    """Entry lines written as a table ``doc_no, account, debit, credit`` (+ dimension columns).

    ``columns`` are the columns the table must have (e.g. without ``doc_no``
    when the answer is one voucher); a column left out reads as blank.

    Returns
    -------
    lines : pandas.DataFrame or None
        ``doc_no, side, account, amount`` (minor units) and one column per
        dimension ("" when blank); rows that cannot be read are left out.
    problems : list of str
        What is wrong with the table or with rows of it.
    """
    what = ("一张分录表 (pandas DataFrame)", "a table of entry lines (a pandas DataFrame)")
    why = not_a_table(value, name, what)
    if why:
        return None, [why]
    frame = value.rename(columns=lambda c: COLUMN_ALIASES.get(str(c).strip(), str(c).strip()))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        return None, [f"{name} 缺少列 {', '.join(missing)} / {name} lacks the column(s) {', '.join(missing)} "
                      f"(needed: {', '.join(columns)}; dimensions such as supplier, department may follow)"]
    if frame.columns.duplicated().any():
        return None, [f"{name} 有重复的列名 / {name} has a column name twice"]
    if len(frame) == 0:
        return None, [f"{name} 还是空表 / {name} has no rows yet: write one row per entry line"]
    rows, problems = [], []
    if frame.attrs.get("cut"):
        problems.append(f"{name} 行数太多，只检查了前面的行 / {name} is very long; only its first rows were checked")
    for i, r in enumerate(frame.to_dict("records"), start=1):
        row, why = _entry_row(r, exp)
        if why:
            problems.append(f"第 {i} 行：{why[0]} / row {i}: {why[1]}")
        else:
            rows.append(row)
    lines = pd.DataFrame(rows, columns=["doc_no", "side", "account", "amount", *DIMS])
    lines["amount"] = lines["amount"].astype("int64")
    return lines, problems


_MONEY_WHY = {
    "not-number": ("{side_zh} {v!r} 不是金额", "the {side} {v!r} is not an amount"),
    "too-many-places": ("{side_zh} {v} 超过两位小数（元记到分）", "the {side} {v} has more than two decimal places "
                                                            "(yuan are kept to the fen)"),
    "negative": ("{side_zh} {v} 是负数，请记在另一方", "the {side} {v} is negative: write it on the other side"),
}


def _entry_row(r: dict, exp: int) -> tuple[dict | None, tuple[str, str] | None]:
    amounts = {}
    for side, side_zh in (("debit", "借方"), ("credit", "贷方")):
        minor, why = parse_money(r.get(side), exp)
        if why:
            zh, en = _MONEY_WHY[why]
            return None, (zh.format(side_zh=side_zh, v=r.get(side)), en.format(side=side, v=r.get(side)))
        amounts[side] = minor
    if amounts["debit"] and amounts["credit"]:
        return None, ("同时有借方和贷方金额，一行只记一方", "it has both a debit and a credit amount: one line, one side")
    if not amounts["debit"] and not amounts["credit"]:
        return None, ("借方和贷方金额都是空的", "it has neither a debit nor a credit amount")
    account = code_text(r.get("account"))
    if not account:
        return None, ("没有科目", "it has no account")
    side = "debit" if amounts["debit"] else "credit"
    row = {"doc_no": code_text(r.get("doc_no")), "side": side, "account": account, "amount": amounts[side]}
    row.update({d: code_text(r.get(d)) for d in DIMS})
    return row, None


def read_text(value, name: str, what: tuple[str, str], limit: int = 50_000) -> tuple[str | None, list[str]]:
    """A text answer (a template's YAML …)."""
    why = not_answered(value, name, what)
    if why:
        return None, [why]
    if not isinstance(value, str):
        return None, [f"{name} 应是文本 (str)，现在是 {type(value).__name__} / {name} should be text (a str), "
                      f"not a {type(value).__name__}"]
    if not value.strip():
        return None, [f"{name} 还是空的，请写{what[0]} / {name} is still empty: write {what[1]}"]
    if len(value) > limit:
        return None, [f"{name} 太长（{len(value)} 个字符）/ {name} is too long ({len(value)} characters; "
                      f"at most {limit})"]
    return value, []


def read_codes(value, name: str) -> tuple[list[str] | None, list[str]]:
    """A list of codes (a list, tuple or set of text)."""
    what = ("一个代码列表", "a list of codes")
    why = not_answered(value, name, what)
    if why:
        return None, [why]
    if isinstance(value, str) or not isinstance(value, list):
        return None, [f"{name} 应是列表，例如 [\"…\", \"…\"]，现在是 {type(value).__name__} / {name} should be a list "
                      f"such as [\"…\", \"…\"], not a {type(value).__name__}"]
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        return None, [f"{name} 的每一项都应是文本 / every item of {name} should be text (a str), "
                      f"not {type(bad[0]).__name__}"]
    return [v.strip().upper() for v in value], []
