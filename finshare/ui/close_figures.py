"""Figures for the close, statements and consolidation chapters: monthly P&L, the balance sheet, the group.

Drawing only, from tables the package computed (amounts in minor units are
turned into floats of the major unit for the axes, never summed here); the
fonts and figure handling are :mod:`finshare.ui.figures`'.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .figures import _figure, cjk_style

PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac",
           "#eeca3b"]
MILLION = 1_000_000


def _major(minor, exp: int) -> np.ndarray:
    return np.asarray(minor, dtype="int64") / 10 ** exp / MILLION


def monthly_pl_figure(table: pd.DataFrame, exp: int, currency: str, title: str) -> Figure:
    """Lines of the income statement month by month (:func:`~finshare.ui.close_views.monthly_lines`)."""
    names = table.attrs.get("names", {})
    with cjk_style():
        fig, ax = _figure(10, 4.2)
        months = [p[5:] for p in table.index]
        for code, colour in zip(table.columns, PALETTE):
            ax.plot(months, _major(table[code], exp), marker="o", ms=3.5, lw=1.6, color=colour,
                    label=names.get(code, code))
        ax.axhline(0, color="#999", lw=0.8)
        ax.set_xlabel("月份 month")
        ax.set_ylabel(f"百万 {currency} / {currency} million")
        ax.legend(fontsize=8, ncol=2, loc="upper left")
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(title, loc="left", fontsize=12)
    return fig


def balance_sheet_figure(frame: pd.DataFrame, totals: tuple[str, str], exp: int, currency: str, title: str) -> Figure:
    """Two stacked bars: the asset lines, and the liability and equity lines, of a balance sheet.

    Parameters
    ----------
    frame : pandas.DataFrame
        The balance sheet (``book_statements(...)["bs"]``).
    totals : tuple of str
        The codes of the two totals (``("BS36", "BS73")``): lines before the first are assets.
    """
    split = list(frame["code"]).index(totals[0])
    detail = (frame["kind"] == "detail").to_numpy() & (frame["current"] != 0).to_numpy()
    sides = [frame.iloc[:split][detail[:split]], frame.iloc[split:][detail[split:]]]
    with cjk_style():
        fig, ax = _figure(9, 5.2)
        for x, part in enumerate(sides):
            bottom = 0.0
            for (_, row), colour in zip(part.iterrows(), PALETTE * 3):
                h = float(_major([row["current"]], exp)[0])
                ax.bar(x, h, bottom=bottom, color=colour, width=0.55, edgecolor="white")
                if abs(h) > 0.03 * float(_major([frame.set_index("code").at[totals[0], "current"]], exp)[0]):
                    ax.text(x, bottom + h / 2, f"{row['name_zh']} {h:,.1f}", ha="center", va="center", fontsize=8)
                bottom += h
        ax.set_xticks([0, 1], ["资产 Assets", "负债和所有者权益 Liabilities and equity"])
        ax.set_ylabel(f"百万 {currency} / {currency} million")
        ax.set_title(title, loc="left", fontsize=12)
    return fig


def consolidation_figure(sheet: pd.DataFrame, entities: list[str], accounts: list[str], chart, exp: int,
                         currency: str, title: str) -> Figure:
    """Per account: each entity's translated amount, the eliminations and the consolidated amount, each on
    the account's normal side (a credit-normal account's credit balance drawn upwards)."""
    rows = sheet.set_index("account").loc[accounts]
    sign = np.where(chart.accounts["normal_balance"].reindex(accounts).to_numpy() == "credit", -1, 1)
    series = {**{e: rows[e] for e in entities}, "抵销 eliminations": rows["elim_debit"] - rows["elim_credit"],
              "合并 consolidated": rows["consolidated"]}
    width = 0.8 / len(series)
    with cjk_style():
        fig, ax = _figure(11, 4.4)
        x = np.arange(len(accounts))
        for i, ((label, values), colour) in enumerate(zip(series.items(), PALETTE)):
            ax.bar(x + (i - (len(series) - 1) / 2) * width, _major(values.to_numpy() * sign, exp), width, label=label,
                   color=colour)
        ax.set_xticks(x, [f"{a} {n}" for a, n in zip(accounts, rows["name_zh"])])
        ax.axhline(0, color="#999", lw=0.8)
        ax.set_ylabel(f"百万 {currency} / {currency} million (按正常余额方向 on the normal side)")
        ax.legend(fontsize=8)
        ax.set_title(title, loc="left", fontsize=12)
    return fig


__all__ = ["monthly_pl_figure", "balance_sheet_figure", "consolidation_figure"]
