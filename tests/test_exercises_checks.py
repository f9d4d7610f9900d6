"""The exercises' checks on answers given directly (no kernel): full marks, zero, and the specific feedback."""
from decimal import Decimal

import pandas as pd
import pytest
from exercise_helpers import NAMES, teacher_answers

from finshare.exercises import EXERCISES, exercise_class, start, student_seed
from finshare.exercises.plain import round_trip, to_plain

MAX = {"01-journal-entries": 16, "02-expense-template": 30, "03-cas-hkfrs": 12, "04-master-data": 12,
       "05-carry-forward": 12, "06-balance-sheet-lines": 20, "07-bank-reconciliation": 14, "08-ar-clearing": 12,
       "09-invoice-checks": 36, "10-collection-forecast": 20}


def grade(name, student, **answers):
    """What the grader gives ``answers`` (a function answer is called on its cases, as in the kernel)."""
    ex = exercise_class(name)(student)
    return ex.grade({k: ex.read_back(k, v) for k, v in answers.items()})


def answers_of(name, student):
    ns = teacher_answers(name, student)
    return {q.variable: ns[q.variable] for q in EXERCISES[name].questions}


def text(report):
    return "\n".join(report.feedback())


# ------------------------------------------------------------------------ framework
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("student", ["2023001", "张三"])
def test_teacher_solution_scores_full_marks(name, student):
    report = grade(name, student, **answers_of(name, student))
    assert (report.points, report.max_points) == (MAX[name], MAX[name]), report.text()


@pytest.mark.parametrize("name", NAMES)
def test_untouched_answers_score_zero_and_say_so(name):
    report = grade(name, "2023001", **{q.variable: None for q in EXERCISES[name].questions})
    assert (report.points, report.max_points) == (0, MAX[name])
    assert "还没有作答" in text(report) and "not answered yet" in text(report)


def test_data_depend_on_the_student():
    assert student_seed("2023001", "01-journal-entries") == student_seed(" 2023001 ", "01-journal-entries")
    a, b = (start("01-journal-entries", s).documents for s in ("2023001", "2023002"))
    assert list(a["doc_no"]) == ["CG101", "CG102", "CG103", "CG104"]
    assert list(a["amount"]) != list(b["amount"])
    assert sorted(a["biz_type"]) == ["标准采购", "标准采购", "费用采购", "费用采购"]


def test_copied_answers_do_not_fit_another_student():
    report = grade("01-journal-entries", "2023002", **answers_of("01-journal-entries", "2023001"))
    assert report.result("amounts").points == 0


def test_plain_round_trip_is_exact_and_never_raises():
    frame = pd.DataFrame({"debit": [Decimal("20000.10"), None], "n": [1.5, float("nan")]})
    back = round_trip(frame)
    assert back.to_dict("list") == {"debit": ["20000.10", None], "n": ["1.5", None]}
    assert round_trip(Decimal("0.1")) == Decimal("0.1")
    assert to_plain(lambda x: x) == {"kind": "other", "type": "function"}


# ---------------------------------------------------------------------- 01 entries
@pytest.fixture(scope="module")
def entries():
    return answers_of("01-journal-entries", "2023001")["entries"]


def check01(frame):
    return grade("01-journal-entries", "2023001", entries=frame)


def test_swapped_debit_and_credit(entries):
    bad = entries.copy()
    bad.loc[[0, 1], ["debit", "credit"]] = bad.loc[[0, 1], ["credit", "debit"]].to_numpy()
    report = check01(bad)
    assert report.result("accounts").points == 3
    assert "借贷方向反了" in text(report) and "debit and credit are swapped" in text(report)
    assert report.result("balanced").points == 4


def test_expense_to_the_wrong_function(entries):
    bad = entries.copy()
    row = bad.index[bad["account"] == "6601"][0]
    bad.loc[row, "account"] = "6602"
    report = check01(bad)
    doc = bad.loc[row, "doc_no"]
    assert f"{doc} 记入了 6602 管理费用" in text(report)
    assert "营销部 的部门属性是 销售" in text(report) and "has the attribute 销售" in text(report)
    assert "6601" not in text(report)  # says what is wrong, not the right account


def test_unbalanced_entry(entries):
    bad = entries.copy()
    bad.loc[1, "credit"] = Decimal(bad.loc[1, "credit"]) - Decimal("0.01")
    report = check01(bad)
    doc = bad.loc[1, "doc_no"]
    assert report.result("balanced").points == 3
    assert f"{doc}：借方合计" in text(report) and "the voucher does not balance" in text(report)


def test_non_leaf_account_and_missing_supplier(entries):
    bad = entries.copy()
    bad.loc[1, "account"] = "2202"
    bad.loc[3, "supplier"] = ""
    feedback = text(check01(bad))
    assert "2202 应付账款 不是末级科目" in feedback
    assert "lacks its supplier" in feedback


@pytest.mark.parametrize("answer, says", [
    ("CG101 6602 100", "entries should be a table (a pandas DataFrame), not a str"),
    (pd.DataFrame({"doc_no": ["CG101"], "account": ["6602"]}), "lacks the column(s) debit, credit"),
    (pd.DataFrame(columns=["doc_no", "account", "debit", "credit"]), "has no rows yet"),
])
def test_wrong_shapes_get_feedback(answer, says):
    report = check01(answer)
    assert report.points == 0 and says in text(report)


def test_amounts_are_read_exactly(entries):
    bad = entries.astype({"debit": object, "credit": object}).copy()
    bad.loc[0, "debit"] = "1.005"
    bad.loc[2, "debit"] = 0.1 + 0.2  # a float sum that is not a whole number of fen
    feedback = text(check01(bad))
    assert "第 1 行" in feedback and "more than two decimal places" in feedback
    assert "0.30000000000000004" in feedback


# --------------------------------------------------------------------- 02 template
@pytest.fixture(scope="module")
def template():
    return answers_of("02-expense-template", "2023001")["template_yaml"]


def check02(text_):
    return grade("02-expense-template", "2023001", template_yaml=text_)


def test_wrong_line_condition(template):
    report = check02(template.replace('when: 部门属性 == "管理"', 'when: 部门属性 == "销售"', 1))  # in 银行付款
    assert report.result("accounts").points == 2
    assert "记入了 6602 管理费用 Administrative expenses；但部门 营销部 的部门属性是 销售" in text(report)
    assert "has no debit line" in text(report) and "does not balance" in text(report)


def test_condition_that_would_run_code_is_refused(template):
    report = check02(template.replace('付款方式 == "银行付款"', "__import__('os').system('touch /tmp/pwned')"))
    assert report.points == 0
    assert "a function call is not allowed" in text(report)


@pytest.mark.parametrize("bad, says", [
    ("classes: [\n", "YAML"),
    ("code: X\ndoc_type: purchase_receipt\nclasses: []", "this exercise's documents are expense_claim"),
    ("code: X\ndoc_type: expense_claim\nclasses: 5", "classes is a list: one class per item"),
    ("a: &x [1]\nb: *x", "anchors or aliases"),
])
def test_bad_templates_get_feedback(bad, says):
    report = check02(bad)
    assert report.points == 0 and says in text(report)


def test_hidden_documents_catch_a_template_for_the_visible_ones_only(template):
    ex = start("02-expense-template", "2023001")
    visible = [d for d in ex.documents["doc_no"]]
    narrowed = template.replace('when: 付款方式 == "银行付款"', f'when: 付款方式 == "银行付款" and doc_no in {visible}')
    narrowed = narrowed.replace('when: 付款方式 == "冲借款"', f'when: 付款方式 == "冲借款" and doc_no in {visible}')
    report = check02(narrowed)
    assert report.result("hidden-documents").points == 0
    assert report.points == MAX["02-expense-template"] - 4
    assert ex.check("template_yaml", narrowed).pending_hidden == 1


# ----------------------------------------------------------------- 03 CAS / HKFRS
@pytest.fixture(scope="module")
def two():
    return answers_of("03-cas-hkfrs", "2023001")


def test_hkfrs_book_with_cas_codes_and_cny_amounts(two):
    bad = two["cas_voucher"]
    report = grade("03-cas-hkfrs", "2023001", cas_voucher=bad, hkfrs_voucher=bad)
    assert report.points == 6 + 2  # the CAS vouchers are right; the HKFRS ones only balance
    assert "is a CAS code: this book keeps its own chart" in text(report)
    assert "still the CNY amount, not converted into HKD" in text(report)


def test_converted_the_wrong_way(two):
    ex = start("03-cas-hkfrs", "2023001")
    wrong = two["hkfrs_voucher"].assign(
        debit=[(Decimal(x) / ex.rate).quantize(Decimal("0.01")) for x in two["cas_voucher"]["debit"]],
        credit=[(Decimal(x) / ex.rate).quantize(Decimal("0.01")) for x in two["cas_voucher"]["credit"]])
    report = grade("03-cas-hkfrs", "2023001", cas_voucher=two["cas_voucher"], hkfrs_voucher=wrong)
    assert report.result("hkfrs-amounts").points == 0
    assert "converted the wrong way" in text(report)


def test_truncated_cents_are_named():
    from fractions import Fraction

    from finshare.exercises.diagnose import wrong_amount
    note = wrong_amount("CG301", "debit", 1160, 1161, {"amount_orig": 1055, "rate": Fraction(11, 10)})
    assert "the cents were cut off" in note  # CNY 10.55 × 1.1 = HKD 11.605: 11.61 half up, not 11.60


# ------------------------------------------------------------------ 04 credit codes
def test_check_character_mistakes():
    ex = start("04-master-data", "2023001")
    from finshare.core.uscc import ALPHABET, WEIGHTS
    s = sum(ALPHABET.index(c) * w for c, w in zip(ex.prefix, WEIGHTS))
    feedback = text(grade("04-master-data", "2023001", check_char=ALPHABET[s % 31]))
    assert "you used S mod 31 as the check value" in feedback
    feedback = text(grade("04-master-data", "2023001", check_char="O"))
    assert "O is not in the 31-character alphabet" in feedback


def test_invalid_codes_partial_credit_without_naming_codes():
    ex = start("04-master-data", "2023001")
    from finshare.exercises.credit_codes import uscc_kind
    report = grade("04-master-data", "2023001", invalid_codes=[c for c in ex.codes if uscc_kind(c) == "length"])
    assert report.result("invalid-codes").points == 2
    feedback = text(report)
    assert "a code with a wrong check character is not in your list" in feedback
    assert not any(code in feedback for code in ex.codes)
    assert grade("04-master-data", "2023001", invalid_codes=[]).result("invalid-codes").points == 0


def test_supplier_list_as_given_is_refused():
    ex = start("04-master-data", "2023001")
    report = grade("04-master-data", "2023001", suppliers=ex.new_suppliers)
    assert report.result("suppliers-valid").points == 0
    feedback = text(report)
    assert "the credit code has a wrong check character" in feedback
    assert "unknown currency 'RMB'" in feedback and "duplicate suppliers code" in feedback
    assert "GB 32100 gives" not in feedback  # the core's message would reveal the character
