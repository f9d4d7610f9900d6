"""The payment calendar: month-end payment runs and the Chinese New Year (春节) closure.

Shared by the generator (which moves payments by it) and the features (which measure where a due date
falls in it). A *month-end run* is the last weekday of a month, the day many customers pay everything
that fell due since the previous run (月结).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: First day of the Chinese New Year (春节) holiday.
SPRING_FESTIVAL = {2015: "02-19", 2016: "02-08", 2017: "01-28", 2018: "02-16", 2019: "02-05", 2020: "01-25",
                   2021: "02-12", 2022: "02-01", 2023: "01-22", 2024: "02-10", 2025: "01-29", 2026: "02-17",
                   2027: "02-06", 2028: "01-26", 2029: "02-13", 2030: "02-03", 2031: "01-23", 2032: "02-11"}
#: Days from the festival's first day during which nothing is paid (factories and offices close).
HOLIDAY_DAYS = 10


def _days(values) -> np.ndarray:
    return np.asarray(pd.Series(values).to_numpy("datetime64[ns]"), "datetime64[D]")


def month_run(dates, months: int = 0) -> np.ndarray:
    """The month-end run (last weekday) of each date's month, shifted by ``months`` (datetime64[D])."""
    month = _days(dates).astype("datetime64[M]") + months
    return np.busday_offset((month + 1).astype("datetime64[D]") - 1, 0, roll="backward")


def next_weekday(dates) -> np.ndarray:
    """Each date, or the Monday after it when it falls on a weekend (datetime64[D])."""
    return np.busday_offset(_days(dates), 0, roll="forward")


def on_run(dates) -> np.ndarray:
    """True where a date is its month's month-end run."""
    return _days(dates) == month_run(dates)


def days_after_run(dates) -> np.ndarray:
    """Days since the latest month-end run on or before each date (0 on a run day), float64."""
    d = _days(dates)
    this = month_run(dates)
    last = np.where(d >= this, this, month_run(dates, -1))
    return (d - last).astype("float64")


def festival_start(years) -> pd.Series:
    """The festival's first day per year (NaT for a year outside :data:`SPRING_FESTIVAL`)."""
    y = pd.Series(years).astype("int64")
    return pd.to_datetime(y.astype(str) + "-" + y.map(SPRING_FESTIVAL).fillna("x"), format="%Y-%m-%d",
                          errors="coerce")


def days_to_festival(dates) -> np.ndarray:
    """Signed days from each date to the nearest festival's first day (> 0: before it), float64; NaN if unknown."""
    d = pd.Series(pd.Series(dates).to_numpy("datetime64[ns]"))
    ahead = [(festival_start(d.dt.year + k) - d).dt.days.to_numpy("float64") for k in (-1, 0, 1)]
    near = np.stack(ahead)
    pick = np.nanargmin(np.where(np.isnan(near), np.inf, np.abs(near)), axis=0)
    return near[pick, np.arange(len(d))]


__all__ = ["SPRING_FESTIVAL", "HOLIDAY_DAYS", "month_run", "next_weekday", "on_run", "days_after_run", "festival_start",
           "days_to_festival"]
