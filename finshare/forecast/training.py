"""Training rows of a history as known at a date: point-in-time features, labels, right-censoring.

``known_at(history, as_of)`` is the history a clerk saw on ``as_of``: invoices dated after it are
dropped, and a settlement after it is blanked (the invoice was still open then).

Labels and right-censoring (:func:`training_rows`): only invoices dated at least ``maturity_days``
before ``as_of`` are trained on, so that nearly all of them have settled and the recent, still-open
(slow) invoices do not leave only the fast payers of the latest months. Of these *matured* invoices:

- settled by ``as_of``: ``days`` = settled − invoice date, ``late`` = settled after the due date;
- still open at ``as_of`` (rare, very late): ``late`` = 1 when ``as_of`` is past the due date, and
  ``days`` = ``as_of`` − invoice date, a lower bound of the truth; they are counted (``censored``).

Invoices dated within ``maturity_days`` of ``as_of`` are not trained on (counted as ``immature``);
their customers' settled invoices still feed the features of later rows.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.problems import FinshareError, Problem, Source
from .features import features

#: Days an invoice must have had to settle before it is a training row.
MATURITY_DAYS = 180


def as_date(value, name: str = "--as-of") -> pd.Timestamp:
    """A date from text (``YYYY-MM-DD``) or a date; a bad one is refused naming ``name``."""
    try:
        ts = (pd.to_datetime(value.strip(), format="%Y-%m-%d", errors="coerce") if isinstance(value, str)
              else pd.Timestamp(value))
    except (ValueError, TypeError):
        ts = pd.NaT
    if ts is pd.NaT or pd.isna(ts):
        raise FinshareError([Problem("bad-date", f"{name} {value!r} 不是日期 / {name} {value!r} is not a date",
                                     Source(name, field=name.lstrip("-")), "写成 YYYY-MM-DD / write YYYY-MM-DD, "
                                     "e.g. 2020-12-31")])
    return ts.normalize().as_unit("ns")


def known_at(history: pd.DataFrame, as_of) -> pd.DataFrame:
    """The history as known on ``as_of``: later invoices dropped, later settlements blanked."""
    at = as_date(as_of)
    h = history[history["invoice_date"] <= at].copy()
    h["settled_date"] = h["settled_date"].where(h["settled_date"] <= at)
    return h.reset_index(drop=True)


@dataclass(frozen=True)
class TrainingRows:
    """Features ``X`` (one row per matured invoice, ordered by invoice date), labels and counts."""

    X: pd.DataFrame
    days: np.ndarray
    late: np.ndarray
    invoice_date: pd.Series
    counts: dict


def labels(h: pd.DataFrame, at: pd.Timestamp) -> pd.DataFrame:
    """``days`` to settle and ``late`` (0/1) per invoice, open ones censored at ``at`` (see module)."""
    open_ = h["settled_date"].isna()
    end = h["settled_date"].fillna(at)
    return pd.DataFrame({"invoice_id": h["invoice_id"], "open": open_.to_numpy(),
                         "days": (end - h["invoice_date"]).dt.days.to_numpy("float64"),
                         "late": (end > h["due_date"]).to_numpy("int64")})


def training_rows(history: pd.DataFrame, as_of, maturity_days: int = MATURITY_DAYS) -> TrainingRows:
    """Matured invoices of the history known at ``as_of``, with point-in-time features and labels.

    Raises
    ------
    FinshareError
        ``too-little-history`` when fewer than 200 invoices have matured by ``as_of``.
    """
    at = as_date(as_of)
    h = known_at(history, at)
    X = features(h)
    lab = labels(h, at).set_index("invoice_id").loc[X["invoice_id"]]
    inv = h.set_index("invoice_id").loc[X["invoice_id"], "invoice_date"].reset_index(drop=True)
    mature = (inv <= at - pd.Timedelta(days=maturity_days)).to_numpy()
    order = np.argsort(inv[mature].to_numpy(), kind="stable")
    counts = {"invoices_known": len(h), "trained_on": int(mature.sum()),
              "censored": int(lab["open"].to_numpy()[mature].sum()), "immature": int((~mature).sum())}
    if counts["trained_on"] < 200:
        raise FinshareError([Problem(
            "too-little-history", f"到 {at:%Y-%m-%d} 只有 {counts['trained_on']} 张发票已满 {maturity_days} 天 / only "
            f"{counts['trained_on']} invoices are {maturity_days}+ days old at {at:%Y-%m-%d}; at least 200 are needed",
            Source("--as-of", field="as_of"), "用更长的历史或更晚的 --as-of / use a longer history or a later --as-of")])
    pick = np.flatnonzero(mature)[order]
    return TrainingRows(X.iloc[pick].reset_index(drop=True), lab["days"].to_numpy()[pick],
                        lab["late"].to_numpy()[pick], inv.iloc[pick].reset_index(drop=True), counts)


__all__ = ["MATURITY_DAYS", "as_date", "known_at", "labels", "training_rows", "TrainingRows"]
