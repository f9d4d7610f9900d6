"""Which books a document reaches, and the documents that would otherwise be skipped in silence.

A document reaches every book whose accounting organisation accounts for its
business unit. An approved document that reaches no book (its unit is a
profit centre, the legal entity itself, or a factory no book accounts for),
has no lines, or makes no entry because its amounts are zero is reported as a
problem; and a document is *posted* once every book it reaches holds its
business voucher.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .books import Books
from .documents import Documents
from .problems import Problem, Source
from .store.docstore import set_posted


def reach_table(books: Books) -> pd.DataFrame:
    """``unit, book``: one row per business unit and book it reaches."""
    return pd.DataFrame([(u, b.code) for b in books for u in b.units], columns=["unit", "book"])


def unreachable(docs: Documents, approved: pd.Index, books: Books) -> list[Problem]:
    dt = docs.doctype
    orgs = docs.header.loc[approved, dt.org_field].astype(object)
    units = set(reach_table(books)["unit"])
    bad = orgs[~orgs.isin(units)]
    return [Problem(
        "document-reaches-no-book", f"单据 {n} 的业务组织 {o} 不属于任何账簿 / {n}: business unit {o} is in no book",
        Source(dt.source or dt.code, document=n, field=dt.org_field),
        f"give the document a factory a book accounts for ({', '.join(sorted(units))}), or add {o} to an "
        "accounting organisation in books.yaml") for n, o in bad.items()]


def nothing_to_post(docs: Documents, approved: pd.Index, entries: pd.DataFrame, problems: list[Problem],
                    books: Books) -> list[Problem]:
    """Approved documents that make no entry: no lines, or amounts of zero."""
    dt = docs.doctype
    made = set(entries["doc_no"].astype(object)) if len(entries) else set()
    explained = {p.source.document for p in problems}
    silent = [n for n in approved if n not in made and n not in explained]
    if not silent:
        return []
    has_lines = set(docs.lines[dt.number_field].astype(object)) if len(docs.lines) else set()
    needs_lines = any(f.required for f in dt.lines.fields)
    out = []
    for n in silent:
        if needs_lines and n not in has_lines:
            out.append(Problem("document-without-lines", f"单据 {n} 没有分录行 / {n} has no lines",
                               Source(dt.source or dt.code, document=n), "add its lines to the lines file"))
        else:
            out.append(Problem("document-zero-amount", f"单据 {n} 的金额为零，不生成凭证 / {n} has a zero amount: "
                               "no voucher", Source(dt.source or dt.code, document=n, field="amount"),
                               "correct the amount, or set the document back to draft (反审核) if it is void"))
    return out


def mark_posted(con, pend: dict, held: pd.DataFrame, books: Books) -> None:
    """Flag the pending documents every reached book now holds as posted.

    ``held`` has one row per business voucher that stands for a pending
    document: its store ids ``document`` and ``book_id`` (counted as
    integers, never joined on text).
    """
    per_unit = reach_table(books).groupby("unit").size()
    doc, book = held["document"].to_numpy("int64"), held["book_id"].to_numpy("int64")
    radix = int(book.max()) + 1 if len(book) else 1
    books_of = pd.Series(pd.unique(doc * radix + book) // radix).value_counts()   # distinct books per document
    done = []
    for _, (docs, ids) in pend.items():
        if ids is None:
            continue
        units = docs.header[docs.doctype.org_field].astype(object).reindex(ids.index)
        want = units.map(per_unit).fillna(0).to_numpy("int64")
        have = books_of.reindex(ids.to_numpy("int64")).fillna(0).to_numpy("int64")
        full = (want > 0) & (have >= want)
        if full.any():
            done.append(ids.to_numpy("int64")[full])
    if done:
        set_posted(con, np.concatenate(done), 1)
