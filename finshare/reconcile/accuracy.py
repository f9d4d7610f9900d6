"""Scoring a reconciliation against a scenario's truth: precision and coverage of match groups."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Accuracy:
    """Counts of match groups: found automatically (right/all), proposed (right/all), and in the truth."""

    auto: int
    auto_right: int
    proposed: int
    proposed_right: int
    truth: int

    @property
    def precision(self) -> float:
        """Share of automatic matches that equal a true group."""
        return self.auto_right / self.auto if self.auto else 1.0

    @property
    def coverage(self) -> float:
        """Share of true groups matched automatically."""
        return self.auto_right / self.truth if self.truth else 1.0

    @property
    def coverage_with_proposed(self) -> float:
        """Share of true groups matched automatically or proposed."""
        return (self.auto_right + self.proposed_right) / self.truth if self.truth else 1.0


def _key(rows, lines) -> tuple:
    return tuple(sorted(int(r) for r in rows)), tuple(sorted(lines))


def accuracy(matches: pd.DataFrame, truth_groups: pd.DataFrame, days: tuple[int, int],
             bank_days: pd.Series, book_days: pd.Series) -> Accuracy:
    """Compare ``Reconciliation.matches()`` with the truth's groups that touch the period.

    ``bank_days`` (row → day) and ``book_days`` (line_id → day) date the truth's lines;
    a true group counts if it has two lines or more and one of them lies in the period,
    or it spans the period.
    """
    start, end = days
    t = truth_groups[(truth_groups["statement_rows"].map(len) + truth_groups["journal_lines"].map(len)) >= 2]
    lo = [min([bank_days[r] for r in rows] + [book_days[i] for i in ids])
          for rows, ids in zip(t["statement_rows"], t["journal_lines"])]
    hi = [max([bank_days[r] for r in rows] + [book_days[i] for i in ids])
          for rows, ids in zip(t["statement_rows"], t["journal_lines"])]
    t = t[(pd.Series(lo, index=t.index) <= end) & (pd.Series(hi, index=t.index) >= start)]
    true = {_key(r, i) for r, i in zip(t["statement_rows"], t["journal_lines"])}
    got = [(_key(r if isinstance(r, list) else [], i if isinstance(i, list) else []), s)
           for r, i, s in zip(matches["statement_rows"], matches["journal_lines"], matches["status"])]
    auto = [k for k, s in got if s == "auto"]
    prop = [k for k, s in got if s == "proposed"]
    return Accuracy(len(auto), sum(k in true for k in auto), len(prop), sum(k in true for k in prop), len(true))
