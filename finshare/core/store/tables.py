"""The tables of a ledger store (schema revision ``0002``).

Integer keys everywhere a value repeats: a million documents make millions of
lines that repeat a few books, accounts, currencies and suppliers, so the
store keeps text once (``codes``, ``texts``, ``dimsets``) and lines hold small
integers. Which journal column lives where is defined in
:mod:`finshare.core.journal`; :func:`check_schema` (a test) keeps these tables,
that definition and the Alembic head in step.

* ``codes`` — every repeated text (book, account, word, currency, dimension
  values, organisations, templates …) once, by id.
* ``texts`` — summaries (摘要), shared by the lines of one batch that say the same.
* ``dimsets`` / ``dimset_values`` — distinct combinations of auxiliary
  dimensions (核算项目); a line holds one dimension-set id, so a case may add
  dimensions (``project``, ``partner``) without a schema change.
* ``documents`` — the sources vouchers come from, by type and number: their
  status (and the status their file last said), whether posted, business
  unit, date, source file and row, and fields as text in a ``layouts`` order.
* ``imports`` — size, modification time and SHA-256 of each imported file.
* ``batches`` — one row per posting transaction, with a SHA-256 chain.
* ``vouchers`` — one row per voucher; ``(book, kind, period, word, seq)`` is
  unique, so a duplicate number cannot be stored.
* ``lines`` — voucher lines keyed by ``(voucher, line)``; a business line
  names the GL line it went into; ``document`` is set only where a line's
  source differs from its voucher's (a GL line of one document in a summary).
* ``balances`` — debit and credit per book, kind, period and account, kept
  by every batch (a trial balance reads this, not the lines).
* ``line_sums`` — debit, credit and the signed original amount per book, kind, period, source type,
  account, business unit, dimension set and original currency, kept by every batch: closing,
  revaluation, statements and checks read these sums (thousands of rows), not millions of lines.
* ``clearings`` — receivable clearing history (核销记录): which receipt settled which invoice, how
  much, by which rule, on which date, under which clearing voucher (revision 0005).
* ``counters`` — the last voucher number per book, kind, period and word.
* ``periods`` — open or closed, per book and period; ``events`` — the
  append-only log (who, when, what, from → to, why); ``scheme_runs``.
"""
from __future__ import annotations

import sqlalchemy as sa

#: Longest code the store keeps (book, account, document number, dimension value …).
CODE_LENGTH = 200
metadata = sa.MetaData()


def _ints(*names: str, nullable: bool = False) -> list[sa.Column]:
    return [sa.Column(n, sa.Integer, nullable=nullable) for n in names]


codes = sa.Table(
    "codes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("value", sa.String(CODE_LENGTH), nullable=False, unique=True),
)
texts = sa.Table(
    "texts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("text", sa.Text, nullable=False),
)
dimsets = sa.Table(
    "dimsets", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("key", sa.Text, nullable=False, unique=True),
)
dimset_values = sa.Table(
    "dimset_values", metadata,
    sa.Column("dimset", sa.Integer, primary_key=True),
    sa.Column("dim", sa.Integer, primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)
#: Document status codes in ``documents.status`` (see finshare.core.documents.STATUSES).
STATUS_CODES = {"draft": 0, "submitted": 1, "approved": 2}
documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("doc_type", sa.Integer, nullable=False),
    sa.Column("number", sa.String(CODE_LENGTH), nullable=False),
    sa.Column("status", sa.SmallInteger, nullable=False, server_default="2"),
    sa.Column("file_status", sa.SmallInteger, nullable=False, server_default="2"),
    sa.Column("posted", sa.SmallInteger, nullable=False, server_default="0"),
    *_ints("date", "org", "source_file", "source_row", "layout", nullable=True),
    sa.Column("header", sa.Text),
    sa.Column("lines", sa.Text),
    sa.UniqueConstraint("doc_type", "number", name="uq_documents_type_number"),
    sa.Index("ix_documents_pending", "doc_type", sqlite_where=sa.text("posted = 0"),
             postgresql_where=sa.text("posted = 0")),
)
layouts = sa.Table(
    "layouts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("columns", sa.Text, nullable=False, unique=True),
)
imports = sa.Table(
    "imports", metadata,
    sa.Column("file", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("doc_type", sa.String(CODE_LENGTH), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("mtime_ns", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
)
batches = sa.Table(
    "batches", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("by", sa.String(80), nullable=False),
    sa.Column("documents", sa.Integer, nullable=False),
    sa.Column("vouchers", sa.Integer, nullable=False),
    sa.Column("lines", sa.Integer, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("digest", sa.String(64)),
)
vouchers = sa.Table(
    "vouchers", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    *_ints("batch", "book"),
    sa.Column("kind", sa.SmallInteger, nullable=False),
    *_ints("period", "word", "seq", "date", "currency", "source_type", "document"),
    sa.Column("reverses", sa.Integer),
    sa.UniqueConstraint("book", "kind", "period", "word", "seq", name="uq_vouchers_number"),
    sa.Index("ix_vouchers_document", "document", sqlite_where=sa.text("kind = 1"),
             postgresql_where=sa.text("kind = 1")),
    sa.Index("ix_vouchers_reverses", "reverses", sqlite_where=sa.text("reverses IS NOT NULL"),
             postgresql_where=sa.text("reverses IS NOT NULL")),
)
lines = sa.Table(
    "lines", metadata,
    sa.Column("voucher", sa.Integer, primary_key=True),
    sa.Column("line", sa.Integer, primary_key=True),
    *_ints("account", "summary"),
    sa.Column("debit", sa.BigInteger, nullable=False),
    sa.Column("credit", sa.BigInteger, nullable=False),
    sa.Column("amount_orig", sa.BigInteger, nullable=False),
    *_ints("currency_orig", "dimset", "org", "business_class", "template", "template_line"),
    *_ints("gl_voucher", "gl_line", "document", nullable=True),
    sqlite_with_rowid=False,
)
balances = sa.Table(
    "balances", metadata,
    sa.Column("book", sa.Integer, primary_key=True),
    sa.Column("kind", sa.SmallInteger, primary_key=True),
    sa.Column("period", sa.Integer, primary_key=True),
    sa.Column("account", sa.Integer, primary_key=True),
    sa.Column("debit", sa.BigInteger, nullable=False),
    sa.Column("credit", sa.BigInteger, nullable=False),
)
#: the columns a line is summed by in ``line_sums`` (besides the voucher's book, kind, period and source type)
SUM_KEYS = ["book", "kind", "period", "source_type", "account", "org", "dimset", "currency_orig"]
line_sums = sa.Table(
    "line_sums", metadata,
    *[sa.Column(c, sa.SmallInteger if c == "kind" else sa.Integer, primary_key=True) for c in SUM_KEYS],
    sa.Column("debit", sa.BigInteger, nullable=False),
    sa.Column("credit", sa.BigInteger, nullable=False),
    sa.Column("orig", sa.BigInteger, nullable=False),
)
counters = sa.Table(
    "counters", metadata,
    sa.Column("book", sa.Integer, primary_key=True),
    sa.Column("kind", sa.SmallInteger, primary_key=True),
    sa.Column("period", sa.Integer, primary_key=True),
    sa.Column("word", sa.Integer, primary_key=True),
    sa.Column("last_seq", sa.Integer, nullable=False),
)
periods = sa.Table(
    "periods", metadata,
    sa.Column("book", sa.Integer, primary_key=True),
    sa.Column("period", sa.Integer, primary_key=True),
    sa.Column("status", sa.String(10), nullable=False),
)
events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("by", sa.String(80), nullable=False),
    sa.Column("object_type", sa.String(20), nullable=False),
    sa.Column("object", sa.String(CODE_LENGTH), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("from_state", sa.String(20), nullable=False),
    sa.Column("to_state", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("batch", sa.Integer),
)
clearings = sa.Table(
    "clearings", metadata,
    sa.Column("receipt", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("invoice", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("source", sa.String(10), nullable=False),
    sa.Column("customer", sa.String(CODE_LENGTH), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("fee", sa.BigInteger, nullable=False),
    sa.Column("advance", sa.BigInteger, nullable=False),
    sa.Column("rule", sa.String(40), nullable=False),
    sa.Column("agreed", sa.String(80), nullable=False),
    sa.Column("score", sa.SmallInteger, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("voucher", sa.String(CODE_LENGTH), nullable=False),
    sa.Column("batch", sa.Integer),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("by", sa.String(80), nullable=False),
)
scheme_runs = sa.Table(
    "scheme_runs", metadata,
    sa.Column("scheme", sa.String(40), primary_key=True),
    sa.Column("run_at", sa.DateTime, primary_key=True),
    sa.Column("batch", sa.Integer, nullable=False),
)

#: The journal columns each table holds (see :mod:`finshare.core.journal`).
VOUCHER_COLUMNS = {"book": "book", "kind": "kind", "voucher_word": "word", "date": "date", "period": "period",
                   "currency": "currency", "source_type": "source_type",
                   "reverses": "reverses", "batch": "batch", "voucher_no": "seq"}
LINE_COLUMNS = {"line": "line", "account": "account", "summary": "summary", "debit": "debit", "credit": "credit",
                "amount_orig": "amount_orig", "currency_orig": "currency_orig", "org": "org",
                "business_class": "business_class", "template": "template", "template_line": "template_line",
                "source_no": "document"}


def check_schema() -> list[str]:
    """Journal columns the tables do not account for (empty when in step)."""
    from ..journal import JOURNAL, dimension_columns
    dims = {c.name for c in dimension_columns()}
    out = []
    for c in JOURNAL:
        where = VOUCHER_COLUMNS if c.level == "voucher" else LINE_COLUMNS if c.level == "line" else None
        if where is None or c.name in dims:
            continue
        table = vouchers if c.level == "voucher" else lines
        if c.name not in where or where[c.name] not in table.c:
            out.append(f"{c.name} ({c.level})")
    return out
