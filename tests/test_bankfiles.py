"""Bank statement files: the four banks' hand-written exports, detection, a user's mapping file, round trips."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finshare.reconcile import banklines
from finshare.reconcile.bankfiles import builtin_names, detect_layout, read_statement, write_statement

DATA = Path(__file__).parent / "data" / "bank"

# Expected values worked out by hand from the fixture files (yuan → fen), not from the reader.
EXPECTED = {
    "icbc_history.csv": dict(
        layout="icbc", order="oldest-first", account_no="1402020109000123456", account_name="",
        dates=["2020-03-02", "2020-03-05", "2020-03-31"], amounts=[2000000, -1000000, -1550],
        balances=[12000000, 11000000, 10998450], counterparties=["厦门星巴克贸易有限公司", "办公用品供应商", ""],
        accounts=["35001010040012345", "6222021402000011111", ""], memos=["货款 / XS-0302", "转账 / 办公用品", "手续费"],
        references=["0001", "0002", "0003"], rows=[1, 2, 3], lines=[3, 4, 5]),
    "ccb_detail.csv": dict(   # listed newest first: read back oldest first, rows keep the file's numbering
        layout="ccb", order="newest-first", account_no="35050188000000001234", account_name="福建制造公司厦门制造工厂",
        dates=["2020-03-01", "2020-03-15", "2020-03-20"], amounts=[5000000, -20000000, 113000000],
        balances=[55000000, 35000000, 148000000], counterparties=["福建制造公司", "瑞幸咖啡(厦门)有限公司", "深圳华强电子有限公司"],
        accounts=["40850000000012345678", "591902345610201", "4000021209200088888"],
        memos=["内部转账", "支付货款 / CG001", "货款 / SO-2020-031"],
        references=["3505018800000001-0001", "3505018800000001-0002", "3505018800000001-0003"],
        rows=[3, 2, 1], lines=[7, 6, 5]),
    "boc_detail.csv": dict(   # counterparty: the payer on 来账, the payee on 往账
        layout="boc", order="oldest-first", account_no="40850000000012345678", account_name="福建制造公司",
        dates=["2020-03-03", "2020-03-10", "2020-03-25"], amounts=[5650000, -120000, -3000000],
        balances=[15650000, 15530000, 12530000],
        counterparties=["北京京东世纪贸易有限公司", "厦门顺丰速运有限公司", "国家税务总局厦门市税务局"],
        accounts=["0200001234567890", "80112233", "270100000000000001"],
        memos=["货款 / XS-0301", "运费 / 3月运费 / FEE-0310", "缴税 / 增值税"],
        references=["BOC20200303001", "BOC20200310002", "BOC20200325003"], rows=[1, 2, 3], lines=[7, 8, 9]),
    "cmb_detail.xlsx": dict(
        layout="cmb", order="oldest-first", account_no="755912345610888", account_name="福建制造公司深圳制造工厂",
        dates=["2020-03-02", "2020-03-05", "2020-03-31"], amounts=[8800000, -1234567, -250],
        balances=[28800000, 27565433, 27565183],
        counterparties=["厦门美的电器销售有限公司", "国网福建省电力有限公司厦门供电公司", ""],
        accounts=["592902222210888", "35001000000052", ""], memos=["货款 / SO-0302", "电费", "手续费"],
        references=["K0001", "K0002", "K0003"], rows=[1, 2, 3], lines=[8, 9, 10]),
}


def _assert_table(got: pd.DataFrame, want: dict) -> None:
    assert list(got.columns) == list(banklines.BANK_LINE_COLUMNS)
    assert got["date"].dt.strftime("%Y-%m-%d").tolist() == want["dates"]
    assert got["amount"].tolist() == want["amounts"]
    assert got["balance"].tolist() == want["balances"]
    assert got["counterparty"].tolist() == want["counterparties"]
    assert got["counterparty_account"].tolist() == want["accounts"]
    assert got["memo"].tolist() == want["memos"]
    assert got["reference"].tolist() == want["references"]
    assert got["row"].tolist() == want["rows"] and got["source_line"].tolist() == want["lines"]
    assert set(got["currency"]) == {"CNY"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_banks_export_is_read_exactly(name):
    want = EXPECTED[name]
    got = read_statement(DATA / name)
    _assert_table(got, want)
    assert {k: got.attrs[k] for k in ("layout", "account_no", "account_name", "currency", "order")} == {
        "layout": want["layout"], "account_no": want["account_no"], "account_name": want["account_name"],
        "currency": "CNY", "order": want["order"]}
    assert got.dtypes.astype(str).tolist() == [t for t, _ in banklines.BANK_LINE_COLUMNS.values()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_layout_is_detected(name):
    assert detect_layout(DATA / name) == EXPECTED[name]["layout"]


def test_the_fixtures_cover_gbk_utf8_bom_tabs_and_a_workbook():
    assert (DATA / "icbc_history.csv").read_bytes().decode("gbk").startswith("[HISTORYDETAIL]\r\n凭证号\t")
    assert "借方发生额（支取）" in (DATA / "ccb_detail.csv").read_bytes().decode("gbk")
    assert (DATA / "boc_detail.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_total_rows_never_become_transactions(tmp_path):
    """The totals carry amounts (and the ICBC total a 'date' column); a 合计 inside a memo is no total row."""
    text = (DATA / "icbc_history.csv").read_bytes().decode("gbk").replace("\t转账\t", "\t合计转账\t")
    path = tmp_path / "icbc.csv"
    path.write_bytes(text.encode("gbk"))
    got = read_statement(path)
    assert got["amount"].sum() == 2000000 - 1000000 - 1550
    assert got["memo"].tolist()[1] == "合计转账 / 办公用品"
    for name in EXPECTED:
        assert len(read_statement(DATA / name)) == 3


def test_a_mapping_file_reads_another_bank_without_code():
    got = read_statement(DATA / "cmbc_detail.csv", mapping=DATA / "cmbc.yaml")
    assert got.attrs["layout"] == "cmbc" and got.attrs["account_no"] == "6901234567"
    assert got["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-03-04", "2020-03-18"]
    assert got["amount"].tolist() == [880000, -234560]
    assert got["balance"].tolist() == [1880000, 1645440]
    assert got["counterparty"].tolist() == ["福州闽江贸易有限公司", "泉州石材供应有限公司"]
    assert got["reference"].tolist() == ["MS0001", "MS0002"]


def test_a_named_layout_is_used_without_detection():
    got = read_statement(DATA / "boc_detail.csv", layout="boc")
    assert got["amount"].tolist() == EXPECTED["boc_detail.csv"]["amounts"]


def test_the_writer_produces_each_banks_traits(tmp_path):
    lines = _lines([("2020-03-02", 1234567, "客户甲"), ("2020-03-05", -250000, "供应商乙")], "CNY", 100000)
    text = {lay: write_statement(lines, tmp_path / f"{lay}.csv", lay, account_no="622", account_name="福建制造公司")
            .read_bytes().decode("gbk") for lay in builtin_names()}
    assert text["icbc"].startswith("[HISTORYDETAIL]\r\n凭证号\t本方账号\t") and "\t12,345.67\t" in text["icbc"]
    assert "借方发生额（支取）" in text["ccb"] and "20200302 09:00:00" in text["ccb"] and ",人民币元," in text["ccb"]
    boc_rows = [r.split(",") for r in text["boc"].splitlines()]
    receipt, payment = boc_rows[5], boc_rows[6]
    assert receipt[:3] == ["20200302", "090000", "来账"] and (receipt[6], receipt[10]) == ("客户甲", "福建制造公司")
    assert payment[2] == "往账" and (payment[6], payment[10]) == ("福建制造公司", "供应商乙")
    assert text["cmb"].startswith("公司名称,福建制造公司,银行帐号,622\r\n查询开始日期,20200302,查询结束日期,20200305")
    assert '"12,345.67"' in text["cmb"] and "合计," in text["cmb"]


# ---------------------------------------------------------------- round trips
def _lines(rows, currency, opening):
    amounts = np.array([a for _, a, _ in rows], dtype="int64")
    return banklines.conform(pd.DataFrame({
        "row": np.arange(1, len(rows) + 1), "date": pd.to_datetime([d for d, _, _ in rows]), "amount": amounts,
        "balance": opening + np.cumsum(amounts), "currency": [currency] * len(rows),
        "counterparty": [c for _, _, c in rows], "counterparty_account": [f"62{i:04d}" for i in range(len(rows))],
        "memo": ["货款"] * len(rows), "reference": [f"R{i}" for i in range(len(rows))]}))


_CJK = "福建厦门深圳制造有限公司货款运费手续费工资电费采购销售银行"
_TEXT = st.text(alphabet=_CJK + "ABCxyz0123456789()/ -,\"'", max_size=12).map(str.strip).filter(
    lambda t: not t.strip("-") == "" or t == "")
_REF = st.text(alphabet="ABCDEFGHJK0123456789-", max_size=10).filter(lambda t: t.strip("-") != "" or t == "")
CASES = [(lay, fmt, enc) for lay in ("icbc", "ccb", "boc", "cmb") for fmt in ("csv", "txt") for enc in ("gbk", "utf-8")]
CASES += [(lay, "xlsx", "") for lay in ("icbc", "ccb", "boc", "cmb")]


@st.composite
def bank_lines(draw, currency_choices):
    n = draw(st.integers(1, 8))
    currency = draw(st.sampled_from(currency_choices))
    day = st.dates(pd.Timestamp("2000-01-01").date(), pd.Timestamp("2030-12-31").date())
    amounts = draw(st.lists(st.integers(-10**12, 10**12), min_size=n, max_size=n))
    frame = pd.DataFrame({
        "row": np.arange(1, n + 1), "date": pd.to_datetime(draw(st.lists(day, min_size=n, max_size=n))),
        "amount": np.array(amounts, dtype="int64"),
        "currency": [currency] * n,
        "counterparty": draw(st.lists(_TEXT, min_size=n, max_size=n)),
        "counterparty_account": draw(st.lists(st.text("0123456789", max_size=19), min_size=n, max_size=n)),
        "memo": draw(st.lists(_TEXT, min_size=n, max_size=n)),
        "reference": draw(st.lists(_REF, min_size=n, max_size=n))})
    frame["balance"] = draw(st.integers(-10**12, 10**12)) + frame["amount"].cumsum()
    return banklines.conform(frame)


@pytest.mark.parametrize("layout, fmt, encoding", CASES)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_written_statements_read_back_the_same_table(tmp_path, layout, fmt, encoding, data):
    currencies = ["CNY", "HKD", "VND"] if layout in ("ccb", "boc") else ["CNY"]
    lines = data.draw(bank_lines(currencies))
    path = write_statement(lines, tmp_path / f"s.{fmt}", layout, fmt=fmt, encoding=encoding or "gbk",
                           account_no="35001234", account_name="福建制造公司")
    assert detect_layout(path) == layout
    got = read_statement(path)
    cols = ["row", "date", "amount", "balance", "currency", "counterparty", "counterparty_account", "memo",
            "reference"]
    pd.testing.assert_frame_equal(got[cols], lines[cols])
    assert got.attrs["account_no"] == "35001234" and got.attrs["layout"] == layout


# ---------------------------------------------------------------- documentation
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_readme_documents_the_table_and_every_layout_key():
    from finshare.reconcile.bankfiles.layouts import COLUMN_KEYS, KEYS

    section = README.split("### Bank statements", 1)[1].split("\n## ", 1)[0]
    assert banklines.markdown_table() in section
    assert all(f"\n{key}:" in section or f"\n  {key}:" in section for key in KEYS)
    assert all(key in section for key in COLUMN_KEYS)


def test_the_readme_mapping_example_reads_the_cmbc_statement(tmp_path):
    example = README.split("pass it as `mapping=`:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "cmbc.yaml"
    path.write_text(example, encoding="utf-8")
    got = read_statement(DATA / "cmbc_detail.csv", mapping=path)
    assert got["amount"].tolist() == [880000, -234560] and got.attrs["account_no"] == "6901234567"


# ---------------------------------------------------------------- other shapes through mapping files
def _mapping(tmp_path, text):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_signed_amount_column_and_date_cells_of_a_workbook(tmp_path):
    """CMB personal (借记卡): 记账日期, 货币, 交易金额 (signed), 联机余额; here with real date cells."""
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in (["招商银行交易流水"], ["记账日期", "货币", "交易金额", "联机余额", "交易摘要", "对手信息"],
                [datetime(2020, 4, 1), "人民币", "-1,000.00", "9,000.00", "转账汇款", "王五"],
                [datetime(2020, 4, 2), "人民币", 250.5, 9250.5, "退款", "京东商城"]):
        ws.append(row)
    wb.save(tmp_path / "cmb_personal.xlsx")
    mapping = _mapping(tmp_path, "name: cmb-personal\ncolumns: {date: 记账日期, currency: 货币, amount: 交易金额, "
                                 "balance: 联机余额, memo: 交易摘要, counterparty: 对手信息}\n")
    got = read_statement(tmp_path / "cmb_personal.xlsx", mapping=mapping)
    assert got["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-04-01", "2020-04-02"]
    assert got["amount"].tolist() == [-100000, 25050] and got["balance"].tolist() == [900000, 925050]
    assert got["counterparty"].tolist() == ["王五", "京东商城"] and got["source_line"].tolist() == [3, 4]


def test_a_flag_column_with_1_and_2(tmp_path):
    """浙商银行: 借贷标志 1 = 收 / 2 = 付, one unsigned amount, VND to show a zero exponent."""
    path = tmp_path / "czb.csv"
    path.write_text("交易日期,借贷标志,发生额,余额,对方户名\n2020-05-06,1,\"5,000,000\",\"15,000,000\",越南客户\n"
                    "2020-05-07,2,1000000,14000000,供应商\n", encoding="utf-8")
    mapping = _mapping(tmp_path, "name: czb\ncurrency: VND\ncolumns: {date: 交易日期, flag: 借贷标志, value: 发生额, "
                                 "balance: 余额, counterparty: 对方户名}\ndirection: {in: [1], out: [2]}\n")
    got = read_statement(path, mapping=mapping)
    assert got["amount"].tolist() == [5000000, -1000000] and got["balance"].tolist() == [15000000, 14000000]
    assert set(got["currency"]) == {"VND"} and got.attrs["currency"] == "VND"


def test_a_statement_with_no_transactions(tmp_path):
    text = (DATA / "icbc_history.csv").read_bytes().decode("gbk").splitlines()
    path = tmp_path / "none.csv"
    path.write_bytes("\r\n".join(text[:2] + text[-1:]).encode("gbk"))
    got = read_statement(path)
    assert len(got) == 0 and list(got.columns) == list(banklines.BANK_LINE_COLUMNS)
