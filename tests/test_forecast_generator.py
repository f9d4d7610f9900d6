"""The receivable-history generator: deterministic, realistic in the ways it claims, and not easy."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finshare.cli import main
from finshare.forecast.features import features
from finshare.forecast.generator import SPRING_FESTIVAL, generate_history
from finshare.forecast.loaders import load_history

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def table():
    return generate_history(seed=2020, years=3)


def test_the_cli_writes_the_same_bytes_for_a_seed_and_the_committed_sample_is_that(tmp_path, capsys):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    assert main(["generate", "ar-history", "--seed", "2020", "--years", "3", "--out", str(a)]) == 0
    assert "4,113 invoices (216 open), 60 customers" in capsys.readouterr().out
    main(["generate", "ar-history", "--seed", "2020", "--years", "3", "--out", str(b)])
    main(["generate", "ar-history", "--seed", "2021", "--years", "3", "--out", str(c)])
    assert a.read_bytes() == b.read_bytes() == (ROOT / "datasets/ar-history/history.csv").read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert len(load_history(a).table) == 4113


def test_bad_years_is_exit_two_with_a_message(tmp_path, capsys):
    assert main(["generate", "ar-history", "--years", "0", "--out", str(tmp_path / "x.csv")]) == 2
    assert "years 0 must be 1 to 30" in capsys.readouterr().err


def late_share(t: pd.DataFrame) -> pd.Series:
    done = t[t["settled_date"].notna()]
    return (done["settled_date"] > done["due_date"]).groupby(done["customer_id"].map(t.attrs["segments"])).mean()


def test_segments_pay_differently(table):
    share = late_share(table)
    assert share["prompt"] < 0.35 < share["steady"] < 0.65 < share["slow"]
    assert 0.3 < share["erratic"] < 0.75


def test_the_deteriorating_customers_pay_later_in_the_last_year(table):
    done = table[table["settled_date"].notna()]
    late = (done["settled_date"] - done["due_date"]).dt.days
    theirs = done["customer_id"].isin(table.attrs["deteriorating"])
    before = late[theirs & (done["invoice_date"] < "2020-01-01")].mean()
    after = late[theirs & (done["invoice_date"] >= "2020-04-01") & (done["invoice_date"] < "2020-10-01")].mean()
    others = late[~theirs & (done["invoice_date"] >= "2020-04-01") & (done["invoice_date"] < "2020-10-01")].mean()
    assert after > before + 10 and after > others


def test_calendar_terms_amounts_and_flags(table):
    paid = table["settled_date"].dropna()
    assert (paid.dt.day_of_week < 5).all()
    for year in (2018, 2019, 2020):
        fest = pd.Timestamp(f"{year}-{SPRING_FESTIVAL[year]}")
        assert not paid.between(fest, fest + pd.Timedelta(days=9)).any()
    assert set(table["payment_terms"]) == {30, 45, 60, 90}
    assert ((table["due_date"] - table["invoice_date"]).dt.days == table["payment_terms"]).all()
    assert table["invoice_id"].str.startswith("0000").all() and table["invoice_id"].is_unique
    cny = table.loc[table["currency"] == "CNY", "amount"]
    assert cny.max() > 50 * cny.median()                           # heavy tail
    assert 0.02 < table["disputed"].mean() < 0.10 and 0.4 < table["paperless"].mean() < 0.8
    done = table[table["settled_date"].notna()]
    days = (done["settled_date"] - done["due_date"]).dt.days
    assert days[done["disputed"].to_numpy(bool)].median() > days[~done["disputed"].to_numpy(bool)].median() + 25
    assert table["settled_date"].isna().sum() > 100 and table["settled_date"].max() < pd.Timestamp("2021-01-01")


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """Mann–Whitney AUC with average ranks for ties."""
    r = pd.Series(score).rank().to_numpy()
    pos = y.sum()
    return (r[y].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))


def test_it_is_not_easy_the_customers_late_record_ranks_well_but_far_from_perfectly(table):
    x = features(table).set_index("invoice_id")
    t = table.set_index("invoice_id").loc[x.index]
    test = (t["settled_date"].notna() & (t["invoice_date"] >= "2020-01-01") & (x["hist_count"] >= 5)).to_numpy()
    y = (t["settled_date"] > t["due_date"]).to_numpy()[test]
    # the guard that the data is not easy by construction: each single signal ranks well below the 0.85 asked
    # of the model (0.77, 0.68 and 0.72 on this seed)
    assert 0.70 < auc(y, x["hist_late_share"].to_numpy()[test]) < 0.82
    assert 0.5 < auc(y, x["last_late"].to_numpy()[test]) < 0.80
    assert 0.5 < auc(y, x["recent_late_share"].to_numpy()[test]) < 0.80


def test_scheduled_payers_pay_on_the_due_date_and_a_weekend_due_date_makes_them_late(table):
    done = table[table["settled_date"].notna()]
    on_due = done["settled_date"] == done["due_date"] + pd.offsets.BDay(0)
    share = on_due.groupby(done["customer_id"]).mean()
    assert 0.2 < (share > 0.6).mean() < 0.6                  # a fair part of the customers, not all
    weekend = done["due_date"].dt.day_of_week >= 5
    late = done["settled_date"] > done["due_date"]
    assert late[on_due & weekend].all() and not late[on_due & ~weekend].any()
