"""The treasury dashboard's logic without widgets: default as-of, the model cache, the fallback, a customer's past."""
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from finshare.core.problems import FinshareError
from finshare.forecast.card import save_model
from finshare.forecast.loaders import load_history
from finshare.forecast.models import CollectionModel
from finshare.forecast.treasury import (SAMPLE_HISTORY, cache_root, cached_model, case_as_of, choose_model,
                                        customer_history, export_as_of, read_export)

SAMPLE_AS_OF = "2020-06-30"
QUICK = {"max_iter": 20}      # fewer boosting rounds: these tests are about caching, not accuracy


def frame(invoiced, settled) -> pd.DataFrame:
    """A history with only the dates that the as-of rules read."""
    return pd.DataFrame({"invoice_date": pd.to_datetime(invoiced), "settled_date": pd.to_datetime(settled)})


@pytest.fixture(scope="module")
def sample():
    return load_history(SAMPLE_HISTORY).table


def test_case_as_of_leaves_13_weeks_of_known_outcomes():
    # last date 2021-01-03; 13 weeks (91 days) before it is 2020-10-04; the month end before that is 2020-09-30
    h = frame(["2020-01-02", "2021-01-03"], ["2020-02-01", None])
    assert case_as_of(h) == pd.Timestamp("2020-09-30")
    # 2020-12-30 - 91 days is itself a month end, which is kept
    assert case_as_of(frame(["2020-01-02", "2020-12-01"], ["2020-12-30", None])) == pd.Timestamp("2020-09-30")
    # shorter than 13 weeks: the history's last date
    assert case_as_of(frame(["2020-11-01", "2020-12-01"], ["2020-12-15", None])) == pd.Timestamp("2020-12-15")


@settings(max_examples=60, deadline=None)
@given(st.dates(pd.Timestamp("2015-01-01").date(), pd.Timestamp("2030-01-01").date()), st.integers(0, 1500))
def test_case_as_of_is_the_latest_month_end_that_fits(first, days):
    start = pd.Timestamp(first)
    end = start + pd.Timedelta(days=days)
    fits = [m for m in pd.date_range(start, end, freq="ME") if m + pd.Timedelta(weeks=13) <= end]
    assert case_as_of(frame([start, end], [None, None])) == (fits[-1] if fits else end)


def test_export_as_of_is_its_latest_invoice_or_settlement():
    assert export_as_of(frame(["2020-03-01", "2020-05-02"], ["2020-06-07", None])) == pd.Timestamp("2020-06-07")
    assert export_as_of(frame(["2020-03-01", "2020-07-02"], ["2020-06-07", None])) == pd.Timestamp("2020-07-02")


def test_cache_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FINSHARE_MODEL_CACHE", str(tmp_path / "models"))
    assert cache_root() == tmp_path / "models"
    monkeypatch.delenv("FINSHARE_MODEL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "finshare" / "models"


def test_cached_model_is_trained_once_then_loaded(sample, tmp_path):
    first = cached_model(sample, SAMPLE_AS_OF, "sample", tmp_path, QUICK)
    assert first.how == "trained" and (first.folder / "model.joblib").is_file()
    assert first.folder.parent == tmp_path and first.folder.name.startswith("2020-06-30-")
    again = cached_model(sample, SAMPLE_AS_OF, "sample", tmp_path, QUICK)
    assert again.how == "cached" and again.folder == first.folder
    assert again.card == first.card
    pd.testing.assert_frame_equal(again.model.predict(sample, SAMPLE_AS_OF), first.model.predict(sample, SAMPLE_AS_OF))
    # another as-of, or a history that changed, is another model
    assert cached_model(sample, "2020-05-31", "sample", tmp_path, QUICK).folder != first.folder
    moved = sample.copy()
    moved.loc[0, "settled_date"] += pd.Timedelta(days=1)
    assert cached_model(moved, SAMPLE_AS_OF, "sample", tmp_path, QUICK).how == "trained"
    assert len(list(tmp_path.iterdir())) == 3


def test_choose_model_trains_on_the_sample_when_the_history_is_too_short(sample, tmp_path):
    other = load_history("datasets/ar-history/other_system.csv", "datasets/ar-history/mapping.yaml").table
    at = export_as_of(other)
    with pytest.raises(FinshareError) as caught:
        CollectionModel().fit(other, at)
    assert caught.value.problems[0].code == "too-little-history"
    got = choose_model(other, at, "other_system.csv", root=tmp_path, params=QUICK)
    assert got.fallback and got.how == "trained"
    assert got.card["data"]["source"] == str(SAMPLE_HISTORY) and got.model.as_of_ == at
    assert "too short to train" in got.note and "history.csv" in got.note and "太短" in got.note
    # the sample's model at that date, as the fallback trained it
    same = CollectionModel(**QUICK).fit(sample, at)
    pd.testing.assert_frame_equal(got.model.predict(other, at, other), same.predict(other, at, other))
    assert choose_model(other, at, "other_system.csv", root=tmp_path, params=QUICK).how == "cached"


def test_choose_model_loads_a_saved_folder_without_training(sample, tmp_path):
    model = CollectionModel(**QUICK).fit(sample, SAMPLE_AS_OF)
    save_model(model, tmp_path / "saved", sample, "sample")
    got = choose_model(sample, SAMPLE_AS_OF, "sample", saved=tmp_path / "saved", root=tmp_path / "cache")
    assert got.how == "loaded" and not got.fallback and not (tmp_path / "cache").exists()
    assert "not retrained" in got.note and "seen outcomes" not in got.note
    pd.testing.assert_frame_equal(got.model.predict(sample, SAMPLE_AS_OF), model.predict(sample, SAMPLE_AS_OF))
    earlier = choose_model(sample, "2020-03-31", "sample", saved=tmp_path / "saved")
    assert "seen outcomes after 2020-03-31" in earlier.note
    with pytest.raises(FinshareError) as caught:
        choose_model(sample, SAMPLE_AS_OF, "sample", saved=tmp_path / "nowhere")
    assert caught.value.problems[0].code == "missing-model"


def test_customer_history_days_by_hand():
    h = pd.DataFrame({
        "invoice_id": ["A3", "A1", "B1", "A2", "A4"], "customer_id": ["A", "A", "B", "A", "A"],
        "invoice_date": pd.to_datetime(["2020-03-01", "2020-01-10", "2020-01-05", "2020-02-01", "2020-05-01"]),
        "due_date": pd.to_datetime(["2020-03-31", "2020-02-09", "2020-02-04", "2020-03-02", "2020-05-31"]),
        "amount": [300, 100, 50, 200, 400], "currency": "CNY",
        "settled_date": pd.to_datetime(["2020-04-20", "2020-02-01", "2020-02-01", "2020-03-10", None])})
    rows = customer_history(h, "A", "2020-04-15")
    assert list(rows["invoice_id"]) == ["A1", "A2", "A3"]           # A4 is later; B1 another customer
    assert rows["days_to_settle"].tolist()[:2] == [22, 38]          # 01-10 → 02-01, 02-01 → 03-10
    assert rows["days_late"].tolist()[:2] == [-8, 8]               # 02-01 vs 02-09, 03-10 vs 03-02
    assert pd.isna(rows["settled_date"].iat[2]) and pd.isna(rows["days_to_settle"].iat[2])   # settled after as-of
    assert rows["amount"].dtype == "int64"


def test_a_file_that_is_no_export_is_one_bilingual_problem(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(FinshareError) as caught:
        read_export(bad, None)
    p = caught.value.problems[0]
    assert p.code == "unreadable-file" and "broken.xlsx" in p.message and " / " in p.message
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(FinshareError) as caught:
        read_export(wrong, None)
    assert {q.code for q in caught.value.problems} == {"missing-column"}
