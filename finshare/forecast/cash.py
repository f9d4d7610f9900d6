"""Cash inflow per week from open invoices: each invoice's settlement distribution, summed per week.

An invoice's distribution (:meth:`CollectionModel.distribution`) is taken at :data:`GRID` evenly
spaced quantile levels, each carrying ``amount / len(GRID)``; the masses are summed per currency and
week. The band assumes invoices settle independently: the week's amount has variance
``Σ a² p (1 − p)`` (``p`` an invoice's mass in the week) and the band is expected ± 1.2816 σ (80 %,
normal approximation), the lower end cut at 0. Amounts are minor units rounded half-up.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.money import exponents, format_amounts

#: Quantile levels of the settlement distribution used for the weekly mass (midpoints of 40 bins).
GRID = (np.arange(40) + 0.5) / 40
#: Two-sided 80 % normal quantile.
Z80 = 1.2815515655446004
CASH_COLUMNS = ["week_start", "currency", "expected", "lower", "upper", "invoices"]


def week_masses(days: np.ndarray, invoice_date: pd.Series, amount: np.ndarray, currency, start: pd.Timestamp,
                weeks: int | None = None) -> pd.DataFrame:
    """Per (currency, week, invoice): the amount expected then. Week 0 starts on ``start``.

    ``days`` is (invoices × levels) days from each invoice date, every level equally likely.
    Weeks before 0 are kept only when ``weeks`` is None (evaluation), else dropped with those ≥ ``weeks``.
    """
    n, k = days.shape
    when = invoice_date.to_numpy("datetime64[D]")[:, None] + np.round(days).astype("int64")
    week = (when - start.to_datetime64().astype("datetime64[D]")).astype("int64") // 7
    frame = pd.DataFrame({"row": np.repeat(np.arange(n), k), "week": week.ravel(),
                          "mass": np.repeat(np.asarray(amount, "float64") / k, k)})
    if weeks is not None:
        frame = frame[(frame["week"] >= 0) & (frame["week"] < weeks)]
    out = frame.groupby(["row", "week"], sort=False)["mass"].sum().reset_index()
    out["currency"] = np.asarray(currency)[out["row"].to_numpy()]
    out["amount"] = np.asarray(amount, "float64")[out["row"].to_numpy()]
    out["share"] = out["mass"] / out["amount"]
    return out


def weekly(masses: pd.DataFrame, start: pd.Timestamp, weeks: int, currencies) -> pd.DataFrame:
    """Expected inflow per currency and week with its 80 % band (minor units as int64)."""
    masses = masses.assign(var=masses["mass"] * masses["amount"] * (1.0 - masses["share"]))   # a² p (1 − p)
    g = masses.groupby(["currency", "week"])
    agg = pd.DataFrame({"expected": g["mass"].sum(), "var": g["var"].sum(), "invoices": g["row"].nunique()})
    grid = pd.MultiIndex.from_product([sorted(set(currencies)), range(weeks)], names=["currency", "week"])
    agg = agg.reindex(grid, fill_value=0).reset_index()
    sd = np.sqrt(agg["var"].to_numpy())
    exp = agg["expected"].to_numpy()
    out = pd.DataFrame({"week_start": start + pd.to_timedelta(agg["week"] * 7, unit="D"), "currency": agg["currency"],
                        "expected": _minor(exp), "lower": _minor(np.maximum(exp - Z80 * sd, 0.0)),
                        "upper": _minor(exp + Z80 * sd), "invoices": agg["invoices"].astype("int64")})
    return out.sort_values(["week_start", "currency"], kind="stable").reset_index(drop=True)


def _minor(x: np.ndarray) -> np.ndarray:
    """Half-up rounding of non-negative minor units to int64."""
    return np.floor(np.asarray(x, "float64") + 0.5).astype("int64")


def cash_forecast(model, open_invoices: pd.DataFrame, as_of, weeks: int = 13,
                  history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Expected cash inflow per week from the invoices open at ``as_of`` (week 1 starts the day after).

    Returns
    -------
    DataFrame
        :data:`CASH_COLUMNS`: ``week_start`` (date), ``currency``, ``expected``/``lower``/``upper``
        (int64 minor units of the currency), ``invoices`` (how many carry mass in the week).
    """
    from .training import as_date
    at = as_date(as_of)
    X, info = model.open_features(open_invoices, at, history)
    _, days = model.distribution(X, GRID)
    start = at + pd.Timedelta(days=1)
    m = week_masses(days, info["invoice_date"], info["amount"].to_numpy("int64"), info["currency"], start, weeks)
    return weekly(m, start, weeks, info["currency"])


def to_text(table: pd.DataFrame) -> pd.DataFrame:
    """The forecast for people and files: dates ISO, amounts decimal text of each currency."""
    out = table.copy()
    out["week_start"] = table["week_start"].dt.strftime("%Y-%m-%d")
    exp = exponents(table["currency"])
    for c in ("expected", "lower", "upper"):
        out[c] = format_amounts(table[c].to_numpy("int64"), exp)
    return out


__all__ = ["cash_forecast", "week_masses", "weekly", "to_text", "GRID", "CASH_COLUMNS"]
