"""The Fujian case as the exercises use it: master data, books, and posting through the core.

Exercises make their own documents (seeded per student) on the case's
master data and post them with the core's one posting path
(:func:`~finshare.core.posting.generate_entries`, then
:func:`~finshare.core.booking.entries_for_book`), so every expected voucher is
the engine's, never a second implementation of the rules.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..core.booking import entries_for_book
from ..core.case import Case, builtin_doctypes, bundled_case, load_case
from ..core.documents import Documents, DocumentType
from ..core.masterdata import MasterData
from ..core.posting import DIMS, generate_entries
from ..core.problems import Problem
from ..core.rates import RateTable
from ..core.template import VoucherTemplate

#: Columns of an entry table as the checks compare it: money in minor units of the book currency.
LINE_COLUMNS = ["doc_no", "side", "account", "amount", *DIMS]


def case_dir() -> Path:
    """The Fujian case folder of this finshare checkout."""
    return bundled_case("fujian")


@lru_cache(maxsize=1)
def fujian_case() -> Case:
    """The case (books, rates, master data, templates), without its documents."""
    return load_case(case_dir(), documents=False)


@lru_cache(maxsize=None)
def doctype(code: str) -> DocumentType:
    """A document type: a built-in one, or one of the exercises' (``finshare/exercises/data``)."""
    extra = resources.files("finshare.exercises").joinpath("data", f"{code}.yaml")
    if extra.is_file():
        return DocumentType.from_yaml(extra.read_text(encoding="utf-8"), f"<exercise doctype {code}>")
    return builtin_doctypes()[code]


def doctypes(*extra: str) -> dict[str, DocumentType]:
    """The built-in document types plus the named exercise ones."""
    return {**builtin_doctypes(), **{code: doctype(code) for code in extra}}


def master_with(**extra: pd.DataFrame) -> MasterData:
    """The case's master data with rows added to some tables (text frames, checked by the core)."""
    tables = {name: t.drop(columns=[c for c in t.columns if c.startswith("_")]).reset_index(drop=True)
              for name, t in fujian_case().master.tables.items()}
    for name, rows in extra.items():
        tables[name] = pd.concat([tables[name].astype(object), rows.astype(object)], ignore_index=True)
    return MasterData.from_frames(**tables)


def make_documents(code: str, header: list[dict], lines: list[dict], master: MasterData) -> Documents:
    """Documents of type ``code`` from rows of text, checked like a CSV file."""
    return Documents.from_text(doctype(code), pd.DataFrame(header, dtype=object).astype(str),
                               pd.DataFrame(lines, dtype=object).astype(str), master, f"<{code}>", f"<{code}_lines>")


def rates_at(rate: str, date: str = "2020-03-01") -> RateTable:
    """A rate table holding one CNY → HKD rate from ``date``."""
    return RateTable.from_rows([(date, "CNY", "HKD", rate)], "<exercise rates>")


def post(docs: Documents, template: VoucherTemplate, book: str,
         rates: RateTable | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Business-voucher lines of ``docs`` in ``book``: ``(lines, problems)``, nothing stored.

    ``lines`` has :data:`LINE_COLUMNS` plus ``amount_orig``; ``amount`` is in
    minor units of the book currency.
    """
    case = fujian_case()
    entries, problems = generate_entries(docs, template)
    lines, more = entries_for_book(entries, case.books[book], template, rates or case.rates,
                                   case.template_chart(template))
    out = pd.DataFrame({"doc_no": lines["doc_no"].astype(str).to_numpy(),
                        "side": lines["side"].astype(str).to_numpy(),
                        "account": lines["account"].astype(str).to_numpy(),
                        "amount": (lines["debit"] + lines["credit"]).astype("int64").to_numpy(),
                        **{d: lines[d].astype(str).to_numpy() for d in DIMS},
                        "amount_orig": lines["amount_orig"].astype("int64").to_numpy()})
    return out, problems + more
