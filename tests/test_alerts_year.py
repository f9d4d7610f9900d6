"""Alerts on a planted small year (seed 3, scale 0.05): recall and false alarms, dismissal, the CLI."""
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

import finshare
from finshare.cli import main
from finshare.core.problems import FinshareError
from finshare.forecast.alerts import COLUMNS, dismiss, find_alerts
from finshare.forecast.alerts.plant import TRUTH, measure, plant_alerts
from finshare.generate.year import generate_year

RULE_CODES = ["bank-change-payment", "many-returns", "many-refunds", "duplicate-invoice", "just-under-limit",
              "round-weekend"]


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    case = tmp_path_factory.mktemp("alerts") / "year"
    counts = generate_year(case, seed=3, scale=0.05)
    truth = plant_alerts(case, seed=0)
    with finshare.Ledger(finshare.load_case(case), case / "ledger.sqlite") as ledger:
        ledger.post()
        alerts = find_alerts(ledger)
    return case, truth, alerts, sum(counts.values()) + truth["document"].nunique()


def test_planting_writes_the_truth_and_the_bank_history(year):
    case, truth, _, _ = year
    assert pd.read_csv(case / TRUTH)["document"].tolist() == truth["document"].tolist()
    assert truth.groupby("rule")["case"].nunique().to_dict() == {
        "bank-change-payment": 3, "many-returns": 2, "many-refunds": 2, "duplicate-invoice": 2,
        "just-under-limit": 3, "round-weekend": 3}
    history = pd.read_csv(case / "masterdata" / "supplier_bank_accounts.csv")
    suppliers = pd.read_csv(case / "masterdata" / "suppliers.csv", keep_default_na=False)
    assert len(history) == (suppliers["org"] == "").sum() + 4       # a first account each, 3 planted changes + 1


def test_every_rule_finds_every_planted_case_with_few_false_alarms(year):
    _, truth, alerts, n_docs = year
    m = measure(alerts, truth, n_docs).set_index("rule")
    assert (m.loc[RULE_CODES, "recall"] == 1.0).all(), m
    # stated thresholds: at most 2 false alarms per 1,000 documents for each rule, 3 for all rules together
    assert (m.loc[RULE_CODES, "false_per_1000_docs"] <= 2.0).all(), m
    assert m.loc[RULE_CODES, "false_alarms"].sum() * 1000 / n_docs <= 3.0, m


def test_outliers_are_the_top_three_per_book_and_period_with_their_score(year):
    _, _, alerts, _ = year
    out = alerts[alerts["rule"] == "outlier"]
    per = out.groupby(["book", "period"]).size()
    assert per.max() == 3 and set(out["book"]) == {"VN-MGT", "CN-MGT", "FJ-CAS", "FJ-HKFRS"}
    assert out["score"].between(0, 1).all()
    assert not out["documents"].map(lambda d: d[0].split("/")[0]).isin(["close", "opening_balance"]).any()


def test_alert_ids_are_stable_and_unique(year):
    case, _, alerts, _ = year
    assert alerts["alert_id"].is_unique
    with finshare.Ledger(finshare.load_case(case, documents=False), case / "ledger.sqlite") as ledger:
        again = find_alerts(ledger)
    assert again["alert_id"].tolist() == alerts["alert_id"].tolist()
    assert list(alerts.columns) == COLUMNS


def test_a_dismissal_is_kept_with_its_reason_in_a_new_process(year):
    case, truth, alerts, _ = year
    target = alerts[alerts["rule"] == "round-weekend"].iloc[0]
    with finshare.Ledger(finshare.load_case(case, documents=False), case / "ledger.sqlite") as ledger:
        dismiss(ledger, target["alert_id"], "预付款合同已核实 / prepayment contract verified", by="wang")
    code = ("import sys, json, finshare\nfrom finshare.forecast.alerts import find_alerts\n"
            "c = sys.argv[1]\nwith finshare.Ledger(finshare.load_case(c, documents=False), c + '/ledger.sqlite') as L:\n"
            "    a = find_alerts(L, outliers=False)\n"
            "print(json.dumps(a[a.status == 'dismissed'][['alert_id', 'reason', 'dismissed_by']].values.tolist()))\n")
    done = subprocess.run([sys.executable, "-c", code, str(case)], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert json.loads(done.stdout) == [[target["alert_id"], "预付款合同已核实 / prepayment contract verified", "wang"]]


def test_a_dismissal_needs_a_reason_and_a_real_id(year):
    case = year[0]
    with finshare.Ledger(finshare.load_case(case, documents=False), case / "ledger.sqlite") as ledger:
        with pytest.raises(FinshareError) as err:
            dismiss(ledger, "round-weekend; drop table", "  ", by="wang")
    assert [p.code for p in err.value.problems] == ["bad-alert-id", "missing-reason"]
    assert "理由" in err.value.problems[1].message and "reason" in err.value.problems[1].message


def test_the_cli_lists_a_months_alerts_as_json(year, capsys):
    case, truth, alerts, _ = year
    assert main(["alerts", str(case), "--period", "2020-06", "--format", "json", "--no-outliers"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(list(r) == COLUMNS for r in rows)
    assert {r["period"] for r in rows} == {"2020-06"}
    expected = alerts[(alerts["period"] == "2020-06") & (alerts["rule"] != "outlier")]
    assert sorted(r["alert_id"] for r in rows) == sorted(expected["alert_id"])
    assert all(isinstance(r["documents"], list) and r["status"] in ("open", "dismissed") for r in rows)


def test_the_cli_dismisses_and_refuses_a_bad_period(year, capsys):
    case, _, alerts, _ = year
    target = alerts[alerts["rule"] == "just-under-limit"].iloc[0]["alert_id"]
    assert main(["alerts", str(case), "--dismiss", target, "--reason", "经理已批准 / approved", "--by", "li"]) == 0
    capsys.readouterr()
    assert main(["alerts", str(case), "--format", "json", "--no-outliers"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out) if r["alert_id"] == target)
    assert (row["status"], row["reason"], row["dismissed_by"]) == ("dismissed", "经理已批准 / approved", "li")
    assert main(["alerts", str(case), "--period", "2020-13"]) == 2
    err = capsys.readouterr().err
    assert "[bad-period]" in err and "期间" in err and "is not YYYY-MM" in err
