"""Figures for the forecasting chapters (08 cash collection, 09 risk alerts).

Drawing only, in the CJK style of :mod:`finshare.ui.figures`; the numbers come from
:mod:`finshare.forecast` (predictions, the cash forecast, the alerts' measure). Each function returns a
:class:`matplotlib.figure.Figure` that a notebook cell shows once.

    from finshare.ui import forecast_figures as ff
    ff.cash_band(cash_forecast(model, open_invoices, "2020-12-31"))
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..core.money import exponents
from .figures import _figure, _new_figure, cjk_style

INSIDE, OUTSIDE, MODEL, BAND = "#4c78a8", "#e45756", "#4c78a8", "#a6c8e8"


def calibration_table(late, p_late, bins: int = 10) -> pd.DataFrame:
    """Invoices per equal-width bin of P(late): ``bin_from, bin_to, n, mean_predicted, observed_late``.

    Parameters
    ----------
    late : array-like of bool or 0/1
        Whether each invoice was settled after its due date.
    p_late : array-like of float in [0, 1]
        The predicted probability; 1.0 falls in the last bin. Empty bins are left out.
    """
    p = np.asarray(p_late, "float64")
    k = np.minimum((p * bins).astype("int64"), bins - 1)
    g = pd.DataFrame({"bin": k, "p": p, "late": np.asarray(late, "float64")}).groupby("bin")
    out = pd.DataFrame({"n": g.size(), "mean_predicted": g["p"].mean(), "observed_late": g["late"].mean()})
    out.insert(0, "bin_to", (out.index + 1) / bins)
    out.insert(0, "bin_from", out.index / bins)
    return out.reset_index(drop=True)


def calibration_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """Reliability diagram of :func:`calibration_table`: observed late share against predicted P(late)."""
    with cjk_style():
        fig, ax = _figure(5.6, 4.6)
        ax.plot([0, 1], [0, 1], color="#999999", ls="--", lw=1, label="完全校准 perfectly calibrated")
        ax.plot(table["mean_predicted"], table["observed_late"], "o-", color=MODEL, label="模型 model")
        for x, y, n in zip(table["mean_predicted"], table["observed_late"], table["n"]):
            ax.annotate(str(int(n)), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7, color="#555")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("预测的逾期概率 predicted P(late)")
        ax.set_ylabel("实际逾期比例 observed share late")
        ax.legend(loc="upper left", fontsize=8)
        ax.set_title(title or "校准曲线 Calibration (数字 = 发票数 numbers = invoices)", loc="left", fontsize=10)
    return fig


def actual_vs_predicted(actual, predicted, lower, upper, title: str = "") -> Figure:
    """Actual against predicted days to settle; points inside the 80 % interval blue, outside red.

    Parameters
    ----------
    actual, predicted, lower, upper : array-like of float
        Days from the invoice date (``lower``/``upper`` the interval, compared after rounding to days as in
        :func:`finshare.forecast.evaluate.evaluate`).
    """
    actual, predicted = np.asarray(actual, "float64"), np.asarray(predicted, "float64")
    inside = (actual >= np.round(lower)) & (actual <= np.round(upper))
    top = float(max(actual.max(), predicted.max())) * 1.05
    with cjk_style():
        fig, ax = _figure(6.0, 5.2)
        ax.plot([0, top], [0, top], color="#999999", ls="--", lw=1, label="预测 = 实际 predicted = actual")
        ax.scatter(predicted[inside], actual[inside], s=9, alpha=0.55, color=INSIDE,
                   label=f"在 80% 区间内 inside the interval ({inside.mean():.0%})")
        ax.scatter(predicted[~inside], actual[~inside], s=9, alpha=0.7, color=OUTSIDE,
                   label=f"区间外 outside ({(~inside).mean():.0%})")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel("预测结清天数 predicted days to settle")
        ax.set_ylabel("实际结清天数 actual days to settle")
        ax.legend(loc="upper left", fontsize=8)
        ax.set_title(title or "实际与预测 Actual vs predicted (测试期 test period)", loc="left", fontsize=10)
    return fig


def cash_band(forecast: pd.DataFrame, title: str = "") -> Figure:
    """Expected weekly inflow with its 80 % band, one panel per currency, in major units of the currency.

    Parameters
    ----------
    forecast : pandas.DataFrame
        :func:`finshare.forecast.cash.cash_forecast` (minor units; ``week_start``, ``currency``,
        ``expected``, ``lower``, ``upper``).
    """
    currencies = sorted(forecast["currency"].unique())
    with cjk_style():
        fig = _new_figure(11, 2.6 * len(currencies) + 0.6)
        axes = fig.subplots(len(currencies), 1, squeeze=False, sharex=True).ravel()
        for ax, cur in zip(axes, currencies):
            f = forecast[forecast["currency"] == cur]
            scale = 10.0 ** exponents(f["currency"]).astype("float64")
            weeks = f["week_start"].dt.strftime("%m-%d")
            ax.fill_between(weeks, f["lower"] / scale, f["upper"] / scale, color=BAND, alpha=0.7,
                            label="80% 区间 band", step="mid")
            ax.plot(weeks, f["expected"] / scale, "o-", color=MODEL, label="期望流入 expected inflow")
            ax.set_ylabel(f"{cur}")
            ax.ticklabel_format(axis="y", style="plain")
            ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
            ax.legend(loc="upper right", fontsize=8)
        axes[-1].set_xlabel("周（起始日）week starting")
        fig.suptitle(title or "未来 13 周回款预测 13-week cash-collection forecast", x=0.01, ha="left")
    return fig


def alert_measure(measure: pd.DataFrame, title: str = "") -> Figure:
    """Per rule: planted cases, those found, and false alarms (:func:`finshare.forecast.alerts.plant.measure`)."""
    m = measure.set_index("rule")
    y = np.arange(len(m))
    with cjk_style():
        fig, ax = _figure(9, 0.55 * len(m) + 1.4)
        ax.barh(y - 0.27, m["planted"], height=0.26, color="#b0b0b0", label="埋入 planted cases")
        ax.barh(y, m["found"], height=0.26, color="#54a24b", label="找到 found")
        ax.barh(y + 0.27, m["false_alarms"], height=0.26, color=OUTSIDE, label="误报 false alarms")
        for i, (a, b, c) in enumerate(zip(m["planted"], m["found"], m["false_alarms"])):
            ax.text(max(a, b, c) + 0.3, i, f"{int(b)}/{int(a)} · {int(c)}", va="center", fontsize=8)
        ax.set_yticks(y, m.index)
        ax.set_xlim(0, float(m[["planted", "found", "false_alarms"]].to_numpy().max()) * 1.15 + 1)
        ax.invert_yaxis()
        ax.set_xlabel("个数 count")
        ax.legend(loc="lower right", fontsize=8)
        ax.set_title(title or "各规则的召回与误报 Recall and false alarms per rule", loc="left", fontsize=10)
    return fig


__all__ = ["calibration_table", "calibration_figure", "actual_vs_predicted", "cash_band", "alert_measure"]
