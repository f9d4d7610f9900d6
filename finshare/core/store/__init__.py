"""The stored shared ledger: a SQLAlchemy database, a SQLite file by default.

:class:`Store` opens (creating or upgrading with Alembic) a ledger database
and answers the questions the ledger asks of it. Writing happens only in
:meth:`Store.writer`: one transaction that holds the ledger's write lock, in
which batch ids and voucher numbers are taken, the batch is stored and its
digest chained, all or nothing. A PostgreSQL URL works through the same code.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from ..journal import KINDS
from ..problems import Problem, Source, raise_if_any
from . import read
from .bulk import read_frame
from .codes import refuse_too_long
from .engine import create_engine, normalise_url, take_write_lock, translated
from .schema import upgrade
from .tables import balances, batches, codes, counters, events, metadata, periods, scheme_runs, vouchers
from .write import BatchWriter, write_batch

__all__ = ["Store", "Writer", "metadata"]


class Writer:
    """The write transaction of one batch (see :meth:`Store.writer`)."""

    def __init__(self, con: sa.Connection, by: str):
        self.con, self.by = con, by

    def last_numbers(self) -> dict[tuple[str, str, str, str], int]:
        """Highest voucher number used per (book, kind, period, voucher word), read under the lock."""
        return last_numbers(self.con)

    def active_postings(self) -> pd.DataFrame:
        return active_postings(self.con)

    def closed_periods(self) -> set[tuple[str, str]]:
        return closed_periods(self.con)

    def write(self, frame: pd.DataFrame, kind: str, note: str = "", known: dict | None = None) -> int:
        """Store one numbered batch (:func:`finshare.core.store.write.write_batch`); return its id."""
        return write_batch(self.con, frame, kind, self.by, note, known)

    def batch(self, kind: str, note: str = "", wait=None) -> BatchWriter:
        """A batch written in parts (:class:`finshare.core.store.write.BatchWriter`)."""
        return BatchWriter(self.con, kind, self.by, note, wait)

    def event(self, object_type: str, obj: str, action: str, from_state: str, to_state: str,
              reason: str = "", batch: int | None = None) -> None:
        """Append to the event log (never updated, never deleted)."""
        refuse_too_long([obj], "object", events.c.object.type.length)
        nid = int(self.con.execute(sa.select(sa.func.coalesce(sa.func.max(events.c.id), 0))).scalar()) + 1
        self.con.execute(events.insert().values(
            id=nid, at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), by=self.by, object_type=object_type,
            object=obj, action=action, from_state=from_state, to_state=to_state, reason=reason, batch=batch))

    def set_period(self, book: str, period: str, status: str, reason: str) -> str:
        """Close or reopen a book's period; return the status it had. The event log keeps who and why."""
        bid, p = self.code(book), int(period.replace("-", ""))
        old = self.con.execute(sa.select(periods.c.status).where((periods.c.book == bid) & (periods.c.period == p))
                               ).scalar() or "open"
        if old != status:
            if old == "open" and status == "closed" and not self.con.execute(
                    sa.select(periods.c.status).where((periods.c.book == bid) & (periods.c.period == p))).first():
                self.con.execute(periods.insert().values(book=bid, period=p, status=status))
            else:
                self.con.execute(periods.update().where((periods.c.book == bid) & (periods.c.period == p))
                                 .values(status=status))
            self.event("period", f"{book}/{period}", "close" if status == "closed" else "reopen", old, status, reason)
        return old

    def code(self, value: str) -> int:
        from .codes import Coder
        return int(Coder(self.con).ids_of([value])[0])


def last_numbers(con: sa.Connection) -> dict[tuple[str, str, str, str], int]:
    rows = read_frame(con, sa.select(counters))
    if rows.empty:
        return {}
    table = read.code_table(con)
    kinds = {v: k for k, v in KINDS.items()}
    return {(table[b], kinds[k], f"{p // 100:04d}-{p % 100:02d}", table[w]): int(s)
            for b, k, p, w, s in rows[["book", "kind", "period", "word", "last_seq"]].itertuples(index=False)}


def active_postings(con: sa.Connection) -> pd.DataFrame:
    """Business vouchers of documents that stand (neither a reversal nor reversed)."""
    rev = sa.select(vouchers.c.reverses).where(vouchers.c.reverses.is_not(None))
    q = sa.select(vouchers.c.source_type, vouchers.c.document, vouchers.c.book).where(
        (vouchers.c.kind == KINDS["business"]) & vouchers.c.reverses.is_(None) & vouchers.c.id.not_in(rev)
        & (vouchers.c.document > 0))
    raw = read_frame(con, q)
    table = read.code_table(con)
    out = pd.DataFrame({
        "source_type": read.decode(raw["source_type"].to_numpy("int64"), table),
        "source_no": read._document_numbers(con, raw["document"].to_numpy("int64")),
        "book": read.decode(raw["book"].to_numpy("int64"), table)})
    return out.astype(object)


def closed_periods(con: sa.Connection) -> set[tuple[str, str]]:
    rows = con.execute(sa.select(periods.c.book, periods.c.period).where(periods.c.status == "closed")).all()
    if not rows:
        return set()
    table = read.code_table(con)
    return {(table[b], f"{p // 100:04d}-{p % 100:02d}") for b, p in rows}


class Store:
    """A ledger database at a SQLAlchemy URL.

    Parameters
    ----------
    url : str or path
        ``sqlite:///path/ledger.sqlite``, a plain file path (SQLite), or a
        ``postgresql+psycopg2://…`` URL. ``"sqlite://"`` is in memory.
    """

    def __init__(self, url: str | Path = "sqlite://"):
        self.url = normalise_url(url)
        if self.url == "sqlite://":
            self.engine = sa.create_engine(self.url, poolclass=sa.pool.StaticPool,  # one connection; a posting
                                             connect_args={"check_same_thread": False})  # stores in a thread
            from .engine import _sqlite_begin, _sqlite_connect
            sa.event.listen(self.engine, "connect", _sqlite_connect)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.engine = create_engine(self.url)
        with translated(self.url):
            upgrade(self.engine, self.url)

    def __repr__(self) -> str:
        return f"<Store {self.engine.url.render_as_string(hide_password=True)}>"

    # ------------------------------------------------------------------ reads
    @contextmanager
    def reading(self):
        with translated(self.url), self.engine.connect() as con:
            yield con

    def read_journal(self, book: str | None = None, kind: str | None = None, internal: bool = False,
                     batch: int | None = None) -> pd.DataFrame:
        """Journal lines in a stable order (book, kind, period, voucher, line), optionally of one batch."""
        where = () if batch is None else (vouchers.c.batch == int(batch),)
        with self.reading() as con:
            frame = read.journal(con, book, kind, where)
        return frame if internal else frame.drop(columns=["_voucher", "_gl_voucher", "_gl_line"])

    def movements(self, book: str, kind: str = "gl") -> pd.DataFrame:
        """Debit and credit per account and period (``balances``, kept by every batch)."""
        with self.reading() as con:
            bid = read.code_id(con, book) or -1
            raw = read_frame(con, sa.select(balances.c.account, balances.c.period, balances.c.debit, balances.c.credit)
                             .where((balances.c.book == bid) & (balances.c.kind == KINDS[kind])))
            table = read.code_table(con)
        return pd.DataFrame({
            "account": table.reindex(raw["account"].to_numpy("int64")).to_numpy(object),
            "period": np.array([f"{p // 100:04d}-{p % 100:02d}" for p in raw["period"]], dtype=object),
            "debit": raw["debit"].to_numpy("int64"), "credit": raw["credit"].to_numpy("int64")})

    def sums(self, book: str, kind: str = "gl", upto: str | None = None, only: str | None = None) -> pd.DataFrame:
        """Lines summed per period, source type, account, unit, dimensions and currency (:func:`read.sums`)."""
        with self.reading() as con:
            return read.sums(con, book, kind, upto, only)

    def read_links(self) -> pd.DataFrame:
        """GL line → business line (``line_id`` pairs)."""
        j = self.read_journal(internal=True)
        bv = j[(j["kind"] == "business") & (j["_gl_voucher"] > 0)]
        gl = j[j["kind"] == "gl"].set_index(["_voucher", "line"])["line_id"]
        target = gl.reindex(pd.MultiIndex.from_arrays([bv["_gl_voucher"], bv["_gl_line"]])).to_numpy(object)
        return pd.DataFrame({"gl_line_id": target, "business_line_id": bv["line_id"].to_numpy(object)})

    def active_postings(self) -> pd.DataFrame:
        with self.reading() as con:
            return active_postings(con)

    def book_currencies(self) -> dict[str, set[str]]:
        """Book code → the currencies of its stored vouchers (see :func:`read.book_currencies`)."""
        with self.reading() as con:
            return read.book_currencies(con)

    def check_currencies(self, books, source: str | Path) -> None:
        """Refuse a case whose book currencies differ from the ones the store's vouchers are in.

        Parameters
        ----------
        books : finshare.core.books.Books
            The case's books (``codes()``, ``[code].currency``).
        source : str or path
            The file that sets the books' currencies (``books.yaml``), named in the problem.

        Raises
        ------
        FinshareError
            ``book-currency-changed`` for each book whose stored vouchers are in
            another currency; nothing is posted or reported then.
        """
        stored = self.book_currencies()
        problems = []
        for code in books.codes():
            now = books[code].currency
            other = sorted(stored.get(code, set()) - {now})
            if other:
                was = ", ".join(other)
                problems.append(Problem(
                    "book-currency-changed", f"账簿 {code} 的本位币在 {source} 中是 {now}，但已存凭证用的是 {was} / "
                    f"book {code} has currency {now} in {source}, but its stored vouchers are in {was}",
                    Source(str(source), field="currency", book=code),
                    f"a book's currency cannot change once it has vouchers: restore {was} in its policy, or start a "
                    f"new book (a new code) in {now} and carry the balances over"))
        raise_if_any(problems, "账簿本位币与已存凭证不符 / book currencies differ from the stored vouchers")

    def last_numbers(self) -> dict[tuple[str, str, str, str], int]:
        with self.reading() as con:
            return last_numbers(con)

    def closed_periods(self) -> set[tuple[str, str]]:
        with self.reading() as con:
            return closed_periods(con)

    def next_batch(self) -> int:
        """The id the next batch will get (informative: ids are taken under the write lock)."""
        with self.reading() as con:
            return int(con.execute(sa.select(sa.func.coalesce(sa.func.max(batches.c.id), 0))).scalar()) + 1

    def batches(self) -> pd.DataFrame:
        with self.reading() as con:
            return read_frame(con, sa.select(batches).order_by(batches.c.id))

    def documents(self, doc_type: str) -> pd.DataFrame:
        """The stored documents of one type in import order: ``number, status, posted`` (bool)."""
        from .docstore import STATUS_NAMES, stored
        with self.reading() as con:
            type_id = con.execute(sa.select(codes.c.id).where(codes.c.value == doc_type)).scalar()
            rows = stored(con, type_id, text=False) if type_id is not None else pd.DataFrame(
                {"id": [], "number": [], "status": [], "posted": []})
        rows = rows.sort_values("id")
        return pd.DataFrame({"number": rows["number"].to_numpy(object),
                             "status": [STATUS_NAMES[int(s)] for s in rows["status"]],
                             "posted": rows["posted"].to_numpy("int64") == 1})

    def events(self) -> pd.DataFrame:
        with self.reading() as con:
            return read_frame(con, sa.select(events).order_by(events.c.id))

    def last_scheme_run(self, scheme: str) -> dt.datetime | None:
        with self.reading() as con:
            return con.execute(sa.select(sa.func.max(scheme_runs.c.run_at)).where(
                scheme_runs.c.scheme == scheme)).scalar()

    # ----------------------------------------------------------------- writes
    @contextmanager
    def writer(self, by: str = ""):
        """One write transaction holding the ledger's write lock; commits when the block ends.

        ``by`` longer than ``batches.by`` keeps is refused (``value-too-long``) before anything starts.
        """
        refuse_too_long([by], "by", batches.c.by.type.length)
        with translated(self.url), self.engine.connect() as con:
            con = con.execution_options(finshare_write=True)
            with con.begin():
                take_write_lock(con)
                yield Writer(con, by)

    def check(self, reach: pd.DataFrame | None = None) -> pd.DataFrame:
        """The named checks of :func:`finshare.core.store.verify.run_checks`."""
        from .verify import run_checks
        with self.reading() as con:
            return run_checks(con, reach)

    def periods(self) -> pd.DataFrame:
        """Periods that were ever closed or reopened, per book: ``book, period, status``."""
        with self.reading() as con:
            raw = read_frame(con, sa.select(periods))
            table = read.code_table(con)
        return pd.DataFrame({"book": table.reindex(raw["book"].to_numpy("int64")).to_numpy(object),
                             "period": [f"{p // 100:04d}-{p % 100:02d}" for p in raw["period"]],
                             "status": raw["status"].to_numpy(object)})

    def record_scheme_run(self, scheme: str, when: dt.datetime, batch: int) -> None:
        with self.writer() as w:
            w.con.execute(sa.insert(scheme_runs).values(scheme=scheme, run_at=when, batch=batch))
