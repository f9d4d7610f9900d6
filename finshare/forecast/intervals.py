"""Split-conformal settlement distributions from held-out residuals (days to settle).

The regression's residuals ``r = actual − predicted`` on a calibration slice (the latest part of the
training time, never fitted on) describe how wrong a prediction is. An invoice predicted at ``p`` days
settles at ``p + r`` with ``r`` drawn from those residuals; the 80 % interval takes the 10 % and 90 %
quantiles, asymmetric because settling late has a longer tail than settling early.

For an invoice still open ``d`` days after its date, only settlements after ``d`` remain possible: the
distribution is cut at ``d`` and renormalised (the quantile at level ``u`` of what remains is the
quantile at ``F(d) + u (1 − F(d))`` of the whole). An invoice so late that fewer than
:data:`MIN_TAIL` residuals remain beyond ``d`` settles from ``d + 1`` with the residuals' whole spread
(a tail of a few residuals would give a falsely narrow interval).
"""
from __future__ import annotations

import numpy as np

#: Fewest residuals left beyond the days already open for the cut distribution to be used.
MIN_TAIL = 20


def sorted_residuals(actual: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """The calibration residuals ``actual − predicted``, sorted (float64)."""
    return np.sort(np.asarray(actual, "float64") - np.asarray(predicted, "float64"))


def level_bounds(coverage: float, n: int) -> tuple[float, float]:
    """Lower and upper quantile levels of a two-sided ``coverage`` interval, finite-sample corrected."""
    tail = (1.0 - coverage) / 2.0
    return max(0.0, tail - (1.0 - tail) / n), min(1.0, (1.0 - tail) * (n + 1) / n)


def cdf(residuals: np.ndarray, predicted: np.ndarray, days_open: np.ndarray, scale=1.0) -> np.ndarray:
    """Share of the distribution settled by ``days_open``: P(p + s·r ≤ d) per invoice."""
    return np.searchsorted(residuals, (days_open - predicted) / scale, side="right") / len(residuals)


def quantiles(residuals: np.ndarray, predicted: np.ndarray, days_open: np.ndarray, levels, scale=None) -> np.ndarray:
    """Days to settle at each of ``levels`` (columns) per invoice (rows), given it is open at ``days_open``.

    Parameters
    ----------
    residuals : ndarray
        From :func:`sorted_residuals`.
    predicted, days_open : ndarray
        Per invoice: the regression's days, and days already open (0 at the invoice date).
    levels : sequence of float
        Quantile levels in [0, 1].
    scale : ndarray, optional
        Per invoice spread ``s`` when the residuals are scaled (``r / s``, locally weighted conformal).

    Examples
    --------
    >>> r = sorted_residuals(np.arange(100.0), np.zeros(100))      # residuals 0 … 99
    >>> quantiles(r, np.array([20.0, 20.0]), np.array([0.0, 25.0]), [0.5]).ravel().tolist()
    [69.0, 72.0]
    """
    n = len(residuals)
    predicted = np.asarray(predicted, "float64")[:, None]
    days_open = np.asarray(days_open, "float64")[:, None]
    s = np.ones_like(predicted) if scale is None else np.asarray(scale, "float64")[:, None]
    f = cdf(residuals, predicted[:, 0], days_open[:, 0], s[:, 0])[:, None]
    u = f + np.asarray(levels, "float64")[None, :] * (1.0 - f)
    k = np.clip(np.ceil(u * n).astype("int64") - 1, 0, n - 1)
    days = predicted + s * residuals[k]
    beyond = ((1.0 - f) * n < MIN_TAIL)[:, 0]
    if beyond.any():
        k0 = np.clip(np.ceil(np.asarray(levels, "float64") * n).astype("int64") - 1, 0, n - 1)
        days[beyond] = days_open[beyond] + 1.0 + s[beyond] * (residuals[k0] - residuals[0])[None, :]
    return np.maximum(days, days_open + 1.0 * (days_open > 0))


def p_late(p_uncond: np.ndarray, residuals: np.ndarray, predicted: np.ndarray, days_open: np.ndarray,
           terms: np.ndarray, scale=1.0) -> np.ndarray:
    """P(late | still open after ``days_open``): 1 once past due, else P(late) / P(open after d), capped at 1."""
    survive = 1.0 - cdf(residuals, predicted, days_open, scale)
    cond = np.divide(p_uncond, survive, out=np.ones_like(p_uncond, dtype="float64"), where=survive > 0)
    return np.where(days_open >= terms, 1.0, np.clip(cond, 0.0, 1.0))


__all__ = ["sorted_residuals", "level_bounds", "cdf", "quantiles", "p_late"]
