"""Bad input gives one clear FinshareError naming file, line, field and fix; never a traceback.

Each test copies the Fujian case (``case_dir``), breaks one file the way a
user would, and pins the problem's code and bilingual message.
"""
from decimal import Decimal

import pytest

import finshare
from finshare import FinshareError

HEADER = "documents/purchase_receipt.csv"
LINES = "documents/purchase_receipt_lines.csv"
TEMPLATE = "templates/purchase_receipt.yaml"


def read(case_dir, rel):
    return (case_dir / rel).read_text(encoding="utf-8")


def write(case_dir, rel, text, encoding="utf-8"):
    (case_dir / rel).write_text(text, encoding=encoding)


def replace(case_dir, rel, old, new):
    text = read(case_dir, rel)
    assert old in text, old
    write(case_dir, rel, text.replace(old, new))


def problems_of(case_dir, post=False):
    """Every problem of loading (and, if ``post``, posting) the case."""
    with pytest.raises(FinshareError) as info:
        case = finshare.load_case(case_dir)
        if post:
            finshare.Ledger(case, "sqlite://").post()
    return info.value.problems


def only(case_dir, post=False):
    (p,) = problems_of(case_dir, post)
    return p


# ------------------------------------------------------------------ encodings
def test_a_gbk_csv_of_documents_loads_with_its_chinese_text(case_dir):
    write(case_dir, HEADER, read(case_dir, HEADER), encoding="gbk")
    raw = (case_dir / HEADER).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    case = finshare.load_case(case_dir)
    header = case.documents["purchase_receipt"].header
    assert header.loc["CG002", "biz_type"] == "费用采购"
    assert header.loc["CG002", "remark"] == "行政部办公用品"
    assert header.loc["CG003", "dept_attr"] == "销售"
    result = finshare.Ledger(case, "sqlite://").post()
    assert result.documents == 3


def test_a_gb18030_master_data_csv_and_a_gbk_template_load(case_dir):
    rel = "masterdata/departments.csv"
    write(case_dir, rel, read(case_dir, rel), encoding="gb18030")
    write(case_dir, TEMPLATE, read(case_dir, TEMPLATE), encoding="gbk")
    case = finshare.load_case(case_dir)
    assert case.master["departments"].loc["XM-ADM", "name_zh"] == "行政部"
    assert str(case.templates["PR"].classes[1].lines[0].when) == '部门属性 == "管理"'


def test_a_file_in_neither_utf8_nor_gbk_is_refused(case_dir):
    (case_dir / LINES).write_bytes(b"doc_no,line_no\n\xff\xfe\xff,1\n")
    p = only(case_dir)
    assert p.code == "bad-encoding"
    assert p.message == "文件既不是 UTF-8 也不是 GBK/GB18030 文本 / the file is neither UTF-8 nor GBK/GB18030 text"
    assert p.source.file.endswith("purchase_receipt_lines.csv")
    assert "UTF-8" in p.hint


# ------------------------------------------------------------------ CSV shape
def test_an_empty_csv_is_refused_with_its_name(case_dir):
    write(case_dir, LINES, "")
    p = only(case_dir)
    assert p.code == "empty-file"
    assert p.message == "文件是空的 / the file is empty: it has no header line"
    assert p.source.file.endswith("purchase_receipt_lines.csv") and p.source.line == 1
    assert "header line" in p.hint


@pytest.mark.parametrize("row, saw", [("CG002,1,M002,1000,10,10000.00,5,6", 8),
                                      ("CG002,1,M002,1000,10,10000.00,", 7)])
def test_a_row_with_too_many_fields_or_a_trailing_comma_names_the_line(case_dir, row, saw):
    replace(case_dir, LINES, "CG002,1,M002,1000,10,10000.00", row)
    p = only(case_dir)
    assert p.code == "csv-too-many-fields"
    assert p.message == f"第 3 行有 {saw} 个字段，表头只有 6 个 / line 3 has {saw} fields, the header has 6"
    assert p.source.file.endswith("purchase_receipt_lines.csv") and p.source.line == 3
    assert "trailing comma" in p.hint


def test_a_trailing_comma_on_every_line_shifts_nothing(case_dir):
    text = "".join(line + ",\n" for line in read(case_dir, LINES).splitlines())
    write(case_dir, LINES, text)
    lines = finshare.load_case(case_dir).documents["purchase_receipt"].lines
    assert list(lines["material"]) == ["M001", "M002", "M003"]
    assert list(lines["amount"]) == [2000000, 1000000, 500000]


def test_a_trailing_comma_on_data_lines_only_is_refused(case_dir):
    lines = read(case_dir, LINES).splitlines()
    write(case_dir, LINES, "\n".join([lines[0]] + [x + "," for x in lines[1:]]) + "\n")
    p = only(case_dir)
    assert p.code == "csv-too-many-fields" and p.source.line == 2


def test_an_unterminated_quote_names_the_line(case_dir):
    replace(case_dir, LINES, "CG002,1,M002", 'CG002,1,"M002')
    p = only(case_dir)
    assert p.code == "csv-unclosed-quote"
    assert p.message == '第 3 行的引号没有结束 / the quote " opened on line 3 is never closed'
    assert p.source.line == 3
    assert '""' in p.hint


def test_a_column_named_twice_is_refused(case_dir):
    replace(case_dir, LINES, "doc_no,line_no,material", "doc_no,line_no,line_no")
    p = only(case_dir)
    assert p.code == "duplicate-column"
    assert p.message == "列名 'line_no' 出现两次 / column 'line_no' appears twice in the header"
    assert (p.source.line, p.source.field) == (1, "line_no")


def test_values_under_a_blank_column_name_are_refused(case_dir):
    replace(case_dir, LINES, "doc_no,line_no,material,qty,price,amount", "doc_no,line_no,material,qty,price,amount,")
    replace(case_dir, LINES, "CG003,1,M003,1000,5,5000.00", "CG003,1,M003,1000,5,5000.00,x")
    p = only(case_dir)
    assert p.code == "unnamed-column"
    assert p.message == "第 7 列没有列名 / column 7 has values but no name"
    assert p.source.line == 4


# ------------------------------------------------------------------------ YAML
def test_a_key_written_twice_in_books_yaml_is_refused(case_dir):
    replace(case_dir, "books.yaml", "    policy: CAS\n", "    policy: CAS\n    policy: HKFRS\n")
    p = only(case_dir)
    assert p.code == "duplicate-key"
    assert p.message == "键 'policy' 在第 49 行和第 50 行重复 / key 'policy' is written twice (lines 49 and 50)"
    assert p.source.file.endswith("books.yaml") and (p.source.line, p.source.field) == (50, "policy")
    assert "keep one" in p.hint


def test_a_key_written_twice_in_a_template_is_refused(case_dir):
    replace(case_dir, TEMPLATE, '        when: 部门属性 == "销售"\n',
            '        when: 部门属性 == "销售"\n        when: 部门属性 == "管理"\n')
    p = only(case_dir)
    assert p.code == "duplicate-key"
    assert "key 'when' is written twice" in p.message
    assert p.source.file.endswith("purchase_receipt.yaml") and p.source.line == 46


def test_yaml_merge_keys_may_still_be_overridden():
    from finshare.core.yamlio import load_yaml

    body = load_yaml("base: &b {a: 1, b: 2}\nchild:\n  <<: *b\n  b: 3\n")
    assert body["child"] == {"a": 1, "b": 3}


# ---------------------------------------------------------------------- dates
def usd_document(case_dir, date):
    replace(case_dir, HEADER, "CG001,2020-03-05,XM,标准采购,S001,XM-PUR,CNY",
            f"CG001,{date},XM,标准采购,S001,XM-PUR,USD")


def test_a_1969_usd_document_without_a_rate_gets_the_missing_rate_problem(case_dir):
    usd_document(case_dir, "1969-03-05")
    write(case_dir, "rates.csv", read(case_dir, "rates.csv") + "2020-03-01,USD,CNY,7.0\n2020-03-01,USD,HKD,7.8\n")
    found = {(p.code, p.source.book, p.message) for p in problems_of(case_dir, post=True)}
    assert found == {
        ("missing-rate", "CN-MGT", "没有 USD→CNY 在 1969-03-05 的汇率 / no USD→CNY rate on 1969-03-05"),
        ("missing-rate", "FJ-CAS", "没有 USD→CNY 在 1969-03-05 的汇率 / no USD→CNY rate on 1969-03-05"),
        ("missing-rate", "FJ-HKFRS", "没有 USD→HKD 在 1969-03-05 的汇率 / no USD→HKD rate on 1969-03-05"),
    }


def test_a_1969_usd_document_is_converted_at_the_1969_rate(case_dir):
    usd_document(case_dir, "1969-03-05")
    write(case_dir, "rates.csv", read(case_dir, "rates.csv") + "1969-01-01,USD,CNY,2.46\n1969-01-01,USD,HKD,6.06\n"
          "2020-03-01,USD,CNY,7.0\n2020-03-01,USD,HKD,7.8\n")
    ledger = finshare.Ledger(finshare.load_case(case_dir), "sqlite://")
    ledger.post()
    for book, amount in (("FJ-CAS", "49200.00"), ("FJ-HKFRS", "121200.00")):
        j = ledger.journal(book)
        cg001 = j[j["source_no"] == "CG001"]
        assert list(cg001["debit"]) == [Decimal(amount), Decimal("0.00")]
        assert str(cg001["date"].iloc[0])[:10] == "1969-03-05"


@pytest.mark.parametrize("date", ["9999-12-31", "1899-12-31", "3000-01-01"])
def test_a_document_date_outside_1900_2999_is_refused(case_dir, date):
    replace(case_dir, HEADER, "CG002,2020-03-10", f"CG002,{date}")
    p = only(case_dir)
    assert p.code == "bad-date"
    assert p.message == f"日期 '{date}' 超出 1900-01-01 至 2999-12-31 / date '{date}' is outside 1900-01-01..2999-12-31"
    assert p.source.file.endswith("purchase_receipt.csv") and (p.source.line, p.source.field) == (3, "date")
    assert "1900-01-01 to 2999-12-31" in p.hint


def test_a_rate_date_outside_1900_2999_is_refused(case_dir):
    write(case_dir, "rates.csv", "date,from_currency,to_currency,rate\n2020-03-01,CNY,HKD,1.10\n9999-12-31,CNY,HKD,1.2\n")
    p = only(case_dir)
    assert p.code == "bad-date"
    assert p.message == "日期 '9999-12-31' 超出 1900-01-01 至 2999-12-31 / date '9999-12-31' is outside 1900-01-01..2999-12-31"
    assert p.source.file.endswith("rates.csv") and (p.source.line, p.source.field) == (3, "date")


# ---------------------------------------------------------------------- rates
@pytest.mark.parametrize("rate, zh, en", [
    ("1.1000000000000000000001", "小数位超过 10 位", "it has more than 10 decimal places"),
    ("1e300", "必须小于 100,000,000", "it must be less than 100,000,000"),
    ("0", "必须大于 0", "it must be greater than 0"),
    ("1.1x", "不是数字", "it is not a number"),
])
def test_an_unusable_rate_is_refused_with_the_reason(case_dir, rate, zh, en):
    write(case_dir, "rates.csv", f"date,from_currency,to_currency,rate\n2020-03-01,CNY,HKD,{rate}\n")
    p = only(case_dir)
    assert p.code == "bad-rate"
    assert p.message == f"汇率 {rate!r} 无效：{zh} / rate {rate!r} is refused: {en}"
    assert p.source.file.endswith("rates.csv") and (p.source.line, p.source.field) == (2, "rate")
    assert "at most 10 decimal places" in p.hint


def test_ten_decimal_places_are_accepted_and_converted_exactly(case_dir):
    write(case_dir, "rates.csv", "date,from_currency,to_currency,rate\n2020-03-01,CNY,HKD,1.1000000001\n")
    ledger = finshare.Ledger(finshare.load_case(case_dir), "sqlite://")
    ledger.post()
    j = ledger.journal("FJ-HKFRS")
    assert j.loc[j["source_no"] == "CG001", "debit"].max() == Decimal("22000.00")


def test_two_different_rates_for_one_pair_and_day_name_both_lines(case_dir):
    write(case_dir, "rates.csv", "date,from_currency,to_currency,rate\n2020-03-01,CNY,HKD,1.10\n"
          "2020-03-01,CNY,HKD,1.20\n")
    p = only(case_dir)
    assert p.code == "conflicting-rate"
    assert p.message == ("2020-03-01 的 CNY→HKD 汇率有两个：第 2 行 1.10，第 3 行 1.20 / "
                         "two different CNY→HKD rates on 2020-03-01: 1.10 (line 2) and 1.20 (line 3)")
    assert p.source.file.endswith("rates.csv") and p.source.line == 3
    assert "delete the other" in p.hint


def test_the_same_rate_written_twice_is_accepted(case_dir):
    write(case_dir, "rates.csv", "date,from_currency,to_currency,rate\n2020-03-01,CNY,HKD,1.10\n"
          "2020-03-01,CNY,HKD,1.1\n")
    rates = finshare.load_case(case_dir).rates.rates
    assert len(rates) == 2                                   # CNY->HKD and the derived HKD->CNY
    assert list(rates[["num", "den"]].itertuples(index=False, name=None)) in ([(11, 10), (10, 11)],
                                                                              [(10, 11), (11, 10)])


def test_no_rates_file_is_legal_when_nothing_needs_converting(case_dir):
    (case_dir / "rates.csv").unlink()
    replace(case_dir, "books.yaml", "    policy: HKFRS\n", "    policy: CAS\n")
    result = finshare.Ledger(finshare.load_case(case_dir), "sqlite://").post()
    assert result.documents == 3


def test_a_missing_rates_file_is_named_when_a_book_needs_a_rate(case_dir):
    (case_dir / "rates.csv").unlink()
    problems = problems_of(case_dir, post=True)
    assert [(p.code, p.source.document, p.source.book) for p in problems] == [
        ("missing-rate", "CG001", "FJ-HKFRS"), ("missing-rate", "CG002", "FJ-HKFRS")]
    p = problems[0]
    assert p.message == ("汇率表文件不存在，没有 CNY→HKD 在 2020-03-05 的汇率 / the rates file is missing: "
                         "no CNY→HKD rate on 2020-03-05")
    assert p.source.file.endswith("rates.csv")
    assert p.hint.endswith("rates.csv does not exist: create it with the header date,from_currency,to_currency,rate "
                           "and a row 2020-03-05,CNY,HKD,<rate>")


def test_a_conversion_beyond_the_ledger_range_is_a_problem_not_a_number(case_dir):
    replace(case_dir, LINES, "CG001,1,M001,1000,20,20000.00", "CG001,1,M001,1000,20,999999999999999.99")
    write(case_dir, "rates.csv", "date,from_currency,to_currency,rate\n2020-03-01,CNY,HKD,99999999\n")
    p = only(case_dir, post=True)
    assert p.code == "amount-overflow"
    assert p.message == ("单据 CG001 的金额折算为 HKD 后超出账簿能记录的范围 / "
                         "the amount of CG001 converted to HKD is too large for the ledger")
    assert (p.source.document, p.source.book, p.source.field) == ("CG001", "FJ-HKFRS", "amount")


def test_money_convert_never_wraps_around():
    from finshare.core import money

    amounts, over = money.convert_checked([10**17, 100], [10**18, 11], [1, 10], 2, 2)
    assert list(over) == [True, False] and amounts[1] == 110
    with pytest.raises(OverflowError):
        money.convert([10**17], [10**18], [1], 2, 2)
    assert money.convert([4 * 10**17], [7], [10], 2, 0)[0] == 28 * 10**14   # exact on the slow path


# ---------------------------------------------------------------------- files
def test_a_lines_file_without_its_header_file_names_both(case_dir):
    (case_dir / HEADER).unlink()
    p = only(case_dir)
    assert p.code == "missing-header-file"
    assert p.message == ("有分录文件 purchase_receipt_lines.csv，却没有表头文件 purchase_receipt.csv / "
                         "the lines file purchase_receipt_lines.csv has no header file purchase_receipt.csv")
    assert p.source.file.endswith("documents/purchase_receipt_lines.csv")
    assert p.hint == "add purchase_receipt.csv with one row per document (or remove purchase_receipt_lines.csv)"


def test_a_missing_account_map_file_names_books_yaml_and_the_file(case_dir):
    replace(case_dir, "books.yaml", "account_map: builtin ", "account_map: maps/cas_hk.csv")
    p = only(case_dir)
    assert p.code == "missing-file"
    assert p.message == ("会计政策 HKFRS 的科目对照表 maps/cas_hk.csv 不存在 / "
                         "the account map maps/cas_hk.csv named by policy HKFRS does not exist")
    assert p.source.file.endswith("books.yaml") and (p.source.line, p.source.field) == (24, "account_map")
    assert str(case_dir / "maps" / "cas_hk.csv") in p.hint


def test_an_account_map_without_its_columns_is_refused(case_dir):
    replace(case_dir, "books.yaml", "account_map: builtin ", "account_map: map.csv")
    write(case_dir, "map.csv", "from,to\n1403,1310\n")
    problems = problems_of(case_dir)
    assert [(p.code, p.source.field) for p in problems] == [("missing-column", "from_code"),
                                                            ("missing-column", "to_code")]
    assert problems[0].message == "科目对照表缺少列 from_code / the account map lacks column from_code"


# ---------------------------------------------------------------------- setup
def test_a_unit_under_two_organisations_of_one_system_is_refused(case_dir):
    replace(case_dir, "books.yaml", "      VN-PC: [VN]\n", "      VN-PC: [VN, XM]\n")
    p = only(case_dir)
    assert p.code == "duplicate-unit"
    assert p.message == ("业务单元 XM 在核算体系 MGT 中由 VN-PC 和 CN-PC 两个核算组织核算 / "
                         "business unit XM is accounted by two organisations of system MGT: VN-PC and CN-PC")
    assert p.source.file.endswith("books.yaml") and (p.source.line, p.source.field) == (9, "orgs")
    assert "two books of the same system" in p.hint


def test_a_scheme_for_an_unknown_document_type_lists_the_known_ones(case_dir):
    replace(case_dir, "schemes.yaml", "doc_type: purchase_receipt", "doc_type: sales_order")
    p = only(case_dir)
    assert p.code == "unknown-doctype"
    assert p.message == "方案 PR-AUTO 的单据类型 'sales_order' 不存在 / scheme PR-AUTO: unknown document type 'sales_order'"
    assert p.source.file.endswith("schemes.yaml") and (p.source.line, p.source.field) == (5, "doc_type")
    assert p.hint == ("known document types: ap_invoice, ar_invoice, expense_claim, fa_acquisition, opening_balance, "
                      "payment, payroll_accrual, purchase_receipt, receipt, sales_outbound")


# ----------------------------------------------------------------- conditions
def condition_problem(case_dir, old, new):
    replace(case_dir, TEMPLATE, old, new)
    p = only(case_dir)
    assert p.source.file.endswith("purchase_receipt.yaml") and p.source.field == "when"
    return p


ADMIN = 'when: 部门属性 == "管理"'   # line 38
EXPENSE = 'when: 单据类型 == "费用采购"'   # line 33


def test_a_text_field_compared_with_a_number_is_refused_when_the_template_loads(case_dir):
    p = condition_problem(case_dir, ADMIN, "when: 部门属性 == 5")
    assert p.code == "bad-condition-type"
    assert p.message == ("字段 部门属性 (dept_attr) 是文本，不能与 5 比较 / condition rejected: "
                         "field 部门属性 (dept_attr) is text and cannot be compared with 5")
    assert p.source.line == 38
    assert p.hint == 'put the value in quotes, e.g. 部门属性 == "5"'


def test_an_order_comparison_of_text_with_a_number_is_refused(case_dir):
    p = condition_problem(case_dir, EXPENSE, "when: 单据类型 > 3")
    assert p.code == "bad-condition-type" and p.source.line == 33
    assert "field 单据类型 (biz_type) is text and cannot be compared with 3" in p.message


def test_an_amount_compared_with_text_is_refused(case_dir):
    p = condition_problem(case_dir, ADMIN, "when: amount >= \"10000\"")
    assert p.code == "bad-condition-type"
    assert p.message == ("字段 amount 是金额，不能与 '10000' 比较 / condition rejected: "
                         "field amount is an amount and cannot be compared with '10000'")
    assert p.hint == "compare it with a number such as 10000 or 12.50, without quotes"


def test_a_date_compared_with_a_number_or_a_non_date_is_refused(case_dir):
    p = condition_problem(case_dir, ADMIN, "when: 业务日期 < 20200310")
    assert p.code == "bad-condition-type"
    assert "field 业务日期 (date) is a date and cannot be compared with 20200310" in p.message


def test_fields_of_different_kinds_compared_are_refused(case_dir):
    p = condition_problem(case_dir, ADMIN, "when: amount > qty")
    assert p.code == "bad-condition-type"
    assert p.message == ("字段 amount 是金额，不能与 字段 qty（数字） 比较 / condition rejected: "
                         "field amount is an amount and cannot be compared with field qty (a number)")


def test_a_text_field_alone_is_not_a_condition(case_dir):
    p = condition_problem(case_dir, ADMIN, "when: 部门属性 and amount > 0")
    assert p.code == "bad-condition-type"
    assert p.message == ("字段 部门属性 (dept_attr) 是文本，不是是/否 / condition rejected: "
                         "field 部门属性 (dept_attr) is text, not yes/no; compare it with a value")


def test_an_enum_compared_with_a_value_it_cannot_have_lists_the_values(case_dir):
    p = condition_problem(case_dir, ADMIN, 'when: 部门属性 == "管 理"')
    assert p.code == "bad-condition-value"
    assert p.message == ("字段 部门属性 (dept_attr) 没有值 '管 理' / condition rejected: "
                         "field 部门属性 (dept_attr) is never '管 理'; its values are 管理, 销售, 生产, 研发")
    assert p.hint == "改用 管理, 销售, 生产, 研发 之一 / use one of 管理, 销售, 生产, 研发"


def test_an_enum_value_in_a_list_is_checked_too(case_dir):
    p = condition_problem(case_dir, EXPENSE, 'when: 单据类型 in ("费用采购", "expense")')
    assert p.code == "bad-condition-value" and p.source.line == 33
    assert p.hint == "改用 标准采购, 费用采购 之一 / use one of 标准采购, 费用采购"


def test_six_hundred_nested_nots_are_refused(case_dir):
    p = condition_problem(case_dir, ADMIN, "when: " + "not " * 600 + '部门属性 == "管理"')
    assert p.code == "condition-too-deep"
    assert p.message == "条件嵌套超过 50 层 / condition rejected: and/or/not are nested more than 50 levels deep"
    assert p.source.line == 38


def test_nesting_too_deep_for_python_itself_is_a_condition_error():
    from finshare.core.condition import ConditionError, parse_condition

    for depth in (51, 5000):
        with pytest.raises(ConditionError) as info:
            parse_condition("not " * depth + "True")
        assert info.value.code == "condition-too-deep"
    assert parse_condition("not " * 50 + "True").fields == frozenset()


def test_an_edited_condition_is_type_checked_too(fujian):
    template, dt = fujian.templates["PR"], fujian.doctypes["purchase_receipt"]
    with pytest.raises(FinshareError) as info:
        template.replace_condition("EXP", "1", "部门属性 == 5", dt)
    (p,) = info.value.problems
    assert p.code == "bad-condition-type" and p.source.line == 38
    new = template.replace_condition("EXP", "1", 'amount > 9999.99 and 部门属性 in ("管理", "研发")', dt)
    assert new.classes[1].lines[0].when.fields == {"amount", "dept_attr"}
