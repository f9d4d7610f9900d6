"""Creating and upgrading a store's tables with Alembic, safely when several processes start at once.

:func:`upgrade` looks at the revision with a plain read first; only when the
store is new or behind does it take the write lock, look again (another
process may have upgraded it meanwhile) and run the migrations in that same
transaction. A file written by finshare 0.1.0 (tables but no revision) is
recognised as revision ``0001``.
"""
from __future__ import annotations

from importlib import resources

import sqlalchemy as sa

from ..problems import FinshareError, Problem, Source
from .engine import take_write_lock

#: Tables of 0.1.0 (revision 0001).
V0_TABLES = {"journal", "gl_links", "postings", "batches", "scheme_runs"}
#: The newest revision (a test keeps it equal to the migration scripts' head). Knowing it here lets a
#: command on an up-to-date store skip importing Alembic.
HEAD = "0005"


def _config():
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("finshare.core.store").joinpath("migrations")))
    return cfg


def head() -> str:
    """The migration scripts' head revision."""
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(con: sa.Connection) -> str | None:
    """The store's revision (None for a new or a 0.1.0 store)."""
    if not sa.inspect(con).has_table("alembic_version"):
        return None
    return con.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _foreign(tables: set[str], url: str) -> FinshareError:
    shown = ", ".join(sorted(tables)[:6])
    return FinshareError([Problem(
        "foreign-database", f"数据库里有不属于 finshare 账簿的表（{shown}）/ the database holds other tables ({shown})",
        Source(url), "give finshare its own database or file; it does not share one with other programs")],
        "账簿数据库打不开 / cannot open the ledger store")


def revisions() -> set[str]:
    """Every revision the migration scripts know."""
    from alembic.script import ScriptDirectory
    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def _too_new(rev: str, url: str) -> FinshareError:
    return FinshareError([Problem(
        "store-too-new", f"账簿由更新版本的 finshare 写入（数据库版本 {rev}，本程序只认识到 {HEAD}）/ the store was written "
        f"by a newer finshare (schema revision {rev}; this finshare knows revisions up to {HEAD})", Source(url),
        "upgrade finshare (pip install -U finshare) to open it; this version leaves it unchanged")],
        "账簿数据库打不开 / cannot open the ledger store")


def _check_known(con: sa.Connection, rev: str | None, url: str) -> None:
    """Refuse a revision the scripts do not know: a newer finshare's store, or another program's Alembic table."""
    if rev is None or rev == HEAD or rev in revisions():
        return
    tables = set(sa.inspect(con).get_table_names())
    if "vouchers" not in tables:
        raise _foreign(tables - {"alembic_version"} or tables, url)
    raise _too_new(rev, url)


def upgrade(engine: sa.Engine, url: str) -> None:
    """Bring the store to the head revision (create it when empty).

    Raises
    ------
    FinshareError
        ``foreign-database`` when the database holds another program's
        tables, ``store-too-new`` when a newer finshare wrote it (its
        revision is unknown here); the store is not changed then.
    """
    target = HEAD
    with engine.connect() as con:
        rev = current(con)
        if rev == target:
            return
        _check_known(con, rev, url)
    with engine.connect() as con:
        con = con.execution_options(finshare_write=True)
        with con.begin():
            take_write_lock(con)
            rev = current(con)
            if rev == target:
                return
            _check_known(con, rev, url)
            tables = set(sa.inspect(con).get_table_names())
            if rev is None and tables:
                if not tables <= V0_TABLES or "journal" not in tables:
                    raise _foreign(tables - V0_TABLES or tables, url)
                from alembic.runtime.migration import MigrationContext
                from alembic.script import ScriptDirectory
                MigrationContext.configure(con).stamp(ScriptDirectory.from_config(_config()), "0001")
            from alembic import command
            cfg = _config()
            cfg.attributes["connection"] = con
            command.upgrade(cfg, "head")
            from .verify import seal
            seal(con)                      # batches carried over from 0.1.0 join the hash chain


__all__ = ["upgrade", "head", "current", "revisions"]
