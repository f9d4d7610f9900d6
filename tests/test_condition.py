"""The safe condition language: what it accepts, what it refuses, and that nothing runs."""
import numpy as np
import pandas as pd
import pytest

from finshare.core.condition import ConditionError, parse_condition

FIELDS = {"dept_attr": "dept_attr", "部门属性": "dept_attr", "biz_type": "biz_type", "单据类型": "biz_type",
          "amount": "amount", "date": "date", "qty": "qty"}
KINDS = {"dept_attr": "str", "biz_type": "str", "amount": "money", "date": "date", "qty": "decimal"}
FRAME = pd.DataFrame({
    "dept_attr": pd.array(["管理", "销售", None, "研发"], dtype="string"),
    "biz_type": pd.array(["费用采购", "费用采购", "标准采购", "费用采购"], dtype="string"),
    "amount": np.array([1_000_000, 500_000, 2_000_000, 1], dtype="int64"),   # minor units
    "date": pd.to_datetime(["2020-03-05", "2020-03-10", "2020-03-10", "2020-04-01"]),
    "qty": [1000.0, 1000.0, 1000.0, 0.5],
})
EXPS = np.array([2, 2, 2, 2])


@pytest.mark.parametrize("text, expected", [
    ('部门属性 == "管理"', [True, False, False, False]),
    ('dept_attr != "管理"', [False, True, True, True]),
    ('部门属性 in ("管理", "销售")', [True, True, False, False]),
    ('部门属性 not in ["管理"]', [False, True, True, True]),
    ('单据类型 == "费用采购" and not 部门属性 == "销售"', [True, False, False, True]),
    ('部门属性 == "研发" or amount > 15000', [False, False, True, True]),
    ("amount >= 10000", [True, False, True, False]),
    ("amount > 0.005", [True, True, True, True]),            # 0.5 fen: 1 fen is more
    ("amount == 0.01", [False, False, False, True]),
    ("5000 < amount <= 10000", [True, False, False, False]),
    ('date < "2020-03-10"', [True, False, False, False]),
    ("qty < 1", [False, False, False, True]),
    ("部门属性 == None", [False, False, True, False]),
    ("True", [True, True, True, True]),
])
def test_conditions_give_the_right_rows(text, expected):
    cond = parse_condition(text, FIELDS)
    assert cond.mask(FRAME, KINDS, EXPS).tolist() == expected


@pytest.mark.parametrize("text, reason", [
    ("__import__('os').system('touch /tmp/finshare_pwned')", "function call"),
    ("().__class__", "attribute access"),
    ("().__class__.__bases__[0].__subclasses__()", "function call"),
    ("部门属性.upper() == '管理'", "function call"),
    ("(lambda: 1)()", "function call"),
    ("lambda x: x", "lambda"),
    ("open('/etc/passwd')", "function call"),
    ("exec('1')", "function call"),
    ("amount * 2 > 10", "arithmetic"),
    ("[x for x in amount]", "comprehension"),
    ("__builtins__ == 1", "names starting with '_'"),
    ("_private == 1", "names starting with '_'"),
    ("dept_attr[0] == '管'", "indexing"),
    ("(y := 1)", "assignment"),
    ("f'{amount}' == '1'", "f-string"),
    ("dept_attr is None", "'is'"),
    ("部门属性 in 单据类型", "right side of 'in'"),
    ("unknown_field == 1", "unknown field"),
    ("部门属性 ==", "not a valid expression"),
    ("", "empty"),
])
def test_unsafe_or_bad_conditions_are_refused_and_nothing_runs(text, reason, tmp_path):
    marker = __import__("pathlib").Path("/tmp/finshare_pwned")
    marker.unlink(missing_ok=True)
    with pytest.raises(ConditionError) as info:
        parse_condition(text, FIELDS)
    assert reason in str(info.value)
    assert not marker.exists()


def test_error_names_the_column():
    with pytest.raises(ConditionError) as info:
        parse_condition('部门属性 == "管理" and ().__class__', FIELDS)
    assert info.value.col == 18


def test_comparing_amount_with_text_is_refused_at_evaluation():
    cond = parse_condition('amount == "lots"', FIELDS)
    with pytest.raises(ConditionError, match="compare it with a number"):
        cond.mask(FRAME, KINDS, EXPS)


def test_fields_used_are_canonical():
    assert parse_condition('部门属性 == "管理" and amount > 1', FIELDS).fields == {"dept_attr", "amount"}
