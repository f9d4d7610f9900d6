"""Exercise 09: the checks of a captured invoice (发票校验) — capital numerals, then a batch of pages.

First the student writes ``words_equal_figures(words, amount) -> bool``,
the check that an invoice's 价税合计（大写） states its figures. It is graded by
calling it on pairs made for the student (:mod:`.capital_cases`), in the
notebook's own kernel (the grader calls it there,
:func:`~finshare.exercises.plain.call_each`, and reads back only the
answers); whether a pair agrees is
:func:`~finshare.capture.numerals.words_to_amount`'s word. Then the student
classifies eight captured invoice pages as accepted or review and names the
checks each fails; the verdicts are :func:`~finshare.capture.status.assess`'s
on the same pages (:mod:`.invoice_batch`).
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from .capital_cases import CLASSES, Case, make_cases
from .exercise import Exercise, Question, unchecked
from .fujian import fujian_case
from .invoice_batch import BATCH, Verdict, make_batch, pages_table, verdicts
from .invoice_feedback import (check_names_table, class_results, function_problem, page_shape, read_verdicts,
                               verdict_results)
from .result import CheckResult

#: Cases per class the public checks call the function on, and the grader's hidden ones (larger amounts, 亿).
PUBLIC_PER_CLASS, HIDDEN_PER_CLASS = 5, 3
CLASS_POINTS, HIDDEN_POINTS = 2, 4


class InvoiceChecks(Exercise):
    """发票校验 / The checks of a captured invoice (see module docstring)."""

    name = "09-invoice-checks"
    title = "练习 09 发票校验 / Exercise 09: checking captured invoices"
    questions = (Question("words_equal_figures", "大写金额与小写金额一致吗 / do the words state the figures",
                          "check_words", hidden="hidden_words", calls="word_cases"),
                 Question("verdicts", "八张发票：通过还是复核，哪些校验未通过 / eight invoices: accepted or review, "
                          "and the checks that fail", "check_verdicts"))

    # -------------------------------------------------------------------- data
    @cached_property
    def cases(self) -> list[Case]:
        """The pairs the public checks call the function on."""
        return make_cases(self.rng("cases"), PUBLIC_PER_CLASS, 7)

    @cached_property
    def hidden_cases(self) -> list[Case]:
        """The grader's further pairs (amounts up to 亿)."""
        return make_cases(self.rng("hidden"), HIDDEN_PER_CLASS, 11)

    def word_cases(self) -> list[tuple[str, str]]:
        """``(words, amount)`` for every call of the student's function: the public pairs, then the hidden ones."""
        return [(c.words, c.figures) for c in (*self.cases, *self.hidden_cases)]

    @cached_property
    def _batch(self) -> tuple[list[dict], list[str]]:
        return make_batch(self.rng("pages"))

    @property
    def pages(self) -> pd.DataFrame:
        """The eight captured pages: one row per page, every field as read (confidence 0.97), and its item lines."""
        return pages_table(self._batch[0])

    @property
    def faults(self) -> list[str]:
        """The fault planted on each page (for tests; the notebook does not show it)."""
        return list(self._batch[1])

    @property
    def our_entities(self) -> pd.DataFrame:
        """Our organisations that have a credit code: ``code, name_zh, uscc``."""
        orgs = fujian_case().master["organisations"]
        return orgs.loc[orgs["uscc"].notna(), ["code", "name_zh", "uscc"]].reset_index(drop=True)

    @property
    def counterparties(self) -> pd.DataFrame:
        """The suppliers and customers of the master data: ``code, name_zh, uscc``."""
        m = fujian_case().master
        return pd.concat([m["suppliers"][["code", "name_zh", "uscc"]], m["customers"][["code", "name_zh", "uscc"]]],
                         ignore_index=True)

    @property
    def check_names(self) -> pd.DataFrame:
        """The checks a page may fail, by name: ``name, 中文, English``."""
        return check_names_table()

    @cached_property
    def expected(self) -> list[Verdict]:
        """The engine's verdict on each page, in page order."""
        return verdicts(self._batch[0])

    # ------------------------------------------------------------------ checks
    def check_words(self, value) -> list[CheckResult]:
        shape = [(k, f"{zh} / {en}", CLASS_POINTS) for k, (zh, en) in CLASSES.items()]
        why = function_problem(value)
        if why or len(value) != len(self.cases) + len(self.hidden_cases):
            return unchecked(shape, [why or "函数的结果不完整 / the function's results are incomplete"])
        return class_results(self.cases, value[:len(self.cases)], CLASS_POINTS)

    def hidden_words(self, value) -> list[CheckResult]:
        title = "更多的金额（到亿）/ further amounts (up to 亿)"
        if value is None or function_problem(value) or len(value) != len(self.cases) + len(self.hidden_cases):
            return [CheckResult("hidden-words", title, 0, HIDDEN_POINTS)]
        per_class = class_results(self.hidden_cases, value[len(self.cases):], 1)
        got = HIDDEN_POINTS * sum(r.points for r in per_class) // len(per_class)
        notes = tuple(dict.fromkeys(f for r in per_class for f in r.feedback))
        return [CheckResult("hidden-words", title, got, HIDDEN_POINTS, notes)]

    def check_verdicts(self, value) -> list[CheckResult]:
        got, problems = read_verdicts(value)
        if got is None:
            return unchecked(page_shape(len(BATCH)), problems)
        return verdict_results(self.expected, got, problems)
