"""The journal schema, defined once: columns, their meaning, where the store keeps them.

Every journal line the ledger shows — :meth:`Ledger.lines`, ``finshare
journal``, exports — has the columns of :data:`JOURNAL`, in this order, with
the auxiliary dimensions (核算项目) of :data:`finshare.core.chart.DIMENSIONS`
in the middle. The store keeps each column at one level:

* ``voucher`` — once per voucher in the ``vouchers`` table;
* ``line`` — once per line in the ``lines`` table;
* ``derived`` — built when read (``line_id``, ``account_name``).

Text that repeats is stored as an integer code (``codes`` table), dimension
values as a dimension-set id (``dimsets``), summaries in ``texts``; see
:mod:`finshare.core.store.tables`. :func:`markdown_table` renders the README's
table from this definition, and a test keeps the two equal.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import money
from .dimensions import DIMENSIONS, on_new_dimension
from .problems import FinshareError, Problem, Source


@dataclass(frozen=True)
class JournalColumn:
    """One journal column: name, where it is stored, its type and meaning."""

    name: str
    level: str          # voucher, line or derived
    type: str           # code, text, int, money, date, period, kind
    meaning: str


_BEFORE_DIMS = (
    JournalColumn("line_id", "derived", "text", "unique, stable id `BOOK/BV|GL/PERIOD/VOUCHER_NO/LINE`"),
    JournalColumn("book", "voucher", "code", "book code, e.g. `FJ-CAS`"),
    JournalColumn("kind", "voucher", "kind", "`business` (业务凭证) or `gl` (总账凭证)"),
    JournalColumn("voucher_no", "voucher", "text",
                  "`记-0001`: numbered per book, kind, period and voucher word without gaps"),
    JournalColumn("voucher_word", "voucher", "code", "voucher word (凭证字), e.g. `记`"),
    JournalColumn("date", "voucher", "date", "voucher date `YYYY-MM-DD`"),
    JournalColumn("period", "voucher", "period", "accounting period `YYYY-MM`"),
    JournalColumn("line", "line", "int", "line number within the voucher"),
    JournalColumn("account", "line", "code", "account code in the book's chart"),
    JournalColumn("account_name", "derived", "text",
                  "its name with parents (`应付账款—暂估应付款`); `--lang en` for English"),
    JournalColumn("summary", "line", "text", "摘要, from the template's summary text"),
    JournalColumn("debit", "line", "money",
                  "amount in the book currency; a red-ink reversal (红字冲销) has negative amounts on the original side"),
    JournalColumn("credit", "line", "money", "as `debit`, on the credit side"),
    JournalColumn("currency", "voucher", "code", "book currency"),
    JournalColumn("amount_orig", "line", "money", "the document's amount (原币)"),
    JournalColumn("currency_orig", "line", "code", "the document's currency"),
    JournalColumn("org", "line", "code", "business unit (业务组织) of the source, e.g. `XM`"),
)
_AFTER_DIMS = (
    JournalColumn("source_type", "voucher", "code",
                  "what the voucher comes from: a document type (`purchase_receipt`), `manual` …"),
    JournalColumn("source_no", "line", "text",
                  "the source's number (`CG001`); empty on a GL line summarising several documents"),
    JournalColumn("business_class", "line", "code", "the template's business class (业务分类)"),
    JournalColumn("template", "line", "code", "the voucher template"),
    JournalColumn("template_line", "line", "code",
                  "the entry line that produced the line (`EXP/1`; `rounding` for a conversion difference)"),
    JournalColumn("reverses", "voucher", "text", "for a reversal, the reversed voucher `PERIOD/VOUCHER_NO`"),
    JournalColumn("batch", "voucher", "int", "the posting batch (one transaction)"),
)


def dimension_columns() -> tuple[JournalColumn, ...]:
    """One column per auxiliary dimension, only filled where the account carries it."""
    return tuple(JournalColumn(d, "line", "code", f"核算项目 {zh} / {en} (dimension)")
                 for d, (zh, en) in DIMENSIONS.items())


JOURNAL: list[JournalColumn] = [*_BEFORE_DIMS, *dimension_columns(), *_AFTER_DIMS]
_BUILTIN_DIMS = [c.name for c in dimension_columns()]
#: Column names of journal lines, in order (money in minor units, ``account_name`` left out).
JOURNAL_COLUMNS = [c.name for c in JOURNAL if c.name != "account_name"]
#: What ``finshare journal`` prints.
OUTPUT_COLUMNS = [c.name for c in JOURNAL if c.name != "voucher_word"]
MONEY = [c.name for c in JOURNAL if c.type == "money"]
KINDS = {"business": 1, "gl": 2}


def _new_dimension(code: str) -> None:
    """A case's dimension becomes a journal column, after the others (the same list objects, in place)."""
    zh, en = DIMENSIONS[code]
    JOURNAL.insert(len(JOURNAL) - len(_AFTER_DIMS), JournalColumn(code, "line", "code", f"核算项目 {zh} / {en} (dimension)"))
    for names in (JOURNAL_COLUMNS, OUTPUT_COLUMNS):
        names.insert(names.index("source_type"), code)


on_new_dimension(_new_dimension)


def markdown_table() -> str:
    """The README's journal table (the columns ``finshare journal`` prints)."""
    rows = ["| column | meaning |", "|---|---|"]
    dims = _BUILTIN_DIMS
    for c in JOURNAL:
        if c.level == "line" and c.type == "code" and c.name not in dims and "核算项目" in c.meaning:
            continue
        if c.name == "voucher_word" or c.name in dims[1:]:
            continue
        if c.name == dims[0]:
            rows.append("| " + ", ".join(f"`{d}`" for d in dims)
                        + " | auxiliary dimensions (核算项目), only those the account carries |")
        else:
            rows.append(f"| `{c.name}` | {c.meaning} |")
    return "\n".join(rows)


def check_period(period: str) -> str:
    """``YYYY-MM`` with a real month, or a problem that says how to write it."""
    text = str(period)
    ok = len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() \
        and 1900 <= int(text[:4]) <= 2999 and 1 <= int(text[5:]) <= 12
    if not ok:
        raise FinshareError([Problem("bad-period", f"期间 {text!r} 无效 / {text!r} is not a period",
                                     Source(field="period"), "write YYYY-MM with a month 01–12, e.g. 2020-03")])
    return text


def display_journal(lines: pd.DataFrame, books, lang: str = "zh") -> pd.DataFrame:
    """Add ``account_name`` and turn minor units into Decimals (display only)."""
    out = lines.copy()
    names = pd.Series("", index=out.index, dtype=object)
    for code in out["book"].unique() if len(out) else []:
        rows = out["book"] == code
        names[rows] = books[code].chart.full_name(out.loc[rows, "account"], lang).to_numpy()
    out.insert(out.columns.get_loc("account") + 1, "account_name", names)
    exp = money.exponents(out["currency"]) if len(out) else np.zeros(0, "int64")
    for c in ("debit", "credit"):
        out[c] = money.decimals(out[c].to_numpy(), exp)
    out["amount_orig"] = money.decimals(out["amount_orig"].to_numpy(), money.exponents(out["currency_orig"])
                                        if len(out) else np.zeros(0, "int64"))
    return out


__all__ = ["JournalColumn", "JOURNAL", "JOURNAL_COLUMNS", "OUTPUT_COLUMNS", "MONEY", "KINDS", "markdown_table", "check_period", "display_journal"]
