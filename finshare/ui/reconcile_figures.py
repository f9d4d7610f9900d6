"""Figures for the reconciliation chapter (05): what was matched by which rule.

Drawing only, from :func:`finshare.ui.reconcile_views.rule_counts`; the fonts
and figure handling are :mod:`finshare.ui.figures`'.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .figures import _figure, cjk_style

#: Colour per status column: applied automatically, proposed to the accountant.
STATUS_COLOURS = {"自动 auto": "#4c78a8", "待确认 proposed": "#f58518"}


def matches_by_rule(counts: pd.DataFrame, title: str, unit: str = "匹配组 match groups") -> Figure:
    """Horizontal stacked bars: per rule (in the order tried, top down) the automatic and proposed matches.

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`~finshare.ui.reconcile_views.rule_counts` (index rule labels, columns per status).
    title : str
    unit : str
        What a count counts, for the axis label.
    """
    with cjk_style():
        fig, ax = _figure(10, 0.42 * len(counts) + 1.4)
        left = pd.Series(0, index=counts.index, dtype="int64")
        for col in counts.columns:
            ax.barh(counts.index, counts[col], left=left, color=STATUS_COLOURS.get(col, "#b0b0b0"), label=col)
            left += counts[col]
        for i, total in enumerate(left):
            ax.text(total, i, f" {int(total)}", va="center", fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, max(1, int(left.max())) * 1.12)
        ax.set_xlabel(f"{unit}")
        ax.legend(fontsize=9, loc="lower right")
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(title, loc="left", fontsize=12)
    return fig
