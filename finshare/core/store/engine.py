"""Opening a ledger database: URL checks, the SQLAlchemy engine, the write lock, busy errors.

One write transaction at a time holds the ledger's write lock: on SQLite the
transaction starts with ``BEGIN IMMEDIATE`` (a second writer waits, up to the
lock timeout, for the first to commit); on PostgreSQL it takes a
transaction-level advisory lock under ``lock_timeout``. Readers never take
it (SQLite runs in WAL mode, so they read the last committed state while a
writer works). A writer that cannot get the lock in time gets a
``ledger-busy`` problem, never a driver traceback.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from ..problems import FinshareError, Problem, Source

#: Seconds a writer waits for the write lock (``FINSHARE_LOCK_TIMEOUT`` overrides).
LOCK_TIMEOUT = 60.0
_ADVISORY_KEY = 7_243_921_517  # any constant: "the finshare ledger" lock on PostgreSQL


def lock_timeout() -> float:
    try:
        return float(os.environ.get("FINSHARE_LOCK_TIMEOUT", LOCK_TIMEOUT))
    except ValueError:
        return LOCK_TIMEOUT


def _problem(code: str, message: str, url: str, hint: str) -> FinshareError:
    return FinshareError([Problem(code, message, Source(url), hint)], "账簿数据库打不开 / cannot open the ledger store")


def normalise_url(url: str | Path) -> str:
    """A SQLAlchemy URL from a URL or a file path; refuses what cannot be a ledger."""
    text = str(url)
    if "://" not in text:
        path = Path(text)
        if path.is_dir():
            raise _problem("store-is-directory", f"{text} 是文件夹，不是账簿文件 / {text} is a folder, not a ledger file",
                           text, f"name a file inside it, e.g. {path / 'ledger.sqlite'}")
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    scheme = text.split("://", 1)[0].split("+", 1)[0]
    if scheme not in ("sqlite", "postgresql"):
        raise _problem("unknown-store-scheme", f"不支持的数据库类型 {scheme!r} / unsupported store {scheme!r}", text,
                       "give a SQLite file path or a URL such as postgresql+psycopg2://user@host/db")
    file = text.split("://", 1)[1][1:].split("?", 1)[0] if scheme == "sqlite" else ""
    if file and not file.startswith("file:") and Path(file).is_dir():
        raise _problem("store-is-directory", f"{file} 是文件夹，不是账簿文件 / {file} is a folder, not a ledger file",
                       text, f"name a file inside it, e.g. sqlite:///{Path(file) / 'ledger.sqlite'}")
    return text


def _sqlite_connect(dbapi_connection, _record) -> None:
    """Driver autocommit, so that the ``begin`` hook alone starts transactions; WAL for concurrent readers."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:  # read-only or busy: the file keeps its mode, reads still work
        pass
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-262144")          # 256 MiB: a large batch keeps its index pages in memory
    cursor.close()


def _sqlite_begin(conn) -> None:
    immediate = conn.get_execution_options().get("finshare_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine(url: str) -> sa.Engine:
    """The engine for ``url`` with the write-lock machinery of its dialect."""
    timeout = lock_timeout()
    if url.startswith("sqlite"):
        # a connection is used by one thread at a time, but a posting stores its parts in a worker thread
        engine = sa.create_engine(url, connect_args={"timeout": timeout, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True,
                                  connect_args={"connect_timeout": max(1, int(min(timeout, 10)))})
    return engine


def take_write_lock(con: sa.Connection) -> None:
    """The ledger's write lock for the rest of this transaction (SQLite already holds it)."""
    if con.dialect.name == "postgresql":
        con.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(lock_timeout() * 1000)}ms'")
        con.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})


def busy_or_broken(exc: Exception, url: str) -> FinshareError | None:
    """The user's problem behind a driver error, or None when it is not one we know."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "database is locked" in text or "lock timeout" in text or "lock_timeout" in text or "locknotavailable" in text:
        return FinshareError([Problem(
            "ledger-busy", f"账簿正忙：另一个过账在 {lock_timeout():.0f} 秒内没有结束 / ledger busy: another writer "
            f"held the lock for more than {lock_timeout():.0f} s", Source(url),
            "run the command again when the other posting has finished (FINSHARE_LOCK_TIMEOUT sets the wait)")],
            "账簿正忙，未保存任何内容 / ledger busy, nothing was stored")
    if "file is not a database" in text or "database disk image is malformed" in text:
        return _problem("not-a-ledger", "文件不是 SQLite 数据库或已损坏 / the file is not a SQLite database or is damaged",
                        url, "name another file (a new name creates an empty ledger), or restore it from a backup")
    if "readonly" in text or "read-only" in text or "unable to open database" in text:
        return _problem("store-not-writable", "账簿文件不能写入 / the ledger file cannot be written", url,
                        "check the file's permissions, or name a file you may write with --store")
    if "could not connect" in text or "connection refused" in text or "could not translate host" in text \
            or "timeout expired" in text or ("password authentication" in text):
        return _problem("store-unreachable", f"连不上数据库服务器 / cannot reach the database server: "
                        f"{text.splitlines()[0][:160]}", url,
                        "check host, port, user and that the server runs (pg_isready)")
    return None


@contextmanager
def translated(url: str):
    """Turn known driver errors into problems for people."""
    try:
        yield
    except (sa.exc.OperationalError, sa.exc.DatabaseError, sa.exc.InterfaceError) as exc:
        problem = busy_or_broken(exc, url)
        if problem is None:
            raise
        raise problem from None
