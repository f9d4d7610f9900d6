"""The two sides of an intercompany match: which book holds the receivable, which the payable, and their lines.

The group definition (``group.yaml``, :func:`~finshare.close.consolidation.read_group`) names the
entities, the intercompany receivable and payable accounts and the counterparty dimension
(``partner``: the group unit on the other side). The *receivable side* is the entity whose receivable
accounts carry a business unit of another entity as partner; that entity is the *payable side*.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...close.consolidation.config import GroupConfig
from ...core.problems import FinshareError, Problem, Source


@dataclass(frozen=True)
class Side:
    """One side of the match.

    Attributes
    ----------
    book : str
        Book code, e.g. ``VN-MGT``.
    currency : str
        The book's currency.
    units : tuple of str
        The book's business units (the partner the other side's lines carry).
    partners : tuple of str
        The other side's business units (the partner this side's lines carry).
    accounts : tuple of str
        The intercompany balance accounts of this side (receivables, or payables).
    sign : int
        ``+1`` for the receivable side (debit positive), ``-1`` for the payable side (credit positive).
    """

    book: str
    currency: str
    units: tuple
    partners: tuple
    accounts: tuple
    sign: int


def sides(ledger, group: GroupConfig, receivable_book: str | None = None, payable_book: str | None = None
          ) -> tuple[Side, Side, pd.DataFrame, pd.DataFrame]:
    """The receivable and payable sides and their intercompany lines (business vouchers, every period).

    Returns
    -------
    ar, ap : Side
    ar_lines, ap_lines : pandas.DataFrame
        Journal lines on the side's accounts whose partner is a unit of the other side.

    Raises
    ------
    FinshareError
        ``unknown-book`` (a book that is not an entity of ``group.yaml``) or ``no-ic-partner`` (no
        intercompany line carries the partner dimension).
    """
    case, dim = ledger.case, group.dimension
    books = [e.book for e in group.entities]
    for code in (receivable_book, payable_book):
        if code is not None and code not in books:
            raise FinshareError([Problem("unknown-book", f"账簿 {code} 不是合并主体 / book {code} is not an entity of "
                                         "the group", Source(group.source, field="entities", book=code),
                                         f"改用合并主体的账簿 / use one of {', '.join(books)}")])
    units = {b: tuple(case.books[b].units) for b in books}
    lines = {b: ledger.lines(b, kind="business") for b in books}
    ar_book, ap_book = receivable_book, payable_book
    if ar_book is None or ap_book is None:
        ar_book, ap_book = _find(lines, units, group, dim, ar_book, ap_book)
    ar = Side(ar_book, case.books[ar_book].currency, units[ar_book], units[ap_book], group.ic["receivables"], 1)
    ap = Side(ap_book, case.books[ap_book].currency, units[ap_book], units[ar_book], group.ic["payables"], -1)
    return ar, ap, ic_lines(lines[ar_book], ar, dim), ic_lines(lines[ap_book], ap, dim)


def ic_lines(lines: pd.DataFrame, side: Side, dim: str) -> pd.DataFrame:
    """The lines of ``side``'s intercompany accounts whose ``dim`` is one of its partners."""
    if dim not in lines:
        return lines.iloc[:0]
    m = lines["account"].astype(str).isin(side.accounts) & lines[dim].astype(str).isin(side.partners)
    return lines[m.to_numpy()]


def _find(lines: dict, units: dict, group: GroupConfig, dim: str, ar_book, ap_book) -> tuple[str, str]:
    """The (receivable book, payable book) with the most intercompany receivable lines between them."""
    counts = {}
    for a, frame in lines.items():  # one pass per entity (a handful)
        if dim not in frame or (ar_book is not None and a != ar_book):
            continue
        rec = frame[frame["account"].astype(str).isin(group.ic["receivables"]).to_numpy()]
        partner = rec[dim].astype(str).to_numpy(object)
        for b, us in units.items():
            if b != a and (ap_book is None or b == ap_book):
                counts[(a, b)] = int(np.isin(partner, list(us)).sum())
    best = max(counts, key=counts.get) if counts else None
    if best is None or counts[best] == 0:
        raise FinshareError([Problem(
            "no-ic-partner", f"内部往来科目 {', '.join(group.ic['receivables'])} 上没有带往来单位 {dim} 的分录 / no line on "
            f"the intercompany receivable accounts carries the {dim} dimension (往来单位)",
            Source(group.source, field="intercompany.dimension"),
            f"在 dimensions.yaml 中定义往来单位 {dim}，为其他集团单位的客户和供应商填写所属组织（org 列），并让模板在应收、应付分录行上带出 "
            f"{dim} / declare the dimension {dim} in dimensions.yaml, give the customers and suppliers of the other "
            "group "
            f"units their organisation (column org), and let the templates carry {dim} on the receivable and payable "
            "lines")])
    return best
