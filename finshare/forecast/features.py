"""Point-in-time features of invoices: only what was known when the prediction is made.

For a **training row** (``as_of=None``) the prediction time ``t`` is the invoice's own date, and the
customer's history is its invoices *settled strictly before* ``t``. For **open invoices at** ``as_of``
the time is ``as_of`` and the history is what had settled on or before ``as_of``. An invoice's own
settlement, and anything later, never enters its features.

Columns of :func:`features` (NaN where the customer has no settled history yet):

====================  =================================================================================
``invoice_id``        the invoice
``customer_id``       its customer
``at``                the prediction time ``t``
``hist_count``        the customer's invoices settled before ``t``
``hist_mean_days``    their mean days from invoice to settlement
``hist_median_days``  median days to settle of the customer's last 10 settled invoices (exact median of
                      that window; the window keeps it cheap and follows drift)
``hist_late_share``   share of them settled after their due date
``hist_mean_late``    their mean days late (settled − due; negative = early)
``hist_trend``        mean days late of the last 3 settled minus ``hist_mean_late`` (> 0: getting worse)
``last_late``         days late of the most recently settled invoice
``recent_late_share`` share late of the last 5 settled (recent behaviour, which drift and a deteriorating
                      customer make matter more than the all-time share)
``hist_run_share``    share of them settled on a month-end run (the last weekday of a month): near 1 for a
                      customer who pays only in a monthly run (月结)
``hist_on_due_share`` share of them settled on their due date (or the Monday after a weekend due date): near 1
                      for a customer whose payables system pays on the due date
``open_before``       the customer's other invoices dated before ``t`` (on or before ``as_of``) open then
``amount_ratio``      amount ÷ geometric mean of the customer's invoices dated before this one (same currency)
``log_amount``        natural log of the amount in major units
``terms_days``        due date − invoice date
``days_open``         ``t`` − invoice date (0 for training rows)
``inv_month``         invoice month 1–12
``inv_weekday``       invoice weekday, Monday = 0
``due_weekday``       due-date weekday
``due_day``           due-date day of month
``due_quarter_end``   1.0 if due in March, June, September or December
``due_after_run``     days from the latest month-end run on or before the due date to it (0 on a run day):
                      a month-end payer who has not paid in that run pays in the next, after the due date
``due_to_festival``   signed days from the due date to the nearest Chinese New Year holiday's first day
                      (> 0: before it; :mod:`~finshare.forecast.calendar`), NaN outside its table
``disputed``          1.0/0.0 from the history's flag (NaN if absent), as recorded at invoice time
``paperless``         1.0/0.0 likewise
====================  =================================================================================

Ties: settlements on the same day are ordered by invoice date, then invoice id, so the result does
not depend on row order.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.money import exponents
from .calendar import days_after_run, days_to_festival, next_weekday, on_run

FEATURE_COLUMNS = ["invoice_id", "customer_id", "at", "hist_count", "hist_mean_days", "hist_median_days",
                   "hist_late_share", "hist_mean_late", "hist_trend", "last_late", "recent_late_share", "hist_run_share", "hist_on_due_share",
                   "open_before", "amount_ratio",
                   "log_amount", "terms_days", "days_open", "inv_month", "inv_weekday", "due_weekday", "due_day",
                   "due_quarter_end", "due_after_run", "due_to_festival", "disputed", "paperless"]
MEDIAN_WINDOW = 10
TREND_WINDOW = 3
RECENT_WINDOW = 5


def _settled_events(h: pd.DataFrame) -> pd.DataFrame:
    """One row per settlement, ordered, with running per-customer sums (integers, so exact)."""
    e = h[h["settled_date"].notna()].sort_values(
        ["customer_id", "settled_date", "invoice_date", "invoice_id"], kind="stable").reset_index(drop=True)
    days = (e["settled_date"] - e["invoice_date"]).dt.days.astype("int64")
    late = (e["settled_date"] - e["due_date"]).dt.days.astype("int64")
    g = pd.DataFrame({"customer_id": e["customer_id"], "time": e["settled_date"], "days": days, "late": late})
    by = g.groupby("customer_id", sort=False)
    g["n"] = by.cumcount() + 1
    g["sum_days"] = by["days"].cumsum()
    g["sum_late"] = by["late"].cumsum()
    g["n_late"] = (g["late"] > 0).astype("int64").groupby(g["customer_id"], sort=False).cumsum()
    g["n_run"] = pd.Series(on_run(e["settled_date"]).astype("int64")).groupby(g["customer_id"], sort=False).cumsum()
    on_due = pd.Series(next_weekday(e["due_date"]) == np.asarray(e["settled_date"].to_numpy(), "datetime64[D]"))
    g["n_on_due"] = on_due.astype("int64").groupby(g["customer_id"], sort=False).cumsum()
    back = g.groupby("customer_id", sort=False)["n_late"].shift(RECENT_WINDOW).fillna(0).astype("int64")
    g["recent_share"] = (g["n_late"] - back) / np.minimum(g["n"], RECENT_WINDOW)
    back = by["sum_late"].shift(TREND_WINDOW).fillna(0).astype("int64")
    g["recent_late"] = (g["sum_late"] - back) / np.minimum(g["n"], TREND_WINDOW)
    g["median_days"] = by["days"].rolling(MEDIAN_WINDOW, min_periods=1).median().reset_index(level=0, drop=True)
    return g.sort_values("time", kind="stable")


def _history_state(q: pd.DataFrame, events: pd.DataFrame, strict: bool) -> pd.DataFrame:
    """For each query (customer_id, at): the running state after the last settlement before ``at``."""
    cols = ["customer_id", "time", "n", "sum_days", "sum_late", "n_late", "n_run", "n_on_due", "recent_late", "recent_share",
            "median_days", "late"]
    m = pd.merge_asof(q.sort_values("at", kind="stable"), events[cols], left_on="at", right_on="time",
                      by="customer_id", allow_exact_matches=not strict)
    return m.set_index("row").sort_index()


def _issued_before(q: pd.DataFrame, h: pd.DataFrame) -> pd.DataFrame:
    """Per query: count and sum of log amounts of the customer's invoices dated before ``at`` (same currency).

    Same-day invoices are left out of each other's "usual", so the value is the same at any prediction time.
    """
    key = h["customer_id"] + "\x1f" + h["currency"]
    iss = pd.DataFrame({"key": key, "time": h["invoice_date"], "log_amt": _log_amount(h)}).sort_values(
        ["key", "time"], kind="stable")
    iss["k"] = iss.groupby("key", sort=False).cumcount() + 1
    iss["sum_log"] = iss.groupby("key", sort=False)["log_amt"].cumsum()
    iss = iss.groupby(["key", "time"], sort=False).last().reset_index().sort_values("time", kind="stable")
    qq = q.assign(key=q["customer_id"] + "\x1f" + q["currency"]).sort_values("at", kind="stable")
    m = pd.merge_asof(qq, iss[["key", "time", "k", "sum_log"]], left_on="at", right_on="time", by="key",
                      allow_exact_matches=False)
    return m.set_index("row").sort_index()


def _log_amount(h: pd.DataFrame) -> pd.Series:
    return np.log(h["amount"].astype("float64")) - exponents(h["currency"]) * np.log(10.0)


def _count_before(q: pd.DataFrame, times: pd.DataFrame, strict: bool) -> np.ndarray:
    """Per query: how many of the customer's ``times`` rows (customer_id, time) fall before ``at``."""
    t = times.sort_values(["customer_id", "time"], kind="stable")
    t = t.assign(k=t.groupby("customer_id", sort=False).cumcount() + 1)
    t = t.groupby(["customer_id", "time"], sort=False)["k"].max().reset_index().sort_values("time", kind="stable")
    m = pd.merge_asof(q.sort_values("at", kind="stable"), t, left_on="at", right_on="time", by="customer_id",
                      allow_exact_matches=not strict)
    return m.set_index("row").sort_index()["k"].fillna(0).to_numpy("int64")


def _queries(h: pd.DataFrame, as_of) -> tuple[pd.DataFrame, bool]:
    if as_of is None:
        q = h.assign(at=h["invoice_date"])
        return q, True
    at = pd.Timestamp(as_of).as_unit("ns")
    open_ = (h["invoice_date"] <= at) & ~(h["settled_date"] <= at)
    return h[open_].assign(at=at), False


def features(history: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """Point-in-time features of each invoice (see the module docstring for the columns).

    Parameters
    ----------
    history : DataFrame
        A receivable history (:mod:`finshare.forecast.history` schema), e.g. ``History.table``.
    as_of : date-like, optional
        None: one row per invoice, as known on its invoice date (training rows).
        A date: one row per invoice dated on or before it and still open then (rows to predict).

    Returns
    -------
    DataFrame
        :data:`FEATURE_COLUMNS`, ordered by ``invoice_id``; NaN where there is no history.

    Examples
    --------
    >>> from finshare.forecast.generator import generate_history
    >>> X = features(generate_history(seed=1, years=2))
    >>> bool(X.loc[X["hist_count"] > 0, "hist_mean_days"].gt(0).all())
    True
    """
    h = history.reset_index(drop=True)
    h = h.assign(**{c: h[c].astype("datetime64[ns]") for c in ("invoice_date", "due_date", "settled_date")})
    q, strict = _queries(h, as_of)
    q = q.sort_values("invoice_id", kind="stable").reset_index(drop=True).assign(
        row=lambda f: np.arange(len(f)))
    events = _settled_events(h)
    s = _history_state(q[["row", "customer_id", "at"]], events, strict)
    iss = _issued_before(q[["row", "customer_id", "currency", "invoice_date"]].rename(columns={"invoice_date": "at"}), h)
    issued = _count_before(q[["row", "customer_id", "at"]],
                           pd.DataFrame({"customer_id": h["customer_id"], "time": h["invoice_date"]}), strict)
    n = s["n"].to_numpy("float64")
    out = pd.DataFrame({"invoice_id": q["invoice_id"], "customer_id": q["customer_id"], "at": q["at"]})
    out["hist_count"] = np.nan_to_num(n, nan=0.0)
    out["hist_mean_days"] = s["sum_days"].to_numpy("float64") / n
    out["hist_median_days"] = s["median_days"].to_numpy("float64")
    out["hist_late_share"] = s["n_late"].to_numpy("float64") / n
    out["hist_mean_late"] = s["sum_late"].to_numpy("float64") / n
    out["hist_trend"] = s["recent_late"].to_numpy("float64") - out["hist_mean_late"]
    out["last_late"] = s["late"].to_numpy("float64")
    out["recent_late_share"] = s["recent_share"].to_numpy("float64")
    out["hist_run_share"] = s["n_run"].to_numpy("float64") / n
    out["hist_on_due_share"] = s["n_on_due"].to_numpy("float64") / n
    # invoices dated before t, less those settled by t (each was issued before it settled), less itself at as_of
    out["open_before"] = (issued - _settled_of_issued(q, h, strict) - (not strict)).astype("float64")
    log_amt = _log_amount(q).to_numpy()
    out["amount_ratio"] = np.exp(log_amt - iss["sum_log"].to_numpy("float64") / iss["k"].to_numpy("float64"))
    out["log_amount"] = log_amt
    out["terms_days"] = (q["due_date"] - q["invoice_date"]).dt.days.astype("float64")
    out["days_open"] = (q["at"] - q["invoice_date"]).dt.days.astype("float64")
    out["inv_month"] = q["invoice_date"].dt.month.astype("float64")
    out["inv_weekday"] = q["invoice_date"].dt.day_of_week.astype("float64")
    out["due_weekday"] = q["due_date"].dt.day_of_week.astype("float64")
    out["due_day"] = q["due_date"].dt.day.astype("float64")
    out["due_quarter_end"] = q["due_date"].dt.month.isin([3, 6, 9, 12]).astype("float64")
    out["due_after_run"] = days_after_run(q["due_date"])
    out["due_to_festival"] = days_to_festival(q["due_date"])
    for c in ("disputed", "paperless"):
        out[c] = q[c].astype("Float64").to_numpy("float64", na_value=np.nan) if c in q else np.nan
    return out[FEATURE_COLUMNS].reset_index(drop=True)


def _settled_of_issued(q: pd.DataFrame, h: pd.DataFrame, strict: bool) -> np.ndarray:
    """Per query: the customer's invoices dated before ``at`` that settled before ``at`` (or on it, not strict)."""
    done = h[h["settled_date"].notna()]
    return _count_before(q[["row", "customer_id", "at"]],
                         pd.DataFrame({"customer_id": done["customer_id"], "time": done["settled_date"]}), strict)


__all__ = ["features", "FEATURE_COLUMNS"]
