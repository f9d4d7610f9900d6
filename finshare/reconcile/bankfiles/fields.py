"""Parsing a statement's columns, vectorised: dates, amounts, currencies, direction, text.

Each function takes the body of the file (the rows between header and totals,
as text) and returns arrays plus the :class:`Problem` records of cells it
could not read, each naming the file, line, column and text.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core import money
from ...core.problems import Problem, Source
from .layouts import Layout

#: Tried after a layout's own formats: how a date cell of a workbook reads.
FALLBACK_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
_MAX_PROBLEMS = 50


def _cell_problems(code: str, bad: np.ndarray, text: pd.Series, lines: np.ndarray, source: str,
                   header: str, what: tuple[str, str], hint: str) -> list[Problem]:
    rows = np.flatnonzero(bad)[:_MAX_PROBLEMS]
    return [Problem(code, f"第 {lines[i]} 行 {header} 的值 {text.iloc[i]!r} 不是{what[0]} / line {lines[i]}: "
                          f"{header} {text.iloc[i]!r} is not {what[1]}", Source(source, int(lines[i]), header), hint)
            for i in rows]


def dates(text: pd.Series, layout: Layout, lines: np.ndarray, source: str, header: str):
    """Booking dates (the day) and problems of cells no format reads."""
    text = text.str.replace(r"\.0$", "", regex=True)          # a numeric cell 20200131.0
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in dict.fromkeys(layout.date_format + FALLBACK_DATE_FORMATS):
        todo = out.isna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    bad = out.isna().to_numpy()
    formats = ", ".join(layout.date_format)
    return out.dt.normalize(), _cell_problems(
        "bad-date", bad, text, lines, source, header, ("日期", "a date"),
        f"日期写成 {formats} 之一，或在映射文件的 date_format 中加上这个格式 / write the date as {formats}, "
        "or add its format to date_format in the mapping file")


def _stripped(text: pd.Series) -> pd.Series:
    """Amount cells without blanks and ¥; a cell of dashes only ('-', '--') is empty."""
    return text.str.replace(r"[\s¥￥]", "", regex=True).str.replace(r"^-+$", "", regex=True)


def amount_text(text: pd.Series) -> pd.Series:
    """Amount cells ready for :func:`~finshare.core.money.parse_amounts`: blanks, '-' and '--' are 0."""
    text = _stripped(text)
    return text.where(text != "", "0")


def amounts(text: pd.Series, exp: np.ndarray, lines: np.ndarray, source: str, header: str):
    """Minor units of an amount column and problems of cells that are not amounts."""
    minor, bad = money.parse_amounts(amount_text(text), exp)
    return minor, _cell_problems(
        "bad-amount", bad, text, lines, source, header, ("金额", "an amount"),
        "金额写成数字，如 1,234.56（人民币最多两位小数）/ write a number such as 1,234.56 "
        "(at most the currency's decimals)")


def balances(text: pd.Series, exp: np.ndarray, lines: np.ndarray, source: str, header: str):
    """A balance column as ``Int64`` (<NA> where blank) and its problems."""
    minor, problems = amounts(text, exp, lines, source, header)
    blank = (_stripped(text) == "").to_numpy()
    return pd.Series(minor, dtype="Int64").mask(pd.Series(blank)), problems


def currencies(text: pd.Series | None, default: str, layout: Layout, lines: np.ndarray, source: str, header: str,
               n: int):
    """ISO currency per row (the column's names mapped, blanks the statement's currency) and problems."""
    if text is None:
        return pd.Series([default] * n, dtype="string"), []
    names = {**layout.currencies, **{c: c for c in money.EXPONENTS}}
    iso = text.map(names)
    iso = iso.where(text != "", default)
    bad = iso.isna().to_numpy()
    return iso.fillna(default).astype("string"), _cell_problems(
        "unknown-currency", bad, text, lines, source, header, ("已知币种", "a known currency"),
        "在映射文件的 currencies 中写明它对应的币种代码，如 人民币元: CNY / map it to an ISO code under currencies:")


def flags(text: pd.Series, layout: Layout, lines: np.ndarray, source: str, header: str):
    """``True`` where the flag says money in; problems where it says neither in nor out."""
    norm = text.str.normalize("NFKC").str.strip()
    ins, outs = layout.flag_values()
    is_in, is_out = norm.isin(ins).to_numpy(), norm.isin(outs).to_numpy()
    allowed = "、".join(ins + outs)
    return is_in, _cell_problems(
        "bad-direction", ~(is_in | is_out), text, lines, source, header, ("收付标志", "a direction flag"),
        f"收付标志应为 {allowed} 之一（收入 {'、'.join(ins)}，支出 {'、'.join(outs)}），或在映射文件的 direction 中加上它 / "
        f"the flag must be one of {', '.join(ins)} (in) or {', '.join(outs)} (out), or add it under direction: "
        "in the mapping file")


def joined(parts: list[pd.Series]) -> pd.Series:
    """Texts joined with ' / ', empty parts left out (one vectorised step per column)."""
    out = parts[0].to_numpy(dtype=object)
    for part in parts[1:]:
        p = part.to_numpy(dtype=object)
        out = np.where(out == "", p, np.where(p == "", out, out + " / " + p))
    return pd.Series(out, dtype="string")
