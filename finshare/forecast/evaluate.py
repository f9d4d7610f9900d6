"""Evaluation by time split only: train on what was known at the split date, test on later invoices.

The model is fitted with ``as_of = split_date`` (:meth:`CollectionModel.fit`). The **test invoices** are
those dated after the split and at least ``maturity_days`` before the history's last date (so that
nearly all have settled); the few still open are left out and counted (``open_excluded``). Each test
invoice is predicted as on its invoice date (point-in-time features, which may use settlements after
the split: the fitted model is kept, the customers' history grows as it would in use).

Metrics per method (the two baselines of :mod:`~finshare.forecast.baselines` and the model):

- ``mae_days``: mean absolute error of days to settle;
- ``auc_late``: ROC AUC of the lateness score for "settled after the due date" (0.5 = no ranking);
- ``coverage``, ``mean_width_days``: share of test invoices inside the 80 % interval, its mean width
  (the model only);
- ``wape``: weekly inflow error Σ|predicted − actual| / Σ actual over the test invoices' settlement
  weeks (Monday weeks), per currency (``wape_CNY`` …), and ``wape`` their mean weighted by each
  currency's number of test invoices (amounts in different currencies are never added); a baseline
  puts the whole amount in one week, the model spreads it over its distribution. Amounts are heavy
  tailed, so one large invoice can dominate a small currency's weeks: read ``wape`` on a test period
  of several months.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error, roc_auc_score

from . import baselines
from .cash import GRID, week_masses
from .features import features
from .models import CollectionModel
from .training import MATURITY_DAYS, as_date, labels

METRIC_COLUMNS = ["method", "name_zh", "name_en", "n_test", "mae_days", "auc_late", "coverage", "mean_width_days",
                  "wape"]


def test_rows(history: pd.DataFrame, split, maturity_days: int = MATURITY_DAYS) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Feature rows, labels and counts of the held-out invoices (see the module docstring)."""
    at = as_date(split, "--split-date")
    end = max(history["invoice_date"].max(), history["settled_date"].max())
    X = features(history)
    h = history.set_index("invoice_id").loc[X["invoice_id"]].reset_index()
    window = ((h["invoice_date"] > at) & (h["invoice_date"] <= end - pd.Timedelta(days=maturity_days))).to_numpy()
    settled = h["settled_date"].notna().to_numpy()
    keep = window & settled
    lab = labels(h[keep], end).reset_index(drop=True)
    info = h.loc[keep, ["invoice_id", "invoice_date", "settled_date", "amount", "currency"]].reset_index(drop=True)
    counts = {"split_date": str(at.date()), "test_from": str((at + pd.Timedelta(days=1)).date()),
              "test_to": str((end - pd.Timedelta(days=maturity_days)).date()), "n_test": int(keep.sum()),
              "open_excluded": int((window & ~settled).sum())}
    return X[keep].reset_index(drop=True), lab.assign(**{c: info[c] for c in info}), counts


def wape_by_currency(predicted: pd.DataFrame, actual: pd.DataFrame) -> dict:
    """``{currency: Σ|pred − act| / Σ act}`` over weeks; both frames hold ``currency, week, mass``."""
    p = predicted.groupby(["currency", "week"])["mass"].sum()
    a = actual.groupby(["currency", "week"])["mass"].sum()
    both = pd.concat({"p": p, "a": a}, axis=1).fillna(0.0)
    err = (both["p"] - both["a"]).abs().groupby(level="currency").sum()
    return (err / both["a"].groupby(level="currency").sum()).to_dict()


def _point_masses(days: np.ndarray, lab: pd.DataFrame, start: pd.Timestamp) -> pd.DataFrame:
    return week_masses(np.asarray(days, "float64")[:, None], lab["invoice_date"], lab["amount"].to_numpy("int64"),
                       lab["currency"], start)


def _row(method, name, lab, days, score, wapes, lower=None, upper=None) -> dict:
    actual = lab["days"].to_numpy("float64")
    row = {"method": method, "name_zh": name[0], "name_en": name[1], "n_test": len(lab),
           "mae_days": mean_absolute_error(actual, days),
           "auc_late": roc_auc_score(lab["late"], score) if lab["late"].nunique() == 2 else np.nan,
           "coverage": np.nan, "mean_width_days": np.nan}
    if lower is not None:
        row["coverage"] = float(((actual >= np.round(lower)) & (actual <= np.round(upper))).mean())
        row["mean_width_days"] = float((np.round(upper) - np.round(lower)).mean())
    n = lab["currency"].value_counts()
    row["wape"] = float(sum(w * n[c] for c, w in wapes.items()) / n.sum())
    row.update({f"wape_{c}": v for c, v in sorted(wapes.items())})
    return row


def evaluate(history: pd.DataFrame, split_date, model: CollectionModel | None = None) -> tuple[pd.DataFrame, dict]:
    """The metrics table of the baselines and the model on a time split.

    Parameters
    ----------
    history : DataFrame
        A receivable history.
    split_date : date-like
        Train on what was known then; test on invoices dated after it.
    model : CollectionModel, optional
        Unfitted settings (default ``CollectionModel()``); it is fitted here.

    Returns
    -------
    (DataFrame, dict)
        :data:`METRIC_COLUMNS` plus ``wape_<currency>``, one row per method; and the split's counts.
    """
    model = (model or CollectionModel()).fit(history, split_date)
    X, lab, counts = test_rows(history, split_date, model.maturity_days)
    start = (as_date(split_date) + pd.Timedelta(days=1)).to_period("W-SUN").start_time
    actual = _point_masses(lab["days"], lab, start)
    rows = []
    for name, label in baselines.BASELINES.items():
        b = baselines.predict(name, X)
        rows.append(_row(name, label, lab, b["predicted_days"], b["score"],
                         wape_by_currency(_point_masses(b["predicted_days"], lab, start), actual)))
    r = model.predict_rows(X)
    _, grid = model.distribution(X, GRID)
    masses = week_masses(grid, lab["invoice_date"], lab["amount"].to_numpy("int64"), lab["currency"], start)
    rows.append(_row("model", ("模型", "model (gradient boosting, calibrated, conformal)"), lab, r["predicted_days"],
                     r["p_late"], wape_by_currency(masses, actual), r["lower_days"], r["upper_days"]))
    return pd.DataFrame(rows), dict(counts, **model.counts_)


__all__ = ["evaluate", "test_rows", "wape_by_currency", "METRIC_COLUMNS"]
