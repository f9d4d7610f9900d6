"""Exchange-rate table (汇率表): rates in force from a date, looked up as of a date.

``rates.csv`` has columns ``date, from_currency, to_currency, rate``; a rate
holds from its date until the next one for the same pair. The inverse pair
is derived exactly (``1 / 1.10`` as a fraction) when only one direction is
given.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .money import EXPONENTS, rate_fraction
from .problems import Problem, Source, raise_if_any
from .schema import read_text_table


class RateTable:
    """Exchange rates; ``rates`` has ``date, from_currency, to_currency, num, den``.

    ``num / den`` is the exact rate: one unit of ``from_currency`` buys
    ``num / den`` units of ``to_currency``.
    """

    def __init__(self, rates: pd.DataFrame):
        self.rates = rates.sort_values("date").reset_index(drop=True)

    @classmethod
    def empty(cls) -> "RateTable":
        return cls(pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "from_currency": pd.Series(dtype=object),
                                 "to_currency": pd.Series(dtype=object), "num": pd.Series(dtype="int64"),
                                 "den": pd.Series(dtype="int64")}))

    @classmethod
    def read(cls, path: str | Path) -> "RateTable":
        """Load ``rates.csv``; every bad row is reported with its line."""
        path = Path(path)
        if not path.exists():
            return cls.empty()
        raw = read_text_table(path)
        problems = []
        for col in ("date", "from_currency", "to_currency", "rate"):
            if col not in raw:
                problems.append(Problem("missing-column", f"汇率表缺少列 {col} / rates lack column {col}",
                                        Source(str(path), 1, col), "columns: date,from_currency,to_currency,rate"))
        raise_if_any(problems, "汇率表有错误 / rate table has problems")
        rows = []
        for _, r in raw.iterrows():  # a rate table has a handful of rows
            src = Source(str(path), int(r["_line"]))
            date = pd.to_datetime(r["date"], format="%Y-%m-%d", errors="coerce")
            if pd.isna(date):
                problems.append(Problem("bad-date", f"日期 {r['date']!r} 无效 / bad date", src, "write YYYY-MM-DD"))
                continue
            if r["from_currency"] not in EXPONENTS or r["to_currency"] not in EXPONENTS:
                problems.append(Problem("unknown-currency", "未知币别 / unknown currency", src,
                                        f"use {', '.join(sorted(EXPONENTS))}"))
                continue
            try:
                frac = rate_fraction(r["rate"])
                if frac <= 0:
                    raise ValueError
            except Exception:
                problems.append(Problem("bad-rate", f"汇率 {r['rate']!r} 无效 / rate must be a positive number",
                                        src, "e.g. 1.10"))
                continue
            rows.append((date, r["from_currency"], r["to_currency"], frac))
        raise_if_any(problems, "汇率表有错误 / rate table has problems")
        return cls.from_rows(rows)

    @classmethod
    def from_rows(cls, rows) -> "RateTable":
        """Build from ``(date, from, to, rate)`` tuples; adds inverse pairs not given."""
        given = {(pd.Timestamp(d), f, t) for d, f, t, _ in rows}
        out = []
        for d, f, t, r in rows:
            r = rate_fraction(r) if not hasattr(r, "numerator") else r
            out.append((pd.Timestamp(d), f, t, r.numerator, r.denominator))
            if (pd.Timestamp(d), t, f) not in given:
                out.append((pd.Timestamp(d), t, f, r.denominator, r.numerator))
        frame = pd.DataFrame(out, columns=["date", "from_currency", "to_currency", "num", "den"])
        frame["date"] = frame["date"].astype("datetime64[ns]")
        return cls(frame)

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
        q = pd.DataFrame({"date": pd.to_datetime(dates.to_numpy()[need]).astype("datetime64[ns]"),
                          "from_currency": from_cur.to_numpy()[need].astype(object), "pos": np.flatnonzero(need)})
        table = self.rates[self.rates["to_currency"] == to_cur]
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


__all__ = ["RateTable"]
