"""Exercise 10's scores: the predictions against the truth the check regenerates, beside the baselines.

Every figure is computed on the *scored* invoices: those open at the as-of date
that were settled by the end of the generated history (the few still open then
are not scored). The baselines come from :mod:`finshare.forecast.baselines` on
the same known history: the customer's median days so far (MAE; its
``median − terms`` ranks lateness for AUC) and, for the hidden check on the
large invoices, also paid on the due date (or the day after the as-of date when
already past due). A weekly inflow error was tried for the hidden check and
dropped: on about 200 heavy-tailed amounts it put an honest model behind the
due-date plan for some students.

Feedback talks about dates, lateness and cash plans, never about single
invoices' outcomes; the student's figures are rounded (days to one decimal,
AUC and coverage to two places).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from .result import CheckResult

#: MAE must be below the baseline's; the second check wants it at most this share of it.
MAE_MARGIN = 0.90
#: AUC must reach this and beat the customer-median ranking.
AUC_BAR = 0.80
#: The 80 % interval's coverage must fall in this range.
COVERAGE = (0.70, 0.90)

TITLES = {
    "mae": "结清日期比基准准 / settlement dates closer than the baseline's",
    "mae-margin": f"至少好 {round(100 * (1 - MAE_MARGIN))}% / at least {round(100 * (1 - MAE_MARGIN))} % closer",
    "auc": f"逾期排序（AUC ≥ {AUC_BAR:.2f} 且胜过基准）/ ranking late payers (AUC ≥ {AUC_BAR:.2f}, above the baseline's)",
    "interval": "80% 区间的覆盖率（可选）/ coverage of the 80 % interval (optional)",
    "cash": "大额发票的结清日期（按金额加权）比两个基准都准 / the dates of the large invoices (weighted by amount) "
            "closer than both baselines'",
}


def mae_results(days: np.ndarray, truth: pd.DataFrame, baseline_days: np.ndarray) -> list[CheckResult]:
    """``mae`` (3 points) and ``mae-margin`` (3): mean absolute error of days to settle vs the baseline's."""
    s = truth["scored"].to_numpy()
    actual = truth["days"].to_numpy("float64")[s]
    mine, base = np.abs(days[s] - actual).mean(), np.abs(baseline_days[s] - actual).mean()
    notes = _days_notes(days, truth, baseline_days)
    head = (f"结清天数的平均绝对误差 {mine:.1f} 天；基准（客户历史中位天数）{base:.1f} 天 / mean absolute error "
            f"{mine:.1f} days; the baseline (the customer's median days so far) {base:.1f} days")
    beat, margin = mine < base, mine <= MAE_MARGIN * base
    first = () if beat else (head, *notes)
    second = () if margin else ((head, *notes) if beat else ("未检查：先要好于基准 / not reached: first beat the "
                                                             "baseline",))
    return [CheckResult("mae", TITLES["mae"], 3 * beat, 3, first),
            CheckResult("mae-margin", TITLES["mae-margin"], 3 * margin, 3, second)]


def _days_notes(days: np.ndarray, truth: pd.DataFrame, baseline_days: np.ndarray) -> list[str]:
    """Where the dates go wrong: dates before the as-of date, a bias, invoices past due or not."""
    notes = []
    early = int((days <= truth["days_open"].to_numpy()).sum())
    if early:
        notes.append(f"{early} 张发票预测在截止日当天或之前结清，可它们那天还没结清 / {early} invoice(s) are predicted "
                     "to settle on or before the as-of date, though they were still open that day")
    s = truth["scored"].to_numpy()
    bias = float(np.mean(days[s] - truth["days"].to_numpy("float64")[s]))
    if abs(bias) >= 3:
        zh, en = ("早", "early") if bias < 0 else ("晚", "late")
        notes.append(f"平均来看你的结清日期{zh}了 {abs(bias):.0f} 天 / on average your dates are {abs(bias):.0f} days "
                     f"too {en}")
    past = (truth["days_open"] > truth["terms_days"]).to_numpy()
    for m, zh, en in ((past, "截止日已逾期的发票", "invoices already past due at the as-of date"),
                      (~past, "截止日还未到期的发票", "invoices not yet due at the as-of date")):
        m = m & s
        if m.any():
            a = truth["days"].to_numpy("float64")[m]
            mine, base = np.abs(days[m] - a).mean(), np.abs(baseline_days[m] - a).mean()
            if mine >= base:
                notes.append(f"{zh}（{int(m.sum())} 张）：误差 {mine:.1f} 天，基准 {base:.1f} 天 / {en} ({int(m.sum())}): "
                             f"error {mine:.1f} days, the baseline's {base:.1f}")
    return notes


def auc_result(p_late: np.ndarray, truth: pd.DataFrame, baseline_score: np.ndarray) -> CheckResult:
    """``auc`` (4 points): AUC of ``p_late`` for "settled after the due date", ≥ the bar and above the baseline's."""
    s = truth["scored"].to_numpy()
    late = truth["late"].to_numpy(bool)[s]
    if late.all() or not late.any():
        return CheckResult("auc", TITLES["auc"], 4, 4, ("所有计分发票都同样逾期或都不逾期，不比排序 / the scored invoices "
                                                       "are all late or all on time: no ranking to score",))
    mine, base = roc_auc_score(late, p_late[s]), roc_auc_score(late, baseline_score[s])
    if mine >= AUC_BAR and mine > base:
        return CheckResult("auc", TITLES["auc"], 4, 4)
    notes = [f"p_late 对逾期的排序 AUC {mine:.2f}；客户历史中位天数减账期的排序 {base:.2f}；要求至少 {AUC_BAR:.2f} 并且高于"
             f"基准 / p_late ranks the late payers at AUC {mine:.2f}; the customer's median days so far minus the terms "
             f"ranks them at {base:.2f}; the bar is {AUC_BAR:.2f} and above the baseline"]
    past = (truth["days_open"] > truth["terms_days"]).to_numpy() & (p_late < 0.5)
    if past.any():
        notes.append(f"{int(past.sum())} 张发票在截止日已过到期日仍未结清，你给的逾期概率却低于 0.5 / {int(past.sum())} "
                     "invoice(s) were still open after their due date at the as-of date, yet p_late is below 0.5")
    return CheckResult("auc", TITLES["auc"], 0, 4, tuple(notes))


def interval_result(lower: np.ndarray, upper: np.ndarray, truth: pd.DataFrame, spread: float) -> CheckResult:
    """``interval`` (2 points): coverage of [lower, upper] (whole days) in :data:`COVERAGE`, narrower than ``spread``.

    ``spread`` is the width of the known history's 10 %–90 % range of days to settle: an interval any clerk
    could give every invoice without a model.
    """
    s = truth["scored"].to_numpy()
    a = truth["days"].to_numpy("float64")[s]
    lo_, hi_ = np.round(lower), np.round(upper)
    cov, width = float(((a >= lo_[s]) & (a <= hi_[s])).mean()), float(np.mean(hi_ - lo_))
    lo, hi = COVERAGE
    notes = []
    if not lo <= cov <= hi:
        zh, en = ("太窄", "too narrow") if cov < lo else ("太宽", "too wide")
        notes.append(f"区间包含了 {cov:.0%} 的已结清发票，{zh}：80% 区间应包含 {lo:.0%}–{hi:.0%} / the interval holds "
                     f"{cov:.0%} of the settled invoices: {en} for an 80 % interval ({lo:.0%}–{hi:.0%})")
    if width >= spread:
        notes.append(f"区间平均宽 {width:.0f} 天，不比整份历史 10%–90% 的结清天数范围（{spread:.0f} 天）窄：不看发票也能给出 / "
                     f"the interval is {width:.0f} days wide on average, no narrower than the whole history's "
                     "10 %–90 % "
                     f"range of days to settle ({spread:.0f} days): one could give it without looking at the invoice")
    return CheckResult("interval", TITLES["interval"], 0 if notes else 2, 2, tuple(notes))


def weighted_error(days: np.ndarray, truth: pd.DataFrame) -> float:
    """Mean absolute error of days to settle, each scored invoice weighted by its amount.

    The weight is the amount divided by the mean amount of the scored invoices of its currency, so no
    amounts of different currencies are added and each currency weighs as many invoices as it has.
    """
    t = truth[truth["scored"]]
    amount = t["amount"].to_numpy("float64")
    w = amount / t.groupby("currency")["amount"].transform("mean").to_numpy("float64")
    err = np.abs(days[truth["scored"].to_numpy()] - t["days"].to_numpy("float64"))
    return float(np.sum(w * err) / np.sum(w))


def cash_result(days: np.ndarray, truth: pd.DataFrame, median_days: np.ndarray, plan_days: np.ndarray) -> CheckResult:
    """``cash`` (4 points, hidden): the amount-weighted error below both baselines' (median days; due-date plan)."""
    mine, median, plan = (weighted_error(d, truth) for d in (days, median_days, plan_days))
    if mine < min(median, plan):
        return CheckResult("cash", TITLES["cash"], 4, 4)
    return CheckResult("cash", TITLES["cash"], 0, 4, (
        f"按金额加权的结清天数误差 {mine:.1f} 天；客户历史中位天数 {median:.1f} 天，按到期日（已逾期的按明天）{plan:.1f} 天："
        f"大额发票的日期决定现金计划 / error of days to settle weighted by amount {mine:.1f} days; the customer's median "
        f"{median:.1f}, the due date (tomorrow when past due) {plan:.1f}: the large invoices' dates make the "
        "cash plan",))
