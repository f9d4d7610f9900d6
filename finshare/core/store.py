"""The stored shared ledger: a SQLAlchemy database (a SQLite file by default).

Tables: ``journal`` (one row per voucher line, money in integer minor
units), ``gl_links`` (GL line → business line), ``postings`` (which document
reached which book in which voucher: the idempotency record) and
``batches``. One posting batch is one transaction: either all of it is
stored or nothing. A PostgreSQL URL works through the same code.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .posting import DIMS
from .vouchers import JOURNAL_COLUMNS

metadata = sa.MetaData()

journal = sa.Table(
    "journal", metadata,
    sa.Column("line_id", sa.String(120), primary_key=True),
    sa.Column("book", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("voucher_no", sa.String(40), nullable=False),
    sa.Column("voucher_word", sa.String(10), nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("account", sa.String(40), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("debit", sa.BigInteger, nullable=False),
    sa.Column("credit", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("amount_orig", sa.BigInteger, nullable=False),
    sa.Column("currency_orig", sa.String(3), nullable=False),
    *[sa.Column(d, sa.String(40), nullable=False) for d in DIMS],
    sa.Column("source_type", sa.String(40), nullable=False),
    sa.Column("source_no", sa.String(40), nullable=False),
    sa.Column("business_class", sa.String(40), nullable=False),
    sa.Column("template", sa.String(40), nullable=False),
    sa.Column("template_line", sa.String(40), nullable=False),
    sa.Column("reverses", sa.String(40), nullable=False),
    sa.Column("batch", sa.Integer, nullable=False),
    sa.Index("ix_journal_book_kind_period", "book", "kind", "period"),
    sa.Index("ix_journal_source", "source_type", "source_no"),
)
gl_links = sa.Table(
    "gl_links", metadata,
    sa.Column("gl_line_id", sa.String(120), primary_key=True),
    sa.Column("business_line_id", sa.String(120), primary_key=True),
)
postings = sa.Table(
    "postings", metadata,
    sa.Column("source_type", sa.String(40), primary_key=True),
    sa.Column("source_no", sa.String(40), primary_key=True),
    sa.Column("book", sa.String(40), primary_key=True),
    sa.Column("generation", sa.Integer, primary_key=True),
    sa.Column("voucher_no", sa.String(40), nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("batch", sa.Integer, nullable=False),
    sa.Column("reversed", sa.Boolean, nullable=False, default=False),
)
batches = sa.Table(
    "batches", metadata,
    sa.Column("batch", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("documents", sa.Integer, nullable=False),
    sa.Column("lines", sa.Integer, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)
scheme_runs = sa.Table(
    "scheme_runs", metadata,
    sa.Column("scheme", sa.String(40), primary_key=True),
    sa.Column("run_at", sa.DateTime, primary_key=True),
    sa.Column("batch", sa.Integer, nullable=False),
)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Write-ahead log: readers do not block the writer, and a batch commits fast."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Store:
    """A ledger database at a SQLAlchemy URL.

    Parameters
    ----------
    url : str or path
        ``sqlite:///path/ledger.sqlite``, a plain file path (SQLite), or a
        ``postgresql+psycopg2://…`` URL. ``"sqlite://"`` is in memory.
    """

    def __init__(self, url: str | Path = "sqlite://"):
        url = str(url)
        if "://" not in url:
            Path(url).parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{url}"
        self.url = url
        self.engine = sa.create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def __repr__(self) -> str:
        return f"<Store {self.engine.url.render_as_string(hide_password=True)}>"

    # ------------------------------------------------------------------ reads
    def read_journal(self, book: str | None = None, kind: str | None = None) -> pd.DataFrame:
        """Journal rows in a stable order (book, kind, period, voucher, line)."""
        q = sa.select(journal)
        if book is not None:
            q = q.where(journal.c.book == book)
        if kind is not None:
            q = q.where(journal.c.kind == kind)
        q = q.order_by(journal.c.book, journal.c.kind, journal.c.period, journal.c.voucher_word,
                       journal.c.seq, journal.c.line)
        with self.engine.connect() as con:
            frame = pd.read_sql(q, con)
        return _typed(frame)

    def movements(self, book: str, kind: str = "gl") -> pd.DataFrame:
        """Sums of debit and credit per account and period (what balances need), computed by the database."""
        q = (sa.select(journal.c.account, journal.c.period, sa.func.sum(journal.c.debit).label("debit"),
                       sa.func.sum(journal.c.credit).label("credit"))
             .where((journal.c.book == book) & (journal.c.kind == kind))
             .group_by(journal.c.account, journal.c.period))
        with self.engine.connect() as con:
            frame = pd.read_sql(q, con)
        for c in ("debit", "credit"):
            frame[c] = frame[c].astype("int64")
        return frame.astype({"account": object, "period": object})

    def read_links(self) -> pd.DataFrame:
        with self.engine.connect() as con:
            return pd.read_sql(sa.select(gl_links), con)

    def active_postings(self) -> pd.DataFrame:
        """Documents currently posted (not reversed), per book."""
        q = sa.select(postings).where(postings.c.reversed == sa.false())
        with self.engine.connect() as con:
            return pd.read_sql(q, con)

    def generations(self) -> pd.DataFrame:
        q = sa.select(postings.c.source_type, postings.c.source_no, postings.c.book,
                      sa.func.max(postings.c.generation).label("generation")).group_by(
            postings.c.source_type, postings.c.source_no, postings.c.book)
        with self.engine.connect() as con:
            return pd.read_sql(q, con)

    def last_numbers(self) -> dict[tuple[str, str, str, str], int]:
        """Highest voucher number used per (book, kind, period, voucher word)."""
        q = sa.select(journal.c.book, journal.c.kind, journal.c.period, journal.c.voucher_word,
                      sa.func.max(journal.c.seq)).group_by(
            journal.c.book, journal.c.kind, journal.c.period, journal.c.voucher_word)
        with self.engine.connect() as con:
            rows = con.execute(q).all()
        return {(b, k, p, w): int(seq) for b, k, p, w, seq in rows}

    def next_batch(self) -> int:
        with self.engine.connect() as con:
            return int(con.execute(sa.select(sa.func.coalesce(sa.func.max(batches.c.batch), 0))).scalar()) + 1

    def last_scheme_run(self, scheme: str) -> dt.datetime | None:
        with self.engine.connect() as con:
            return con.execute(sa.select(sa.func.max(scheme_runs.c.run_at)).where(
                scheme_runs.c.scheme == scheme)).scalar()

    def record_scheme_run(self, scheme: str, when: dt.datetime, batch: int) -> None:
        with self.engine.begin() as con:
            con.execute(sa.insert(scheme_runs).values(scheme=scheme, run_at=when, batch=batch))

    # ----------------------------------------------------------------- writes
    def write_batch(self, batch: int, kind: str, lines: pd.DataFrame, links: pd.DataFrame,
                    posted: pd.DataFrame, reversed_: pd.DataFrame | None = None, note: str = "") -> None:
        """Store one batch in one transaction (all or nothing)."""
        rows = lines[JOURNAL_COLUMNS].copy()
        rows["date"] = pd.to_datetime(rows["date"])  # ISO text on SQLite, dates on PostgreSQL (see _python_column)
        rows["batch"] = batch
        rows["seq"] = _seq(rows["voucher_no"])
        with self.engine.begin() as con:
            con.execute(sa.insert(batches).values(
                batch=batch, kind=kind, created_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                documents=int(posted["source_no"].nunique()) if len(posted) else 0, lines=len(rows), note=note))
            _insert(con, journal, rows)
            _insert(con, gl_links, links[["gl_line_id", "business_line_id"]])
            if len(posted):
                _insert(con, postings, posted.assign(batch=batch, reversed=False)[
                    ["source_type", "source_no", "book", "generation", "voucher_no", "period", "batch", "reversed"]])
            if reversed_ is not None and len(reversed_):
                for r in reversed_.itertuples(index=False):  # a handful of reversed vouchers
                    con.execute(sa.update(postings).where(
                        (postings.c.source_type == r.source_type) & (postings.c.source_no == r.source_no)
                        & (postings.c.book == r.book) & (postings.c.reversed == sa.false())).values(reversed=True))


_CHUNK = 50_000


def _python_column(col: pd.Series, dialect: str) -> list:
    """One column as Python values for the driver (categoricals expanded once per value)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        values = col.array.categories.to_numpy(object)[np.asarray(col.array.codes)]
        return values.tolist()
    if col.dtype.kind == "M":
        days = col.to_numpy("datetime64[D]")
        return days.astype(str).tolist() if dialect == "sqlite" else days.astype(object).tolist()
    if col.dtype.kind in "iub":
        return col.to_numpy().tolist()
    return col.astype(object).where(col.notna(), None).tolist()


def _insert(con, table: sa.Table, frame: pd.DataFrame) -> None:
    """Bulk insert through the driver: ``executemany`` on SQLite, ``execute_values`` on PostgreSQL."""
    if frame.empty:
        return
    dialect = con.dialect.name
    cols = list(frame.columns)
    names = ", ".join(con.dialect.identifier_preparer.quote(c) for c in cols)
    data = list(zip(*[_python_column(frame[c], dialect) for c in cols]))
    if dialect == "postgresql":
        from psycopg2.extras import execute_values
        cursor = con.connection.driver_connection.cursor()
        execute_values(cursor, f"INSERT INTO {table.name} ({names}) VALUES %s", data, page_size=_CHUNK)
    elif dialect == "sqlite":
        marks = ", ".join("?" * len(cols))
        for i in range(0, len(data), _CHUNK):
            con.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", data[i:i + _CHUNK])
    else:  # any other SQLAlchemy dialect: the portable path
        for i in range(0, len(data), _CHUNK):
            con.execute(table.insert(), [dict(zip(cols, row)) for row in data[i:i + _CHUNK]])


def _seq(voucher_no: pd.Series) -> pd.Series:
    """The number part of ``记-0012`` (computed once per distinct voucher number)."""
    codes, names = pd.factorize(voucher_no.astype(object))
    nums = pd.Series(names).str.rsplit("-", n=1).str[1].astype("int64").to_numpy()
    return pd.Series(nums[codes], index=voucher_no.index)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.drop(columns=["seq"])
    frame["date"] = pd.to_datetime(frame["date"])
    for c in ("debit", "credit", "amount_orig", "line", "batch"):
        frame[c] = frame[c].astype("int64")
    for c in frame.columns:
        if frame[c].dtype == object or str(frame[c].dtype).startswith("str"):
            frame[c] = frame[c].astype(object)
    return frame
