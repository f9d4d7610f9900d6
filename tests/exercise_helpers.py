"""Helpers for the exercise tests: teacher answers computed in-process, notebooks edited for fake classes."""
from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TEACHER = ROOT / "exercises" / "_teacher"
NAMES = ["01-journal-entries", "02-expense-template", "03-cas-hkfrs", "04-master-data", "05-carry-forward",
         "06-balance-sheet-lines", "07-bank-reconciliation", "08-ar-clearing", "09-invoice-checks",
         "10-collection-forecast"]


def teacher_answers(name: str, student: str) -> dict:
    """Run the teacher notebook's code cells in-process (our own code, not a student's) and return its namespace."""
    nb = nbformat.read(TEACHER / f"{name}.ipynb", as_version=4)
    ns: dict = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if "student-id" in cell.metadata.get("tags", []):
            source = f"STUDENT_ID = {student!r}"
        exec(compile(source, f"<{name}>", "exec"), ns)
    return ns


def notebook_with(name: str, extra: str, teacher: bool = True, after_answer: int = 1) -> nbformat.NotebookNode:
    """A copy of the teacher (or starter) notebook with a code cell ``extra`` after its n-th answer cell."""
    path = TEACHER / f"{name}.ipynb" if teacher else ROOT / "exercises" / name / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    answers = [i for i, c in enumerate(nb.cells) if "answer" in c.metadata.get("tags", [])]
    nb.cells.insert(answers[after_answer - 1] + 1, nbformat.v4.new_code_cell(extra))
    return nb


def write(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
