"""An entity's balances as they enter translation: net amounts per group account, counterparty, partner and month.

A *position* row holds the net debit-positive amount (minor units of the
entity's currency) of one group account, counterparty (the customer or
supplier code, ``""`` when neither), intercompany partner and bucket:

- ``month == ""``: the balance at the previous year end, the year's
  ``opening_balance`` vouchers included (what ``prior_closing`` reports);
- ``month == "YYYY-MM"`` (January .. the period): that month's movements,
  with ``close`` telling carry-forward vouchers (结转损益) apart;
- ``prior_year``: movements of the same months a year earlier (``prior_ytd``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

OPENING = "opening_balance"
CLOSE = "close"
KEYS = ["account", "counterparty", "partner"]


def positions(lines: pd.DataFrame, period: str, account_map: pd.Series | None, dimension: str = "partner"
              ) -> pd.DataFrame:
    """Positions of one book's GL ``lines`` for ``period`` (YYYY-MM), accounts mapped into the group chart.

    Returns
    -------
    pandas.DataFrame
        ``account, counterparty, partner, month, close, prior_year, amount`` (int64).
    """
    year = str(int(period[:4]))
    per = lines["period"].astype(str).to_numpy().astype("U7")
    src = lines["source_type"].astype(str).to_numpy()
    y = per.astype("U4")
    earlier_years, this = y < year, (y == year) & (per <= period)
    same_months = (y == str(int(year) - 1)) & (per <= f"{int(year) - 1}{period[4:]}")
    frame = pd.DataFrame({
        "account": _mapped(lines["account"], account_map),
        "counterparty": _counterparty(lines),
        "partner": lines[dimension].astype(str).to_numpy(object) if dimension in lines else "",
        "month": np.where(earlier_years | (src == OPENING), "", per),
        "close": src == CLOSE,
        "prior_year": False,
        "amount": lines["debit"].to_numpy("int64") - lines["credit"].to_numpy("int64"),
    })
    current = frame[earlier_years | this]
    earlier = frame[same_months & (src != OPENING) & (src != CLOSE)].assign(prior_year=True)
    out = pd.concat([current, earlier], ignore_index=True)
    out = out.groupby(KEYS + ["month", "close", "prior_year"], as_index=False, observed=True)["amount"].sum()
    return out.astype({"amount": "int64"})


def _mapped(accounts: pd.Series, account_map: pd.Series | None) -> np.ndarray:
    codes = accounts.astype(str).to_numpy(object)
    if account_map is None:
        return codes
    return pd.Series(codes).map(account_map).to_numpy(object)


def _counterparty(lines: pd.DataFrame) -> np.ndarray:
    """The customer, else the supplier, else ``""`` (the statement contract's counterparty)."""
    cust = lines["customer"].astype(str).to_numpy(object) if "customer" in lines else np.full(len(lines), "", object)
    supp = lines["supplier"].astype(str).to_numpy(object) if "supplier" in lines else np.full(len(lines), "", object)
    return np.where(cust != "", cust, supp)
