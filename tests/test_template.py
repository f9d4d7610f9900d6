"""Template files: a template can never run code; every fault names file, line and reason."""
import pytest

from finshare import FinshareError, parse_template
from finshare.core.case import builtin_doctypes

DOCTYPES = builtin_doctypes()
GOOD = """\
code: T
doc_type: purchase_receipt
classes:
  - code: EXP
    when: 单据类型 == "费用采购"
    lines:
      - side: debit
        account: "6602"
        when: 部门属性 == "管理"
        amount: amount
        dimensions: {department: department}
      - side: 贷
        account: "220202"
        amount: amount
        dimensions: {supplier: supplier}
        summary: "暂估 {供应商名称} {doc_no}"
"""


def problems_of(text):
    with pytest.raises(FinshareError) as info:
        parse_template(text, DOCTYPES, "tpl.yaml")
    return info.value.problems


def test_good_template_loads():
    t = parse_template(GOOD, DOCTYPES, "tpl.yaml")
    exp = t.classes[0]
    assert [ln.side for ln in exp.lines] == ["debit", "credit"]
    assert exp.lines[0].when.fields == {"dept_attr"}
    assert exp.lines[1].dimensions == {"supplier": ("field", "supplier")}
    assert exp.lines[0].scope == "line"          # amount is a line field


@pytest.mark.parametrize("evil", [
    "__import__('os').system('touch /tmp/finshare_pwned')",
    "().__class__.__bases__[0]",
    "(lambda: 0)()",
    "open('x').read()",
])
def test_code_in_a_condition_is_rejected_at_load_time_with_the_line(evil, tmp_path):
    text = GOOD.replace('when: 部门属性 == "管理"', 'when: "' + evil.replace('"', "'") + '"')
    (p,) = problems_of(text)
    assert p.code == "bad-condition"
    assert p.source.file == "tpl.yaml" and p.source.line == 9
    assert "not allowed" in p.message


def test_python_yaml_tags_never_construct_objects():
    text = GOOD.replace('code: T', 'code: !!python/object/apply:os.system ["touch /tmp/finshare_pwned"]')
    (p,) = problems_of(text)
    assert p.code == "bad-yaml"
    assert not __import__("pathlib").Path("/tmp/finshare_pwned").exists()


def test_unbalanced_template_is_refused():
    text = GOOD.replace("side: 贷", "side: debit")
    (p,) = problems_of(text)
    assert p.code == "unbalanced-template" and "debit lines only" in p.message
    assert p.source.line == 4


def test_every_problem_is_reported_at_once():
    text = (GOOD.replace("amount: amount\n        dimensions: {department", "amount: qty\n        dimensions: {department")
            .replace("{supplier: supplier}", "{vendor: supplier}")
            .replace("{doc_no}", "{doc_no.__class__}"))
    codes = sorted(p.code for p in problems_of(text))
    assert codes == ["bad-field-type", "bad-summary", "unknown-dimension"]


def test_unknown_field_and_doctype():
    (p,) = problems_of(GOOD.replace("doc_type: purchase_receipt", "doc_type: sales_order"))
    assert p.code == "unknown-doctype" and p.source.line == 2
    (p,) = problems_of(GOOD.replace("部门属性 ==", "部门 属性 =="))
    assert p.code == "bad-condition"


def test_replace_condition_checks_like_the_loader():
    t = parse_template(GOOD, DOCTYPES, "tpl.yaml")
    dt = DOCTYPES["purchase_receipt"]
    for args, code in [(("EXQ", "1", "amount > 1"), "unknown-class"), (("EXP", "9", "amount > 1"), "unknown-line"),
                       (("EXP", None, '物料 == "M003"'), "bad-condition"),          # line field in a class condition
                       (("EXP", "1", "__import__('os')"), "bad-condition")]:
        with pytest.raises(FinshareError) as info:
            t.replace_condition(*args, dt)
        assert info.value.problems[0].code == code
    bad = pytest.raises(FinshareError, t.replace_condition, "EXP", "1", "open('x')", dt).value.problems[0]
    assert bad.source.line == 9 and bad.message.startswith("条件中不允许函数调用，只能使用字段名、字面量、比较、in 和 and/or/not / condition rejected")
    t2 = t.replace_condition("EXP", "1", "", dt)
    assert t2.classes[0].lines[0].when is None and t.classes[0].lines[0].when is not None


@pytest.mark.parametrize("body, line, field, message", [
    ("classes: 5\n", 6, "classes", "classes 应是业务分类的列表 / classes is a list: one class per item"),
    ("classes:\n  - code: A\n    lines: 7\n", 8, "lines", "lines 应是分录行的列表 / lines is a list: one entry line per item"),
    ("classes:\n  - code: A\n    lines: [x]\n", 8, "lines", "每个分录行应是映射 / each entry line is a mapping of keys"),
    ("classes:\n  - code: A\n    lines:\n      - {side: debit, account: '1403', amount: amount, dimensions: 3}\n"
     "      - {side: credit, account: '220202', amount: amount}\n", 9, "dimensions",
     "核算项目应是映射 / dimensions are a mapping"),
])
def test_a_template_of_the_wrong_shape_is_one_problem_with_its_line(body, line, field, message):
    head = "code: Y\nname_zh: y\ndoc_type: purchase_receipt\nchart: CAS\nvoucher_word: 记\n"
    with pytest.raises(FinshareError) as err:
        parse_template(head + body, builtin_doctypes(), "bad.yaml")
    p = next(p for p in err.value.problems if p.code == "bad-template")
    assert (p.source.line, p.source.field, p.message) == (line, field, message)
