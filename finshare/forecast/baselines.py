"""The two baselines every model is reported beside.

- ``due-date``: the invoice is paid on its due date (days = terms; no ranking of lateness);
- ``customer-median``: the customer's median days to settle so far (the features' median of its last
  10 settled invoices, as known at the prediction time); the due date for a customer with no history.
  Its lateness score is that median minus the terms.

Both take feature rows (:func:`finshare.forecast.features.features`) and return days from the invoice
date and a score that ranks lateness (for AUC), as a DataFrame ``invoice_id, predicted_days, score``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: Baseline name: (中文, English).
BASELINES = {"due-date": ("到期日付款", "paid on the due date"),
             "customer-median": ("客户历史中位天数", "the customer's median days to settle so far")}


def due_date(X: pd.DataFrame) -> pd.DataFrame:
    """Paid on the due date: days = terms; every invoice scores 0 (no ranking)."""
    return pd.DataFrame({"invoice_id": X["invoice_id"].to_numpy(), "predicted_days": X["terms_days"].to_numpy(),
                         "score": np.zeros(len(X))})


def customer_median(X: pd.DataFrame) -> pd.DataFrame:
    """The customer's median days so far (terms without history); score = median − terms (0 without)."""
    terms = X["terms_days"].to_numpy("float64")
    median = X["hist_median_days"].to_numpy("float64")
    days = np.where(np.isnan(median), terms, median)
    return pd.DataFrame({"invoice_id": X["invoice_id"].to_numpy(), "predicted_days": days, "score": days - terms})


def predict(name: str, X: pd.DataFrame) -> pd.DataFrame:
    """The baseline ``name`` (a key of :data:`BASELINES`) on feature rows."""
    return {"due-date": due_date, "customer-median": customer_median}[name](X)


__all__ = ["BASELINES", "due_date", "customer_median", "predict"]
