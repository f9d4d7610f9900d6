"""The peer writers of benchmarks/peers.py and the balance parsing of bench_year.py (no timing, no peer run).

hledger and beancount are not dependencies of finshare, not even for tests:
the writers' text is pinned exactly on a three-voucher example here, and
benchmarks/bench_year.py checks on the generated year that hledger and
beancount read it to the same balances as finshare.
"""
from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from finshare.core.books import Book
from finshare.core.chart import Chart

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str):
    """A script of benchmarks/ as a module (benchmarks/ is not a package; bench_year imports bench_ledger)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


peers = load("peers")
bench_year = load("bench_year")
CAS = Chart.builtin("CAS")
BOOK = Book(code="T-CNY", name_zh="测试账簿", name_en="Test book", system="", org="XM", units=("XM",),
            currency="CNY", chart=CAS)

#: three GL vouchers, lines deliberately out of order; the second period reuses 记-0001
LINES = pd.DataFrame([
    ("2020-02", "记-0001", 2, "2020-02-03", "6001", "销售 sale", 0, 11300),
    ("2020-01", "记-0002", 1, "2020-01-20", "6602", 'office "pens"; 办公', 5, 0),
    ("2020-01", "记-0001", 1, "2020-01-05", "1002", "期初余额 / opening", 10000005, 0),
    ("2020-01", "记-0001", 2, "2020-01-05", "4001", "期初余额 / opening", 0, 10000005),
    ("2020-02", "记-0001", 1, "2020-02-03", "1122", "销售 sale", 11300, 0),
    ("2020-01", "记-0002", 2, "2020-01-20", "220202", 'office "pens"; 办公', 0, 5),
    ("2020-01", "记-0002", 3, "2020-01-20", "1602", 'office "pens"; 办公', 0, 0),
], columns=["period", "voucher_no", "line", "date", "account", "summary", "debit", "credit"]).assign(
    date=lambda f: pd.to_datetime(f["date"]))

HLEDGER = """\
; finshare GL journal of book T-CNY, amounts in CNY
commodity 0.00 CNY

2020-01-05 (2020-01/记-0001) 期初余额 / opening
    Assets:A1002  100000.05 CNY
    Equity:A4001  -100000.05 CNY

2020-01-20 (2020-01/记-0002) office  pens   办公
    Expenses:A6602  0.05 CNY
    Liabilities:A220202  -0.05 CNY
    Assets:A1602  0.00 CNY

2020-02-03 (2020-02/记-0001) 销售 sale
    Assets:A1122  113.00 CNY
    Income:A6001  -113.00 CNY
"""

BEANCOUNT = """\
option "title" "finshare GL journal of book T-CNY"
option "operating_currency" "CNY"

2020-01-05 open Assets:A1002 CNY
2020-01-05 open Assets:A1122 CNY
2020-01-05 open Assets:A1602 CNY
2020-01-05 open Equity:A4001 CNY
2020-01-05 open Expenses:A6602 CNY
2020-01-05 open Income:A6001 CNY
2020-01-05 open Liabilities:A220202 CNY

2020-01-05 * "2020-01/记-0001" "期初余额 / opening"
    Assets:A1002  100000.05 CNY
    Equity:A4001  -100000.05 CNY

2020-01-20 * "2020-01/记-0002" "office  pens   办公"
    Expenses:A6602  0.05 CNY
    Liabilities:A220202  -0.05 CNY
    Assets:A1602  0.00 CNY

2020-02-03 * "2020-02/记-0001" "销售 sale"
    Assets:A1122  113.00 CNY
    Income:A6001  -113.00 CNY
"""


def test_hledger_journal_text_is_exact():
    assert peers.hledger_text(LINES, BOOK) == HLEDGER


def test_beancount_file_text_is_exact():
    assert peers.beancount_text(LINES, BOOK) == BEANCOUNT


def test_write_peers_writes_both_files_in_utf8(tmp_path):
    paths = peers.write_peers(LINES, BOOK, tmp_path)
    assert paths["hledger"].read_text(encoding="utf-8") == HLEDGER
    assert paths["beancount"].read_text(encoding="utf-8") == BEANCOUNT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["T-CNY.beancount", "T-CNY.journal"]


@pytest.mark.parametrize("code, name", [
    ("1002", "Assets:A1002"), ("1602", "Assets:A1602"),          # a contra asset stays under Assets
    ("5001", "Assets:A5001"),                                    # 成本 (production cost) is work in progress
    ("220202", "Liabilities:A220202"), ("22210101", "Liabilities:A22210101"),
    ("4103", "Equity:A4103"), ("6001", "Income:A6001"), ("6301", "Income:A6301"),
    ("6602", "Expenses:A6602"), ("6711", "Expenses:A6711"),
])
def test_account_names_follow_category_and_normal_balance(code, name):
    assert peers.account_names(CAS)[code] == name


def test_every_chart_account_gets_one_of_beancounts_five_roots():
    for chart in (CAS, Chart.builtin("HKFRS")):
        roots = peers.account_names(chart).str.split(":").str[0]
        assert set(roots) <= {"Assets", "Liabilities", "Equity", "Income", "Expenses"}, chart.name
        assert len(roots) == len(chart.accounts)


@given(st.lists(st.integers(-(10 ** 17), 10 ** 17), min_size=1, max_size=50), st.sampled_from([0, 2]))
def test_decimal_text_is_the_exact_decimal_of_minor_units(minor, exponent):
    want = [format(Decimal(m).scaleb(-exponent), f".{exponent}f") for m in minor]
    assert peers.decimal_text(minor, exponent).to_pylist() == want
    assert [bench_year.to_minor(t, exponent) for t in want] == minor


def test_vnd_amounts_have_no_decimal_point():
    assert peers.decimal_text([19800000, -2194500, 0], 0).to_pylist() == ["19800000", "-2194500", "0"]


def test_to_minor_refuses_a_fraction_of_a_minor_unit():
    with pytest.raises(ValueError, match="more than 2 decimals"):
        bench_year.to_minor("1.005", 2)


def test_hledger_csv_balances_leave_out_roots_and_total():
    csv_text = ('"account","balance"\n"Assets","0"\n"Assets:A1002","100000.05 CNY"\n'
                '"Equity:A4001","-100000.05 CNY"\n"Expenses:A6602","0"\n"total","0"\n')
    assert bench_year.hledger_balances(csv_text, 2) == {"Assets:A1002": 10000005, "Equity:A4001": -10000005,
                                                        "Expenses:A6602": 0}


def test_differences_count_a_missing_account_as_zero():
    ref = {"Assets:A1002": 10000005, "Expenses:A6602": 0, "Equity:A4001": -10000005}
    assert bench_year.differences("hledger", ref, {"Assets:A1002": 10000005, "Equity:A4001": -10000005}) == []
    assert bench_year.differences("beancount", ref, {"Assets:A1002": 10000004, "Income:A6001": 1}) == [
        "Assets:A1002: finshare 10,000,005 != beancount 10,000,004 (minor units)",
        "Equity:A4001: finshare -10,000,005 != beancount 0 (minor units)",
        "Income:A6001: finshare 0 != beancount 1 (minor units)",
    ]
