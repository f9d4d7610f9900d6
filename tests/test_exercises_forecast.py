"""Exercise 10 (回款预测): judged on held-out data the check regenerates; the baselines earn the format points only;
wrong shapes get feedback; a small class graded through ``finshare grade``."""
import nbformat
import numpy as np
import pandas as pd
import pytest
from exercise_helpers import TEACHER, notebook_with, teacher_answers, write
from hypothesis import given, settings
from hypothesis import strategies as st

from finshare.cli import main
from finshare.exercises import start
from finshare.exercises.forecast_feedback import best_fixed_interval, interval_score
from finshare.exercises.seed import rng
from finshare.forecast.generator import generate_history

NAME = "10-collection-forecast"
FORMAT = {"ids": 2, "numbers": 2, "mae": 0, "mae-margin": 0, "auc": 0, "interval": 0, "cash": 0}


def regenerated(student):
    """The student's whole history and as-of date, derived here from the seed stream, not through the exercise."""
    r = rng(student, NAME, "history")
    seed, offset = int(r.integers(1, 2 ** 31)), int(r.integers(0, 150))
    return generate_history(seed=seed, years=3), pd.Timestamp("2020-03-01") + pd.Timedelta(days=offset)


@pytest.fixture(scope="module")
def ex():
    return start(NAME, "2023001")


@pytest.fixture(scope="module")
def full():
    return regenerated("2023001")


@pytest.fixture(scope="module")
def sol():
    return teacher_answers(NAME, "2023001")["predictions"]


def grade(predictions, student="2023001"):
    e = start(NAME, student)
    return e.grade({"predictions": e.read_back("predictions", predictions)})


def points(report):
    return {r.name: r.points for r in report.results}


def text(report):
    return "\n".join(report.feedback())


def really_open(full):
    """The generator's invoices dated on or before the as-of date and not settled by then (worked out here)."""
    h, as_of = full
    return h[(h["invoice_date"] <= as_of) & ~(h["settled_date"] <= as_of)]


def truth_days(full, ex):
    """Real days to settle of each open invoice (NaN when open at the history's end), from the regenerated data."""
    h, _ = full
    t = h.set_index("invoice_id").loc[ex.open_invoices["invoice_id"]]
    return (t["settled_date"] - t["invoice_date"]).dt.days.to_numpy("float64")


def baseline_answer(ex):
    """The customer-median baseline as a student would hand it in: its days, and late when its date is past due."""
    b = ex.baseline
    return pd.DataFrame({"invoice_id": b["invoice_id"], "predicted_days": b["predicted_days"],
                         "p_late": (b["score"] > 0).astype(float)})


# ------------------------------------------------------------------ the data
def test_the_student_sees_the_history_known_at_the_as_of_date(ex, full):
    h, as_of = full
    assert ex.as_of == as_of == pd.Timestamp("2020-04-10")
    seen = ex.history
    assert seen["invoice_date"].max() <= as_of and not (seen["settled_date"] > as_of).any()
    assert len(seen) == int((h["invoice_date"] <= as_of).sum()) == 3264     # invoices: the generator's first stream
    opened = really_open(full)
    assert sorted(ex.open_invoices["invoice_id"]) == sorted(opened["invoice_id"]) and 100 < len(opened) < 400
    assert ex.open_invoices["settled_date"].isna().all()


def test_invoices_still_open_at_the_end_are_not_scored(ex, full):
    days = truth_days(full, ex)
    never = int(really_open(full)["settled_date"].isna().sum())    # open at the as-of date and at the history's end
    assert ex.truth["scored"].tolist() == (~np.isnan(days)).tolist()
    assert int(np.isnan(days).sum()) == never > 0


@settings(max_examples=4, deadline=None)
@given(st.text(min_size=1, max_size=10))
def test_any_student_gets_open_invoices_known_then(student):
    e = start(NAME, student)
    assert pd.Timestamp("2020-03-01") <= e.as_of < pd.Timestamp("2020-07-29")
    t = e.truth
    assert (t.loc[t["scored"], "days"] > t.loc[t["scored"], "days_open"]).all()   # settled after the as-of date
    assert 100 < len(e.open_invoices) < 400 and t["scored"].mean() > 0.9


# ------------------------------------------------------------------ scores
def test_the_teachers_pipeline_scores_full_marks(sol):
    report = grade(sol)
    assert (report.points, report.max_points) == (20, 20), report.text()


def test_the_mae_is_computed_on_the_regenerated_truth(ex, full):
    """Feedback's MAE is the student's error against the real days, worked out here from the regenerated history."""
    days = truth_days(full, ex)
    guess = pd.DataFrame({"invoice_id": ex.open_invoices["invoice_id"], "predicted_days": 40.0, "p_late": 0.5})
    scored = ~np.isnan(days)
    assert f"mean absolute error {np.abs(40.0 - days[scored]).mean():.1f} days" in text(grade(guess))


@pytest.mark.parametrize("answer", ["median", "median-squashed", "due-date", "constant"])
def test_the_baselines_and_a_constant_earn_the_format_points_only(ex, answer):
    b = baseline_answer(ex)
    terms = (ex.open_invoices["due_date"] - ex.open_invoices["invoice_date"]).dt.days
    if answer == "median-squashed":      # the baseline's own lateness ranking as a probability: not above itself
        b["p_late"] = 1 / (1 + np.exp(-ex.baseline["score"] / 10))
    if answer == "due-date":
        b = b.assign(predicted_days=terms.to_numpy(), p_late=0.0)
    if answer == "constant":
        b = b.assign(predicted_days=45, p_late=0.3, lower_days=10, upper_days=90)
    report = grade(b)
    assert points(report) == FORMAT, report.text()


def test_baseline_feedback_speaks_of_dates_and_lateness(ex, full):
    answer = baseline_answer(ex)
    report = grade(answer)
    feedback = text(report)
    _, as_of = full
    opened = really_open(full).set_index("invoice_id").loc[answer["invoice_id"]]
    days_open = (as_of - opened["invoice_date"]).dt.days.to_numpy()
    early = int((answer["predicted_days"].to_numpy() <= days_open).sum())
    past_due = int(((opened["due_date"] < as_of).to_numpy() & (answer["p_late"].to_numpy() < 0.5)).sum())
    assert early > 0 and past_due > 0
    assert f"{early} invoice(s) are predicted to settle on or before the as-of date, though they were still open" \
        in feedback
    assert f"{past_due} invoice(s) were still open after their due date at the as-of date, yet p_late is below 0.5" \
        in feedback
    assert "the bar is 0.80 and above the baseline" in feedback
    assert "no interval given (lower_days, upper_days): optional" in feedback


def test_a_leaky_answer_scores_full_but_only_for_its_own_student(ex, full):
    """Answers made from the truth score full marks: the check compares with its own regenerated truth, so the same
    answers handed in under another id score nothing beyond the numbers being numbers."""
    h, as_of = full
    t = h.set_index("invoice_id").loc[ex.open_invoices["invoice_id"]]
    days = (t["settled_date"].fillna(pd.Timestamp("2021-01-01")) - t["invoice_date"]).dt.days.to_numpy("float64")
    leaky = pd.DataFrame({"invoice_id": ex.open_invoices["invoice_id"], "predicted_days": days,
                          "p_late": (t["settled_date"] > t["due_date"]).astype(float).to_numpy(),
                          "lower_days": days - 10,
                          "upper_days": np.where(np.arange(len(days)) % 6 == 0, days - 1, days)})
    assert grade(leaky).points == 20
    other = grade(leaky, "2023002")
    assert other.points <= 2 and "invoices open at the as-of date have no prediction" in text(other)


def test_a_narrow_interval_is_named(sol):
    narrow = sol.assign(lower_days=sol["predicted_days"], upper_days=sol["predicted_days"] + 1)
    report = grade(narrow)
    assert points(report)["interval"] == 0 and "narrower than needed for an 80 % interval (70%–90%)" in text(report)
    assert report.points == 18


# ------------------------------------------------------------------ the interval
def test_interval_score_by_hand():
    # inside: the width 10; 2 days below a [20, 40] interval: 20 + 10 × 2; 5 days above [30, 35]: 5 + 10 × 5
    assert interval_score([10, 20, 30], [20, 40, 35], [15, 18, 40]).tolist() == [10.0, 40.0, 55.0]
    assert interval_score([10], [20], [22], alpha=0.5).tolist() == [18.0]       # 10 + (2 / 0.5) × 2


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 25)), min_size=1, max_size=8))
def test_no_fixed_interval_beats_the_best_one(pairs):
    """Every pair of whole days [a, b] (ends raised to the day after the as-of date), tried one by one."""
    days_open = np.array([o for _, o in pairs], dtype=float)
    actual = days_open + 1 + np.array([d for d, _ in pairs], dtype=float)
    floor = days_open + 1
    tried = min(np.mean([max(b, f) - max(a, f) + 10 * max(max(a, f) - y, 0) + 10 * max(y - max(b, f), 0)
                         for y, f in zip(actual, floor)])
                for a in range(int(actual.max()) + 2) for b in range(a, int(actual.max()) + 2))
    best, _ = best_fixed_interval(actual, floor)
    assert best == pytest.approx(tried)


def outside(full, ex, lower, upper):
    """Invoices settled below and above [lower, upper] (rounded to whole days), from the regenerated history."""
    days = truth_days(full, ex)
    s = ~np.isnan(days)
    lo, hi, y = np.round(lower)[s], np.round(upper)[s], days[s]
    return int((y < lo).sum()), int((y > hi).sum()), float(np.mean(hi - lo + 10 * np.maximum(lo - y, 0)
                                                                  + 10 * np.maximum(y - hi, 0)))


def test_the_historys_11_to_89_range_for_every_invoice_scores_nothing():
    """The old check's hole: for 张三 this fixed interval holds 70–90 % and is narrower than the history's 10–90 %
    range (what the check used to ask), yet it says nothing about the single invoice."""
    ex, full = start(NAME, "张三"), regenerated("张三")
    settled = ex.history.dropna(subset=["settled_date"])
    lo10, lo, hi, hi90 = np.percentile((settled["settled_date"] - settled["invoice_date"]).dt.days, [10, 11, 89, 90])
    n = len(ex.open_invoices)
    below, above, score = outside(full, ex, np.full(n, lo), np.full(n, hi))
    scored = int(ex.truth["scored"].sum())
    assert 0.70 <= 1 - (below + above) / scored <= 0.90 and np.round(hi) - np.round(lo) < hi90 - lo10
    report = grade(baseline_answer(ex).assign(lower_days=lo, upper_days=hi), "张三")
    assert points(report)["interval"] == 0
    assert f"lower is better) {score:.1f}" in text(report)
    assert f"{below + above} of the {scored} settled invoices fell outside: {below} settled before the lower end, " \
           f"{above} after the upper end" in text(report)


def test_the_best_pair_of_history_quantiles_scores_nothing_and_the_teacher_beats_it(ex, full, sol):
    """Of the known history's 0–50 % and 50–100 % quantiles (half-percent steps), the pair best on the truth."""
    settled = ex.history.dropna(subset=["settled_date"])
    q = np.round(np.percentile((settled["settled_date"] - settled["invoice_date"]).dt.days, np.arange(0, 100.5, 0.5)))
    n = len(ex.open_invoices)
    scores = {(a, b): outside(full, ex, np.full(n, a), np.full(n, b))[2] for a in q[:101] for b in q[100:]}
    (a, b), best = min(scores.items(), key=lambda kv: kv[1])
    tomorrow = (ex.as_of - ex.open_invoices["invoice_date"]).dt.days.to_numpy() + 1
    for lower, upper in ((a, b), (np.maximum(a, tomorrow), np.maximum(b, tomorrow))):
        assert points(grade(baseline_answer(ex).assign(lower_days=lower, upper_days=upper)))["interval"] == 0
    assert outside(full, ex, sol["lower_days"].to_numpy(), sol["upper_days"].to_numpy())[2] < 0.85 * best


def test_the_due_date_widened_by_the_historys_lateness_scores_nothing(ex, full):
    """The due date plus the known history's 10 % and 90 % of days paid after it (from tomorrow when past due)."""
    settled = ex.history.dropna(subset=["settled_date"])
    a, b = np.percentile((settled["settled_date"] - settled["due_date"]).dt.days, [10, 90])
    inv = ex.open_invoices
    terms = (inv["due_date"] - inv["invoice_date"]).dt.days.to_numpy()
    tomorrow = (ex.as_of - inv["invoice_date"]).dt.days.to_numpy() + 1
    lower, upper = np.maximum(np.round(terms + a), tomorrow), np.maximum(np.round(terms + b), tomorrow)
    below, above, score = outside(full, ex, lower, upper)
    report = grade(baseline_answer(ex).assign(lower_days=lower, upper_days=upper))
    assert points(report)["interval"] == 0
    assert f"the due date plus the history's 10 %–90 % of days paid after it scores {score:.1f}" in text(report)


def test_the_teachers_interval_holds_about_80_percent_and_keeps_its_points(ex, full, sol):
    below, above, _ = outside(full, ex, sol["lower_days"].to_numpy(), sol["upper_days"].to_numpy())
    assert 0.70 <= 1 - (below + above) / int(ex.truth["scored"].sum()) <= 0.90
    assert points(grade(sol))["interval"] == 2


def test_a_wide_interval_is_named(sol):
    wide = sol.assign(lower_days=0, upper_days=sol["upper_days"] + 200)
    report = grade(wide)
    assert points(report)["interval"] == 0 and "wider than needed for an 80 % interval (70%–90%)" in text(report)
    assert "no narrower than that fixed interval" in text(report)


# ------------------------------------------------------------------ shapes
@pytest.mark.parametrize("value, says", [
    (None, "not answered yet: predictions is None"),
    ({"00000001": 30}, "predictions should be a table (a pandas DataFrame), not a dict"),
    (pd.DataFrame({"days": [30]}), "predictions lacks the column invoice_id"),
    (pd.DataFrame(columns=["invoice_id", "predicted_days", "p_late"]), "predictions has no rows yet"),
])
def test_wrong_shapes_get_feedback(value, says):
    report = grade(value)
    assert report.points == 0 and says in text(report)


def test_missing_twice_and_unknown_invoices_are_named(sol, full):
    bad = pd.concat([sol.iloc[1:], sol.iloc[[5]], pd.DataFrame({"invoice_id": ["99999999"], "predicted_days": [3.0],
                                                                 "p_late": [0.1]})], ignore_index=True)
    report = grade(bad)
    first = sol["invoice_id"].iat[0]
    n = len(really_open(full))
    assert f"1 of the {n} invoices open at the as-of date have no prediction, e.g. {first}" in text(report)
    assert f"invoice(s) {sol['invoice_id'].iat[5]} are predicted more than once" in text(report)
    assert "1 row(s) name invoices that were not open at the as-of date" in text(report)
    assert points(report)["ids"] == 0 and points(report)["mae"] == 0
    assert "not scored: every open invoice needs a valid predicted_days" in text(report)


def test_bad_numbers_are_named_and_block_the_scores_they_feed(sol):
    bad = sol.astype({"p_late": object, "predicted_days": object}).copy()
    bad.loc[0, "p_late"], bad.loc[1, "predicted_days"] = 1.5, "soon"
    report = grade(bad)
    assert "1 row(s): p_late is a probability: it lies between 0 and 1" in text(report)
    assert "predicted_days: 1 value(s) are not numbers, e.g. soon" in text(report)
    assert points(report) == {**FORMAT, "numbers": 0, "interval": 2}     # the interval is judged on its own


def test_chinese_columns_and_ids_written_as_numbers_are_read(sol):
    renamed = sol.rename(columns={"invoice_id": "发票号", "predicted_days": "预测天数", "p_late": "逾期概率",
                                  "lower_days": "下限", "upper_days": "上限"})
    renamed["发票号"] = renamed["发票号"].astype(int)
    assert grade(renamed).points == 20


# ------------------------------------------------------------------ graded in real kernels
def test_grade_command_scores_the_teacher_and_the_baseline(tmp_path, ex):
    subs = tmp_path / "subs"
    write(nbformat.read(TEACHER / f"{NAME}.ipynb", as_version=4), subs / "2023001" / f"{NAME}.ipynb")
    copy = ("b = ex.baseline\npredictions = pd.DataFrame({'invoice_id': b['invoice_id'], "
            "'predicted_days': b['predicted_days'], 'p_late': (b['score'] > 0).astype(float)})")
    write(notebook_with(NAME, copy, teacher=False), subs / "2023002" / f"{NAME}.ipynb")
    out = tmp_path / "scores.csv"
    assert main(["grade", str(subs), "--exercise", NAME, "--out", str(out), "--timeout", "120", "--quiet"]) == 0
    table = pd.read_csv(out, dtype={"student": str})
    assert table.to_dict("list") == {"student": ["2023001", "2023002"], "exercise": [NAME, NAME], "points": [20, 4],
                                     "max": [20, 20], "status": ["ok", "ok"]}
