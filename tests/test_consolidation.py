"""Consolidation of the group: translation (IAS 21), eliminations, worksheet, on a hand-made example and the year."""
import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import finshare
from finshare.close.consolidation import consolidate, read_group
from finshare.close.consolidation import eliminate as E
from finshare.close.consolidation.ic_goods import _unrealised
from finshare.close.consolidation.positions import positions
from finshare.close.consolidation.translate import translate
from finshare.close.consolidation.worksheet import consolidated_balances, ties_out, worksheet
from finshare.core.chart import Chart
from finshare.core.problems import FinshareError
from finshare.core.rates import RateTable
from finshare.generate.master import PRODUCTS

DATASET = Path(__file__).resolve().parents[1] / "datasets" / "fujian-2020"
CHART = Chart.builtin("CAS")
CATS = CHART.accounts["category"]
IC = {"revenue": "6001", "cost_of_sales": "6401", "inventory": "1405", "in_transit": "1402",
      "difference": "6603", "receivables": ("1122",), "payables": ("220201", "220202")}


def half_up(x: Fraction) -> int:
    """Round half away from zero, written independently of the package."""
    n = abs(x)
    q = int(n + Fraction(1, 2))
    return q if x >= 0 else -q


def journal(rows):
    """GL lines from ``(date, source_type, account, net, customer, supplier, partner)``."""
    f = pd.DataFrame(rows, columns=["date", "source_type", "account", "net", "customer", "supplier", "partner"])
    f["date"] = pd.to_datetime(f["date"])
    f["period"] = f["date"].dt.strftime("%Y-%m")
    f["debit"], f["credit"] = f["net"].clip(lower=0), (-f["net"]).clip(lower=0)
    return f.drop(columns="net")


VN_LINES = journal([
    ("2020-01-01", "opening_balance", "1002", 2_100_000, "", "", ""),
    ("2020-01-01", "opening_balance", "1405", 900_000, "", "", ""),
    ("2020-01-01", "opening_balance", "4001", -3_000_000, "", "", ""),
    ("2020-01-20", "ar_invoice", "1122", 1_200_000, "C900", "", "XM"),      # 400.00 CNY at 3,000
    ("2020-01-20", "ar_invoice", "6001", -1_200_000, "", "", "XM"),
    ("2020-01-20", "sales_outbound", "6401", 900_000, "", "", "XM"),
    ("2020-01-20", "sales_outbound", "1405", -900_000, "", "", ""),
])
CN_LINES = journal([
    ("2020-01-01", "opening_balance", "1002", 100_000, "", "", ""),
    ("2020-01-01", "opening_balance", "4001", -100_000, "", "", ""),
    ("2020-02-03", "purchase_receipt", "1405", 32_000, "", "", ""),          # 8 of the 10 units arrived
    ("2020-02-03", "purchase_receipt", "220202", -32_000, "", "S900", "VN"),
])
RATES = RateTable.from_rows([("2020-01-01", "CNY", "VND", "3000"), ("2020-02-01", "CNY", "VND", "3100")])


def hand_rows():
    vn, _ = translate(positions(VN_LINES, "2020-02", None), CATS, RATES, "VN", "VND", "CNY", "2020-02",
                      pd.Timestamp("2020-01-01"), "4003")
    cn, _ = translate(positions(CN_LINES, "2020-02", None), CATS, RATES, "CN", "CNY", "CNY", "2020-02",
                      pd.Timestamp("2020-01-01"), "4003")
    both = pd.concat([vn.assign(entity="VN"), cn.assign(entity="CN")], ignore_index=True)
    return both.assign(pre_close=both["closing"] - both["close"])


def test_translation_by_hand_closing_rate_historical_rate_monthly_rate_and_reserve():
    rows = hand_rows()
    vn = rows[rows["entity"] == "VN"].set_index("account")
    # 2,100,000 VND / 3,100 = 677.419 CNY; the receivable 1,200,000 / 3,100 = 387.097; capital at 3,000
    assert vn.at["1002", "closing"] == 67742 and vn.at["1002", "prior_closing"] == 70000
    assert vn.at["1122", "closing"] == 38710 and vn.at["1405", "closing"] == 0
    assert vn.at["4001", "closing"] == -100000
    assert vn.at["6001", "closing"] == -40000 and vn.at["6401", "ytd"] == 30000       # January's rate 3,000
    # net assets 3,300,000 / 3,100 = 1,064.52 against capital and profit 1,100.00 at historical rates
    assert vn.at["4003", "closing"] == 3548 and vn.at["4003", "prior_closing"] == 0
    assert int(vn["closing"].sum()) == 0
    cn = rows[rows["entity"] == "CN"].set_index("account")
    assert cn.at["4003", "closing"] == 0 and cn.at["220202", "closing"] == -32000


def test_eliminations_and_worksheet_by_hand():
    rows = hand_rows()
    goods = _unrealised(pd.DataFrame({"material": ["P1"], "shipped": [10], "cost": [30000], "invoiced": [10],
                                      "amount": [40000], "received": [8], "paid_in": [32000], "stock": [5]}))
    assert goods[["held", "transit", "transit_amount", "unrealised_held", "unrealised_transit"]].iloc[0].tolist() \
        == [5, 2, 8000, 5000, 2000]                                   # margin 1,000 fen a unit
    units = {"VN", "XM"}
    sales = E.sales_cogs(rows, IC, units)
    bal, diff = E.balances(rows, IC, units, transit=8000)
    unreal = E.unrealised(goods, IC, "XM")
    assert sales[["account", "debit", "credit"]].values.tolist() == [["6001", 40000, 0], ["6401", 0, 40000]]
    # receivable 387.10 out, payable 320.00 and goods in transit 80.00 in: 12.90 of exchange gain to 6603
    assert bal[["account", "counterparty", "debit", "credit"]].values.tolist() == [
        ["1122", "C900", 0, 38710], ["220202", "S900", 32000, 0], ["1402", "", 8000, 0], ["6603", "", 0, 1290]]
    assert diff == -1290
    assert unreal[["account", "debit", "credit"]].values.tolist() == [["6401", 7000, 0], ["1405", 0, 5000],
                                                                      ["1402", 0, 2000]]
    elims = pd.concat([sales, bal, unreal], ignore_index=True)
    assert all(g["debit"].sum() == g["credit"].sum() for _, g in elims.groupby("kind"))
    sheet = worksheet(rows, elims, CHART, ["VN", "CN"])
    assert ties_out(sheet, ["VN", "CN"])
    got = sheet.set_index("account")["consolidated"]
    assert got["6001"] == 0 and got["1402"] == 6000 and got["1405"] == 27000 and got["1122"] == 0
    assert got["6401"] == 30000 - 40000 + 7000                       # VN's cost less the IC sale plus the margin held
    bals = consolidated_balances(rows, elims).set_index(["account", "counterparty"])
    assert ("1122", "C900") not in bals.index and ("220202", "S900") not in bals.index
    assert int(bals["closing"].sum()) == 0


@st.composite
def year_lines(draw):
    accounts = ["1002", "1122", "1405", "220201", "4001", "6001", "6401", "6602", "5101"]
    n = draw(st.integers(1, 25))
    rows = []
    for _ in range(n):
        month = draw(st.integers(1, 12))
        a, b = draw(st.sampled_from(accounts)), draw(st.sampled_from(accounts))
        amt = draw(st.integers(1, 10**11))
        src = draw(st.sampled_from(["opening_balance", "ar_invoice", "close"]))
        day = "2020-01-01" if src == "opening_balance" else f"2020-{month:02d}-15"
        rows += [(day, src, a, amt, "", "", ""), (day, src, b, -amt, "", "", "")]   # each voucher balances
    return journal(rows)


@settings(max_examples=60, deadline=None)
@given(year_lines(), st.lists(st.integers(1000, 40000), min_size=12, max_size=12), st.integers(1, 12))
def test_any_rates_keep_the_translated_trial_balance_balanced(lines, vnd_per_cny, month):
    period = f"2020-{month:02d}"
    rates = RateTable.from_rows([(f"2020-{m + 1:02d}-01", "CNY", "VND", str(r)) for m, r in enumerate(vnd_per_cny)])
    rows, used = translate(positions(lines, period, None), CATS, rates, "VN", "VND", "CNY", period,
                           pd.Timestamp("2020-01-01"), "4003")
    assert int(rows["closing"].sum()) == 0 and int(rows["prior_closing"].sum()) == 0
    assert (rows["closing"] == rows["prior_closing"] + rows["ytd"] + rows["close"]).all()
    upto = lines[lines["period"] <= period]
    raw = (upto["debit"] - upto["credit"]).groupby(upto["account"]).sum()
    bs = rows[~rows["account"].map(CATS).isin(["equity", "profit_and_loss"])].set_index("account")["closing"]
    closing_rate = vnd_per_cny[month - 1]
    assert all(bs[a] == half_up(Fraction(int(raw[a]) * 100, closing_rate)) for a in bs.index)


def test_with_one_rate_the_reserve_is_only_rounding():
    lines = journal([("2020-01-01", "opening_balance", "1002", 1_000_001, "", "", ""),
                     ("2020-01-01", "opening_balance", "4001", -1_000_001, "", "", ""),
                     ("2020-03-05", "ar_invoice", "1122", 333_333, "C1", "", ""),
                     ("2020-03-05", "ar_invoice", "6001", -333_333, "", "", "")])
    rates = RateTable.from_rows([("2020-01-01", "CNY", "VND", "3")])
    rows, _ = translate(positions(lines, "2020-03", None), CATS, rates, "VN", "VND", "CNY", "2020-03",
                        pd.Timestamp("2020-01-01"), "4003")
    got = rows.set_index("account")["closing"]
    # 1,000,001 / 3 = 333,333.67 CNY (33,333,367 fen, half up); 333,333 / 3 = 111,111.00
    assert got["1002"] == 33333367 and got["4001"] == -33333367 and got["1122"] == 11111100
    assert got["4003"] == 0


def test_a_bad_group_yaml_names_the_file_line_and_field(tmp_path):
    case = finshare.load_case(DATASET, documents=False)
    bad = tmp_path / "group.yaml"
    text = (DATASET / "group.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("{book: CN-MGT", "{book: CN-XX").replace('reserve: "4003"', 'reserve: "4999"')
                   .replace("presentation_currency: CNY", "presentation_currency: XYZ"), encoding="utf-8")
    (tmp_path / "charts").mkdir()
    shutil.copy(DATASET / "charts" / "CAS.csv", tmp_path / "charts" / "CAS.csv")
    with pytest.raises(FinshareError) as err:
        read_group(case, bad)
    probs = {p.code: p for p in err.value.problems}
    assert set(probs) == {"unknown-book", "unknown-account", "unknown-currency"}
    assert probs["unknown-account"].source.file == str(bad) and probs["unknown-account"].source.field == "reserve"
    assert probs["unknown-account"].source.line == text.splitlines().index('  reserve: "4003"              '
                                                                          '# 其他综合收益—外币报表折算差额 (CAS 19 / IAS 21 '
                                                                          'translation reserve)') + 1
    assert "4999" in probs["unknown-account"].message and "group chart" in probs["unknown-account"].message
    assert "CN-XX" in probs["unknown-book"].message and "VN-MGT" in probs["unknown-book"].fix
    assert probs["unknown-book"].fix.startswith("改用 books.yaml 中已有的账簿代码")


# ------------------------------------------------------------------ the Fujian year, posted once
@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    folder = tmp_path_factory.mktemp("year") / "fujian-2020"
    shutil.copytree(DATASET, folder)
    led = finshare.Ledger(finshare.load_case(folder), folder / "ledger.sqlite")
    led.post()
    yield led
    led.close()


@pytest.fixture(scope="module", params=["2020-12", "2020-06"])
def result(request, ledger):
    return consolidate(ledger, request.param)


def test_intercompany_balances_are_zero_after_elimination(result):
    r, e = result.rows, result.eliminations
    both = pd.concat([r[["account", "partner"]].assign(v=r["pre_close"]),
                      e[["account", "partner"]].assign(v=e["debit"] - e["credit"])])
    ic = both[both["partner"].isin(["VN", "XM"])].groupby(["account", "partner"])["v"].sum()
    assert set(ic.index) == {("1122", "XM"), ("220201", "VN"), ("220202", "VN"), ("6001", "XM"), ("6401", "XM")}
    assert (ic == 0).all(), ic
    before = r[r["partner"].isin(["VN", "XM"])].groupby("account")["pre_close"].sum()
    assert (before != 0).all()                                         # there was something to eliminate
    b = result.balances
    assert not b[b["counterparty"].isin(["C900", "S900"])]["closing"].any()


def test_every_worksheet_column_ties_and_the_group_balances(result):
    assert result.ties_out()
    sheet = result.worksheet
    total = sheet[sheet["account"] == "合计"].iloc[0]
    assert total["VN-MGT"] == 0 and total["CN-MGT"] == 0 and total["elim_debit"] == total["elim_credit"] > 0
    b = result.balances
    assert list(b.columns) == ["account", "counterparty", "closing", "prior_closing", "ytd", "prior_ytd"]
    assert all(b[c].dtype == "int64" for c in ("closing", "prior_closing", "ytd", "prior_ytd"))
    assert int(b["closing"].sum()) == 0 and int(b["prior_closing"].sum()) == 0
    assert b["account"].isin(CHART.accounts.index[CHART.accounts["is_leaf"]]).all()


def test_the_vietnam_book_is_translated_at_the_rates_of_the_case(result, ledger):
    period = result.period
    vn = result.rows[result.rows["entity"] == "VN-MGT"]
    assert int(vn["closing"].sum()) == 0                                # the translated trial balance balances
    lines = ledger.lines("VN-MGT")
    lines = lines[lines["period"].astype(str) <= period]
    net = (lines["debit"] - lines["credit"]).groupby(lines["account"].astype(str)).sum()
    closing_rate = {"2020-12": 3293, "2020-06": 3306}[period]            # rates.csv, CNY→VND from the 1st
    got = vn.groupby("account")["closing"].sum()
    assert got["1002"] == half_up(Fraction(int(net["1002"]) * 100, closing_rate))
    monthly = {"2020-01": 3305, "2020-02": 3295, "2020-03": 3289, "2020-04": 3312, "2020-05": 3318, "2020-06": 3306,
               "2020-07": 3284, "2020-08": 3295, "2020-09": 3312, "2020-10": 3314, "2020-11": 3310, "2020-12": 3293}
    rev = lines[(lines["account"] == "6001") & (lines["partner"] == "XM")]
    by_month = (rev["debit"] - rev["credit"]).groupby(rev["period"].astype(str), observed=True).sum()
    expected = sum(half_up(Fraction(int(v) * 100, monthly[m])) for m, v in by_month.items())
    sales = result.eliminations[result.eliminations["kind"] == "ic_sales_cogs"].set_index("account")
    assert sales.at["6001", "debit"] == -expected > 0
    reserve = result.reserve.set_index("book")
    assert reserve.at["CN-MGT", "closing"] == 0 and reserve.at["VN-MGT", "closing"] == -int(
        vn[vn["account"] != "4003"]["closing"].sum())


def test_unrealised_profit_is_the_margin_on_ic_goods_still_in_the_group(result):
    g = result.goods
    assert (g["held"] + g["transit"] == g["shipped"]).all()             # XM's stock still holds every IC unit
    margin = g["material"].map(lambda p: PRODUCTS[p][2] * 100 // 5)      # price = cost × 1.2 (generator)
    e = result.eliminations[result.eliminations["kind"] == "unrealised_profit"].set_index("account")
    assert e.at["6401", "debit"] == int((g["shipped"] * margin).sum())
    assert e.at["1405", "credit"] == int((g["held"] * margin).sum())
    diff = result.eliminations[(result.eliminations["account"] == "6603")]
    assert int((diff["debit"] - diff["credit"]).sum()) == result.ic_difference
    assert abs(result.ic_difference) < 200_000                          # exchange difference only: < 2,000 CNY


def test_the_worksheet_has_a_styled_form(result):
    html = result.styled().to_html()
    assert "抵销借方" in html and "银行存款" in html and "合计" in html
    assert "ties out: True" in result._repr_html_()
