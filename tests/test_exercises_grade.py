"""finshare grade and finshare exercises release, with real kernels (few notebooks, short timeouts)."""
import json

import nbformat
import pandas as pd
import pytest
from exercise_helpers import NAMES, ROOT, TEACHER, notebook_with, write

from finshare.cli import main
from finshare.exercises.grade import grade_class, score_table, write_feedback


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    """alice hands in the teacher solutions, bob the untouched starters, carol one notebook with swapped sides."""
    root = tmp_path_factory.mktemp("submissions")
    for name in NAMES:
        write(nbformat.read(TEACHER / f"{name}.ipynb", as_version=4), root / "alice" / f"{name}.ipynb")
        write(nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", as_version=4), root / "bob" / f"{name}.ipynb")
    swap = ('entries.loc[[0, 1], ["debit", "credit"]] = entries.loc[[0, 1], ["credit", "debit"]].to_numpy()')
    write(notebook_with("01-journal-entries", swap), root / "carol" / "01-journal-entries.ipynb")
    graded = grade_class(root, timeout=60, jobs=2, progress=False)
    return root, graded


def test_score_table_of_a_small_class(small_class):
    _, graded = small_class
    table = score_table(graded)
    expected = pd.DataFrame([
        ["alice", "01-journal-entries", 16, 16, "ok"], ["alice", "02-expense-template", 30, 30, "ok"],
        ["alice", "03-cas-hkfrs", 12, 12, "ok"], ["alice", "04-master-data", 12, 12, "ok"],
        ["alice", "05-carry-forward", 12, 12, "ok"], ["alice", "06-balance-sheet-lines", 20, 20, "ok"],
        ["alice", "07-bank-reconciliation", 14, 14, "ok"], ["alice", "08-ar-clearing", 12, 12, "ok"],
        ["alice", "09-invoice-checks", 36, 36, "ok"], ["alice", "10-collection-forecast", 20, 20, "ok"],
        ["bob", "01-journal-entries", 0, 16, "ok"], ["bob", "02-expense-template", 0, 30, "ok"],
        ["bob", "03-cas-hkfrs", 0, 12, "ok"], ["bob", "04-master-data", 0, 12, "ok"],
        ["bob", "05-carry-forward", 0, 12, "ok"], ["bob", "06-balance-sheet-lines", 0, 20, "ok"],
        ["bob", "07-bank-reconciliation", 0, 14, "ok"], ["bob", "08-ar-clearing", 0, 12, "ok"],
        ["bob", "09-invoice-checks", 0, 36, "ok"], ["bob", "10-collection-forecast", 0, 20, "ok"],
        ["carol", "01-journal-entries", 14, 16, "ok"], ["carol", "02-expense-template", 0, 30, "missing"],
        ["carol", "03-cas-hkfrs", 0, 12, "missing"], ["carol", "04-master-data", 0, 12, "missing"],
        ["carol", "05-carry-forward", 0, 12, "missing"], ["carol", "06-balance-sheet-lines", 0, 20, "missing"],
        ["carol", "07-bank-reconciliation", 0, 14, "missing"], ["carol", "08-ar-clearing", 0, 12, "missing"],
        ["carol", "09-invoice-checks", 0, 36, "missing"],
        ["carol", "10-collection-forecast", 0, 20, "missing"],
    ], columns=["student", "exercise", "points", "max", "status"])
    pd.testing.assert_frame_equal(table, expected)


def test_feedback_pages_say_what_is_wrong(small_class, tmp_path):
    _, graded = small_class
    pages = write_feedback(graded, tmp_path)
    assert [p.name for p in pages] == ["alice.html", "bob.html", "carol.html"]
    carol = (tmp_path / "carol.html").read_text(encoding="utf-8")
    assert "CG101：借贷方向反了" in carol and "02-expense-template.ipynb was not handed in" in carol
    bob = (tmp_path / "bob.html").read_text(encoding="utf-8")
    assert "not answered yet: template_yaml is None" in bob and "not answered yet: bs_lines is None" in bob
    assert "graded with the data of alice" in (tmp_path / "alice.html").read_text(encoding="utf-8")


BAD = {
    "crash": "raise ValueError('oops')",
    "exiter": "import os\nos._exit(1)",
    "sleeper": "import time\ntime.sleep(60)",
    "patcher": ("import finshare.exercises.purchase_entries as pe\n"
                "pe.PurchaseEntries.check_entries = lambda self, value: []"),
    "writer": ("import glob, os\nfor d in glob.glob(os.path.join('..', '*')):\n"
               "    if os.path.isdir(d):\n        open(os.path.join(d, 'full-marks.json'), 'w').write('{}')"),
}


def test_grade_command_survives_bad_notebooks(tmp_path, capsys):
    subs = tmp_path / "subs"
    for student, extra in BAD.items():
        write(notebook_with("01-journal-entries", extra), subs / student / "01-journal-entries.ipynb")
    (subs / "garbled").mkdir()
    (subs / "garbled" / "01-journal-entries.ipynb").write_text("{not json", encoding="utf-8")
    out = tmp_path / "out" / "scores.csv"
    code = main(["grade", str(subs), "--exercise", "01-journal-entries", "--out", str(out), "--timeout", "8",
                 "--quiet"])
    assert code == 0
    table = pd.read_csv(out)
    assert table.to_dict("list") == {
        "student": ["crash", "exiter", "garbled", "patcher", "sleeper", "writer"],
        "exercise": ["01-journal-entries"] * 6, "points": [0] * 6, "max": [16] * 6,
        "status": ["error", "crashed", "unreadable", "tampered", "timeout", "tampered"]}
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "feedback").glob("*.html")}
    assert "raised ValueError: oops" in pages["crash"]
    assert "did not finish within 8 s" in pages["sleeper"]
    assert "it replaces pe.PurchaseEntries.check_entries" in pages["patcher"]
    assert "full-marks.json" in pages["writer"]
    assert "the kernel died" in pages["exiter"]
    assert "6 notebooks of 6 students" in capsys.readouterr().out


def test_grade_command_errors_are_one_message(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "找不到提交文件夹 / submissions folder not found" in err and "Traceback" not in err
    (tmp_path / "s" / "x").mkdir(parents=True)
    assert main(["grade", str(tmp_path / "s"), "--exercise", "99-nothing"]) == 2
    assert "no exercise 99-nothing" in capsys.readouterr().err


def test_release_leaves_solutions_out(tmp_path, capsys):
    out = tmp_path / "class"
    assert main(["exercises", "release", "--out", str(out)]) == 0
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == sorted(f"{n}/{f}" for n in NAMES for f in (f"{n}.ipynb", "checks.py"))
    nb = json.loads((out / "01-journal-entries" / "01-journal-entries.ipynb").read_text(encoding="utf-8"))
    answer = next(c for c in nb["cells"] if "answer" in c["metadata"].get("tags", []))
    assert "".join(answer["source"]).rstrip().endswith("entries = None")
    assert main(["exercises", "release", "--out", str(out)]) == 2
    assert "the output folder is not empty" in capsys.readouterr().err


def test_student_id_written_as_a_number_is_the_folders_id():
    from decimal import Decimal

    from finshare.exercises.grade import grade_one
    from finshare.exercises.run import Outcome
    same = grade_one("2023001", "04-master-data", Outcome("ok", answers={}, notebook_id=Decimal("2023001")))
    other = grade_one("2023001", "04-master-data", Outcome("ok", answers={}, notebook_id="2023009"))
    assert same.report.notes == []
    assert other.report.notes == ["笔记本里的 STUDENT_ID 是 '2023009'，按文件夹 2023001 的数据评分 / the notebook's "
                                  "STUDENT_ID is '2023009'; graded with the data of 2023001"]
