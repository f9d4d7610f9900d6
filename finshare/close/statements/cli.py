"""What ``finshare statements`` does once the request is checked: build, then print or write."""
from __future__ import annotations

import json
from pathlib import Path

from ...core.journal import check_period
from .report import as_csv, as_json, book_statements, group_statements


def check_request(ledger, book: str | None, period: str) -> None:
    """Refuse an unknown book or a malformed period before anything is posted."""
    if book is not None:
        ledger.case.books[book]
    check_period(period)


def emit(ledger, book: str | None, period: str, which: str, fmt: str, out, lang: str, stdout) -> None:
    """Build a book's statements (or the group's when ``book`` is None) and print them (json, csv) or write
    them (xlsx, or json/csv with ``out``)."""
    if book is None:
        b, statements = group_statements(ledger, period, which)
    else:
        b, statements = ledger.case.books[book], book_statements(ledger, book, period, which)
    if fmt == "xlsx":
        from .excel import write_statements
        print(write_statements(out, statements, b, period, lang), file=stdout)
        return
    if fmt == "json":
        text = json.dumps(as_json(statements, b, period), ensure_ascii=False, indent=1) + "\n"
    else:
        text = as_csv(statements, b).to_csv(index=False, lineterminator="\n")
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(out, file=stdout)
    else:
        stdout.write(text)
