"""The collection model: scikit-learn Pipelines for days to settle and late payment, with intervals.

:class:`CollectionModel` holds two Pipelines (a ``ColumnTransformer`` of the point-in-time features
into a ``HistGradientBoosting`` estimator, NaN handled natively):

- ``regressor_``: days from invoice to settlement, absolute-error loss (a median), fitted on the
  earlier 80 % of the training time;
- ``classifier_``: paid after the due date or not, fitted on the same earlier part and calibrated
  (``CalibratedClassifierCV``, sigmoid — isotonic steps would tie scores and lower the AUC — on the frozen classifier) on the latest 20 %;
- ``spread_``: the expected absolute error of an invoice (a third Pipeline, fitted on the earlier
  part's absolute residuals), so that residuals are compared in units of their invoice's spread;
- ``residuals_``: the regression's residuals on that latest 20 %, each divided by its spread (locally
  weighted split conformal, see :mod:`finshare.forecast.intervals`), which give the 80 % interval and
  each invoice's distribution.

Training rows and right-censoring are those of :func:`finshare.forecast.training.training_rows`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from . import intervals
from .features import features
from .training import MATURITY_DAYS, as_date, known_at, training_rows

#: Features the estimators use (``days_open`` is 0 on every training row, so it is left out).
MODEL_FEATURES = ["hist_count", "hist_mean_days", "hist_median_days", "hist_late_share", "hist_mean_late",
                  "hist_trend", "last_late", "recent_late_share", "hist_run_share", "hist_on_due_share", "open_before", "amount_ratio",
                  "log_amount", "terms_days", "inv_month", "inv_weekday", "due_weekday", "due_day", "due_quarter_end",
                  "due_after_run", "due_to_festival", "disputed", "paperless"]
#: Folds whose out-of-fold scores calibrate P(late) (the classifier itself is fitted on every training row).
CALIBRATION_FOLDS = 3
#: Smallest spread (days) a locally weighted residual is divided by.
MIN_SPREAD = 2.0
#: Output of :meth:`CollectionModel.predict`.
PREDICTION_COLUMNS = ["invoice_id", "predicted_settle_date", "predicted_days", "p_late", "lower_date",
                      "upper_date"]


#: Optional yes/no flags of a history: a missing flag reads as 0 (not recorded as disputed / electronic).
FLAG_FEATURES = ["disputed", "paperless"]


def _columns() -> ColumnTransformer:
    """The model features in :data:`MODEL_FEATURES` order; the flags imputed with 0, so that a history without
    them (a posted ledger's, many exports) trains: gradient boosting cannot bin a column that is all NaN."""
    flags = SimpleImputer(strategy="constant", fill_value=0.0, keep_empty_features=True)
    return ColumnTransformer([("features", "passthrough", MODEL_FEATURES[:-len(FLAG_FEATURES)]),
                              ("flags", flags, FLAG_FEATURES)], remainder="drop",
                             verbose_feature_names_out=False).set_output(transform="pandas")


def regression_pipeline(random_state: int = 0, max_iter: int = 200, learning_rate: float = 0.03) -> Pipeline:
    """Features → ``HistGradientBoostingRegressor`` (absolute error) in one Pipeline."""
    return Pipeline([("columns", _columns()), ("hgb", HistGradientBoostingRegressor(
        loss="absolute_error", max_iter=max_iter, learning_rate=learning_rate, min_samples_leaf=80,
        random_state=random_state))])


def classification_pipeline(random_state: int = 0, max_iter: int = 200, learning_rate: float = 0.03) -> Pipeline:
    """Features → ``HistGradientBoostingClassifier`` in one Pipeline."""
    return Pipeline([("columns", _columns()), ("hgb", HistGradientBoostingClassifier(
        max_iter=max_iter, learning_rate=learning_rate, min_samples_leaf=80, l2_regularization=1.0,
        random_state=random_state))])


class CollectionModel(BaseEstimator):
    """Days to settle, calibrated P(late) and an 80 % conformal interval for open invoices.

    Parameters
    ----------
    random_state : int, default=0
    coverage : float, default=0.8
        Interval coverage aimed at (measured, not assumed: see :mod:`finshare.forecast.evaluate`).
    calibration_share : float, default=0.2
        Latest share of the training time held out for calibration and conformal residuals.
    maturity_days : int, default=180
        Invoices younger than this at ``as_of`` are not trained on (right-censoring).
    max_iter, learning_rate : boosting settings.
    local_spread : bool, default=True
        Scale residuals by each invoice's expected absolute error (False: one spread for all).
    n_threads : int, default=1
        OpenMP threads for the boosting; 1 by default, because on a shared machine more threads than
        free cores make it many times slower (80,000 rows: 2 s on one thread, 23 s on two busy cores).

    Examples
    --------
    >>> from finshare.forecast.generator import generate_history
    >>> h = generate_history(seed=1, years=3)
    >>> model = CollectionModel().fit(h, as_of="2020-06-30")
    >>> list(model.predict(h, as_of="2020-06-30").columns) == PREDICTION_COLUMNS
    True
    """

    def __init__(self, random_state=0, coverage=0.8, calibration_share=0.2, maturity_days=MATURITY_DAYS,
                 max_iter=200, learning_rate=0.03, n_threads=1, local_spread=True):
        self.random_state = random_state
        self.coverage = coverage
        self.calibration_share = calibration_share
        self.maturity_days = maturity_days
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.n_threads = n_threads
        self.local_spread = local_spread

    def fit(self, history: pd.DataFrame, as_of=None, y=None):
        """Train on what was known at ``as_of`` (default: the history's last date).

        Parameters
        ----------
        history : DataFrame
            A receivable history (:mod:`finshare.forecast.history`); settlements after ``as_of`` are
            treated as still open.
        as_of : date-like, optional
        """
        at = as_date(as_of if as_of is not None else _last_date(history))
        rows = training_rows(history, at, self.maturity_days)
        with threadpool_limits(self.n_threads, user_api="openmp"):
            self._fit_rows(rows)
        self.as_of_ = at
        self.history_ = known_at(history, at)
        return self

    def _fit_rows(self, rows) -> None:
        """Fit on the earlier part of ``rows``; calibrate and take residuals on the latest part."""
        cut = _time_cut(rows.invoice_date, self.calibration_share)
        fit_, cal = slice(0, cut), slice(cut, None)
        settings = dict(random_state=self.random_state, max_iter=self.max_iter, learning_rate=self.learning_rate)
        self.regressor_ = regression_pipeline(**settings).fit(rows.X.iloc[fit_], rows.days[fit_])
        self.classifier_ = CalibratedClassifierCV(classification_pipeline(**settings), method="sigmoid",
                                                  cv=CALIBRATION_FOLDS, ensemble=False).fit(rows.X, rows.late)
        fitted = rows.days[fit_] - self.regressor_.predict(rows.X.iloc[fit_])
        self.spread_ = (regression_pipeline(**settings).fit(rows.X.iloc[fit_], np.abs(fitted))
                        if self.local_spread else None)
        held_out = rows.X.iloc[cal]
        self.residuals_ = np.sort((rows.days[cal] - self.regressor_.predict(held_out)) / self.scale(held_out))
        self.levels_ = intervals.level_bounds(self.coverage, len(self.residuals_))
        self.reference_ = rows.X[MODEL_FEATURES].median()
        self.counts_ = dict(rows.counts, fitted_on=cut, calibrated_on=len(rows.days) - cut,
                            calibration_from=str(rows.invoice_date.iat[cut].date()),
                            late_share=float(rows.late.mean()))

    def scale(self, X: pd.DataFrame) -> np.ndarray:
        """Each row's expected absolute error in days (at least :data:`MIN_SPREAD`), or 1 without local spread."""
        if self.spread_ is None:
            return np.ones(len(X))
        return np.maximum(self.spread_.predict(X), MIN_SPREAD)

    def distribution(self, X: pd.DataFrame, levels) -> tuple[np.ndarray, np.ndarray]:
        """(regression days, days to settle at ``levels`` given ``X['days_open']``) per feature row."""
        check_is_fitted(self, "residuals_")
        pred = self.regressor_.predict(X)
        return pred, intervals.quantiles(self.residuals_, pred, X["days_open"].to_numpy("float64"), levels,
                                         self.scale(X))

    def predict_rows(self, X: pd.DataFrame) -> pd.DataFrame:
        """Predictions for feature rows (:func:`~finshare.forecast.features.features`), days from invoice date.

        Returns ``invoice_id, pred_raw, predicted_days, lower_days, upper_days, p_late``.
        """
        lo, hi = self.levels_
        with threadpool_limits(self.n_threads, user_api="openmp"):
            pred, q = self.distribution(X, [lo, 0.5, hi])
            p = self.classifier_.predict_proba(X)[:, 1]
        days_open = X["days_open"].to_numpy("float64")
        p = intervals.p_late(p, self.residuals_, pred, days_open, X["terms_days"].to_numpy("float64"), self.scale(X))
        return pd.DataFrame({"invoice_id": X["invoice_id"].to_numpy(), "pred_raw": pred, "predicted_days": q[:, 1],
                             "lower_days": q[:, 0], "upper_days": q[:, 2], "p_late": p})

    def open_features(self, open_invoices: pd.DataFrame, as_of, history: pd.DataFrame | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Features of the invoices of ``open_invoices`` still open at ``as_of``, with the customer history.

        The customers' past is ``history`` when given, else the history saved with the model; the open
        invoices are added to it (an invoice in both is taken from ``open_invoices``).
        """
        check_is_fitted(self, "residuals_")
        at = as_date(as_of)
        past = self.history_ if history is None else history
        past = known_at(past[~past["invoice_id"].isin(open_invoices["invoice_id"])], at)
        both = pd.concat([past, known_at(open_invoices, at)], ignore_index=True)
        X = features(both, at)
        X = X[X["invoice_id"].isin(open_invoices["invoice_id"])].reset_index(drop=True)
        info = open_invoices.set_index("invoice_id").loc[X["invoice_id"]].reset_index()
        return X, info

    def predict(self, open_invoices: pd.DataFrame, as_of, history: pd.DataFrame | None = None) -> pd.DataFrame:
        """Per invoice open at ``as_of``: :data:`PREDICTION_COLUMNS` (dates, days from invoice, P(late)).

        Parameters
        ----------
        open_invoices : DataFrame
            Invoices (history schema); those dated after ``as_of`` or settled by it are left out.
        as_of : date-like
        history : DataFrame, optional
            The customers' history (default: the one saved with the model).
        """
        X, info = self.open_features(open_invoices, as_of, history)
        r = self.predict_rows(X)
        inv = info["invoice_date"]

        def date(days):
            return (inv + pd.to_timedelta(np.round(days), unit="D")).dt.strftime("%Y-%m-%d").to_numpy()

        return pd.DataFrame({"invoice_id": r["invoice_id"], "predicted_settle_date": date(r["predicted_days"]),
                             "predicted_days": r["predicted_days"].round(1), "p_late": r["p_late"].round(4),
                             "lower_date": date(r["lower_days"]), "upper_date": date(r["upper_days"])})


def _time_cut(dates: pd.Series, share: float) -> int:
    """First row of the latest ``share`` of the training time (rows sorted by date; a day is never split)."""
    start, end = dates.iat[0], dates.iat[-1]
    boundary = end - (end - start) * share
    return int(np.searchsorted(dates.to_numpy(), boundary.to_datetime64(), side="right"))


def _last_date(history: pd.DataFrame) -> pd.Timestamp:
    return max(history["invoice_date"].max(), history["settled_date"].max())


__all__ = ["CollectionModel", "regression_pipeline", "classification_pipeline", "MODEL_FEATURES",
           "PREDICTION_COLUMNS"]
