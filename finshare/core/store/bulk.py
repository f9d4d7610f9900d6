"""Bulk inserts through the driver: multi-row ``INSERT … VALUES`` on SQLite, ``execute_values`` on PostgreSQL."""
from __future__ import annotations

import gc
import sqlite3
from contextlib import contextmanager

import numpy as np
import pandas as pd
import sqlalchemy as sa

_CHUNK = 50_000
#: Rows per SQLite statement: one ``INSERT … VALUES (…), (…) …`` binds this many rows at once, which
#: halves the driver's per-row cost; rows × columns stays within the parameters SQLite allows.
_ROWS_PER_STATEMENT = 256


def _python_column(col: pd.Series) -> list:
    """One column as plain Python values for the driver (missing values as None)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.array.categories.to_numpy(object)[np.asarray(col.array.codes)].tolist()
    if isinstance(col.dtype, pd.Int64Dtype):
        return col.astype(object).where(col.notna(), None).tolist()
    if col.dtype.kind in "iub":
        return col.to_numpy().tolist()
    if col.dtype.kind == "M":
        return col.dt.to_pydatetime().tolist()
    return col.astype(object).where(col.notna(), None).tolist()


#: Stands for a missing integer in a chunk sent as plain integers; the statement turns it into NULL.
_MISSING = -(2 ** 63)


def _int_columns(part: pd.DataFrame) -> tuple[np.ndarray, list[bool]] | None:
    """The chunk as one int64 matrix and, per column, whether it has missing values (None if not all integers)."""
    mats, nullable = [], []
    for c in part.columns:
        col = part[c]
        if isinstance(col.dtype, pd.Int64Dtype):
            values = col.to_numpy("int64", na_value=_MISSING)
            if (values[col.notna().to_numpy()] == _MISSING).any():
                return None
            mats.append(values)
            nullable.append(bool(col.isna().any()))
        elif isinstance(col.dtype, np.dtype) and col.dtype.kind in "iub":
            mats.append(col.to_numpy().astype("int64", copy=False))
            nullable.append(False)
        else:
            return None
    return np.column_stack(mats), nullable


def _max_parameters(cursor) -> int:
    """How many parameters one statement may bind on this SQLite (32,766 since 3.32, 999 before)."""
    try:
        return cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):
        return 999


def _sqlite_insert(cursor, table: str, names: str, part: pd.DataFrame) -> None:
    """Insert one chunk with statements of :data:`_ROWS_PER_STATEMENT` rows, then the remainder.

    A chunk of integer columns is sent as plain ints (missing ones as
    ``_MISSING``, which ``NULLIF`` turns back into NULL); any other chunk as
    Python values per column.
    """
    width = part.shape[1]
    ints = _int_columns(part)
    if ints is None:
        grid, marks = np.empty(part.shape, dtype=object), ["?"] * width
        for j, c in enumerate(part.columns):
            grid[:, j] = _python_column(part[c])
    else:
        grid, nullable = ints
        marks = [f"NULLIF(?, ({_MISSING + 1} - 1))" if n else "?" for n in nullable]   # an integer literal
    row = f"({', '.join(marks)})"
    flat = grid.ravel()
    k = max(1, min(_ROWS_PER_STATEMENT, _max_parameters(cursor) // width))
    full = len(part) // k * k
    if full:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES " + ", ".join([row] * k),
                           flat[:full * width].reshape(-1, k * width).tolist())
    if len(part) > full:
        cursor.execute(f"INSERT INTO {table} ({names}) VALUES " + ", ".join([row] * (len(part) - full)),
                       flat[full * width:].tolist())


def insert_frame(con: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> None:
    """Insert the rows of ``frame`` (columns named as the table's), converted and sent in chunks.

    Only one chunk of rows exists as Python objects at a time, so memory
    stays at the frame's own size whatever the number of rows.
    """
    if frame.empty:
        return
    dialect = con.dialect.name
    cols = list(frame.columns)
    names = ", ".join(con.dialect.identifier_preparer.quote(c) for c in cols)
    if dialect not in ("sqlite", "postgresql"):
        for i in range(0, len(frame), _CHUNK):
            part = frame.iloc[i:i + _CHUNK]
            con.execute(table.insert(), [dict(zip(cols, row)) for row in zip(*[_python_column(part[c]) for c in cols])])
        return
    cursor = con.connection.driver_connection.cursor()
    sql = f"INSERT INTO {table.name} ({names}) VALUES %s"
    for i in range(0, len(frame), _CHUNK):
        part = frame.iloc[i:i + _CHUNK]
        with _driver_errors(con, sql):
            if dialect == "postgresql":
                from psycopg2.extras import execute_values
                execute_values(cursor, sql, list(zip(*[_python_column(part[c]) for c in cols])), page_size=_CHUNK)
            else:
                _sqlite_insert(cursor, table.name, names, part)


@contextmanager
def _driver_errors(con: sa.Connection, sql: str):
    """Raise a driver error as SQLAlchemy would have (the store turns those into problems for people)."""
    dbapi = con.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, None, exc, dbapi.Error) from exc


def read_frame(con: sa.Connection, query) -> pd.DataFrame:
    """A query's rows as a DataFrame, built column by column (no per-row object inspection).

    When no selected column's type converts what the driver returns (integers
    and text, not dates or decimals), the driver's tuples are taken as they
    are, without building a result row object for each.
    """
    result = con.execute(query)
    names = list(result.keys())
    with _gc_paused():                  # a million row tuples would set off full collections, none of use
        if _driver_values_suffice(query, con.dialect):
            rows = result.cursor.fetchall()
            result.close()
        else:
            rows = result.all()
        if not rows:
            return pd.DataFrame({n: pd.Series(dtype=object) for n in names})
        cols = list(zip(*rows))
        del rows
        return pd.DataFrame({n: _column(c) for n, c in zip(names, cols)})


@contextmanager
def _gc_paused():
    """The cyclic garbage collector off for a block that only builds acyclic tuples (then as it was)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _driver_values_suffice(query, dialect) -> bool:
    """True when every selected column's values come from the driver in their final Python type."""
    columns = getattr(query, "selected_columns", None)
    if columns is None:
        return False
    return all(getattr(c, "type", None) is not None
               and c.type.dialect_impl(dialect).result_processor(dialect, None) is None for c in columns)


def _column(values: tuple) -> np.ndarray:
    """Integers as int64 when none is missing; anything else as objects (None kept)."""
    try:
        arr = np.array(values)
    except (ValueError, TypeError):
        return np.array(values, dtype=object)
    if arr.dtype.kind in "iufb":
        return arr
    return np.array(values, dtype=object)
