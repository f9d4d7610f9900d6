"""The forecasting chapters' figures: calibration bins computed by hand, amounts drawn in major units."""
import io
import warnings

import matplotlib.text
import numpy as np
import pandas as pd

from finshare.ui import forecast_figures as ff


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def render(fig) -> bytes:
    """PNG bytes; any warning (a glyph missing from the font) fails the test."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buf, format="png")
    return buf.getvalue()


def test_calibration_bins_count_and_average_by_hand():
    table = ff.calibration_table([0, 1, 0, 1, 1], [0.05, 0.15, 0.12, 0.95, 1.0], bins=10)
    assert table["bin_from"].tolist() == [0.0, 0.1, 0.9]
    assert table["n"].tolist() == [1, 2, 2]                      # 1.0 falls in the last bin
    assert np.allclose(table["mean_predicted"], [0.05, 0.135, 0.975])
    assert table["observed_late"].tolist() == [0.0, 0.5, 1.0]
    fig = ff.calibration_figure(table)
    assert "预测的逾期概率 predicted P(late)" in texts(fig) and render(fig)


def test_actual_vs_predicted_labels_the_share_inside_the_interval():
    actual = np.array([10.0, 20.0, 30.0, 40.0])
    fig = ff.actual_vs_predicted(actual, actual + 1, actual - [5, 5, 5, -1], actual + [5, 5, 5, 5])
    labels = texts(fig)
    assert "在 80% 区间内 inside the interval (75%)" in labels and "区间外 outside (25%)" in labels
    assert render(fig)


def test_cash_band_draws_each_currency_in_major_units():
    weeks = pd.to_datetime(["2021-01-01", "2021-01-08"])
    cash = pd.DataFrame({"week_start": list(weeks) * 2, "currency": ["CNY", "CNY", "VND", "VND"],
                         "expected": [150_050, 200_000, 3_000_000, 0], "lower": [100_000, 0, 1_000_000, 0],
                         "upper": [200_100, 400_000, 5_000_000, 0], "invoices": [2, 1, 1, 0]})
    fig = ff.cash_band(cash)
    cny, vnd = fig.axes
    assert cny.get_ylabel() == "CNY" and vnd.get_ylabel() == "VND"
    assert cny.lines[0].get_ydata().tolist() == [1500.5, 2000.0]          # fen → yuan
    assert vnd.lines[0].get_ydata().tolist() == [3_000_000.0, 0.0]        # VND has no minor unit
    assert render(fig)


def test_alert_measure_writes_found_of_planted_and_false_alarms():
    measure = pd.DataFrame({"rule": ["many-returns", "outlier"], "planted": [2, 16], "found": [2, 1],
                            "false_alarms": [3, 40]})
    fig = ff.alert_measure(measure)
    assert {"2/2 · 3", "1/16 · 40"} <= set(texts(fig)) and render(fig)
