"""Reasons and "explain this prediction" for open invoices.

**Reasons** (:func:`reasons`) are sentences built from an invoice's point-in-time features, in Chinese
and English: the customer's late share, median days, recent trend, other open invoices, how unusual the
amount is, a dispute, days past due, or no history.

**Explain** (:func:`explain`) is a local, one-feature-at-a-time replacement: each model feature of the
invoice is set to its *reference* (the median over the training rows) while the others stay, and the
change in predicted days (regression) and in P(late) (the calibrated classifier, before conditioning on
the days already open) is that feature's effect. Effects need not add up to the whole difference, since
features interact; they say which inputs moved this prediction and which way.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .models import MODEL_FEATURES

#: Feature: (中文, English).
FEATURE_LABELS = {
    "hist_count": ("已结清发票数", "settled invoices so far"), "hist_mean_days": ("平均结清天数", "mean days to settle"),
    "hist_median_days": ("近 10 张中位结清天数", "median days to settle (last 10)"),
    "hist_late_share": ("逾期比例", "share paid late"), "hist_mean_late": ("平均逾期天数", "mean days late"),
    "hist_trend": ("最近 3 张的变化", "last 3 vs usual days late"), "last_late": ("上一张逾期天数", "last invoice days late"),
    "recent_late_share": ("近 5 张逾期比例", "share paid late (last 5)"),
    "hist_run_share": ("月末付款批次占比", "share paid in a month-end run"),
    "hist_on_due_share": ("到期日当天付款占比", "share paid on the due date"),
    "open_before": ("其他未结清发票", "other open invoices"), "amount_ratio": ("金额 ÷ 通常金额", "amount ÷ usual amount"),
    "log_amount": ("金额（对数）", "amount (log)"), "terms_days": ("账期天数", "payment terms (days)"),
    "inv_month": ("开票月份", "invoice month"), "inv_weekday": ("开票星期", "invoice weekday"),
    "due_weekday": ("到期星期", "due weekday"), "due_day": ("到期日（几号）", "due day of month"),
    "due_quarter_end": ("季末到期", "due in a quarter-end month"),
    "due_after_run": ("到期日距上次月末付款日", "days from the last month-end run to the due date"),
    "due_to_festival": ("到期日距春节", "days from the due date to the Spring Festival"), "disputed": ("有争议", "disputed"),
    "paperless": ("电子发票", "electronic invoice"),
}
EXPLAIN_COLUMNS = ["feature", "name_zh", "name_en", "value", "reference", "effect_days", "effect_p_late"]


def _when(mask, zh, en) -> tuple[pd.Series, pd.Series]:
    return zh.where(mask, ""), en.where(mask, "")


def reasons(X: pd.DataFrame) -> pd.DataFrame:
    """``reasons_zh``, ``reasons_en`` per feature row (sentences joined by "；" / "; ")."""
    n = X["hist_count"].astype("int64")
    k = (X["hist_late_share"].fillna(0) * X["hist_count"]).round().astype("int64")
    med = X["hist_median_days"].round().astype("Int64").astype(str)
    terms = X["terms_days"].astype("int64").astype(str)
    overdue = (X["days_open"] - X["terms_days"]).astype("int64")
    ratio = X["amount_ratio"].round(1).astype(str)
    trend = X["hist_trend"].round().astype("Int64").astype(str)
    others = X["open_before"].astype("int64").astype(str)
    has = n > 0
    parts = [
        _when(has, "已结清 " + n.astype(str) + " 张中逾期 " + k.astype(str) + " 张",
              "paid late " + k.astype(str) + " of " + n.astype(str) + " settled invoices"),
        _when(has, "中位 " + med + " 天结清（账期 " + terms + " 天）",
              "median " + med + " days to settle (terms " + terms + ")"),
        _when(X["hist_trend"] >= 3, "最近 3 张比平常多拖 " + trend + " 天",
              "the last 3 were " + trend + " days later than usual"),
        _when(X["amount_ratio"] >= 2, "金额是该客户通常的 " + ratio + " 倍",
              "this invoice is " + ratio + "× the customer's usual amount"),
        _when(X["disputed"] == 1, pd.Series("有争议", index=X.index), pd.Series("disputed", index=X.index)),
        _when(overdue > 0, "已逾期 " + overdue.astype(str) + " 天", "already " + overdue.astype(str) + " days past due"),
        _when(X["open_before"] >= 3, "另有 " + others + " 张未结清", others + " other invoices open"),
        _when(~has, pd.Series("新客户，尚无付款记录", index=X.index),
              pd.Series("a new customer: no settled invoice yet", index=X.index)),
    ]
    zh = pd.concat([p[0] for p in parts], axis=1)
    en = pd.concat([p[1] for p in parts], axis=1)
    join = lambda frame, sep: frame.apply(lambda col: col.where(col == "", col + sep)).sum(axis=1).str.rstrip(sep)  # noqa: E731
    return pd.DataFrame({"reasons_zh": join(zh, "；"), "reasons_en": join(en, "; ")}, index=X.index)


def explain(model, open_invoices: pd.DataFrame, as_of, invoice_id: str, history: pd.DataFrame | None = None
            ) -> pd.DataFrame:
    """Per-feature effects on one open invoice's prediction (see the module docstring).

    Returns
    -------
    DataFrame
        :data:`EXPLAIN_COLUMNS`, largest absolute effect on days first.

    Raises
    ------
    FinshareError
        ``unknown-invoice`` when ``invoice_id`` is not open at ``as_of``.
    """
    from ..core.problems import FinshareError, Problem, Source
    X, _ = model.open_features(open_invoices, as_of, history)
    one = X[X["invoice_id"] == str(invoice_id)]
    if one.empty:
        raise FinshareError([Problem("unknown-invoice", f"发票 {invoice_id} 在该日不是未结清的 / invoice {invoice_id} "
                                     "is not open on that date", Source(field="invoice_id"),
                                     "选一张未结清的发票 / pick an invoice that is open at --as-of")])
    ref = model.reference_
    rows = pd.concat([one] * (len(MODEL_FEATURES) + 1), ignore_index=True)
    for i, f in enumerate(MODEL_FEATURES, start=1):
        rows.loc[i, f] = ref[f]
    days = model.regressor_.predict(rows)
    p = model.classifier_.predict_proba(rows)[:, 1]
    out = pd.DataFrame({"feature": MODEL_FEATURES, "name_zh": [FEATURE_LABELS[f][0] for f in MODEL_FEATURES],
                        "name_en": [FEATURE_LABELS[f][1] for f in MODEL_FEATURES],
                        "value": one[MODEL_FEATURES].to_numpy("float64")[0], "reference": ref[MODEL_FEATURES].to_numpy(),
                        "effect_days": days[0] - days[1:], "effect_p_late": p[0] - p[1:]})
    return out.iloc[np.argsort(-np.abs(out["effect_days"].to_numpy()), kind="stable")].reset_index(drop=True)


__all__ = ["reasons", "explain", "FEATURE_LABELS", "EXPLAIN_COLUMNS"]
