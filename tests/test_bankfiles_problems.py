"""Bad statement files: one test per problem code, pinning its bilingual message, place and fix."""
from pathlib import Path

import pytest

from finshare import FinshareError
from finshare.reconcile.bankfiles import detect_layout, read_statement

DATA = Path(__file__).parent / "data" / "bank"
ICBC = (DATA / "icbc_history.csv").read_bytes().decode("gbk")


def problem(call, *args, **kwargs):
    with pytest.raises(FinshareError) as exc:
        call(*args, **kwargs)
    assert len(exc.value.problems) == 1, exc.value
    return exc.value.problems[0]


def gbk(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode("gbk"))
    return path


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\r\n")
    p = problem(read_statement, path)
    assert (p.code, p.message) == ("empty-file", "对账单文件是空的 / the statement file is empty")
    assert (p.source.file, p.source.line) == (str(path), 1)
    assert p.fix == "重新从网银导出对账单 / export the statement from the bank again"


def test_no_layout_fits_names_the_closest_header_row_and_the_missing_columns(tmp_path):
    text = ICBC.replace("对方单位名称", "对方户名").replace("凭证号", "传票号")
    path = gbk(tmp_path, "x.csv", text)
    p = problem(detect_layout, path)
    assert p.code == "unknown-layout" and (p.source.file, p.source.line) == (str(path), 2)
    assert p.message.startswith("无法识别对账单版式：最接近的是 icbc（第 2 行：传票号 | 本方账号 | ")
    assert p.message.endswith("缺少列 传票号、对方单位名称 / no layout fits the statement: the closest is icbc at line 2, "
                              "which lacks 凭证号, 对方单位名称".replace("传票号、", "凭证号、"))
    assert p.fix.startswith("用 --layout NAME 指定内置版式（icbc、ccb、boc、cmb），或为这家银行写一个映射文件并用 "
                            "--mapping FILE / pass --layout NAME")
    assert problem(read_statement, path).code == "unknown-layout"


def test_a_file_with_no_header_at_all(tmp_path):
    path = gbk(tmp_path, "notes.txt", "这不是对账单\r\n只是一段文字\r\n")
    p = problem(read_statement, path)
    assert p.code == "unknown-layout" and p.message.startswith(
        "无法识别对账单版式：前 30 行中没有一行像任何内置版式的表头 / no layout fits the statement: none of the first 30 rows")


def test_an_unknown_layout_name():
    p = problem(read_statement, DATA / "icbc_history.csv", layout="abc")
    assert p.code == "no-such-layout"
    assert p.message == "没有名为 'abc' 的内置版式 / there is no built-in layout 'abc'"
    assert (p.source.file, p.source.field) == (str(DATA / "icbc_history.csv"), "layout")
    assert p.fix.startswith("内置版式 / built-in layouts: icbc, ccb, boc, cmb; 其他银行写一个映射文件并用 --mapping FILE")


def test_a_mapping_without_columns(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("name: x\nbank: 某银行\n", encoding="utf-8")
    p = problem(read_statement, DATA / "cmbc_detail.csv", mapping=path)
    assert (p.code, p.message) == ("mapping-missing-key", "映射文件缺少 columns: / the mapping file has no columns: key")
    assert (p.source.file, p.source.field) == (str(path), "columns")
    assert p.fix == "加上 columns: / add columns: (canonical column → the file's header text (required))"


def test_a_mapping_with_two_columns_but_no_direction(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text((DATA / "cmbc.yaml").read_text(encoding="utf-8").replace("  in: credit\n", "  out: debit\n"),
                    encoding="utf-8")
    p = problem(read_statement, DATA / "cmbc_detail.csv", mapping=path)
    assert p.code == "mapping-missing-key" and p.source.field == "direction.in"
    assert p.message == "direction: 未说明哪一列是收入 / direction: does not say which column is money in"


def test_a_mapping_naming_a_column_the_file_lacks(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text((DATA / "cmbc.yaml").read_text(encoding="utf-8").replace("账户余额", "当前余额"), encoding="utf-8")
    p = problem(read_statement, DATA / "cmbc_detail.csv", mapping=path)
    assert p.code == "layout-mismatch"
    assert (p.source.file, p.source.line, p.source.field) == (str(DATA / "cmbc_detail.csv"), 3, "当前余额")
    assert p.message.startswith("文件不符合版式 cmbc：最接近的表头行（第 3 行：交易日期 | 主机交易流水号 | ")
    assert p.message.endswith("缺少列 当前余额 / the file does not fit layout cmbc: the closest header row (line 3) "
                              "lacks 当前余额")
    assert p.fix.startswith(f"在映射文件 {path} 中改成文件里的列名，或换一个版式 / write the file's own header names")


def test_a_bad_date(tmp_path):
    path = gbk(tmp_path, "d.csv", ICBC.replace("2020-03-05 14:20:11", "2020-13-05"))
    p = problem(read_statement, path)
    assert p.code == "bad-date" and (p.source.line, p.source.field) == (4, "交易时间")
    assert p.message == "第 4 行 交易时间 的值 '2020-13-05' 不是日期 / line 4: 交易时间 '2020-13-05' is not a date"
    assert p.fix.startswith("日期写成 %Y-%m-%d %H:%M:%S, %Y-%m-%d, %Y%m%d 之一，或在映射文件的 date_format 中加上这个格式")


def test_a_bad_amount(tmp_path):
    path = gbk(tmp_path, "a.csv", ICBC.replace("10,000.00\t", "10,000.0O\t", 1))
    p = problem(read_statement, path)
    assert p.code == "bad-amount" and (p.source.line, p.source.field) == (4, "借方发生额")
    assert p.message == "第 4 行 借方发生额 的值 '10,000.0O' 不是金额 / line 4: 借方发生额 '10,000.0O' is not an amount"
    assert p.fix.startswith("金额写成数字，如 1,234.56")


def test_all_bad_cells_are_reported_together(tmp_path):
    text = ICBC.replace("10,000.00\t", "十元\t", 1).replace("2020-03-31 17:00:00", "31/03/2020")
    with pytest.raises(FinshareError) as exc:
        read_statement(gbk(tmp_path, "m.csv", text))
    assert [(p.code, p.source.line) for p in exc.value.problems] == [("bad-date", 5), ("bad-amount", 4)]


def test_a_broken_running_balance(tmp_path):
    path = gbk(tmp_path, "b.csv", ICBC.replace("110,000.00", "110,100.00"))
    p = problem(read_statement, path)
    assert p.code == "balance-broken" and (p.source.line, p.source.field) == (4, "余额")
    assert p.message == ("第 2 笔交易的余额不连续：上一笔余额加本笔金额应为 110,000.00，文件中为 110,100.00 / transaction 2: "
                         "running balance broken: the previous balance plus this amount is 110,000.00, the file has "
                         "110,100.00")
    assert p.fix.startswith("核对这一笔的金额与余额")


def test_a_broken_balance_in_a_newest_first_file(tmp_path):
    text = (DATA / "ccb_detail.csv").read_bytes().decode("gbk").replace('"350,000.00"', '"350,000.01"')
    p = problem(read_statement, gbk(tmp_path, "c.csv", text))
    assert p.code == "balance-broken" and p.source.line == 5
    assert p.message.startswith("第 1 笔交易的余额不连续：下一笔（较早）余额加本笔金额应为 1,480,000.01，文件中为 1,480,000.00 / "
                                "transaction 1: running balance broken: the next (earlier) balance plus this amount "
                                "(the file is listed newest first) is 1,480,000.01")


def test_an_xlsx_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_text("交易日,金额\n", encoding="utf-8")
    p = problem(read_statement, path)
    assert p.code == "bad-xlsx" and p.source.file == str(path)
    assert p.message == "文件扩展名是 .xlsx，内容却不是 Excel 工作簿 / the file is named .xlsx but is not an Excel workbook"
    assert p.fix.startswith("用 Excel 打开并另存为 .xlsx")


def test_an_unknown_direction_flag(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text((DATA / "boc_detail.csv").read_text(encoding="utf-8-sig").replace(",往账,", ",转出,", 1),
                    encoding="utf-8")
    p = problem(read_statement, path)
    assert p.code == "bad-direction" and (p.source.line, p.source.field) == (8, "交易类型")
    assert p.message == "第 8 行 交易类型 的值 '转出' 不是收付标志 / line 8: 交易类型 '转出' is not a direction flag"
    assert p.fix.startswith("收付标志应为 来账、贷、往账、借 之一（收入 来账、贷，支出 往账、借）")


def test_an_unsupported_file_type(tmp_path):
    path = tmp_path / "s.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    p = problem(read_statement, path)
    assert p.code == "unsupported-file" and p.message == "不支持的文件类型 .xls / unsupported file type .xls"


def test_a_mapping_with_an_unknown_key(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text((DATA / "cmbc.yaml").read_text(encoding="utf-8").replace("footer:", "footers:"),
                    encoding="utf-8")
    p = problem(read_statement, DATA / "cmbc_detail.csv", mapping=path)
    assert (p.code, p.message, p.source.field) == ("mapping-unknown-key", "未知的键 footers / unknown key footers",
                                                   "footers")
    assert p.fix.startswith("可用的键 / known keys: name, bank, columns, direction,")


def test_an_unknown_currency(tmp_path):
    text = (DATA / "ccb_detail.csv").read_bytes().decode("gbk").replace("人民币元", "日元", 1)
    path = gbk(tmp_path, "c.csv", text)
    p = problem(read_statement, path)
    assert p.code == "unknown-currency" and (p.source.line, p.source.field) == (5, "币种")
    assert p.message == "第 5 行 币种 的值 '日元' 不是已知币种 / line 5: 币种 '日元' is not a known currency"
    assert p.fix.startswith("在映射文件的 currencies 中写明它对应的币种代码")


def test_a_mapping_column_of_the_wrong_shape(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text((DATA / "cmbc.yaml").read_text(encoding="utf-8").replace(
        "counterparty: 对方账号名称", "counterparty: {in: 对方账号名称}"), encoding="utf-8")
    p = problem(read_statement, DATA / "cmbc_detail.csv", mapping=path)
    assert (p.code, p.source.field) == ("bad-mapping", "columns.counterparty")
    assert p.message == "columns.counterparty 的写法不对 / columns.counterparty has the wrong shape"
