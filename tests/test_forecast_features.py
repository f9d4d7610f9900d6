"""Point-in-time features: values on an 8-invoice history worked by hand, and no leakage from the future."""
import io
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from finshare.forecast.features import FEATURE_COLUMNS, features
from finshare.forecast.generator import generate_history
from finshare.forecast.history import build_history

# Customer A and B, CNY, 30-day terms (2020 is a leap year). Days to settle / days late:
# A1 20/-10, A2 40/+10, A3 40/+10, A4 open, A5 20/-10; B1 30/0 (on the due date: not late), B2 44/+15, B3 open.
HAND = """invoice_id,customer_id,invoice_date,due_date,amount,currency,settled_date,disputed
A1,A,2020-01-01,2020-01-31,100.00,CNY,2020-01-21,no
A2,A,2020-01-10,2020-02-09,200.00,CNY,2020-02-19,no
A3,A,2020-02-01,2020-03-02,400.00,CNY,2020-03-12,no
A4,A,2020-02-19,2020-03-20,100.00,CNY,,no
A5,A,2020-03-15,2020-04-14,800.00,CNY,2020-04-04,no
B1,B,2020-01-05,2020-02-04,50.00,CNY,2020-02-04,no
B2,B,2020-02-04,2020-03-05,50.00,CNY,2020-03-20,no
B3,B,2020-03-01,2020-03-31,25.00,CNY,,yes
"""


@pytest.fixture(scope="module")
def hand():
    text = pd.read_csv(io.StringIO(HAND), dtype=str, keep_default_na=False)
    return build_history(text, "hand.csv").table


def row(frame, invoice):
    return frame.set_index("invoice_id").loc[invoice]


def test_training_rows_see_only_settlements_strictly_before_their_invoice_date(hand):
    x = features(hand)
    assert list(x.columns) == FEATURE_COLUMNS and list(x["invoice_id"]) == sorted(hand["invoice_id"])
    a1, a2, a3, a4, a5 = (row(x, f"A{i}") for i in range(1, 6))
    assert a1["hist_count"] == 0 and math.isnan(a1["hist_mean_days"]) and math.isnan(a1["amount_ratio"])
    assert a2["hist_count"] == 0 and a2["open_before"] == 1 and a2["amount_ratio"] == pytest.approx(2.0)
    # A3 on 1 Feb: A1 settled 21 Jan (20 days, 10 early)
    assert (a3["hist_count"], a3["hist_mean_days"], a3["hist_median_days"], a3["hist_late_share"],
            a3["hist_mean_late"], a3["hist_trend"], a3["last_late"], a3["open_before"]) == (1, 20, 20, 0, -10, 0, -10, 1)
    assert a3["amount_ratio"] == pytest.approx(400 / math.sqrt(100 * 200))
    # A4 on 19 Feb: A2 settled that very day, so it is not yet known
    assert a4["hist_count"] == 1 and a4["open_before"] == 2 and a4["amount_ratio"] == pytest.approx(0.5)
    # A5 on 15 Mar: A1, A2, A3 settled (20, 40, 40 days; -10, +10, +10 late)
    assert a5["hist_count"] == 3 and a5["hist_mean_days"] == pytest.approx(100 / 3)
    assert a5["hist_median_days"] == 40 and a5["hist_late_share"] == pytest.approx(2 / 3)
    assert a5["hist_mean_late"] == pytest.approx(10 / 3) and a5["hist_trend"] == pytest.approx(0)
    assert a5["last_late"] == 10 and a5["open_before"] == 1
    assert a5["amount_ratio"] == pytest.approx(800 / (100 * 200 * 400 * 100) ** 0.25)
    assert a5["terms_days"] == 30 and a5["inv_month"] == 3 and a5["inv_weekday"] == 6  # a Sunday
    assert a5["due_weekday"] == 1 and a5["due_day"] == 14 and a5["due_quarter_end"] == 0
    b2, b3 = row(x, "B2"), row(x, "B3")
    assert b2["hist_count"] == 0 and b2["open_before"] == 1 and b2["amount_ratio"] == 1
    assert (b3["hist_count"], b3["hist_mean_days"], b3["hist_late_share"], b3["last_late"], b3["open_before"],
            b3["disputed"], b3["due_quarter_end"]) == (1, 30, 0, 0, 1, 1, 1)
    assert b3["amount_ratio"] == pytest.approx(0.5) and b3["log_amount"] == pytest.approx(math.log(25))
    # B1 was paid on its due date (Tue 4 Feb); B3 is due on 31 Mar 2020, the last weekday of March (a run day)
    assert (b3["hist_on_due_share"], b3["hist_run_share"], b3["recent_late_share"], b3["due_after_run"]) == (1, 0, 0, 0)
    # A5 due Tue 14 Apr: 14 days after the March run (Tue 31 Mar), 80 days after the 2020 festival (25 Jan)
    assert (a5["recent_late_share"], a5["hist_on_due_share"], a5["due_after_run"], a5["due_to_festival"]) == (
        pytest.approx(2 / 3), 0, 14, -80)
    # A2 due Sun 9 Feb: 9 days after the January run (Fri 31 Jan); B1 due Tue 4 Feb, 10 days after the festival
    assert a2["due_after_run"] == 9 and row(x, "B1")["due_to_festival"] == -10
    assert (x["days_open"] == 0).all() and (x["at"] == x["invoice_id"].map(
        hand.set_index("invoice_id")["invoice_date"])).all()


def test_open_invoices_at_a_date_see_what_had_settled_on_or_before_it(hand):
    x = features(hand, "2020-03-12")
    assert list(x["invoice_id"]) == ["A4", "B2", "B3"]      # A3 settled that day; A5 not yet issued
    a4, b2, b3 = row(x, "A4"), row(x, "B2"), row(x, "B3")
    assert (a4["hist_count"], a4["hist_median_days"], a4["last_late"], a4["days_open"], a4["open_before"]) == (
        3, 40, 10, 22, 0)
    assert a4["amount_ratio"] == pytest.approx(0.5)         # as on its invoice date
    assert (b2["hist_count"], b2["hist_mean_days"], b2["days_open"], b2["open_before"]) == (1, 30, 37, 1)
    assert (b3["days_open"], b3["open_before"], b3["disputed"]) == (11, 1, 1)


def test_the_median_is_of_the_last_ten_settled_and_the_trend_of_the_last_three():
    days = [90, 90, 10, 10, 10, 10, 10, 50, 50, 50, 50, 50]    # each settles before the next is issued
    inv = pd.date_range("2020-01-01", periods=12, freq="100D").append(pd.DatetimeIndex(["2024-01-01"]))
    h = pd.DataFrame({"invoice_id": [f"{i:02d}" for i in range(13)], "customer_id": "C", "invoice_date": inv,
                      "due_date": inv + pd.Timedelta(days=30), "amount": 100, "currency": "CNY",
                      "settled_date": list(inv[:12] + pd.to_timedelta(days, "D")) + [pd.NaT]})
    last = row(features(h), "12")
    assert last["hist_count"] == 12 and last["hist_median_days"] == 30   # last ten: 10 ×5, 50 ×5 (all twelve: 50)
    assert last["hist_mean_days"] == 40 and last["hist_mean_late"] == 10
    assert last["hist_trend"] == 20 - 10 and last["last_late"] == 20
    assert last["hist_late_share"] == pytest.approx(7 / 12) and last["recent_late_share"] == 1   # the last 5 were late


def test_month_end_run_share_and_due_date_payers():
    # C pays on Fri 31 Jan 2020 and Fri 28 Feb (run days: the last weekday of the month), then Mon 16 Mar;
    # its Feb invoice was due Sat 14 Mar and paid the Monday after: on the due date as a payables system counts it
    inv = pd.to_datetime(["2020-01-02", "2020-01-20", "2020-02-13", "2020-04-01"])
    due = pd.to_datetime(["2020-01-31", "2020-02-19", "2020-03-14", "2020-05-01"])
    h = pd.DataFrame({"invoice_id": ["1", "2", "3", "4"], "customer_id": "C", "invoice_date": inv, "due_date": due,
                      "amount": 100, "currency": "CNY",
                      "settled_date": pd.to_datetime(["2020-01-31", "2020-02-28", "2020-03-16", None])})
    last = row(features(h), "4")
    assert last["hist_run_share"] == pytest.approx(2 / 3) and last["hist_on_due_share"] == pytest.approx(2 / 3)
    assert last["recent_late_share"] == pytest.approx(2 / 3)       # 28 Feb and 16 Mar are after their due dates
    assert last["due_after_run"] == 1 and last["due_to_festival"] == pytest.approx(-(pd.Timestamp("2020-05-01")
                                                                                       - pd.Timestamp("2020-01-25")).days)


@pytest.fixture(scope="module")
def generated():
    return generate_history(seed=11, years=2, customers=15)


def truncate(h: pd.DataFrame, cut: pd.Timestamp) -> pd.DataFrame:
    kept = h[h["invoice_date"] <= cut].copy()
    kept.loc[kept["settled_date"] > cut, "settled_date"] = pd.NaT
    return kept


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.integers(min_value=20, max_value=700), seed=st.integers(0, 2**32 - 1))
def test_no_feature_uses_later_information(generated, day, seed):
    cut = pd.Timestamp("2018-01-01") + pd.Timedelta(days=day)
    full = features(generated)
    shuffled = truncate(generated, cut).sample(frac=1, random_state=seed % 2**32)
    part = features(shuffled)
    before = full[full["at"] < cut].reset_index(drop=True)
    pd.testing.assert_frame_equal(before, part[part["at"] < cut].reset_index(drop=True))
    pd.testing.assert_frame_equal(features(generated, cut), features(shuffled, cut))


def test_shuffling_rows_changes_nothing(generated):
    mixed = generated.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(features(generated), features(mixed))
