"""Management P&L per profit centre (管理利润表): the ``mgt_pl`` lines, one column per business unit.

The year to date of each business unit (journal column ``org``, e.g. XM and
SZ in the China factories book) and a total; the last line, the operating
result, is the unit's whole profit or loss (taxes and the other P&L items
are one line), so the units add up to the book's result.
"""
from __future__ import annotations

import pandas as pd

from ...core.chart import Chart
from .balances import MONEY, statement_balances
from .build import build_statement, weights
from .layout import layout

STATEMENT = "mgt_pl"


def management_pl(lines: pd.DataFrame, period: str, chart: Chart) -> pd.DataFrame:
    """The management P&L of one book at ``period``, January to the period.

    Parameters
    ----------
    lines : pandas.DataFrame
        Journal lines of one book with ``org`` (see :func:`statement_balances`).
    period : str
        ``YYYY-MM``.
    chart : Chart
        The book's chart (CAS codes).

    Returns
    -------
    pandas.DataFrame
        ``code, name_zh, name_en, kind``, one int64 column per business unit (sorted), then ``current``
        (all units) and ``comparative`` (all units, the same months of the previous year);
        ``attrs["units"]`` lists the unit columns.
    """
    lay = layout(STATEMENT)
    by_unit = statement_balances(lines, period, by=("org",))
    whole = by_unit.groupby(["account", "counterparty"], sort=True)[MONEY].sum().reset_index()
    total = build_statement(lay, whole, chart)
    units = sorted(set(by_unit.loc[by_unit["ytd"] != 0, "org"]) - {""})
    out = total[["code", "name_zh", "name_en", "kind"]].copy()
    for unit in units:
        part = by_unit[by_unit["org"] == unit].reset_index(drop=True)
        out[unit] = (weights(lay, part, "ytd", chart) @ part["ytd"].to_numpy("int64")).astype("int64")
    out["current"], out["comparative"] = total["current"], total["comparative"]
    out.attrs.update(statement=STATEMENT, units=units)
    return out


__all__ = ["management_pl"]
