"""Repeated text as integer codes: the ``codes``, ``documents`` and ``dimsets`` tables.

Inside a write transaction :class:`Coder` maps the distinct values of a
batch to ids, inserting the new ones; a batch touches few distinct values,
so the work is per distinct value, never per line.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .. import columns as C
from ..problems import FinshareError, Problem, Source
from .bulk import insert_frame, read_frame
from .tables import CODE_LENGTH, codes, dimset_values, dimsets, documents


def _max_id(con: sa.Connection, table: sa.Table) -> int:
    return int(con.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar())


class Coder:
    """Ids for text values within one write transaction.

    Parameters
    ----------
    con : sqlalchemy.Connection
    deferred : bool, default False
        Keep the rows of new codes, documents and dimension sets in
        :meth:`take_writes` instead of inserting them at once, so a batch
        writer can prepare a part while a worker thread stores the last one.
    wait : callable, optional
        With ``deferred``, called before the coder reads the database (for
        documents it was not told about), to let the worker finish first.
    """

    def __init__(self, con: sa.Connection, deferred: bool = False, wait=None):
        self.con, self.deferred, self.wait = con, deferred, wait or (lambda: None)
        rows = con.execute(sa.select(codes.c.id, codes.c.value)).all()
        self.ids = {v: i for i, v in rows}
        self.new: list[tuple[int, str]] = []
        self.writes: list[tuple] = []
        self._dimsets: dict[str, int] | None = None
        self._last_document: int | None = None

    def take_writes(self) -> list[tuple]:
        """The inserts kept back so far (``(function, *args)``, called with the connection), and none after."""
        out, self.writes = self.writes, []
        return out

    def _write(self, fn, *args) -> None:
        if self.deferred:
            self.writes.append((fn, *args))
        else:
            fn(self.con, *args)

    def ids_of(self, values, field: str | None = None) -> np.ndarray:
        """Ids of ``values`` (a sequence of text), new values inserted.

        Parameters
        ----------
        values : sequence of str
        field : str, optional
            The column the values come from, named in a ``value-too-long`` problem.

        Raises
        ------
        FinshareError
            ``value-too-long`` when a new value is longer than the store keeps
            (nothing is inserted; the write transaction rolls back).
        """
        values = [str(v) for v in values]
        fresh = [v for v in dict.fromkeys(values) if v not in self.ids]
        if fresh:
            refuse_too_long(fresh, field)
            start = max(self.ids.values(), default=0) + 1
            rows = [(start + k, v) for k, v in enumerate(fresh)]
            self._write(_insert_rows, codes, [{"id": i, "value": v} for i, v in rows])
            self.ids.update({v: i for i, v in rows})
            self.new += rows
        return np.fromiter((self.ids[v] for v in values), dtype="int64", count=len(values))

    def column(self, col) -> np.ndarray:
        """A text column (coded or not) as code ids, one lookup per distinct value."""
        cat = C.coded(col if not isinstance(col, pd.Series) or C.is_coded(col) else col.astype(object))
        cats = cat.categories.to_numpy(object)
        field = col.name if isinstance(col, pd.Series) and isinstance(col.name, str) else None
        ids = self.ids_of(["" if pd.isna(v) else v for v in cats], field)
        codes_ = np.asarray(cat.codes)
        blank = self.ids_of([""])[0]
        return np.where(codes_ >= 0, ids[np.maximum(codes_, 0)] if len(ids) else blank, blank)

    def documents(self, doc_type: np.ndarray, number, known: dict | None = None) -> tuple[np.ndarray, pd.Series]:
        """Document ids for (type id, number) pairs (``""`` gives 0), and id → ``"type:number"``.

        ``known`` maps a type code to a Series number → id the caller already
        holds (the documents being posted), saving a read of the table.
        """
        num = C.coded(number if C.is_coded(number) else pd.Series(number).astype(object))
        key = pd.DataFrame({"t": doc_type, "n": np.asarray(num.codes)})
        uniq = key.drop_duplicates().reset_index(drop=True)
        uniq["number"] = num.categories.to_numpy(object)[uniq["n"].to_numpy()]
        uniq = uniq[uniq["number"] != ""].reset_index(drop=True)
        refuse_too_long(uniq["number"], "source_no", documents=True)
        uniq["id"] = self._given(uniq, known or {})
        ask = uniq[uniq["id"] == 0]
        if len(ask):
            self.wait()
            found = ask.drop(columns="id").merge(self._known_documents(ask), on=["t", "number"], how="left")
            uniq.loc[uniq["id"] == 0, "id"] = found["id"].fillna(0).to_numpy("int64")
        missing = (uniq["id"] == 0).to_numpy()
        if missing.any():
            if self._last_document is None:
                self.wait()
                self._last_document = _max_id(self.con, documents)
            start = self._last_document + 1
            self._last_document += int(missing.sum())
            uniq.loc[missing, "id"] = np.arange(start, start + int(missing.sum()))
            self._write(insert_frame, documents, pd.DataFrame({
                "id": uniq.loc[missing, "id"].astype("int64"), "doc_type": uniq.loc[missing, "t"].astype("int64"),
                "number": uniq.loc[missing, "number"].astype(object), "posted": 1}))
        ids = key.merge(uniq[["t", "n", "id"]], on=["t", "n"], how="left")["id"]
        text = pd.Series((uniq["t"].astype(str) + ":" + uniq["number"].astype(str)).to_numpy(object),
                         index=uniq["id"].to_numpy("int64"))
        return ids.fillna(0).to_numpy("int64"), text

    def _given(self, uniq: pd.DataFrame, known: dict) -> np.ndarray:
        """Ids the caller supplied, 0 where it did not."""
        out = np.zeros(len(uniq), dtype="int64")
        names = {i: v for v, i in self.ids.items()}
        for t in pd.unique(uniq["t"]):
            series = known.get(names.get(int(t)))
            if series is None:
                continue
            rows = (uniq["t"] == t).to_numpy()
            out[rows] = series.reindex(uniq.loc[rows, "number"].to_numpy(object)).fillna(0).to_numpy("int64")
        return out

    def _known_documents(self, uniq: pd.DataFrame) -> pd.DataFrame:
        frames = []
        for t in pd.unique(uniq["t"]):
            q = sa.select(documents.c.id, documents.c.number).where(documents.c.doc_type == int(t))
            part = read_frame(self.con, q)
            part["t"] = int(t)
            frames.append(part)
        if not frames:
            return pd.DataFrame({"id": pd.Series(dtype="int64"), "number": pd.Series(dtype=object),
                                 "t": pd.Series(dtype="int64")})
        return pd.concat(frames, ignore_index=True)

    def dimsets(self, frame: pd.DataFrame, dims: list[str]) -> np.ndarray:
        """Dimension-set ids of the rows of ``frame`` (0 where no dimension is set)."""
        n = len(frame)
        if not dims or n == 0:
            return np.zeros(n, dtype="int64")
        ids = np.column_stack([self.column(frame[d]) for d in dims])
        dense = np.zeros(n, dtype="int64")                # one integer per combination (mixed radix)
        for k in range(len(dims)):
            inv, vals = pd.factorize(ids[:, k])           # hashing: no sort of the column
            dense = dense * len(vals) + inv
        combo, _ = pd.factorize(dense)                    # codes in order of first appearance
        first = pd.Series(combo).drop_duplicates().index.to_numpy()
        uniq = ids[first]
        blank = self.ids_of([""])[0]
        names = {i: v for v, i in self.ids.items()}
        keys = [";".join(f"{d}={names[v]}" for d, v in zip(dims, row) if v != blank) for row in uniq]
        if self._dimsets is None or not self.deferred:     # read once when the coder keeps its writes
            self.wait()
            self._dimsets = dict(self.con.execute(sa.select(dimsets.c.key, dimsets.c.id)).all())
        known = self._dimsets
        fresh = [k for k in dict.fromkeys(keys) if k and k not in known]
        if fresh:
            start = max(known.values(), default=0) + 1
            rows = {k: start + j for j, k in enumerate(fresh)}
            self._write(_insert_rows, dimsets, [{"id": i, "key": k} for k, i in rows.items()])
            dim_ids = dict(zip(dims, self.ids_of(dims)))
            self._write(_insert_rows, dimset_values, [
                {"dimset": i, "dim": int(dim_ids[p.split("=", 1)[0]]), "value": int(self.ids[p.split("=", 1)[1]])}
                for k, i in rows.items() for p in k.split(";")])
            known.update(rows)
        per = np.array([known.get(k, 0) if k else 0 for k in keys], dtype="int64")
        return per[combo]


def _insert_rows(con: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    con.execute(table.insert(), rows)


def too_long(values, limit: int = CODE_LENGTH) -> list[str]:
    """Values longer than the store keeps (refused before any write); one vectorised pass."""
    text = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values.astype(object)
    return list(text[(text.str.len() > limit).fillna(False).to_numpy(bool)])


def refuse_too_long(values, field: str | None = None, limit: int = CODE_LENGTH, documents: bool = False) -> None:
    """Raise ``value-too-long`` for the values longer than the store's column (``limit`` characters).

    Parameters
    ----------
    values : iterable of str
    field : str, optional
        The column or key the values come from (``book``, ``account``, ``by`` …).
    limit : int, default CODE_LENGTH
        The column's width.
    documents : bool, default False
        The values are document numbers: each problem names its document.

    Raises
    ------
    FinshareError
        Listing each value that is too long; nothing of the write is stored.
    """
    long = too_long(values, limit)
    if not long:
        return
    what = field or "code"
    raise FinshareError([Problem(
        "value-too-long", f"{what} 的值有 {len(v)} 个字符，账簿最多保存 {limit} 个 / {what} value is {len(v)} "
        f"characters long; the store keeps at most {limit}: {v[:40]!r}…",
        Source(field=field, document=v[:40] + "…" if documents else None),
        f"shorten it to {limit} characters or fewer (codes are usually 1-40 characters)") for v in long[:50]],
        "值太长，未保存任何内容 / a value is too long for the store, nothing was stored")
