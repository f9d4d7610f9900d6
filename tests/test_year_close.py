"""A whole year of the Fujian group closed: every book, every month (datasets/fujian-2020).

The year is posted and closed once for the module (about a minute). Depreciation and revaluation are
recomputed here independently, asset by asset and balance by balance, with Python integers and fractions.
"""
import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

import finshare
from cases import batches
from finshare.close.checks import year_checks
from finshare.close.period import close_year
from finshare.close.statements.report import book_statements
from finshare.core.problems import FinshareError

ROOT = Path(__file__).resolve().parents[1]
BOOKS = ["VN-MGT", "CN-MGT", "FJ-CAS", "FJ-HKFRS"]


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("closed") / "case"
    shutil.copytree(ROOT / "datasets" / "fujian-2020", folder, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    with finshare.Ledger(finshare.load_case(folder, documents=False), folder / "ledger.sqlite") as ledger:
        ledger.post()
        for book in BOOKS:
            close_year(ledger, book, "2020")
        yield ledger


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def test_every_check_accountants_know_by_name_passes(year):
    table = year_checks(year, "2020")
    assert list(table["check"].unique()) == ["试算平衡", "账账相符", "账表相符", "损益结平", "期末结账"]
    assert table["ok"].all(), table[~table["ok"]].to_string()


def test_every_balance_sheet_of_the_year_balances(year):
    for book in BOOKS:
        total = "BS36" if book != "FJ-HKFRS" else "SFP12"
        other = "BS73" if book != "FJ-HKFRS" else "SFP28"
        for m in range(1, 13):
            bs = book_statements(year, book, f"2020-{m:02d}", "bs")["bs"].set_index("code")["current"]
            assert bs[total] == bs[other] > 0, (book, m)


def test_the_year_end_leaves_only_balance_sheet_accounts_for_2021(year):
    for book in BOOKS:
        chart = year.case.books[book].chart.accounts
        tb = year.trial_balance(book, "2021-01", exact=True)
        tb = tb[tb["level"] >= 1].set_index("account")
        left = tb[(tb["opening_debit"] != 0) | (tb["opening_credit"] != 0)].index
        assert not [a for a in left if chart.at[a, "category"] == "profit_and_loss" or a == "4103"], book


def _register(folder: Path) -> pd.DataFrame:
    lines = pd.read_csv(folder / "documents" / "fa_acquisition_lines.csv", dtype=str)
    head = pd.read_csv(folder / "documents" / "fa_acquisition.csv", dtype=str).set_index("doc_no")
    lines = lines.join(head[["date", "org", "currency"]], on="doc_no").rename(columns={"amount": "cost"})
    cards = pd.read_csv(folder / "masterdata" / "fixed_assets.csv", dtype=str).rename(
        columns={"in_service": "date", "code": "asset"})
    return pd.concat([lines, cards], ignore_index=True)


def _depreciation_2020(asset, life_field: str) -> int:
    """The asset's 2020 depreciation in minor units: months after the acquisition month, straight line."""
    minor = 1 if asset["currency"] == "VND" else 100
    cost = int(Fraction(asset["cost"]) * minor)
    depreciable = cost - half_up(cost * Fraction(asset["salvage_rate"]))
    life = int(asset[life_field])
    start = date.fromisoformat(asset["date"])
    used = lambda ym: min(max((ym[0] - start.year) * 12 + ym[1] - start.month, 0), life)
    return half_up(Fraction(depreciable * used((2020, 12)), life)) - half_up(Fraction(depreciable * used((2019, 12)),
                                                                                       life))


def test_depreciation_follows_each_books_policy(year):
    register = _register(Path(year.case.path))
    for book, units, field in (("CN-MGT", {"XM", "SZ"}, "life_cas"), ("VN-MGT", {"VN"}, "life_cas")):
        expected = sum(_depreciation_2020(a, field) for _, a in register[register["org"].isin(units)].iterrows())
        tb = year.trial_balance(book, "2020-12", exact=True).set_index("account")
        assert tb.at["1602", "closing_credit"] - tb.at["1602", "closing_debit"] - _opening_1602(year, book) == expected, book
    cn = register[register["org"].isin({"XM", "SZ"})]
    cas = sum(_depreciation_2020(a, "life_cas") for _, a in cn.iterrows())
    hkfrs = sum(_depreciation_2020(a, "life_hkfrs") for _, a in cn.iterrows())
    assert hkfrs != cas                                     # shorter machine lives, longer vehicle lives under HKFRS
    lines = year.lines("FJ-HKFRS", kind="business")
    dep = lines[(lines["source_type"] == "depreciation") & lines["org"].isin(["XM", "SZ"])]
    assert int(dep.loc[dep["account"] == "1620", "amount_orig"].sum()) == hkfrs     # in CNY before conversion


def _opening_1602(year, book: str) -> int:
    lines = year.lines(book, kind="business")
    op = lines[(lines["source_type"] == "opening_balance") & (lines["account"] == "1602")]
    return int(op["credit"].sum() - op["debit"].sum())


def test_foreign_currency_balances_stand_at_the_december_rate(year):
    rates = pd.read_csv(Path(year.case.path) / "rates.csv", dtype=str)
    dec = Fraction(rates[(rates["date"] == "2020-12-01") & (rates["from_currency"] == "CNY")
                         & (rates["to_currency"] == "VND")]["rate"].iloc[0])
    lines = year.lines("VN-MGT", kind="business")
    cny = lines[(lines["currency_orig"] == "CNY") & lines["account"].isin(["1002", "1122"])]
    signed = cny["amount_orig"].where(cny["credit"] == 0, -cny["amount_orig"])
    for account, part in cny.groupby("account"):
        orig = int(signed[part.index].sum())
        booked = int(part["debit"].sum() - part["credit"].sum())
        assert booked == half_up(Fraction(orig, 100) * dec), account       # CNY fen → VND dong


def test_closing_again_changes_nothing_and_a_closed_period_refuses_a_voucher(year, tmp_path):
    before = batches(Path(year.case.path))
    assert all(c.already for c in close_year(year, "FJ-CAS", "2020"))
    assert batches(Path(year.case.path)) == before
    manual = tmp_path / "mj.csv"
    manual.write_text("voucher,book,date,word,account,summary,debit,credit,currency,org,department\n"
                      "MJ-1,FJ-CAS,2020-06-30,记,6602,补提费用,100.00,,CNY,XM,XM-ADM\n"
                      "MJ-1,FJ-CAS,2020-06-30,记,2241,补提费用,,100.00,CNY,XM,\n", encoding="utf-8")
    with pytest.raises(FinshareError) as refused:
        year.post_vouchers(manual)
    text = str(refused.value)
    assert "[period-closed]" in text and "period 2020-06 of book FJ-CAS" in text
    assert batches(Path(year.case.path)) == before
