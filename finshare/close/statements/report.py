"""The statements of a stored book for a period, and their JSON and CSV forms (money as exact text).

``finshare statements`` calls :func:`book_statements` and prints
:func:`as_json` or :func:`as_csv`, or writes Excel with
:func:`finshare.close.statements.excel.write_statements`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...core import money
from ...core.journal import check_period
from ...core.problems import FinshareError, Problem, Source
from .balances import book_balances
from .build import build_statement
from .layout import for_chart, layout
from .management import management_pl

CHOICES = ("bs", "is", "mgt", "all")
#: Column captions, by the statement's basis (position: balance sheet; performance: P&L).
CAPTIONS = {
    "position": {"current": "期末余额 Closing balance", "comparative": "上年年末余额 Prior year-end balance"},
    "performance": {"current": "本期金额 Current", "comparative": "上期金额 Comparative"},
}


def _keys(book, which: str) -> dict[str, str]:
    """``{key: statement id}`` wanted for ``book``; refuses a statement its chart has none of."""
    available = for_chart(book.chart.name)
    if which == "all":
        return available
    if which not in available:
        raise FinshareError([Problem(
            "no-such-statement", f"账簿 {book.code}（科目表 {book.chart.name}）没有报表 {which} / book {book.code} "
            f"(chart {book.chart.name}) has no statement {which!r}", Source(book=book.code, field="statement"),
            f"改选 / choose one of: {', '.join([*available, 'all'])}")])
    return {which: available[which]}


def book_statements(ledger, book: str, period: str, which: str = "all") -> dict[str, pd.DataFrame]:
    """The statements of ``book`` at ``period``: ``{"bs": frame, "is": frame, "mgt": frame}`` (as asked).

    Money in int64 minor units of the book currency; each frame's ``attrs["statement"]`` names its layout.
    The ledger is read as it is: post first.
    """
    b = ledger.case.books[book]
    check_period(period)
    wanted = _keys(b, which)
    balances = book_balances(ledger, book, period) if set(wanted) - {"mgt"} else None
    out = {}
    for key, sid in wanted.items():
        if key == "mgt":
            out[key] = management_pl(ledger.store.sums(book, "business", upto=period), period, b.chart)
        else:
            out[key] = build_statement(sid, balances, b.chart, book)
    return out


@dataclass(frozen=True)
class GroupBook:
    """What the statement writers need of a book, for the consolidated group (code ``GROUP``)."""

    code: str
    name_zh: str
    name_en: str
    currency: str
    chart: object

    @property
    def exponent(self) -> int:
        return money.EXPONENTS[self.currency]


def group_statements(ledger, period: str, which: str = "all") -> tuple[GroupBook, dict[str, pd.DataFrame]]:
    """The consolidated statements of the group (``group.yaml``) at ``period``, from the consolidation's balances."""
    from ..consolidation import consolidate, read_group
    check_period(period)
    group = read_group(ledger.case)
    book = GroupBook("GROUP", group.name_zh, group.name_en, group.currency, group.chart)
    wanted = {k: v for k, v in _keys(book, which).items() if k != "mgt" or which == "mgt"}
    if "mgt" in wanted:
        raise FinshareError([Problem(
            "no-such-statement", "合并报表没有管理利润表 / the group has no management P&L", Source(field="statement"),
            "ask a management book for it (--book VN-MGT), or choose bs or is for the group")])
    balances = consolidate(ledger, period, group).balances
    return book, {key: build_statement(sid, balances, group.chart, book.code) for key, sid in wanted.items()}


def _amount_text(frame: pd.DataFrame, column: str, exp: int) -> list:
    text = money.format_amounts(frame[column].to_numpy("int64"), exp)
    return [None if k == "header" else t for k, t in zip(frame["kind"], text)]


def _money_columns(frame: pd.DataFrame) -> list[str]:
    return [*frame.attrs.get("units", []), "current", "comparative"]


def as_json(statements: dict, book, period: str) -> dict:
    """The statements as JSON-ready data: lines with exact decimal strings, grouped per statement."""
    body = {"book": book.code, "period": period, "currency": book.currency, "statements": {}}
    for key, frame in statements.items():
        lay = layout(frame.attrs["statement"])
        lines = frame[["code", "name_zh", "name_en", "kind"]].copy()
        for c in _money_columns(frame):
            lines[c] = _amount_text(frame, c, book.exponent)
        body["statements"][key] = {
            "statement": lay.id, "title_zh": lay.title_zh, "title_en": lay.title_en, "form": lay.form,
            "columns": CAPTIONS[lay.basis], "units": list(frame.attrs.get("units", [])),
            "lines": lines.astype(object).where(lines.notna(), None).to_dict(orient="records")}
    return body


def as_csv(statements: dict, book) -> pd.DataFrame:
    """One table of every statement's lines: ``statement, code, name_zh, name_en, kind``, the amounts as text."""
    frames = []
    for key, frame in statements.items():
        part = frame[["code", "name_zh", "name_en", "kind"]].copy()
        part.insert(0, "statement", key)
        for c in _money_columns(frame):
            part[c] = _amount_text(frame, c, book.exponent)
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    return out.astype(object).where(out.notna(), "")


__all__ = ["CHOICES", "CAPTIONS", "GroupBook", "book_statements", "group_statements", "as_json", "as_csv"]
