"""Charts of accounts: the built-in CAS and HKFRS charts, loading, saving and refusing bad rows."""
import pandas as pd
import pytest

from finshare import Chart, FinshareError
from finshare.core.chart import account_map, map_accounts


def test_builtin_cas_chart():
    cas = Chart.builtin("CAS")
    a = cas.accounts
    assert a.at["2202", "name_zh"] == "应付账款" and a.at["2202", "normal_balance"] == "credit"
    assert not a.at["2202", "is_leaf"] and a.at["220202", "is_leaf"]
    assert cas.full_name(pd.Series(["220202"]))[0] == "应付账款—暂估应付款"
    assert a.at["22210101", "level"] == 3 and a.at["22210101", "name_zh"] == "进项税额"
    assert a.at["1602", "normal_balance"] == "credit"             # contra asset 累计折旧
    assert a.at["6602", "dimensions"] == ("department",)
    assert a.at["220202", "dimensions"] == ("supplier",)
    assert a.at["6601", "name_en"] == "Selling expenses"
    assert set(a["category"]) == {"asset", "liability", "equity", "cost", "profit_and_loss"}   # 共同类 is financial-industry only


def test_hkfrs_chart_and_map_follow_function_classification():
    hk = Chart.builtin("HKFRS")
    mapping = account_map("CAS", "HKFRS")
    got = map_accounts(pd.Series(["6601", "6602", "220202", "22210101", "1403"]), mapping, Chart.builtin("CAS"))
    assert got.tolist() == ["6100", "6200", "2120", "2200", "1310"]       # 22210101 via its parent 2221
    assert hk.accounts.at["6100", "name_en"] == "Selling and distribution expenses"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_save_and_read_round_trip(tmp_path, suffix):
    cas = Chart.builtin("CAS")
    path = cas.save(tmp_path / f"chart.{suffix}")
    back = Chart.read(path, name="CAS")
    pd.testing.assert_frame_equal(cas.accounts, back.accounts)


def test_bad_chart_rows_are_all_reported():
    frame = pd.DataFrame({
        "code": ["1001", "1001", "1002", "2202"], "parent": ["", "", "9999", ""],
        "name_zh": ["库存现金", "重复", "银行存款", "应付账款"], "category": ["asset", "asset", "资产", "负债类"],
        "normal_balance": ["借", "借", "debit", "credit"], "dimensions": ["", "", "", "vendor"]})
    with pytest.raises(FinshareError) as info:
        Chart.from_frame(frame, "T", "t.csv")
    got = sorted((p.code, p.source.line) for p in info.value.problems)
    assert got == [("bad-category", 5), ("duplicate-code", 3), ("unknown-dimension", 5), ("unknown-parent", 4)]


def test_an_optional_dimension_is_written_with_a_question_mark(tmp_path):
    frame = pd.DataFrame([["1122", "", "应收账款", "Receivables", "asset", "debit", "customer;department?"]],
                         columns=["code", "parent", "name_zh", "name_en", "category", "normal_balance", "dimensions"])
    chart = Chart.from_frame(frame, "MINI")
    assert chart.accounts.at["1122", "dimensions"] == ("customer", "department")
    assert chart.accounts.at["1122", "optional_dimensions"] == ("department",)
    back = Chart.read(chart.save(tmp_path / "MINI.csv"))
    assert back.dimension_text(";").to_dict() == {"1122": "customer;department?"}
