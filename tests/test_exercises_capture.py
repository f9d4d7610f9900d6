"""Exercise 09 (发票校验): the pairs by class, the batch of pages, typical mistakes and their feedback, wrong shapes,
and a student's function graded in real kernels (a loop, an exit, an exception)."""
import re

import nbformat
import pandas as pd
import pytest
from exercise_helpers import TEACHER, notebook_with, teacher_answers, write
from hypothesis import given, settings
from hypothesis import strategies as st

from finshare.capture.numerals import words_to_amount
from finshare.core.uscc import check_character
from finshare.exercises import start
from finshare.exercises.capital_cases import CLASSES
from finshare.exercises.grade import grade_class, score_table, write_feedback
from finshare.exercises.invoice_batch import BATCH
from finshare.exercises.plain import Calls, call_each, from_plain

NAME = "09-invoice-checks"
AGREE = {"plain", "zero-inside", "zero-style", "units"}          # classes whose words state the figures


@pytest.fixture(scope="module")
def ex():
    return start(NAME, "2023001")


@pytest.fixture(scope="module")
def sol():
    ns = teacher_answers(NAME, "2023001")
    return ns["words_equal_figures"], ns["verdicts"]


def grade(**answers):
    e = start(NAME, "2023001")
    return e.grade({k: e.read_back(k, v) for k, v in answers.items()})


def text(report):
    return "\n".join(report.feedback())


def points(report, prefix=""):
    return {r.name: r.points for r in report.results if r.name.startswith(prefix)}


# ------------------------------------------------------------------ the pairs
@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_each_class_agrees_or_disagrees_as_the_engine_says(student):
    """Any student: 5 public and 3 hidden pairs per class, the agreeing classes agree and the others do not (the
    engine's verdict), and the pairs' words are written as the class says."""
    e = start(NAME, student)
    for cases, n in ((e.cases, 5), (e.hidden_cases, 3)):
        assert sorted(c.kind for c in cases) == sorted([k for k in CLASSES for _ in range(n)])
        assert all(c.equal == (c.kind in AGREE) for c in cases), [c for c in cases if c.equal != (c.kind in AGREE)]
        assert all(re.fullmatch(r"\d+\.\d\d", c.figures) for c in cases)
    by = {k: [c for c in e.cases if c.kind == k] for k in CLASSES}
    assert all(re.search(r"[1-9]0+[1-9]", c.figures.replace(".", "")) for c in by["zero-inside"])
    assert all("圆零" in c.words or "万零" in c.words for c in by["zero-style"])
    for c in by["place-lost"]:
        yuan = c.figures.split(".")[0]
        assert any(yuan[:i] + yuan[i + 1:] == str(words_to_amount(c.words) // 100)
                   for i in range(1, len(yuan) - 1) if yuan[i] == "0")
    assert all("元" in c.words for c in by["units"]) and not any("元" in c.words for c in by["plain"])
    assert all("角" in c.words and "分" in c.words for c in by["jiao-fen"])
    assert all(c.figures[-2] != c.figures[-1] and "0" not in c.figures[-2:] for c in by["jiao-fen"])


def test_pairs_depend_on_the_student():
    a, b = (start(NAME, s).word_cases() for s in ("2023001", "2023002"))
    assert len(a) == len(b) == 8 * 5 + 8 * 3 and a != b
    assert start(NAME, " 2023001 ").word_cases() == a


# ------------------------------------------------------------------ the batch
@settings(max_examples=6, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_each_page_fails_what_its_fault_breaks(student):
    """The eight pages hold each fault of the batch once (two clean); the engine's verdicts are those the faults
    call for, checked here from the page's own figures."""
    e = start(NAME, student)
    pages, faults, verdicts = e.pages, e.faults, e.expected
    assert sorted(faults) == sorted(BATCH) and len(pages) == 8
    fen = {c: pages[c].str.replace(".", "", regex=False).astype("int64") for c in ("amount", "tax", "total")}
    for i, fault in enumerate(faults):
        v, row = verdicts[i], pages.iloc[i]
        assert (v.status == "accepted") == (fault == "clean")
        if fault == "clean":
            assert fen["amount"][i] + fen["tax"][i] == fen["total"][i] and row["buyer_name"] == "福建制造公司"
        if fault == "sum":
            assert fen["amount"][i] + fen["tax"][i] != fen["total"][i] and v.failed == {"total_is_amount_plus_tax"}
        if fault == "check-char":
            side = "buyer" if "buyer_is_ours" in v.failed else "seller"
            code = row[f"{side}_tax_id"]
            assert check_character(code[:17]) != code[17]
            assert v.failed == {f"{side}_tax_id_gb32100", "buyer_is_ours" if side == "buyer" else "seller_is_known"}
        if fault == "duplicate":
            first = faults.index("clean")
            assert first < i and v.failed == {"not_duplicate"}
            key = ["seller_tax_id", "invoice_code", "invoice_no"]
            assert list(pages.iloc[first][key]) == list(row[key])
        if fault in ("words", "buyer", "rate"):
            only = {"words": "words_match_total", "buyer": "buyer_is_ours", "rate": "tax_rate_in_force"}[fault]
            assert v.failed == {only}
        if fault == "rate":
            assert row["tax_rate"] in ("0.16", "0.1", "0.10", "0.17", "0.11")


def test_the_2023001_batch(ex):
    assert ex.faults == ["clean", "rate", "words", "buyer", "duplicate", "clean", "check-char", "sum"]
    assert list(ex.pages.columns[:3]) == ["page", "family", "invoice_code"]
    assert set(ex.check_names["name"]) >= {f for v in ex.expected for f in v.failed}


# ------------------------------------------------------------------ the function: typical mistakes
def test_the_teachers_function_and_table_score_full_marks(sol):
    report = grade(words_equal_figures=sol[0], verdicts=sol[1])
    assert (report.points, report.max_points) == (36, 36), report.text()


def test_a_function_that_only_compares_yuan_misses_swapped_jiao_and_fen(ex, sol):
    right = sol[0]

    def yuan_only(words, amount):
        return right(re.sub(r"[零壹贰叁肆伍陆柒捌玖][角分]", "", words) or "零圆整", amount.split(".")[0] + ".00")

    report = grade(words_equal_figures=yuan_only)
    got = points(report)
    assert got["jiao-fen"] == 0 and got["plain"] == got["zero-inside"] == 2
    assert "角和分颠倒的大写：有 5 对（共 5 对）判断错了" in text(report)
    assert "words with 角 and 分 swapped: 5 of 5 pairs judged wrongly" in text(report)
    assert not any(c.words in text(report) or c.figures in text(report) for c in ex.cases)


def test_a_function_that_refuses_the_other_zero_style_and_yuan(sol):
    right = sol[0]
    report = grade(words_equal_figures=lambda w, a: "圆零" not in w and "万零" not in w and "元" not in w
                   and right(w, a))
    got = points(report)
    assert got["zero-style"] == 0 and got["units"] == 0
    assert got["plain"] == got["digit-off"] == got["jiao-fen"] == got["malformed"] == 2
    assert "the other zero style (a 零 before 仟 after 万, or before 角): 5 of 5 pairs judged wrongly" in text(report)


def test_a_function_that_allows_zheng_after_fen_loses_part_of_the_malformed_class(ex, sol):
    right = sol[0]
    report = grade(words_equal_figures=lambda w, a: right(w[:-1] if w.endswith(("分整", "分正")) else w, a))
    after_fen = sum(c.kind == "malformed" and c.words.endswith(("分整", "分正")) for c in ex.cases)
    got = points(report)
    assert 0 < after_fen < 5 and got["malformed"] == (1 if 2 * (5 - after_fen) > 5 else 0)
    assert f"words not well formed (ordinary numerals, 整 after 分): {after_fen} of 5 pairs judged wrongly" \
        in text(report)
    assert sum(got[k] for k in CLASSES) == 14 + got["malformed"]


def test_a_constant_or_failing_function_scores_nothing_and_says_why():
    always = grade(words_equal_figures=lambda w, a: True)
    assert always.points == 0 and "the function gives the same answer for every pair: it checks nothing" \
        in text(always)
    raising = grade(words_equal_figures=lambda w, a: int(w))
    assert raising.points == 0 and "the function raised ValueError instead of answering" in text(raising)
    texts = grade(words_equal_figures=lambda w, a: "yes" if "零" in w else "no")
    assert texts.points == 0 and "the function should return True or False, not str" in text(texts)


@pytest.mark.parametrize("value, says", [
    (None, "not answered yet: words_equal_figures is None"),
    ("壹圆整", "should be a function (def words_equal_figures(words, amount): ...), not a str"),
    (3, "should be a function (def words_equal_figures(words, amount): ...), not a Decimal"),
])
def test_wrong_shapes_of_the_function_get_feedback(value, says):
    report = grade(words_equal_figures=value)
    assert says in text(report) and points(report, "hidden") == {"hidden-words": 0}


def test_a_function_never_defined_is_named():
    e = start(NAME, "2023001")
    report = e.grade({})
    assert "the function words_equal_figures is not defined" in text(report)
    assert report.points == 0 and report.max_points == 36


def test_call_each_keeps_answers_and_exceptions_in_case_order():
    got = from_plain(call_each(lambda a, b: {"x": True}[a] if a != "n" else None, [("x", 1), ("y", 2), ("n", 3)]))
    assert isinstance(got, Calls) and got[0] is True and got[1].type == "KeyError" and got[2] is None
    assert from_plain(call_each("not callable", [("x",)])) == "not callable"


# ------------------------------------------------------------------ the verdicts: typical mistakes
def test_a_duplicate_taken_for_a_new_invoice(ex, sol):
    table = sol[1].copy()
    table.loc[4, ["status", "failed"]] = ["accepted", ""]
    report = grade(verdicts=table)
    assert points(report, "page") == {f"page-{n}": (0 if n == 5 else 2) for n in range(1, 9)}
    assert "page 5 cannot be accepted: a check fails on it" in text(report)
    assert "page 5: 1 failing check(s) not named, about earlier captures" in text(report)
    assert "not_duplicate" not in text(report)


def test_a_wrong_check_character_named_without_the_party_check(ex, sol):
    table = sol[1].copy()
    page = ex.faults.index("check-char")
    table.loc[page, "failed"] = "seller_tax_id_gb32100, buyer_tax_id_gb32100"
    report = grade(verdicts=table)
    n = page + 1
    assert report.result(f"page-{n}").points == 1
    side = "buyer" if "buyer_is_ours" in ex.expected[page].failed else "seller"
    other = "seller" if side == "buyer" else "buyer"
    assert f"page {n}: {other}_tax_id_gb32100 passes on this page" in text(report)
    assert f"page {n}: 1 failing check(s) not named, about the parties" in text(report)


def test_a_clean_page_sent_to_review_and_names_that_are_no_checks(sol):
    table = sol[1].copy()
    table.loc[0, ["status", "failed"]] = ["review", "amount_plus_tax"]
    report = grade(verdicts=table)
    assert report.result("page-1").points == 0
    assert "every check passes on page 1: it needs no review" in text(report)
    assert "page 1: amount_plus_tax is not the name of a check (see ex.check_names)" in text(report)


def test_verdicts_may_be_written_in_chinese_with_lists(sol):
    table = sol[1].rename(columns={"page": "页码", "status": "状态", "failed": "未通过"})
    table["状态"] = table["状态"].map({"accepted": "通过", "review": "复核"})
    table["未通过"] = table["未通过"].map(lambda f: [x.strip() for x in f.split(",") if x.strip()])
    assert grade(verdicts=table).result("page-8").points == 2
    assert points(grade(verdicts=table), "page") == {f"page-{n}": 2 for n in range(1, 9)}


@pytest.mark.parametrize("verdicts, says", [
    (None, "not answered yet: verdicts is None"),
    ({"1": "accepted"}, "verdicts should be a table (a pandas DataFrame), not a dict"),
    (pd.DataFrame({"page": [1]}), "verdicts lacks the column(s) status"),
    (pd.DataFrame(columns=["page", "status", "failed"]), "verdicts has no rows yet"),
    (pd.DataFrame({"page": [1, 1, "x", 9], "status": ["accepted", "review", "accepted", "maybe"]}),
     "page 1 has two rows; the first is checked"),
])
def test_wrong_shapes_of_the_verdicts_get_feedback(verdicts, says):
    report = grade(verdicts=verdicts)
    assert says in text(report) and points(report, "page")["page-2"] == 0


def test_rows_that_cannot_be_read_are_named():
    report = grade(verdicts=pd.DataFrame({"page": ["x", 9], "status": ["accepted", "accepted"]}))
    assert "row 1: the page should be a number and the status accepted or review" in text(report)
    assert "there is no page 9 in the batch" in text(report)


# ------------------------------------------------------------------ a function graded in real kernels
FUNCTIONS = {
    "looper": "def words_equal_figures(words, amount):\n    while True:\n        pass",
    "exiter": "def words_equal_figures(words, amount):\n    import os\n    os._exit(3)",
    "raiser": "def words_equal_figures(words, amount):\n    return int(amount) > 0",
}


def test_a_function_is_run_in_the_kernel_when_graded(tmp_path):
    """The teacher's notebook scores 36, the starter 0; a function that loops makes a timeout, one that exits a
    crash, and one that raises on every pair scores nothing with the reason — the grader itself is untouched."""
    subs = tmp_path / "subs"
    write(nbformat.read(TEACHER / f"{NAME}.ipynb", as_version=4), subs / "alice" / f"{NAME}.ipynb")
    write(notebook_with(NAME, "pass", teacher=False), subs / "bob" / f"{NAME}.ipynb")
    for student, source in FUNCTIONS.items():
        write(notebook_with(NAME, source, after_answer=2), subs / student / f"{NAME}.ipynb")
    graded = grade_class(subs, NAME, timeout=30, jobs=2, progress=False)
    table = score_table(graded).set_index("student")
    assert table.loc["alice", ["points", "max", "status"]].tolist() == [36, 36, "ok"]
    assert table.loc["bob", ["points", "status"]].tolist() == [0, "ok"]
    assert table.loc["looper", "status"] == "timeout" and table.loc["exiter", "status"] == "crashed"
    assert table.loc["raiser", "status"] == "ok" and table.loc["raiser", "points"] == 16   # the verdicts stay right
    pages = {p.stem: p.read_text(encoding="utf-8") for p in write_feedback(graded, tmp_path / "fb")}
    assert "the function raised ValueError instead of answering" in pages["raiser"]

