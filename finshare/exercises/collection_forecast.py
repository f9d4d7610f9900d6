"""Exercise 10: forecasting cash collection (回款预测), judged on held-out data with a baseline to beat.

Each student gets a generated receivable history
(:func:`finshare.forecast.generator.generate_history`, three years from
2018-01-01, 60 customers, seeded from the student id) and an as-of date
between 2020-03-01 and 2020-07-28. The student sees the history *known* at
that date (:func:`finshare.forecast.training.known_at`: later invoices
dropped, later settlements blank) and the invoices open then, and predicts for
each open invoice the days from invoice to settlement, P(paid after the due
date) and, optionally, an 80 % interval.

The truth — when the open invoices were really settled — is never in the
notebook: the check regenerates the whole history from the student id. Open
invoices still unsettled at the end of the history (2021-01-01; a few slow or
disputed ones) are not scored. The baselines are computed by the check on the
same known history (:mod:`finshare.forecast.baselines`); the scores are in
:mod:`.forecast_feedback`, the reading of the table in :mod:`.forecast_answers`.

Calibration, measured with the generator's scheduled payers (due-date payments; a weekend due date paid on
the Monday): the teacher's notebook scores 20/20 on each of 54 ids (3000001–3000050, 2023001, 2023002,
张三, teacher) and the customer-median baseline (also its squashed score), the due dates and a constant earn
the 4 format points only. Smallest margins over those ids: MAE at most 0.846 of the baseline's (bar 0.90);
AUC 0.874 (bar 0.80) and at least 0.017 above the baseline's ranking (id 3000007, whose baseline ranks at
0.926; 0.052 on 40 development ids 4000001–4000040); amount-weighted error at most 0.928 of the better
baseline's (hidden check). Margins are measured, not guaranteed.

The interval (:func:`.forecast_feedback.interval_result`) is judged by its mean interval score (α = 0.2)
against the best fixed interval — one pair of whole days for every invoice, ends raised to the day after the
as-of date, picked knowing the truth, so it beats every constant — and against the due date widened by the
known history's 10 %–90 % of days paid after it; the coverage band 70–90 % stays, as the score alone passes
the teacher's interval shrunk halfway to its median (holding about 57 %). Margins were set on 80 development ids (4000001–4000040,
5000001–5000040): the teacher's score is at most 0.767 of the fixed interval's (bar 0.85) and 0.846 of the
due date's (bar 0.90), coverage 0.717–0.898. On the 54 ids above: 0.464–0.767 and 0.520–0.824, coverage
0.715–0.865 (mean 0.80), interval points kept on all. On all 134 ids these earn 0 for the interval: the
history's 11 %–89 % range (which held 70–90 % on 81 % of them), the best pair of the history's half-percent
quantiles (also raised to the day after the as-of date), 10–90 days, and the due date widened by the
history's 10–90 %, 11–89 % or 15–85 % of days after it (5–95 %: 2 points on one id, 5000001). Not barred:
the customer's median days widened by the history's 10–90 % spread around its median (2 points on 15 of
the 134 ids); the teacher's interval beats it by 13–41 %, too little for a bar.
"""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ..forecast import baselines
from ..forecast.features import features
from ..forecast.generator import generate_history
from ..forecast.training import known_at
from .exercise import Exercise, Question, unchecked
from .forecast_answers import read_predictions
from .forecast_feedback import TITLES, auc_result, cash_result, interval_result, mae_results
from .result import CheckResult

#: The generated history: years, customers, first day.
YEARS, CUSTOMERS, START = 3, 60, "2018-01-01"
#: The as-of date is this day plus 0 … AS_OF_DAYS − 1 days.
FIRST_AS_OF, AS_OF_DAYS = pd.Timestamp("2020-03-01"), 150
SHAPE = [("ids", "每张未结清发票预测一次 / every open invoice predicted once", 2),
         ("numbers", "天数和概率是有效的数 / days and probabilities are valid numbers", 2),
         ("mae", TITLES["mae"], 3), ("mae-margin", TITLES["mae-margin"], 3), ("auc", TITLES["auc"], 4),
         ("interval", TITLES["interval"], 2)]


class CollectionForecast(Exercise):
    """回款预测 / Forecasting cash collection (see module docstring)."""

    name = "10-collection-forecast"
    title = "练习 10 回款预测 / Exercise 10: forecasting cash collection"
    questions = (Question("predictions", "未结清发票的结清天数和逾期概率 / days to settle and P(late) of the open "
                          "invoices", "check_predictions", hidden="hidden_cash"),)

    # -------------------------------------------------------------------- data
    @cached_property
    def _generated(self) -> tuple[pd.DataFrame, pd.Timestamp]:
        """The whole history (truth included) and the as-of date, from the student id."""
        r = self.rng("history")
        seed = int(r.integers(1, 2 ** 31))
        as_of = FIRST_AS_OF + pd.Timedelta(days=int(r.integers(0, AS_OF_DAYS)))
        return generate_history(seed=seed, years=YEARS, customers=CUSTOMERS, start=START), as_of

    @property
    def as_of(self) -> pd.Timestamp:
        """The day the forecast is made (截止日)."""
        return self._generated[1]

    @cached_property
    def _known(self) -> pd.DataFrame:
        return known_at(*self._generated)

    @property
    def history(self) -> pd.DataFrame:
        """The receivable history as known at :attr:`as_of` (a copy; history schema)."""
        return self._known.copy()

    @property
    def open_invoices(self) -> pd.DataFrame:
        """The invoices open at :attr:`as_of`, the rows to predict (a copy; ``settled_date`` blank)."""
        h = self._known
        return h[h["settled_date"].isna()].sort_values("invoice_id").reset_index(drop=True)

    @cached_property
    def _features(self) -> pd.DataFrame:
        """Point-in-time features of the open invoices at :attr:`as_of`, ordered by invoice id."""
        return features(self._known, self.as_of)

    @property
    def baseline(self) -> pd.DataFrame:
        """The customer-median baseline on the open invoices: ``invoice_id, predicted_days, score``."""
        return baselines.customer_median(self._features)

    @cached_property
    def truth(self) -> pd.DataFrame:
        """For the checks only: each open invoice's real settlement (``scored`` False when still open at the end)."""
        full = self._generated[0].set_index("invoice_id")
        X = self._features
        t = full.loc[X["invoice_id"], ["invoice_date", "due_date", "amount", "currency", "settled_date"]].reset_index()
        scored = t["settled_date"].notna()
        return t.assign(days=(t["settled_date"] - t["invoice_date"]).dt.days.astype("float64"),
                        late=(t["settled_date"] > t["due_date"]).to_numpy() & scored.to_numpy(),
                        scored=scored.to_numpy(), days_open=X["days_open"].to_numpy(),
                        terms_days=X["terms_days"].to_numpy())

    def days_after_due(self) -> np.ndarray:
        """Days from due date to settlement of the known history's settled invoices (negative when early)."""
        h = self._known.dropna(subset=["settled_date"])
        return (h["settled_date"] - h["due_date"]).dt.days.to_numpy("float64")

    def due_date_plan(self) -> np.ndarray:
        """Days to settle on the due date, or the day after :attr:`as_of` when already past due (cash-plan baseline)."""
        X = self._features
        return np.maximum(X["terms_days"], X["days_open"] + 1).to_numpy("float64")

    # ------------------------------------------------------------------ checks
    def check_predictions(self, value) -> list[CheckResult]:
        if value is None or not isinstance(value, pd.DataFrame):
            read = read_predictions(value, pd.Series([], dtype=str))
            return unchecked(SHAPE, read.id_problems)
        read = read_predictions(value, self._features["invoice_id"])
        if read.numbers is None:
            return unchecked(SHAPE, read.id_problems)
        ids = 2 if not read.id_problems else 1 if read.missing == 0 else 0
        out = [CheckResult("ids", SHAPE[0][1], ids, 2, tuple(read.id_problems)),
               CheckResult("numbers", SHAPE[1][1], 0 if read.number_problems else 2, 2, tuple(read.number_problems))]
        return out + self._scores(read)

    def _scores(self, read) -> list[CheckResult]:
        n, t = read.numbers, self.truth
        why = ("未计分：每张未结清发票都要有有效的 {c} / not scored: every open invoice needs a valid {c} "
               "(see above)")
        if read.usable("predicted_days") and not read.number_problems:
            out = mae_results(n["predicted_days"].to_numpy(), t, self.baseline["predicted_days"].to_numpy("float64"))
        else:
            out = unchecked(SHAPE[2:4], [why.format(c="predicted_days")])
        if read.usable("p_late") and not read.number_problems:
            out.append(auc_result(n["p_late"].to_numpy(), t, self.baseline["score"].to_numpy("float64")))
        else:
            out += unchecked(SHAPE[4:5], [why.format(c="p_late")])
        if read.has_interval and not read.interval_problems:
            out.append(interval_result(n["lower_days"].to_numpy(), n["upper_days"].to_numpy(), t,
                                       self.days_after_due()))
        else:
            out.append(CheckResult("interval", SHAPE[5][1], 0, 2, tuple(read.interval_problems) or (
                "没有给区间（lower_days, upper_days），这一项可选 / no interval given (lower_days, upper_days): optional",)))
        return out

    def hidden_cash(self, value) -> list[CheckResult]:
        title = TITLES["cash"]
        if not isinstance(value, pd.DataFrame):
            return [CheckResult("cash", title, 0, 4)]
        read = read_predictions(value, self._features["invoice_id"])
        if not read.usable("predicted_days") or read.number_problems:
            return [CheckResult("cash", title, 0, 4, ("未计分：预测不完整 / not scored: the predictions are incomplete",))]
        return [cash_result(read.numbers["predicted_days"].to_numpy(), self.truth,
                            self.baseline["predicted_days"].to_numpy("float64"), self.due_date_plan())]
