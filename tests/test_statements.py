"""Financial statements: the rule language, a hand-made ledger with every figure known, the year of the Fujian group.

The hand-made book (``HAND``) holds 2019 and the first quarter of 2020; its
balance sheet and income statement at 2020-03 are worked out by hand in the
test. The year data set is posted once for the module.
"""
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import finshare
from finshare import FinshareError
from finshare.close.statements import as_decimals, build_statement, statement_balances
from finshare.close.statements.excel import write_statements
from finshare.close.statements.layout import index, layout, read_layout
from finshare.close.statements.management import management_pl
from finshare.close.statements.report import book_statements
from finshare.close.statements.rules import parse_rule
from finshare.core.chart import Chart
from finshare.core.problems import Source

ROOT = Path(__file__).resolve().parents[1]
CAS, HKFRS = Chart.builtin("CAS"), Chart.builtin("HKFRS")

# voucher, period, source_type, account, customer, supplier, debit, credit (yuan)
HAND = """\
OB,2019-01,opening_balance,1002,,,500000,0
OB,2019-01,opening_balance,4001,,,0,500000
S19,2019-03,ar_invoice,1002,,,7000,0
S19,2019-03,ar_invoice,6001,,,0,7000
FA,2020-01,manual,1601,,,100000,0
FA,2020-01,manual,1602,,,0,20000
FA,2020-01,manual,4002,,,0,80000
S1,2020-02,ar_invoice,1122,C1,,11300,0
S1,2020-02,ar_invoice,6001,,,0,10000
S1,2020-02,ar_invoice,22210107,,,0,1300
R2,2020-02,receipt,1002,,,5000,0
R2,2020-02,receipt,1122,C2,,0,5000
P1,2020-02,ap_invoice,1403,,,20000,0
P1,2020-02,ap_invoice,22210101,,,2600,0
P1,2020-02,ap_invoice,220201,,S1,0,22600
PP,2020-02,payment,220201,,S2,3000,0
PP,2020-02,payment,1002,,,0,3000
CF,2020-02,close,6001,,,10000,0
CF,2020-02,close,4103,,,0,10000
E1,2020-03,expense_claim,6602,,,800,0
E1,2020-03,expense_claim,1002,,,0,800
"""


def hand_lines() -> pd.DataFrame:
    rows = [r.split(",") for r in HAND.splitlines()]
    frame = pd.DataFrame(rows, columns=["voucher_no", "period", "source_type", "account", "customer", "supplier",
                                        "debit", "credit"])
    for c in ("debit", "credit"):
        frame[c] = frame[c].astype("int64") * 100
    return frame


def lines_of(frame: pd.DataFrame) -> pd.Series:
    return frame.set_index("code")[["current", "comparative"]].apply(tuple, axis=1)


def yuan(v) -> int:
    return int(v * 100)


# ------------------------------------------------------------------ rules
def test_a_rule_parses_into_signed_terms():
    terms, problems = parse_rule("1601 − 1602 + 1122:debit_by_counterparty - [profit_and_loss] + BS02..BS14", Source())
    assert problems == []
    assert [(t.sign, t.what, t.ref, t.side, t.by, t.end) for t in terms] == [
        (1, "account", "1601", "", "", ""), (-1, "account", "1602", "", "", ""),
        (1, "account", "1122", "debit", "counterparty", ""), (-1, "category", "profit_and_loss", "", "", ""),
        (1, "range", "BS02", "", "", "BS14")]


@pytest.mark.parametrize("rule, why", [
    ("__import__('os')", "cannot read from character 1"),
    ("1001 1002", "a + or - is missing"),
    ("1001 + - 1002", "two signs in a row"),
    ("1001 +", "ends with a sign"),
    ("1122:debit_by_nobody", "unknown selector 'debit_by_nobody'"),
    ("1122:owed", "unknown selector 'owed'"),
    ("[expenses]", "no category 'expenses'"),
])
def test_a_bad_rule_is_refused_with_where_and_why(rule, why):
    terms, problems = parse_rule(rule, Source("lines.csv", 7, "rule"))
    assert terms == () and len(problems) == 1
    p = problems[0]
    assert p.code == "bad-statement-rule" and why in p.message and "报表行规则有误" in p.message
    assert str(p.source) == "lines.csv:7, 字段 field rule" and p.fix.startswith("规则写成科目")


def test_a_layout_refuses_a_line_that_refers_to_a_later_or_unknown_line():
    frame = pd.DataFrame({"section": "X", "code": ["X1", "X2"], "name_zh": ["甲", "乙"], "name_en": ["A", "B"],
                          "kind": ["detail", "sum"], "rule": ["X2", "1001"]})
    with pytest.raises(FinshareError) as exc:
        read_layout(frame, {"id": "x", "key": "x", "chart": "CAS", "basis": "position", "title_zh": "",
                            "title_en": ""}, "x.csv")
    assert sorted(p.code for p in exc.value.problems) == ["bad-line-kind", "unknown-line"]
    assert "x.csv:2" in str(exc.value)


def test_every_built_in_statement_loads_and_the_cas_forms_keep_every_line():
    for entry in index():
        lay = layout(entry["id"])
        assert len(set(lay.codes)) == len(lay.codes)
    bs, is_ = layout("cas_bs"), layout("cas_is")
    ref = pd.read_csv(Path("/work/shared/reference/cas_2019_fs_lines.csv")) \
        if Path("/work/shared/reference/cas_2019_fs_lines.csv").exists() else None
    assert len(bs.lines) == 73 and len(is_.lines) == 31
    names = {ln.code: ln.name_zh for ln in bs.lines}
    assert names["BS36"] == "资产总计" and names["BS73"] == "负债和所有者权益（或股东权益）总计"
    if ref is not None:
        assert [ln.name_zh for ln in bs.lines] == ref.loc[ref["statement"] == "BS", "line_zh"].tolist()
        assert [ln.name_zh for ln in is_.lines] == ref.loc[ref["statement"] == "IS", "line_zh"].tolist()


# --------------------------------------------------------- hand-made book
def test_statement_balances_of_the_hand_made_book():
    bal = statement_balances(hand_lines(), "2020-03").set_index(["account", "counterparty"])
    assert list(bal.columns) == ["closing", "prior_closing", "ytd", "prior_ytd"]
    assert tuple(bal.loc[("1002", "")]) == (yuan(508200), yuan(507000), yuan(1200), yuan(7000))
    assert tuple(bal.loc[("1122", "C2")]) == (yuan(-5000), 0, yuan(-5000), 0)
    assert tuple(bal.loc[("6001", "")]) == (yuan(-7000), yuan(-7000), yuan(-10000), yuan(-7000))  # close left out
    assert tuple(bal.loc[("220201", "S1")]) == (yuan(-22600), 0, yuan(-22600), 0)
    assert bal.dtypes.eq("int64").all()


def test_opening_balance_vouchers_of_the_year_are_the_previous_year_end():
    lines = hand_lines()
    lines = lines[lines["period"] >= "2020-01"].copy()
    lines.loc[lines["voucher_no"] == "FA", "source_type"] = "opening_balance"
    bal = statement_balances(lines, "2020-03").set_index(["account", "counterparty"])
    assert tuple(bal.loc[("1601", "")]) == (yuan(100000), yuan(100000), 0, 0)


def test_the_hand_made_balance_sheet_line_by_line():
    bs = build_statement("cas_bs", statement_balances(hand_lines(), "2020-03"), CAS)
    got = lines_of(bs)
    want = {  # (期末余额, 上年年末余额), worked out by hand
        "BS02": (508200, 507000), "BS06": (11300, 0), "BS08": (3000, 0), "BS10": (20000, 0), "BS14": (1300, 0),
        "BS15": (543800, 507000), "BS24": (80000, 0), "BS35": (80000, 0), "BS36": (623800, 507000),
        "BS42": (22600, 0), "BS43": (5000, 0), "BS46": (0, 0), "BS51": (27600, 0), "BS62": (27600, 0),
        "BS64": (500000, 500000), "BS66": (80000, 0), "BS71": (16200, 7000), "BS72": (596200, 507000),
        "BS73": (623800, 507000)}
    for code, (cur, comp) in want.items():
        assert got[code] == (yuan(cur), yuan(comp)), code
    others = got.drop(list(want))
    assert (others == (0, 0)).all()
    assert bs["current"].dtype == "int64" and list(bs.columns) == ["code", "name_zh", "name_en", "kind", "current",
                                                                  "comparative"]


def test_the_hand_made_income_statement_leaves_the_carry_forward_out():
    is_ = build_statement("cas_is", statement_balances(hand_lines(), "2020-03"), CAS)
    got = lines_of(is_)
    assert got["IS01"] == (yuan(10000), yuan(7000))
    assert got["IS05"] == (yuan(800), 0)
    for code in ("IS19", "IS22", "IS24", "IS30"):
        assert got[code] == (yuan(9200), yuan(7000)), code
    shown = as_decimals(is_, 2).set_index("code")
    assert shown.at["IS24", "current"] == Decimal("9200.00") and shown.at["IS28", "current"] is None


def test_a_balance_left_out_of_every_line_is_named_not_printed():
    lay = layout("cas_bs")
    frame = pd.DataFrame([{"section": "BS", "code": ln.code, "name_zh": ln.name_zh, "name_en": ln.name_en,
                           "kind": ln.kind, "rule": ln.rule.replace("1403 + ", "")} for ln in lay.lines])
    broken = read_layout(frame, {**[e for e in index() if e["id"] == "cas_bs"][0]}, "broken.csv")
    with pytest.raises(FinshareError) as exc:
        build_statement(broken, statement_balances(hand_lines(), "2020-03"), CAS, "HAND")
    (p,) = exc.value.problems
    assert p.code == "statement-unbalanced" and "科目 1403 没有" in p.message and "accounts 1403 are in no line" in p.message


def test_balances_that_do_not_balance_are_named_as_such():
    lines = hand_lines()
    lines.loc[lines.index[0], "debit"] += 1
    with pytest.raises(FinshareError) as exc:
        build_statement("cas_bs", statement_balances(lines, "2020-03"), CAS, "HAND")
    (p,) = exc.value.problems
    assert p.code == "balances-unbalanced" and "debits exceed credits by 1 minor units" in p.message


# ------------------------------------------------ every account lands once
def _leaves(chart):
    return [c for c in chart.accounts.index[chart.accounts["is_leaf"]]]


@pytest.mark.parametrize("chart, statement, a, b", [(CAS, "cas_bs", "BS36", "BS73"),
                                                     (HKFRS, "hkfrs_sfp", "SFP12", "SFP28")])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_balanced_ledger_gives_a_balance_sheet_that_balances(chart, statement, a, b, data):
    leaves = _leaves(chart)
    picked = data.draw(st.lists(st.tuples(st.sampled_from(leaves), st.sampled_from(["", "C1", "S1"]),
                                          st.integers(-10**12, 10**12)), min_size=1, max_size=40))
    frame = pd.DataFrame(picked, columns=["account", "counterparty", "closing"])
    plug = pd.DataFrame([{"account": leaves[0], "counterparty": "", "closing": -int(frame["closing"].sum())}])
    bal = pd.concat([frame, plug]).groupby(["account", "counterparty"], as_index=False).sum()
    bal = bal.assign(prior_closing=0, ytd=0, prior_ytd=0)
    lines = build_statement(statement, bal, chart).set_index("code")["current"]
    assert lines[a] == lines[b]


# ------------------------------------------------------------ year of data
@pytest.fixture(scope="module")
def year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("year") / "case"
    shutil.copytree(ROOT / "datasets" / "fujian-2020", folder, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    ledger = finshare.Ledger(finshare.load_case(folder), folder / "ledger.sqlite")
    ledger.post()
    yield ledger
    ledger.close()


MONTHS = [f"2020-{m:02d}" for m in range(1, 13)]
TOTALS = {"CAS": ("BS36", "BS73"), "HKFRS": ("SFP12", "SFP28")}
PROFIT = {"CAS": "IS24", "HKFRS": "PL12"}


def test_every_book_balances_every_month_and_profit_is_the_ledgers(year):
    for book in year.case.books:
        business = year.lines(book.code, "business")
        gl = year.lines(book.code, "gl")
        gl = gl[~gl["source_no"].astype(str).str.startswith("QC")]   # the opening documents are last year's
        pl = book.chart.accounts.index[book.chart.accounts["category"] == "profit_and_loss"]
        kind = "HKFRS" if book.chart.name == "HKFRS" else "CAS"
        for month in MONTHS:
            bal = statement_balances(business, month)
            bs = build_statement(f"{kind.lower()}_{'sfp' if kind == 'HKFRS' else 'bs'}", bal, book.chart)
            is_ = build_statement(f"{kind.lower()}_{'pl' if kind == 'HKFRS' else 'is'}", bal, book.chart)
            a, b = TOTALS[kind]
            totals = bs.set_index("code")["current"]
            assert totals[a] == totals[b] and totals[a] > 0, (book.code, month)
            g = gl[(gl["period"].astype(str) <= month) & (gl["source_type"].astype(str) != "close")
                   & gl["account"].astype(str).isin(pl)]
            assert is_.set_index("code").at[PROFIT[kind], "current"] == int(g["credit"].sum() - g["debit"].sum())


def test_the_comparative_balance_sheet_is_the_opening_position(year):
    for book in year.case.books:
        lines = year.lines(book.code, "business")
        opening = lines[lines["source_type"].astype(str) == "opening_balance"]
        net = (opening["debit"] - opening["credit"]).groupby(opening["account"].astype(str)).sum()
        assets = net[net.index.map(book.chart.accounts["category"]) == "asset"].sum()
        statements = book_statements(year, book.code, "2020-06", "bs")
        bs = statements["bs"].set_index("code")["comparative"]
        if book.chart.name == "HKFRS":
            assert bs["SFP10"] == net.get("1000", 0) and bs["SFP14"] == -net["3000"]
            assert bs["SFP02"] == net.get("1610", 0) + net.get("1620", 0)
            assert bs["SFP12"] == assets
        else:
            assert bs["BS02"] == sum(net.get(c, 0) for c in ("1001", "1002", "1012")) and bs["BS02"] > 0
            assert bs["BS64"] == -net["4001"] and bs["BS24"] == net["1601"] + net["1602"]
            assert bs["BS36"] == assets


def test_management_pl_units_add_up_to_the_book_result(year):
    for code, units in (("CN-MGT", ["SZ", "XM"]), ("VN-MGT", ["VN"]), ("FJ-CAS", ["SZ", "VN", "XM"])):
        lines = year.lines(code, "business")
        mp = management_pl(lines, "2020-09", year.case.books[code].chart)
        assert mp.attrs["units"] == units
        row = mp.set_index("code").loc["MP09"]
        assert sum(row[u] for u in units) == row["current"]
        is_ = build_statement("cas_is", statement_balances(lines, "2020-09"), year.case.books[code].chart)
        assert row["current"] == is_.set_index("code").at["IS24", "current"]
        rev = lines[(lines["account"].astype(str) == "6001") & (lines["org"].astype(str) == units[0])
                    & (lines["period"].astype(str) <= "2020-09") & (lines["source_type"].astype(str) != "close")]
        assert mp.set_index("code").at["MP01", units[0]] == int(rev["credit"].sum() - rev["debit"].sum())


def test_carrying_profit_forward_changes_neither_statement(year):
    from finshare.close.carry import carry_forward
    before = book_statements(year, "CN-MGT", "2020-02", "all")
    posted, _ = carry_forward(year, "CN-MGT", "2020-01")
    lines = posted.business
    result = int(lines.loc[lines["account"] == "4103", "credit"].sum() - lines.loc[lines["account"] == "4103",
                                                                                   "debit"].sum())
    assert result != 0
    after = book_statements(year, "CN-MGT", "2020-02", "all")
    for key in before:
        pd.testing.assert_frame_equal(before[key], after[key])
    bal = statement_balances(year.lines("CN-MGT", "business"), "2020-02").set_index(["account", "counterparty"])
    assert bal.loc[("4103", ""), "closing"] == -result               # the result now sits in 本年利润


def test_statements_workbook_has_formats_headers_and_bold_totals(year, tmp_path):
    for code, fmt in (("FJ-CAS", "#,##0.00"), ("VN-MGT", "#,##0")):
        book = year.case.books[code]
        statements = book_statements(year, code, "2020-03", "all")
        path = write_statements(tmp_path / f"{code}.xlsx", statements, book, "2020-03")
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == ["bs 资产负债表", "is 利润表", "mgt 管理利润表（按利润中心）"]
        ws = wb["bs 资产负债表"]
        assert [c.value for c in ws[3]] == ["项目 Item", "行次 Line", "期末余额 Closing balance",
                                            "上年年末余额 Prior year-end balance"]
        assert ws.freeze_panes == "C4" and ws.column_dimensions["A"].width > 20
        rows = {r[1].value: r for r in ws.iter_rows(min_row=4)}
        bs = statements["bs"].set_index("code")
        assert rows["BS02"][2].number_format == fmt
        assert rows["BS36"][2].value == pytest.approx(bs.at["BS36", "current"] / 10 ** book.exponent, abs=0)
        assert rows["BS36"][0].value == "资产总计" and rows["BS36"][0].font.b and not rows["BS02"][0].font.b
        assert rows["BS01"][2].value is None
        assert [c.value for c in wb["is 利润表"][3]][2:] == ["本期金额 Current", "上期金额 Comparative"]


def test_group_statements_balance_and_eliminate_the_intercompany_sales(year, capsys):
    import json
    from finshare.cli import main
    from finshare.close.consolidation import consolidate
    from finshare.close.statements.report import group_statements
    book, statements = group_statements(year, "2020-12")
    bs, is_ = (statements[k].set_index("code") for k in ("bs", "is"))
    assert (book.code, book.currency) == ("GROUP", "CNY")
    assert bs.at["BS36", "current"] == bs.at["BS73", "current"] > 0
    c = consolidate(year, "2020-12")
    rows = c.rows
    revenue = rows[rows["account"].isin(["6001", "6051"])]
    ic = c.eliminations[c.eliminations["account"] == "6001"]
    assert is_.at["IS01", "current"] == -int(revenue["ytd"].sum()) - int(ic["debit"].sum() - ic["credit"].sum())
    assert int(ic["debit"].sum()) > 0                                  # the Vietnam factory's sales to Xiamen
    code = main(["statements", str(year.case.path), "--group", "--period", "2020-12", "--statement", "bs"])
    body = json.loads(capsys.readouterr().out)
    assert code == 0 and body["book"] == "GROUP" and body["currency"] == "CNY"
    total = {ln["code"]: ln["current"] for ln in body["statements"]["bs"]["lines"]}
    assert total["BS36"] == total["BS73"] == str(Decimal(int(bs.at["BS36", "current"])) / 100)
