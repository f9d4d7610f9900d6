"""Exercise 10's answer read against the invoices open at the as-of date: one row each, finite numbers.

The table ``predictions`` comes back from the notebook as text
(:mod:`finshare.exercises.plain`); :func:`read_predictions` matches its rows to
the open invoices (an id written as a number, ``1234`` for ``00001234``, still
matches), keeps the first row of an invoice given twice, and reads the numbers.
It returns the numbers in the open invoices' order (NaN where missing or
unreadable) with the problems of the ids and of the numbers as bilingual
sentences, each naming at most a few rows or invoices.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .answers import code_text, not_a_table

#: Column names a student may write in Chinese (or shorter).
ALIASES = {"发票号": "invoice_id", "发票编号": "invoice_id", "发票": "invoice_id", "invoice": "invoice_id",
           "预测天数": "predicted_days", "结清天数": "predicted_days", "days": "predicted_days",
           "逾期概率": "p_late", "lower": "lower_days", "下限": "lower_days", "upper": "upper_days",
           "上限": "upper_days"}
NUMBERS = ["predicted_days", "p_late", "lower_days", "upper_days"]
WHAT = ("一张表 (pandas DataFrame)：invoice_id, predicted_days, p_late（可选 lower_days, upper_days）",
        "a table (a pandas DataFrame): invoice_id, predicted_days, p_late (optional lower_days, upper_days)")
SHOWN = 5


@dataclass
class Read:
    """The predictions as the checks use them.

    ``numbers`` is indexed like the open invoices (columns :data:`NUMBERS`, float, NaN where no row or no
    readable number), or None when the answer is no table of predictions at all.
    """

    numbers: pd.DataFrame | None
    id_problems: list[str] = field(default_factory=list)
    number_problems: list[str] = field(default_factory=list)
    interval_problems: list[str] = field(default_factory=list)
    missing: int = 0
    extra: int = 0

    @property
    def has_interval(self) -> bool:
        return self.numbers is not None and self.numbers[["lower_days", "upper_days"]].notna().any().any()

    def usable(self, *columns: str) -> bool:
        """Every open invoice has a finite value in each of ``columns``."""
        return self.numbers is not None and bool(np.isfinite(self.numbers[list(columns)].to_numpy()).all())


def key(text) -> str:
    """An invoice id as matched: text, and without leading zeros when it is all digits."""
    t = code_text(text)
    return (t.lstrip("0") or "0") if t.isdigit() else t


def read_predictions(value, open_ids: pd.Series, name: str = "predictions") -> Read:
    """``value`` (the student's table) against ``open_ids`` (see the module docstring)."""
    why = not_a_table(value, name, WHAT)
    if why:
        return Read(None, [why])
    frame = value.rename(columns=lambda c: ALIASES.get(str(c).strip(), str(c).strip().lower()))
    if "invoice_id" not in frame.columns:
        return Read(None, [f"{name} 缺少列 invoice_id / {name} lacks the column invoice_id (one row per open "
                           "invoice)"])
    if len(frame) == 0:
        return Read(None, [f"{name} 还是空表 / {name} has no rows yet: one row per invoice open at the as-of date"])
    frame = frame.loc[:, ~frame.columns.duplicated()].assign(_key=frame["invoice_id"].map(key))
    read = Read(None)
    _id_problems(frame, open_ids, read, name, bool(value.attrs.get("cut")))
    first = frame.drop_duplicates("_key").set_index("_key")
    numbers = pd.DataFrame({c: _numbers(first, c, read) for c in NUMBERS}, index=first.index)
    read.numbers = numbers.reindex(open_ids.map(key).to_numpy()).reset_index(drop=True)
    _value_problems(read.numbers, read, name)
    return read


def _id_problems(frame: pd.DataFrame, open_ids: pd.Series, read: Read, name: str, cut: bool) -> None:
    keys = set(open_ids.map(key))
    twice = frame.loc[frame["_key"].duplicated(), "invoice_id"].map(code_text).unique()
    unknown = frame.loc[~frame["_key"].isin(keys), "invoice_id"].map(code_text).unique()
    missing = open_ids[~open_ids.map(key).isin(set(frame["_key"]))]
    read.missing, read.extra = len(missing), len(unknown)
    if cut:
        read.id_problems.append(f"{name} 的行太多，只读了前面的行 / {name} has too many rows; only the first were read "
                                "(one row per open invoice)")
    if len(missing):
        read.id_problems.append(f"{len(missing)} 张（共 {len(open_ids)} 张）未结清发票没有预测，例如 "
                                f"{_some(missing)} / {len(missing)} of the {len(open_ids)} invoices open at the as-of "
                                f"date have no prediction, e.g. {_some(missing)}")
    if len(twice):
        read.id_problems.append(f"发票 {_some(twice)} 预测了不止一次，只看第一行 / invoice(s) {_some(twice)} are "
                                "predicted more than once; the first row is used")
    if len(unknown):
        read.id_problems.append(f"{len(unknown)} 行的发票在截止日不是未结清发票（已结清、日期更晚或不存在），例如 "
                                f"{_some(unknown)} / {len(unknown)} row(s) name invoices that were not open at the "
                                "as-of date (settled by then, dated later, or not in the history), "
                                f"e.g. {_some(unknown)}")


def _some(ids) -> str:
    ids = list(ids)
    return ", ".join(map(str, ids[:SHOWN])) + (" …" if len(ids) > SHOWN else "")


def _numbers(frame: pd.DataFrame, column: str, read: Read) -> pd.Series:
    """The column as floats; text that is no number becomes NaN and is named (required columns only)."""
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index)
    raw = frame[column]
    values = pd.to_numeric(raw.map(lambda x: None if x is None else str(x).strip() or None), errors="coerce")
    bad = raw.notna() & values.isna()
    if bad.any():
        problems = read.interval_problems if column in ("lower_days", "upper_days") else read.number_problems
        problems.append(f"{column} 有 {int(bad.sum())} 个值不是数字，例如 {_some(raw[bad].unique())} / {column}: "
                        f"{int(bad.sum())} value(s) are not numbers, e.g. {_some(raw[bad].unique())}")
    return values.astype("float64")


def _value_problems(n: pd.DataFrame, read: Read, name: str) -> None:
    present = n.notna()
    for column in ("predicted_days", "p_late"):
        if not present[column].any():
            read.number_problems.append(f"{name} 缺少列 {column} 或它是空的 / {name} lacks the column {column} "
                                        "(or it is empty)")
    days, p = n["predicted_days"], n["p_late"]
    checks = [
        (present["predicted_days"].any() & ~np.isfinite(days) & days.notna(), "predicted_days 不是有限的数",
         "predicted_days is not a finite number"),
        (days < 0, "predicted_days 是负数：结清不会早于开票", "predicted_days is negative: an invoice cannot be settled "
                   "before it is issued"),
        ((p < 0) | (p > 1), "p_late 是概率，应在 0 到 1 之间", "p_late is a probability: it lies between 0 and 1"),
    ]
    read.number_problems += [f"{int(m.sum())} 行：{zh} / {int(m.sum())} row(s): {en}" for m, zh, en in checks if m.any()]
    lo, hi = n["lower_days"], n["upper_days"]
    if present["lower_days"].any() or present["upper_days"].any():
        if not (present["lower_days"].all() and present["upper_days"].all()):
            read.interval_problems.append("区间要给每张发票的 lower_days 和 upper_days / the interval needs both "
                                          "lower_days and upper_days for every invoice")
        elif (lo > hi).any() or not np.isfinite(n[["lower_days", "upper_days"]].to_numpy()).all():
            bad = int(((lo > hi) | ~np.isfinite(lo) | ~np.isfinite(hi)).sum())
            read.interval_problems.append(f"{bad} 行的区间下限大于上限或不是有限的数 / {bad} row(s): the interval's "
                                          "lower end is above its upper end, or not a finite number")
