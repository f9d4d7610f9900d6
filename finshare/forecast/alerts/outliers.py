"""The second opinion: an isolation forest over journal lines, its top-k per book and period as ``outlier`` alerts."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import IsolationForest
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from .rules import empty

CATEGORICAL = ["account", "source_type", "side"]
NUMERIC = ["log_amount", "vs_account", "weekend", "counterparty_freq"]
COUNTERPARTY = ["supplier", "customer", "employee"]
KEEP_TEXT = ["account", "source_type", "source_no", "voucher_no", "period", *COUNTERPARTY]
#: carry-forward and opening vouchers: one-off by nature, not a second opinion on anything
SKIP = ["close", "opening_balance"]
KEEP_ALL = [*KEEP_TEXT, "debit", "credit", "date"]


def line_features(lines: pd.DataFrame) -> pd.DataFrame:
    """Features per journal line: account, document type, side, log10 of the amount (minor units) and its
    distance from the account's median, a weekend flag (dates carry no hour) and how often the line's
    counterparty appears in the book (log; 0 for none)."""
    amount = (lines["debit"].to_numpy("int64") - lines["credit"].to_numpy("int64"))
    party = lines[COUNTERPARTY[0]].fillna("").astype(str)
    for col in COUNTERPARTY[1:]:
        party = party.where(party != "", lines[col].fillna("").astype(str))
    freq = party.map(party.value_counts()).where(party != "", 0).astype("float64")
    log_amount = pd.Series(np.log10(np.abs(amount).astype("float64") + 1.0), index=lines.index)
    usual = log_amount.groupby(lines["account"].astype(str).to_numpy()).transform("median")
    return pd.DataFrame({"account": lines["account"].astype(str).to_numpy(object),
                         "source_type": lines["source_type"].astype(str).to_numpy(object),
                         "side": np.where(amount >= 0, "D", "C").astype(object),
                         "log_amount": log_amount.to_numpy(),
                         "vs_account": (log_amount - usual).to_numpy(),
                         "weekend": (pd.to_datetime(lines["date"]).dt.day_of_week >= 5).to_numpy("float64"),
                         "counterparty_freq": np.log1p(freq.to_numpy())}, index=lines.index)


def outlier_model(n_estimators: int = 100, random_state: int = 0) -> Pipeline:
    """One-hot categories, numbers as they are, then :class:`~sklearn.ensemble.IsolationForest`."""
    encode = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore", min_frequency=5), CATEGORICAL)],
                               remainder="passthrough")
    return Pipeline([("features", encode),
                     ("forest", IsolationForest(n_estimators=n_estimators, random_state=random_state))])


def outlier_alerts(lines: pd.DataFrame, rule, book: str) -> pd.DataFrame:
    """The ``top_k`` most isolated documents per period of one book's GL lines (lines of ``SKIP`` left out).

    ``score`` is the forest's anomaly score (``-score_samples``: higher is stranger), the highest of the
    document's lines.
    """
    lines = pd.DataFrame({c: lines[c].astype(str).fillna("") if c in KEEP_TEXT else lines[c] for c in KEEP_ALL})
    lines = lines[~lines["source_type"].isin(SKIP) & (lines["source_no"] != "")]
    if len(lines) < 20:
        return empty()
    x = line_features(lines)
    p = rule.params
    model = outlier_model(int(p["n_estimators"]), int(p["random_state"])).fit(x)
    scored = lines.assign(_score=-model.score_samples(x), _ref=lines["source_type"] + "/" + lines["source_no"])
    scored = scored.sort_values(["_score", "_ref"], ascending=[False, True], kind="stable")
    top = scored.drop_duplicates(["period", "_ref"]).groupby("period", sort=True).head(int(p["top_k"]))
    top = top.sort_values(["period", "_score"], ascending=[True, False], kind="stable").reset_index(drop=True)
    s = top["_score"].map("{:.3f}".format)
    why = ("孤立森林异常分：账簿 " + book + " 科目 " + top["account"] + " 的分录较少见，异常分 " + s
           + " / isolation forest: an unusual line on account " + top["account"] + " in book " + book
           + ", score " + s + " (" + top["voucher_no"] + ")")
    return pd.DataFrame({"rule": rule.code, "severity": rule.severity, "period": top["period"].to_numpy(object),
                         "documents": [(r,) for r in top["_ref"]], "why": why.to_numpy(object),
                         "score": top["_score"].to_numpy("float64"), "book": book})
