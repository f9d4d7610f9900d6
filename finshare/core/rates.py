"""Exchange-rate table (汇率表): rates in force from a date, looked up as of a date.

``rates.csv`` has columns ``date, from_currency, to_currency, rate``; a rate
holds from its date until the next one for the same pair. The inverse pair
is derived exactly (``1 / 1.10`` as a fraction) when only one direction is
given.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from .money import EXPONENTS, rate_fraction, rate_problem
from .problems import Problem, Source, raise_if_any
from .schema import DATE_RANGE_HINT, LINE, parse_dates, read_text_table


class RateTable:
    """Exchange rates; ``rates`` has ``date, from_currency, to_currency, num, den``.

    ``num / den`` is the exact rate: one unit of ``from_currency`` buys
    ``num / den`` units of ``to_currency``. ``source`` names the file and
    ``exists`` says whether it was there (a case without ``rates.csv`` is
    legal until a book needs a conversion).
    """

    def __init__(self, rates: pd.DataFrame, source: str = "rates.csv", exists: bool = True):
        self.rates = rates.sort_values("date").reset_index(drop=True)
        self.source = source
        self.exists = exists

    @classmethod
    def empty(cls, source: str = "rates.csv", exists: bool = True) -> "RateTable":
        return cls(pd.DataFrame({"date": pd.Series(dtype="datetime64[us]"), "from_currency": pd.Series(dtype=str),
                                 "to_currency": pd.Series(dtype=str), "num": pd.Series(dtype="int64"),
                                 "den": pd.Series(dtype="int64")}), source, exists)

    @classmethod
    def read(cls, path: str | Path) -> "RateTable":
        """Load ``rates.csv``; every bad row is reported with its line.

        Raises
        ------
        FinshareError
            ``missing-column``, ``bad-date`` (malformed, or outside
            1900-01-01..2999-12-31), ``unknown-currency``, ``bad-rate`` (not a
            positive number below 100,000,000 with at most 10 decimal places)
            or ``conflicting-rate`` (two different rates for one pair and day).
        """
        path = Path(path)
        if not path.exists():
            return cls.empty(str(path), exists=False)
        raw = read_text_table(path)
        problems = []
        for col in ("date", "from_currency", "to_currency", "rate"):
            if col not in raw:
                problems.append(Problem("missing-column", f"汇率表缺少列 {col} / rates lack column {col}",
                                        Source(str(path), 1, col), "columns: date,from_currency,to_currency,rate"))
        raise_if_any(problems, "汇率表有错误 / rate table has problems")
        dates, malformed, out_of_range = parse_dates(raw["date"])
        rows, seen, lines = [], {}, raw[LINE].to_numpy()
        cols = raw[["date", "from_currency", "to_currency", "rate"]]
        for i, r in enumerate(cols.itertuples(index=False)):  # a rate table has a handful of rows
            src = Source(str(path), int(lines[i]))
            if malformed[i] or out_of_range[i]:
                problems.append(_bad_date(r.date, bool(out_of_range[i]), src))
                continue
            if r.from_currency not in EXPONENTS or r.to_currency not in EXPONENTS:
                problems.append(Problem("unknown-currency", "未知币别 / unknown currency", src,
                                        f"use {', '.join(sorted(EXPONENTS))}"))
                continue
            why = rate_problem(r.rate)
            if why:
                problems.append(Problem("bad-rate", f"汇率 {r.rate!r} 无效：{why[0]} / rate {r.rate!r} is refused: {why[1]}",
                                        replace(src, field="rate"),
                                        "write a positive rate below 100,000,000 with at most 10 decimal places, e.g. 1.10"))
                continue
            row = (dates.iloc[i], r.from_currency, r.to_currency, rate_fraction(r.rate))
            problems += _conflict(row, r.rate, src, seen)
            if row[:3] not in seen:
                seen[row[:3]] = (row[3], r.rate, src.line)
                rows.append(row)
        raise_if_any(problems, "汇率表有错误 / rate table has problems")
        return cls.from_rows(rows, str(path))

    @classmethod
    def from_rows(cls, rows, source: str = "rates.csv") -> "RateTable":
        """Build from ``(date, from, to, rate)`` tuples; adds inverse pairs not given."""
        given = {(pd.Timestamp(d), f, t) for d, f, t, _ in rows}
        out = []
        for d, f, t, r in rows:
            r = rate_fraction(r) if not hasattr(r, "numerator") else r
            out.append((pd.Timestamp(d), f, t, r.numerator, r.denominator))
            if (pd.Timestamp(d), t, f) not in given:
                out.append((pd.Timestamp(d), t, f, r.denominator, r.numerator))
        frame = pd.DataFrame(out, columns=["date", "from_currency", "to_currency", "num", "den"])
        frame["date"] = frame["date"].astype("datetime64[us]")
        return cls(frame, source)

    def lookup(self, from_cur: pd.Series, to_cur: str, dates: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rates as of each date (vectorised ``merge_asof``).

        Returns ``num, den, missing``; same-currency rows get 1/1.
        """
        n = len(dates)
        num = np.ones(n, dtype="int64")
        den = np.ones(n, dtype="int64")
        missing = np.zeros(n, dtype=bool)
        need = (from_cur.to_numpy() != to_cur)
        if not need.any():
            return num, den, missing
        q = pd.DataFrame({"date": pd.to_datetime(dates.to_numpy()[need]).astype("datetime64[us]"),
                          "from_currency": from_cur.to_numpy()[need].astype(str), "pos": np.flatnonzero(need)})
        table = self.rates[self.rates["to_currency"] == to_cur]
        table = table.assign(date=table["date"].astype("datetime64[us]"), from_currency=table["from_currency"].astype(str))
        hit = pd.merge_asof(q.sort_values("date"), table[["date", "from_currency", "num", "den"]],
                            on="date", by="from_currency", direction="backward")
        pos = hit["pos"].to_numpy()
        ok = hit["num"].notna().to_numpy()
        num[pos[ok]] = hit["num"].to_numpy()[ok].astype("int64")
        den[pos[ok]] = hit["den"].to_numpy()[ok].astype("int64")
        missing[pos[~ok]] = True
        return num, den, missing

    def _repr_html_(self) -> str:
        view = self.rates.assign(rate=(self.rates["num"] / self.rates["den"]).round(8))
        return "<b>汇率表 Exchange rates</b>" + view[["date", "from_currency", "to_currency", "rate"]].to_html(index=False)


def _bad_date(text: str, out_of_range: bool, src: Source) -> Problem:
    src = replace(src, field="date")
    if out_of_range:
        return Problem("bad-date", f"日期 {text!r} 超出 1900-01-01 至 2999-12-31 / "
                       f"date {text!r} is outside 1900-01-01..2999-12-31", src, DATE_RANGE_HINT)
    return Problem("bad-date", f"日期 {text!r} 无效 / bad date", src, "write YYYY-MM-DD")


def _conflict(row: tuple, text: str, src: Source, seen: dict) -> list[Problem]:
    """A ``conflicting-rate`` problem when ``row``'s pair and day already has another rate."""
    before = seen.get(row[:3])
    if before is None or before[0] == row[3]:  # the same rate written twice is harmless
        return []
    day, cur_from, cur_to = str(row[0].date()), row[1], row[2]
    return [Problem(
        "conflicting-rate",
        f"{day} 的 {cur_from}→{cur_to} 汇率有两个：第 {before[2]} 行 {before[1]}，第 {src.line} 行 {text} / "
        f"two different {cur_from}→{cur_to} rates on {day}: {before[1]} (line {before[2]}) and {text} (line {src.line})",
        replace(src, field="rate"), f"keep one row for {cur_from}→{cur_to} on {day} and delete the other")]


__all__ = ["RateTable"]
