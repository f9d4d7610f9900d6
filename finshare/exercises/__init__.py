"""Exercises and grading: per-student data, checks with points and bilingual feedback, one grading command.

In a student's notebook::

    from finshare.exercises import start
    ex = start("01-journal-entries", STUDENT_ID)    # the student's own documents
    ex.documents                                     # the data
    ex.check("entries", entries)                     # points and feedback, shown as HTML

The teacher's side is the command line: ``finshare exercises release --out
DIR`` writes the student folder, ``finshare grade SUBMISSIONS_DIR`` executes
every submitted notebook in a fresh kernel and runs the checks outside it
(:mod:`finshare.exercises.grade`). Exercises post only through the core's one
posting path (:mod:`finshare.core`).
"""
from __future__ import annotations

import os

from .ar_clearing import ARClearing
from .balance_sheet import BalanceSheetLines
from .bank_reconciliation import BankReconciliation
from .carry_entry import CarryEntry
from .collection_forecast import CollectionForecast
from .credit_codes import CreditCodes
from .exercise import Exercise, Question
from .expense_template import ExpenseTemplate
from .invoice_checks import InvoiceChecks
from .purchase_entries import PurchaseEntries
from .result import CheckResult, Report
from .seed import normalise_id, student_seed
from .two_books import TwoBooks

#: Every exercise by its folder name, in teaching order.
EXERCISES: dict[str, type[Exercise]] = {cls.name: cls for cls in (PurchaseEntries, ExpenseTemplate, TwoBooks,
                                                                   CreditCodes, CarryEntry, BalanceSheetLines,
                                                                   BankReconciliation, ARClearing, InvoiceChecks,
                                                                   CollectionForecast)}
#: Set by the grader: the student whose data a notebook gets, whatever its STUDENT_ID says.
GRADING_ID = "FINSHARE_GRADING_STUDENT"


def exercise_class(name: str) -> type[Exercise]:
    """The exercise called ``name`` (``KeyError`` with the list of exercises otherwise)."""
    try:
        return EXERCISES[name]
    except KeyError:
        raise KeyError(f"没有练习 {name!r} / no exercise {name!r}; exercises: {', '.join(EXERCISES)}") from None


def start(name: str, student_id) -> Exercise:
    """Begin exercise ``name`` with the data of ``student_id`` (学号).

    When the grader runs a notebook it sets the student from the submission
    folder, so a copied notebook gets its new owner's data.

    Examples
    --------
    >>> ex = start("01-journal-entries", "2023001")
    >>> len(ex.documents)
    4
    """
    graded = os.environ.get(GRADING_ID)
    if graded is not None and normalise_id(graded) != normalise_id(student_id):
        print(f"评分时使用学生 {graded} 的数据（笔记本里的 STUDENT_ID 是 {student_id!r}）/ graded with the data of "
              f"{graded} (the notebook's STUDENT_ID is {student_id!r})")
        student_id = graded
    if not normalise_id(student_id):
        print("请先在上面的单元格填写你的学号 STUDENT_ID / set your STUDENT_ID in the cell above first: everyone's "
              "data depends on it")
    return exercise_class(name)(student_id)


__all__ = ["EXERCISES", "Exercise", "Question", "CheckResult", "Report", "start", "exercise_class",
           "student_seed", "GRADING_ID"]
