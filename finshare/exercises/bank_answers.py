"""Reading exercise 07's answers: the list of 未达账项 and the 调节表, with feedback for any other shape."""
from __future__ import annotations

import re

import pandas as pd

from ..reconcile.adjusted import KINDS
from .answers import code_text, not_a_table, not_answered, parse_money

#: Column names a student may write in Chinese.
ITEM_ALIASES = {"种类": "kind", "类型": "kind", "类别": "kind", "未达账项": "kind", "对账单行": "statement_row",
                "对账单行号": "statement_row", "行号": "statement_row", "日记账行": "journal_line",
                "凭证号": "journal_line", "日记账": "journal_line", "金额": "amount"}
#: Every way of writing a kind that is read, casefolded and without blanks or punctuation.
KIND_NAMES = {**{k: k for k in KINDS}, **{zh: k for k, (zh, _) in KINDS.items()},
              "depositintransit": "企收银未", "outstandingpayment": "企付银未", "outstandingcheque": "企付银未",
              "bankcreditnotyetbooked": "银收企未", "bankdebitnotyetbooked": "银付企未"}
#: The 调节表's four figures, and the names a student may give them.
BALANCES = {"book_balance": ("企业日记账余额", "book balance"), "bank_balance": ("银行对账单余额", "bank balance"),
            "adjusted_book": ("调节后的企业余额", "adjusted book balance"),
            "adjusted_bank": ("调节后的银行余额", "adjusted bank balance")}
BALANCE_ALIASES = {"日记账余额": "book_balance", "企业日记账余额": "book_balance", "企业余额": "book_balance",
                   "对账单余额": "bank_balance", "银行对账单余额": "bank_balance", "银行余额": "bank_balance",
                   "调节后企业余额": "adjusted_book", "调节后的企业余额": "adjusted_book",
                   "调节后银行余额": "adjusted_bank", "调节后的银行余额": "adjusted_bank"}


def kind_of(text) -> str | None:
    """The kind a student wrote (``企收银未``, ``企业已收、银行未收``, ``deposit in transit`` …), or None."""
    key = re.sub(r"[\s、，,.\-_()（）]", "", str(text or "")).casefold()
    return {re.sub(r"[\s、，,.\-_()（）]", "", k).casefold(): v for k, v in KIND_NAMES.items()}.get(key)


def journal_id(value) -> str:
    """A journal line as the journal numbers it: ``记-003``; ``3``, ``"003"`` and ``记3`` read the same."""
    text = code_text(value)
    digits = re.fullmatch(r"(?:记\s*-?\s*)?0*(\d+)", text)
    return f"记-{int(digits.group(1)):03d}" if digits else text


def read_items(value) -> tuple[pd.DataFrame | None, list[str]]:
    """The student's 未达账项: ``kind, side, id, amount`` (fen, positive) and problems with rows."""
    what = ("一张未达账项表 (pandas DataFrame)", "a table of outstanding items (a pandas DataFrame)")
    why = not_a_table(value, "items", what)
    if why:
        return None, [why]
    frame = value.rename(columns=lambda c: ITEM_ALIASES.get(str(c).strip(), str(c).strip()))
    missing = [c for c in ("kind", "amount") if c not in frame.columns]
    if missing or not {"statement_row", "journal_line"} & set(frame.columns):
        lack = ", ".join(missing or ["statement_row / journal_line"])
        return None, [f"items 缺少列 {lack} / items lacks the column(s) {lack} (needed: kind, statement_row, "
                      "journal_line, amount)"]
    if len(frame) == 0:
        return None, ["items 还是空表 / items has no rows yet: write one row per outstanding item"]
    rows, problems = [], []
    for i, r in enumerate(frame.to_dict("records"), start=1):
        row, bad = _item_row(r)
        if bad:
            problems.append(f"第 {i} 行：{bad[0]} / row {i}: {bad[1]}")
        else:
            rows.append(row)
    out = pd.DataFrame(rows, columns=["kind", "side", "id", "amount"])
    return out.astype({"amount": "int64"}), problems


def _item_row(r: dict) -> tuple[dict | None, tuple[str, str] | None]:
    kind = kind_of(r.get("kind"))
    if kind is None:
        return None, (f"种类 {r.get('kind')!r} 不是四种未达账项之一（企收银未、企付银未、银收企未、银付企未）",
                      f"the kind {r.get('kind')!r} is not one of the four (企收银未, 企付银未, 银收企未, 银付企未)")
    row, line = code_text(r.get("statement_row")), journal_id(r.get("journal_line"))
    if bool(row) == bool(line):
        return None, ("对账单行号和日记账行号只填一个", "give either the statement row or the journal line, "
                      "one of them")
    amount, bad = parse_money(r.get("amount"), 2, signed=True)
    if bad or not amount:
        return None, (f"金额 {r.get('amount')!r} 不是金额（元，最多两位小数）", f"the amount {r.get('amount')!r} is not "
                      "an amount in yuan with at most two decimal places")
    if row and not row.isdigit():
        return None, (f"对账单行号 {row!r} 应是数字", f"the statement row {row!r} should be a number")
    return {"kind": kind, "side": "bank" if row else "book", "id": str(int(row)) if row else line,
            "amount": abs(amount)}, None


def read_balances(value) -> tuple[dict[str, int] | None, list[str]]:
    """The student's 调节表 as ``{figure: fen}`` (keys of :data:`BALANCES`), and problems."""
    example = "{\"book_balance\": \"0.00\", \"bank_balance\": \"0.00\", …}"
    why = not_answered(value, "balances", (f"一个字典，如 {example}", f"a dict such as {example}"))
    if why is None and not isinstance(value, dict):
        why = (f"balances 应是字典，如 {example}，现在是 {type(value).__name__} / balances should be a dict such as "
               f"{example}, not a {type(value).__name__}")
    if why:
        return None, [why]
    out, problems = {}, []
    for key, raw in value.items():
        name = str(key).strip()
        name = BALANCE_ALIASES.get(name, name.casefold().replace(" ", "_"))
        if name not in BALANCES:
            problems.append(f"{key!r} 不是调节表的项目 / {key!r} is not a figure of the 调节表 (use "
                            f"{', '.join(BALANCES)})")
            continue
        minor, bad = parse_money(raw, 2, signed=True)
        if bad:
            problems.append(f"{name} 的金额 {raw!r} 不是金额 / the {name} {raw!r} is not an amount in yuan with at most "
                            "two decimal places")
            continue
        out[name] = minor
    return out, problems
