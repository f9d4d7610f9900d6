"""Period close on a case whose vouchers are known by hand: depreciation per book policy, FX revaluation at the
closing rate, carry-forward, the year-end transfer, closing in order."""
from pathlib import Path

import pytest

import finshare
from finshare.close.period import close_period, close_year
from finshare.core.problems import FinshareError
from year_sample import year_sample


@pytest.fixture
def ledger(tmp_path):
    case = year_sample(tmp_path / "case")
    with open(case / "rates.csv", "a", encoding="utf-8") as fh:          # the dong falls in April
        fh.write("2020-04-01,CNY,VND,3000\n2020-04-01,HKD,VND,2727.27\n")
    with finshare.Ledger(finshare.load_case(case, documents=False), case / "ledger.sqlite") as led:
        led.post()
        yield led


def close_to(led, book: str, month: int):
    """Close January .. ``month`` of 2020 in order; return the last month's result."""
    return [close_period(led, book, f"2020-{m:02d}") for m in range(1, month + 1)][-1]


def business(led, book: str, number: str) -> list[tuple]:
    lines = led.lines(book, kind="business")
    mine = lines[lines["source_no"].astype(str) == number]
    return sorted((str(a), int(d), int(c)) for a, d, c in zip(mine["account"], mine["debit"], mine["credit"]))


def test_the_machine_is_depreciated_from_the_month_after_over_each_policys_life(ledger):
    done = close_to(ledger, "CN-MGT", 4)
    # 100,000.00 cost, 5 % residual: 95,000.00 over 120 months (CAS) = 791.67 a month; none in March
    assert business(ledger, "CN-MGT", "DEP-CN-MGT-2020-04") == [("1602", 0, 79167), ("5101", 79167, 0)]
    assert business(ledger, "CN-MGT", "DEP-CN-MGT-2020-03") == []
    assert done.steps["depreciation"][1] == 79167
    close_to(ledger, "FJ-HKFRS", 4)
    # HKFRS: 96 months: 989.58 CNY a month, at 1.10 HKD = 1,088.54 HKD, into work in progress (制造费用 → 1320)
    assert business(ledger, "FJ-HKFRS", "DEP-FJ-HKFRS-2020-04") == [("1320", 108854, 0), ("1620", 0, 108854)]


def test_a_foreign_currency_receivable_is_restated_at_the_closing_rate(ledger):
    done = close_to(ledger, "FJ-CAS", 4)
    # 16,500,000 VND receivable from Xiamen booked at 3,300 = 5,000.00 CNY; at 3,000 it is 5,500.00: a gain of 500.00
    assert business(ledger, "FJ-CAS", "FX-FJ-CAS-2020-04") == [("1122", 50000, 0), ("6603", 0, 50000)]
    assert done.steps["revaluation"][1] == 50000
    lines = ledger.lines("FJ-CAS", kind="business")
    fx = lines[lines["source_no"].astype(str) == "FX-FJ-CAS-2020-04"].set_index("account")
    assert (fx.at["1122", "currency_orig"], fx.at["1122", "amount_orig"]) == ("VND", 0)    # the dong balance stays
    assert (fx.at["1122", "customer"], fx.at["1122", "partner"]) == ("C900", "XM")
    close_period(ledger, "FJ-CAS", "2020-05")                        # the same rate in May: nothing more to restate
    assert business(ledger, "FJ-CAS", "FX-FJ-CAS-2020-05") == []


def test_periods_close_in_order(ledger):
    with pytest.raises(FinshareError) as refused:
        close_period(ledger, "FJ-CAS", "2020-04")
    text = str(refused.value)
    assert "[close-out-of-order]" in text and "2020-01 期还未结账" in text and "period 2020-01 is still open" in text
    assert "finshare close CASE --book FJ-CAS --period 2020-01" in text


def test_the_year_end_moves_the_profit_to_retained_earnings_and_the_next_year_opens_with_the_balance_sheet(ledger):
    closed = close_year(ledger, "FJ-CAS", "2020")
    year_result = sum(c.result for c in closed)
    assert closed[-1].steps["year-end"][1] == year_result != 0
    tb = ledger.trial_balance("FJ-CAS", "2021-01", exact=True).set_index("account")
    pl = ledger.case.books["FJ-CAS"].chart.accounts
    pl = [a for a in tb.index if a in pl.index and pl.at[a, "category"] == "profit_and_loss"]
    opening = tb["opening_debit"] - tb["opening_credit"]
    assert (opening.reindex(pl) == 0).all() and opening.get("4103", 0) == 0
    assert opening["4104"] == -year_result                        # a profit is a credit balance of 利润分配
    assert close_year(ledger, "FJ-CAS", "2020")[-1].already        # closing again changes nothing


def test_the_hkfrs_book_carries_into_retained_earnings_and_needs_no_year_end_voucher(ledger):
    closed = close_year(ledger, "FJ-HKFRS", "2020")
    assert "year-end" not in closed[-1].steps
    tb = ledger.trial_balance("FJ-HKFRS", "2020-12", exact=True).set_index("account")
    assert tb.at["3200", "closing_debit"] - tb.at["3200", "closing_credit"] == -sum(c.result for c in closed)


def test_a_chart_without_close_rules_is_refused_with_the_fix(ledger, tmp_path):
    (Path(ledger.case.path) / "close.yaml").write_text("charts:\n  CAS: {monetary: []}\n", encoding="utf-8")
    with pytest.raises(FinshareError) as refused:
        close_period(ledger, "FJ-CAS", "2020-01")
    text = str(refused.value)
    assert "[no-close-rule]" in text and "chart CAS has no close rule" in text and "close.yaml" in text


def test_an_incomplete_rule_stops_the_close_before_anything_is_posted(ledger):
    (Path(ledger.case.path) / "close.yaml").write_text(
        "charts:\n  CAS: {profit: '4103', retained: '4104', monetary: ['1002'],\n"
        "        depreciation_expense: {管理: '6602'}, accumulated_depreciation: '1602'}\n", encoding="utf-8")
    before = len(ledger.store.batches())
    with pytest.raises(FinshareError) as refused:
        close_period(ledger, "FJ-CAS", "2020-01")
    assert "[no-close-rule]" in str(refused.value) and "fx_difference" in str(refused.value)
    assert len(ledger.store.batches()) == before and not ledger.store.closed_periods()


def test_a_malformed_year_is_refused_in_both_languages(tmp_path, capsys):
    from finshare.cli import main
    assert main(["close", str(tmp_path), "--year", "20x0"]) == 2
    err = capsys.readouterr().err
    assert "年份 '20x0' 无效 / '20x0' is not a year [bad-year]" in err and "年份写四位数字" in err
