"""What students read: bilingual refusals and fixes, USCC messages, field lists, amounts in yuan."""
import pandas as pd
import pytest

import finshare
from finshare.core.hints import bilingual_hint
from finshare.core.uscc import uscc_problem


def refusal(fujian, text: str) -> finshare.Problem:
    tpl = fujian.templates["PR"]
    with pytest.raises(finshare.FinshareError) as exc:
        tpl.replace_condition("EXP", "1", text, fujian.doctypes["purchase_receipt"])
    return exc.value.problems[0]


def test_a_function_call_is_refused_in_both_languages(fujian):
    p = refusal(fujian, '__import__("os")')
    assert p.code == "bad-condition" and p.source.template_line == "EXP/1"
    assert p.message.startswith("条件中不允许函数调用，只能使用字段名、字面量、比较、in 和 and/or/not / condition rejected: "
                                "a function call is not allowed")
    assert p.fix == "条件只能使用字段名、字面量、比较、in 和 and/or/not / use field names, literals, comparisons, in, and/or/not"
    assert "    修正 fix: 条件只能使用" in str(p)


def test_an_unknown_field_lists_the_fields_with_their_chinese_labels(fujian):
    p = refusal(fujian, '部门属 == "管理"')
    assert p.message == "没有字段 部门属 / condition rejected: unknown field '部门属'"
    assert p.fix.startswith("是不是 部门属性 或 采购部门 或 部门名称？did you mean 部门属性 or 采购部门 or 部门名称? "
                            "可用的字段 known fields: 金额 / amount, 本位币金额 / amount_local, 单据类型 / biz_type,")
    assert "部门属性 / dept_attr" in p.fix


def test_an_enumerated_field_compared_with_an_impossible_value_names_the_allowed_values(fujian):
    p = refusal(fujian, '部门属性 == "管 理"')
    assert p.code == "bad-condition-value"
    assert p.message == ("字段 部门属性 (dept_attr) 没有值 '管 理' / condition rejected: field 部门属性 (dept_attr) is "
                         "never '管 理'; its values are 管理, 销售, 生产, 研发")
    assert p.fix == "改用 管理, 销售, 生产, 研发 之一 / use one of 管理, 销售, 生产, 研发"


def test_a_syntax_slip_gets_a_bilingual_hint(fujian):
    p = refusal(fujian, '部门属性 = "管理"')
    assert p.message.startswith("不是有效的条件表达式（比较相等要写 ==） / condition rejected: not a valid expression")
    assert p.fix.startswith('比较相等写 ==，文字加引号，例如 部门属性 == "管理" / write ==')


def test_condition_error_text_is_bilingual():
    with pytest.raises(finshare.ConditionError) as exc:
        finshare.parse_condition("().__class__")
    assert str(exc.value).startswith("条件 '().__class__' 第 1 列：条件中不允许属性访问（.）")
    assert exc.value.message.endswith("/ attribute access (.) is not allowed; use field names, literals, comparisons, "
                                      "in, and/or/not")


@pytest.mark.parametrize("code, expected", [
    ("91350100M000100Y44", "校验码是 '4'，按 GB 32100 应为 '3' / check character is '4' but GB 32100 gives '3'"),
    ("9135010OM000100Y43", "第 8 位 'O' 不是允许的字符（不用 I、O、Z、S、V）/ character 8 'O' is not allowed "
                           "(I, O, Z, S, V are never used)"),
    ("91350203MA2Y0027N", "有 17 位，统一社会信用代码应为 18 位 / has 17 characters; a unified social credit code has 18"),
])
def test_uscc_messages_are_bilingual(code, expected):
    assert uscc_problem(code) == expected


def test_bad_uscc_in_master_data(fujian):
    suppliers = pd.DataFrame({"code": ["S002"], "name_zh": ["办公用品供应商"], "uscc": ["91350203MA2Y00027P"]})
    with pytest.raises(finshare.FinshareError) as exc:
        finshare.MasterData.from_frames(organisations=fujian.master["organisations"], suppliers=suppliers)
    p = exc.value.problems[0]
    assert p.message == ("统一社会信用代码 91350203MA2Y00027P 无效：校验码是 'P'，按 GB 32100 应为 'N' / invalid unified "
                         "social credit code 91350203MA2Y00027P: check character is 'P' but GB 32100 gives 'N'")
    assert p.fix == "对照营业执照核对 18 位统一社会信用代码 / check the 18 characters against the licence"


def test_hints_already_in_chinese_are_kept_and_unknown_codes_stay_english():
    assert bilingual_hint("bad-value", "改用 管理") == "改用 管理"
    assert bilingual_hint("no-such-code", "do this") == "do this"
    assert bilingual_hint("unbalanced-voucher", "") == ""


def test_why_shows_amounts_in_yuan_not_fen(fujian):
    tpl = fujian.templates["PR"].replace_condition("EXP", "1", '部门属性 == "管理" and 金额 < 8000',
                                                   fujian.doctypes["purchase_receipt"])
    ex = finshare.why(fujian, "CG002", "FJ-CAS", template=tpl)
    text = ex.text()
    assert "✗ skipped 不生成: line EXP/1 借 6602  when 部门属性 == \"管理\" and 金额 < 8000  with 金额=10000.00, " \
           "部门属性='管理'" in text
    assert "贷 Cr 220202 应付账款—暂估应付款  10,000.00 CNY  (原币 orig 10,000.00 CNY)" in text
    assert "np.int64" not in text


def test_a_custom_chart_starts_from_the_built_in_accounts():
    cas = finshare.Chart.builtin("CAS")
    assert finshare.Chart.from_frame(cas.accounts, "CAS").accounts.equals(cas.accounts)
    extra = pd.DataFrame({"parent": ["6602"], "name_zh": ["办公费"], "category": ["损益"], "normal_balance": ["借"],
                          "dimensions": [("department",)]}, index=pd.Index(["660201"], name="code"))
    mine = finshare.Chart.from_frame(pd.concat([cas.accounts, extra]), "CAS")
    assert len(mine) == 128 and not mine.accounts.at["6602", "is_leaf"]
    assert mine.accounts.at["660201", "level"] == 2 and mine.accounts.at["660201", "dimensions"] == ("department",)
    assert mine.full_name(pd.Series(["660201"])).tolist() == ["管理费用—办公费"]
