"""Translation of an entity's balances into the presentation currency (IAS 21 / CAS 19 外币报表折算).

Rates, all looked up in the case's ``rates.csv`` as *rates in force* on a date:

- assets, liabilities, common and cost accounts (资产、负债、共同、成本类): the balance at the
  **closing rate** (in force on the period's last day); at the previous year end, the rate in force
  then (or, when the table starts later, the historical rate below);
- equity and profit-and-loss accounts (所有者权益、损益类): the balance at the previous year end
  (paid-in capital, opening retained earnings; the year's ``opening_balance`` vouchers included) at
  the **historical rate** in force on the opening-balance date, and **each month's movements at that
  month's rate** (the rate in force on the month's first day: ``rates.csv`` holds one rate a month,
  which serves as the month's average rate) — more exact than one mean rate for January..period;
- the difference goes to the **translation reserve**, so the translated trial balance balances
  exactly.

Every conversion rounds half away from zero (四舍五入) once per account row (account, counterparty,
partner) and bucket (the opening balance, one month), in minor units of the presentation currency.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.money import EXPONENTS, convert
from ...core.problems import FinshareError, Problem, Source
from .positions import KEYS

#: chart categories translated at historical / monthly rates (the rest at the closing rate)
FLOW = ("equity", "profit_and_loss")
AMOUNTS = ["closing", "prior_closing", "ytd", "close", "prior_ytd"]


def translate(pos: pd.DataFrame, categories: pd.Series, rates, book: str, currency: str, to: str, period: str,
              historical: pd.Timestamp, reserve: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Translate one entity's positions; return ``(rows, rates_used)``.

    Parameters
    ----------
    pos : pandas.DataFrame
        Positions of :func:`~finshare.close.consolidation.positions.positions`.
    categories : pandas.Series
        Group chart category per account code.
    rates : finshare.core.rates.RateTable
    book, currency, to : str
        The entity's book and currency, and the presentation currency.
    period : str
        ``YYYY-MM``.
    historical : pandas.Timestamp
        The opening-balance date, whose rate translates the equity and P&L balance at the previous year end.
    reserve : str
        Translation reserve account.

    Returns
    -------
    rows : pandas.DataFrame
        ``account, counterparty, partner`` and ``closing, prior_closing, ytd, close, prior_ytd`` (int64
        minor units of ``to``); ``close`` is the carry-forward movement, ``closing = prior_closing + ytd +
        close``; a last row on ``reserve`` holds the translation difference.
    rates_used : pandas.DataFrame
        ``book, basis, date, rate`` (``rate`` exact: units of ``to`` per unit of ``currency``).
    """
    used = _rates_used(pos, rates, book, currency, to, period, historical)
    rate_of = used.set_index("basis")
    flow = categories.reindex(pos["account"].to_numpy()).isin(FLOW).to_numpy()
    prior = (pos["month"] == "").to_numpy()
    basis = np.where(prior, np.where(flow, "historical", "prior"), pos["month"].to_numpy(object))
    num = rate_of["num"].reindex(basis).to_numpy("int64")
    den = rate_of["den"].reindex(basis).to_numpy("int64")
    e_from, e_to = EXPONENTS[currency], EXPONENTS[to]
    conv = convert(pos["amount"].to_numpy("int64"), num, den, e_from, e_to)
    cur = ~pos["prior_year"].to_numpy()
    closing_flag = pos["close"].to_numpy()
    parts = pd.DataFrame({
        **{k: pos[k].to_numpy(object) for k in KEYS},
        "prior_closing": np.where(cur & prior, conv, 0),
        "ytd": np.where(cur & ~prior & ~closing_flag, conv, 0),
        "close": np.where(cur & ~prior & closing_flag, conv, 0),
        "prior_ytd": np.where(~cur, conv, 0),
        "raw": np.where(cur, pos["amount"].to_numpy("int64"), 0),
    })
    rows = parts.groupby(KEYS, as_index=False, sort=True).sum()
    rows = _closing(rows, categories, rate_of.loc["closing"], e_from, e_to)
    return _with_reserve(rows, reserve), used.drop(columns=["num", "den"])


def _closing(rows: pd.DataFrame, categories: pd.Series, closing_rate, e_from: int, e_to: int) -> pd.DataFrame:
    """Balance-sheet rows at the closing rate; equity and P&L rows as opening plus translated movements."""
    flow = categories.reindex(rows["account"].to_numpy()).isin(FLOW).to_numpy()
    at_close = convert(rows["raw"].to_numpy("int64"), int(closing_rate["num"]), int(closing_rate["den"]), e_from, e_to)
    built = rows["prior_closing"] + rows["ytd"] + rows["close"]
    rows["closing"] = np.where(flow, built, at_close).astype("int64")
    rows["ytd"] = np.where(flow, rows["ytd"], rows["closing"] - rows["prior_closing"] - rows["close"]).astype("int64")
    return rows.drop(columns="raw")


def _with_reserve(rows: pd.DataFrame, reserve: str) -> pd.DataFrame:
    """Append the translation difference (closing and previous year end) on ``reserve``."""
    closing, prior = -int(rows["closing"].sum()), -int(rows["prior_closing"].sum())
    plug = pd.DataFrame({"account": [reserve], "counterparty": [""], "partner": [""], "closing": [closing],
                         "prior_closing": [prior], "ytd": [closing - prior], "close": [0], "prior_ytd": [0]})
    out = pd.concat([rows, plug], ignore_index=True)
    return out[KEYS + AMOUNTS].astype({k: "int64" for k in AMOUNTS})


def _rates_used(pos: pd.DataFrame, rates, book: str, currency: str, to: str, period: str,
                historical: pd.Timestamp) -> pd.DataFrame:
    """The rate of every basis the positions need: closing, prior (year end), historical, each month."""
    end = pd.Period(period, "M").end_time.normalize()
    prior_end = pd.Timestamp(f"{int(period[:4]) - 1}-12-31")
    months = sorted(m for m in pos["month"].unique() if m)
    basis = ["closing", "prior", "historical"] + months
    dates = [end, prior_end, pd.Timestamp(historical)] + [pd.Timestamp(m + "-01") for m in months]
    num, den, missing = rates.lookup(pd.Series([currency] * len(dates)), to, pd.Series(dates))
    frame = pd.DataFrame({"book": book, "basis": basis, "date": dates, "num": num, "den": den})
    if missing[1] and not missing[2]:  # no rate at the previous year end: the opening-balance date's rate
        frame.loc[1, ["date", "num", "den"]] = [dates[2], num[2], den[2]]
        missing[1] = False
    if missing.any():
        day = pd.Timestamp(dates[int(np.flatnonzero(missing)[0])]).date()
        raise FinshareError([Problem(
            "missing-rate", f"账簿 {book} 折算缺少 {currency}→{to} 在 {day} 的汇率 / no {currency}→{to} rate in force "
            f"on {day} to translate book {book}", Source(rates.source, book=book),
            f"add a row to rates.csv dated on or before {day}: {day},{to},{currency},<rate>")])
    frame["rate"] = [f"{n}/{d}" if d != 1 else str(n) for n, d in zip(frame["num"], frame["den"])]
    return frame
