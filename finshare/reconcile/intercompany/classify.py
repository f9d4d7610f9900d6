"""Reason codes of the pairs as of a period end, with a bilingual line saying why.

- ``matched``: both sides booked by the period end, the same amount in the transaction currency;
- ``amount``: both booked, amounts differ;
- ``timing``: one side booked, the other books it in a later period (``other_period``), or has not
  booked it yet but the data end within ``window`` days of it (goods or cash in transit);
- ``missing``: one side booked, the other has no document at all (``missing_side`` says which);
- ``fx``: the translation of a side's balance from its book currency at the closing rate, against
  the same balance in the transaction currency (rows of kind ``translation``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

REASONS = ("matched", "timing", "fx", "missing", "amount")


def classify(rows: pd.DataFrame, end: pd.Timestamp, horizon: pd.Timestamp, window: int, units: tuple) -> pd.DataFrame:
    """Add ``reason, other_period, missing_side, detail`` to pair ``rows`` and drop pairs neither side booked.

    Parameters
    ----------
    rows : pandas.DataFrame
        ``ar_doc, ar_date, ar_period, ap_doc, ap_date, ap_period, difference`` …
    end : pandas.Timestamp
        The period's last day.
    horizon : pandas.Timestamp
        The last date the data reach; a document younger than ``window`` days at the horizon may
        still be answered.
    units : tuple of str
        The receivable side's and the payable side's names, for the text.
    """
    has = {s: (rows[f"{s}_doc"] != "").to_numpy() for s in ("ar", "ap")}
    booked = {s: has[s] & (rows[f"{s}_date"] <= end).to_numpy() for s in ("ar", "ap")}
    rows = rows[booked["ar"] | booked["ap"]].copy()
    has = {s: v[booked["ar"] | booked["ap"]] for s, v in has.items()}
    booked = {s: v[booked["ar"] | booked["ap"]] for s, v in booked.items()}
    both = booked["ar"] & booked["ap"]
    one = booked["ar"] ^ booked["ap"]
    later = one & has["ar"] & has["ap"]
    lone_date = pd.to_datetime(np.where(booked["ar"], rows["ar_date"], rows["ap_date"]))
    young = one & ~later & np.asarray(lone_date + pd.Timedelta(days=window) > horizon)
    diff = rows["difference"].to_numpy("int64")
    rows["reason"] = np.select([both & (diff == 0), both, later | young], ["matched", "amount", "timing"], "missing")
    other = np.where(booked["ar"], rows["ap_period"], rows["ar_period"])
    rows["other_period"] = np.where(later, other, "")
    rows["missing_side"] = np.where(rows["reason"] == "missing", np.where(booked["ar"], "ap", "ar"), "")
    rows["detail"] = _detail(rows, booked["ar"], units, horizon)
    return rows


def _detail(rows: pd.DataFrame, ar_booked: np.ndarray, units: tuple, horizon: pd.Timestamp) -> np.ndarray:
    """One bilingual sentence per row."""
    waiting = pd.Series(np.where(ar_booked, units[1], units[0]), index=rows.index, dtype=object)
    per = rows["other_period"].astype(str)
    until = horizon.strftime("%Y-%m-%d")
    text = {
        "matched": pd.Series("双方一致 / both sides agree", index=rows.index),
        "amount": "金额不符 / amounts differ: " + units[0] + " " + rows["ar_amount"].astype(str) + ", "
                  + units[1] + " " + rows["ap_amount"].astype(str) + " (minor units)",
        "timing": ("未达：" + waiting + " 于 " + per + " 入账 / in transit: " + waiting + " books it in " + per).where(
            per != "", "未达：" + waiting + " 尚未入账（数据截至 " + until + "）/ in transit: " + waiting
            + " has not booked it by " + until),
        "missing": waiting + " 没有对应单据 / " + waiting + " has no matching document",
    }
    reason = rows["reason"].to_numpy()
    out = np.empty(len(rows), dtype=object)
    for code, series in text.items():  # four reasons
        m = reason == code
        out[m] = series.to_numpy(object)[m]
    return out
