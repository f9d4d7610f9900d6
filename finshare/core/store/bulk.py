"""Bulk inserts through the driver: ``executemany`` on SQLite, ``execute_values`` on PostgreSQL."""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pandas as pd
import sqlalchemy as sa

_CHUNK = 50_000


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
    sql = f"INSERT INTO {table.name} ({names}) VALUES " + ("%s" if dialect == "postgresql" else
                                                           f"({', '.join('?' * len(cols))})")
    for i in range(0, len(frame), _CHUNK):
        part = frame.iloc[i:i + _CHUNK]
        rows = zip(*[_python_column(part[c]) for c in cols])
        with _driver_errors(con, sql):
            if dialect == "postgresql":
                from psycopg2.extras import execute_values
                execute_values(cursor, sql, list(rows), page_size=_CHUNK)
            else:                                 # the driver takes the rows one by one: no list of tuples
                cursor.executemany(sql, rows)


@contextmanager
def _driver_errors(con: sa.Connection, sql: str):
    """Raise a driver error as SQLAlchemy would have (the store turns those into problems for people)."""
    dbapi = con.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, None, exc, dbapi.Error) from exc


def read_frame(con: sa.Connection, query) -> pd.DataFrame:
    """A query's rows as a DataFrame, built column by column (no per-row object inspection)."""
    result = con.execute(query)
    names = list(result.keys())
    rows = result.all()
    if not rows:
        return pd.DataFrame({n: pd.Series(dtype=object) for n in names})
    cols = list(zip(*rows))
    return pd.DataFrame({n: _column(c) for n, c in zip(names, cols)})


def _column(values: tuple) -> np.ndarray:
    """Integers as int64 when none is missing; anything else as objects (None kept)."""
    try:
        arr = np.array(values)
    except (ValueError, TypeError):
        return np.array(values, dtype=object)
    if arr.dtype.kind in "iufb":
        return arr
    return np.array(values, dtype=object)
