"""The collection worklist (催收清单): open invoices ranked by expected lateness × amount, with reasons.

``score`` = P(late) × amount in major units of its currency, × ``rates[currency]`` when rates to one
currency are given. Without rates amounts in different currencies are not compared: the list is ranked
within each currency (``rank`` restarts per currency).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.money import exponents, format_amounts
from ..core.problems import FinshareError, Problem, Source
from .explain import reasons

WORKLIST_COLUMNS = ["rank", "invoice_id", "customer_id", "currency", "amount", "due_date", "days_past_due", "p_late",
                    "expected_days_late", "score", "reasons_zh", "reasons_en"]


def worklist(model, open_invoices: pd.DataFrame, as_of, history: pd.DataFrame | None = None,
             rates: dict | None = None) -> pd.DataFrame:
    """Open invoices at ``as_of``, most urgent first (:data:`WORKLIST_COLUMNS`; amount as decimal text).

    Parameters
    ----------
    rates : dict, optional
        ``{currency: value of one major unit in a common currency}`` to rank across currencies.

    Raises
    ------
    FinshareError
        ``missing-rate`` when ``rates`` lacks a currency of the open invoices.
    """
    X, info = model.open_features(open_invoices, as_of, history)
    r = model.predict_rows(X)
    exp = exponents(info["currency"])
    major = info["amount"].to_numpy("float64") / 10.0 ** exp
    rate = np.ones(len(info))
    if rates is not None:
        gone = sorted(set(info["currency"]) - set(rates))
        if gone:
            raise FinshareError([Problem("missing-rate", f"缺少币别 {', '.join(gone)} 的汇率 / no rate for "
                                         f"{', '.join(gone)}", Source(field="rates"),
                                         "为每个币别给出汇率 / give a rate for every currency")])
        rate = info["currency"].map(rates).to_numpy("float64")
    out = pd.DataFrame({
        "invoice_id": info["invoice_id"], "customer_id": info["customer_id"], "currency": info["currency"],
        "amount": format_amounts(info["amount"].to_numpy("int64"), exp),
        "due_date": info["due_date"].dt.strftime("%Y-%m-%d"),
        "days_past_due": np.maximum(X["days_open"] - X["terms_days"], 0).astype("int64").to_numpy(),
        "p_late": r["p_late"].round(4).to_numpy(),
        "expected_days_late": np.maximum(r["predicted_days"] - X["terms_days"], 0).round(1).to_numpy(),
        "score": r["p_late"].to_numpy() * major * rate})
    out = pd.concat([out, reasons(X)], axis=1)
    by = [] if rates is not None else ["currency"]
    out = out.sort_values(by + ["score", "invoice_id"], ascending=[True] * len(by) + [False, True], kind="stable")
    out["rank"] = (out.groupby("currency").cumcount() if by else pd.Series(np.arange(len(out)), index=out.index)) + 1
    out["score"] = out["score"].round(2)
    return out[WORKLIST_COLUMNS].reset_index(drop=True)


__all__ = ["worklist", "WORKLIST_COLUMNS"]
