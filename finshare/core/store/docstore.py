"""Documents in the store: import with a three-way status merge, posted flags, file fingerprints.

The store is the truth about documents. A source (a CSV file, or documents a
notebook holds in memory) is compared with what the store holds:

* a new document is inserted with the source's status;
* an unchanged document keeps the store's status, unless the source's status
  differs from what that source said last time (then the source changed it,
  and the change is applied and logged);
* a changed document is updated (and logged) unless it is posted: then the
  import is refused with how to correct it (反审核 and 红字冲销, then post again).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import sqlalchemy as sa

from ..problems import Problem, Source
from .bulk import insert_frame, read_frame
from .codes import Coder, refuse_too_long, too_long
from .tables import CODE_LENGTH, STATUS_CODES, documents, events, imports, layouts, vouchers

STATUS_NAMES = {v: k for k, v in STATUS_CODES.items()}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def layout_id(con: sa.Connection, key: str) -> int:
    found = con.execute(sa.select(layouts.c.id).where(layouts.c.columns == key)).scalar()
    if found is not None:
        return int(found)
    nid = int(con.execute(sa.select(sa.func.coalesce(sa.func.max(layouts.c.id), 0))).scalar()) + 1
    con.execute(layouts.insert().values(id=nid, columns=key))
    return nid


def stored(con: sa.Connection, type_id: int, numbers=None, pending_only: bool = False,
           text: bool = True, ids_only: bool = False) -> pd.DataFrame:
    """Stored documents of one type: ``id, number, status, file_status, posted, row, org`` and, with ``text``,
    ``layout, header, lines`` (with ``ids_only``: ``id, number`` alone)."""
    cols = [documents.c.id, documents.c.number, documents.c.status, documents.c.file_status, documents.c.posted,
            documents.c.source_row.label("row"), documents.c.org]
    if ids_only:
        cols = cols[:2]
    elif text:
        cols += [documents.c.layout, documents.c.header, documents.c.lines]
    q = sa.select(*cols).where(documents.c.doc_type == type_id)
    if pending_only:
        q = q.where((documents.c.posted == 0) & (documents.c.status == STATUS_CODES["approved"]))
    if numbers is not None:
        numbers = [str(n) for n in numbers]
        if len(numbers) <= 500:
            q = q.where(documents.c.number.in_(numbers))
    frame = read_frame(con, q)
    if numbers is not None and len(numbers) > 500:
        frame = frame[frame["number"].isin(numbers)]
    return frame.reset_index(drop=True)


def standing(con: sa.Connection, doc_ids) -> pd.DataFrame:
    """Business vouchers that stand (not reversed, not reversals) for these documents: ``document, book``."""
    ids = [int(i) for i in doc_ids]
    if not ids:
        return pd.DataFrame({"document": pd.Series(dtype="int64"), "book": pd.Series(dtype="int64")})
    reversed_ = sa.select(vouchers.c.reverses).where(vouchers.c.reverses.is_not(None))
    frames = []
    for i in range(0, len(ids), 50_000):
        part = ids[i:i + 50_000]
        where = vouchers.c.document.in_(part) if len(part) <= 500 else vouchers.c.document.between(min(part), max(part))
        q = sa.select(vouchers.c.document, vouchers.c.book).where(
            (vouchers.c.kind == 1) & where & vouchers.c.reverses.is_(None) & vouchers.c.id.not_in(reversed_))
        frames.append(read_frame(con, q))
    out = pd.concat(frames, ignore_index=True)
    return out[out["document"].isin(ids)].drop_duplicates().reset_index(drop=True)


def _changed_posted(con, type_code: str, merged: pd.DataFrame, source: str) -> list[Problem]:
    changed = merged[merged["_changed"]]
    if changed.empty:
        return []
    posted = set(standing(con, changed["id"].astype("int64"))["document"])
    bad = changed[changed["id"].astype("int64").isin(posted)]
    return [Problem(
        "posted-document-changed", f"单据 {n} 已过账，文件里的修改没有导入 / {n} is posted: the change in the file was "
        "not imported", Source(source, int(r) if r else None, document=n),
        f"to correct a posted document: 反审核 (finshare unapprove CASE --doc {n}), 红字冲销 its vouchers "
        f"(finshare reverse CASE --doc {n} --reason …), then change the file and post again") for n, r in zip(bad["number"], bad["row_new"])]


def _too_long_numbers(can: pd.DataFrame, source: str) -> list[Problem]:
    """Document numbers longer than ``documents.number`` keeps, each with its file and row."""
    long = set(too_long(can["number"]))
    rows = can[can["number"].isin(long)]
    return [Problem("value-too-long", f"单据号有 {len(n)} 个字符，账簿最多保存 {CODE_LENGTH} 个 / the document number is "
                    f"{len(n)} characters long; the store keeps at most {CODE_LENGTH}: {n[:40]!r}…",
                    Source(source, int(r) if r else None, "number", document=n[:40] + "…"),
                    f"shorten the number to {CODE_LENGTH} characters or fewer")
            for n, r in zip(rows["number"], rows["row"])][:50]


def import_documents(con: sa.Connection, type_code: str, layout_key: str, can: pd.DataFrame, source: str,
                     by: str, file_label: str | None = None, strict: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """Apply a source's documents to the store (see module docstring).

    Parameters
    ----------
    can : pandas.DataFrame
        :func:`finshare.core.doctext.canonical` of the source.
    source : str
        The file (or ``<memory …>``) the documents come from, for messages and ``source_file``.

    Returns
    -------
    statuses : pandas.DataFrame
        ``number, status`` as the store now holds them, for every document of ``can``.
    problems : list of Problem
        Posted documents the source changed, numbers longer than the store
        keeps (then nothing was written).
    """
    problems = _too_long_numbers(can, source)
    if problems:
        return pd.DataFrame(), problems
    coder = Coder(con)
    type_id = int(coder.ids_of([type_code])[0])
    lay = layout_id(con, layout_key)
    old = stored(con, type_id, can["number"] if len(can) <= 500 else None)
    merged = can.merge(old, on="number", how="left", suffixes=("_new", ""), indicator=True)
    new = (merged["_merge"] == "left_only").to_numpy()
    adopt = ~new & merged["header"].isna().to_numpy()       # known by number only (a 0.1.0 ledger): take the content
    merged["_changed"] = ~new & ~adopt & ((merged["header_new"] != merged["header"])
                                          | (merged["lines_new"] != merged["lines"]) | (merged["layout"] != lay))
    problems = _changed_posted(con, type_code, merged, source)
    if problems and strict:
        return pd.DataFrame(), problems
    if problems:                                  # leave the posted ones as stored; the caller says so
        held = merged["number"].isin([p.source.document for p in problems]).to_numpy()
        merged = merged[~held].reset_index(drop=True)
        new, adopt = new[~held], adopt[~held]
    status_new = merged["status_new"].map(STATUS_CODES).to_numpy("int64")
    file_moved = ~new & (status_new != merged["file_status"].fillna(-1).to_numpy("int64"))
    now_status = np.where(new | file_moved, status_new, merged["status"].fillna(0).to_numpy("int64"))
    src_id = int(coder.ids_of([file_label or source])[0])
    org_ids = coder.column(merged["org_new"])
    _insert_new(con, merged[new], type_id, lay, src_id, org_ids[new])
    upd = merged["_changed"].to_numpy() | file_moved | adopt
    _update(con, merged[upd], now_status[upd], status_new[upd], lay, src_id, org_ids[upd])
    _log(con, type_code, merged, new, file_moved, now_status, by, source)
    names = np.array([STATUS_NAMES.get(i, "") for i in range(max(STATUS_NAMES) + 1)], dtype=object)
    return pd.DataFrame({"number": merged["number"].to_numpy(object), "status": names[now_status]}), problems


def _insert_new(con, rows: pd.DataFrame, type_id: int, lay: int, src_id: int, org_ids: np.ndarray) -> None:
    if rows.empty:
        return
    start = int(con.execute(sa.select(sa.func.coalesce(sa.func.max(documents.c.id), 0))).scalar()) + 1
    status = rows["status_new"].map(STATUS_CODES).to_numpy("int64")
    insert_frame(con, documents, pd.DataFrame({
        "id": np.arange(start, start + len(rows)), "doc_type": type_id, "number": rows["number"].to_numpy(object),
        "status": status, "file_status": status, "posted": 0, "date": rows["date"].to_numpy("int64"),
        "org": org_ids, "source_file": src_id, "source_row": rows["row_new"].to_numpy("int64"), "layout": lay,
        "header": rows["header_new"].array, "lines": rows["lines_new"].array}))


def _update(con, rows: pd.DataFrame, status: np.ndarray, file_status: np.ndarray, lay: int, src_id: int,
            org_ids: np.ndarray) -> None:
    if rows.empty:
        return
    stmt = documents.update().where(documents.c.id == sa.bindparam("_id")).values(
        status=sa.bindparam("_status"), file_status=sa.bindparam("_file_status"), date=sa.bindparam("_date"),
        org=sa.bindparam("_org"), source_file=src_id, source_row=sa.bindparam("_row"), layout=lay,
        header=sa.bindparam("_header"), lines=sa.bindparam("_lines"))
    con.execute(stmt, [{"_id": int(i), "_status": int(s), "_file_status": int(f), "_date": int(d), "_org": int(o),
                        "_row": int(r), "_header": h, "_lines": ln}
                       for i, s, f, d, o, r, h, ln in zip(rows["id"], status, file_status, rows["date"], org_ids,
                                                          rows["row_new"], rows["header_new"], rows["lines_new"])])


def _log(con, type_code: str, merged: pd.DataFrame, new: np.ndarray, moved: np.ndarray, now_status: np.ndarray,
         by: str, source: str) -> None:
    """One event for the import, one per edited document and per status a source changed."""
    rows = []
    if new.any() or merged["_changed"].any():
        rows.append(("file", source, "import", "", f"{int(new.sum())} new, {int(merged['_changed'].sum())} changed",
                     ""))
    for n in merged.loc[merged["_changed"].to_numpy(), "number"]:
        rows.append(("document", f"{type_code}/{n}", "edit", "", "", f"changed in {source}"))
    for n, old, s in zip(merged.loc[moved, "number"], merged.loc[moved, "status"], now_status[moved]):
        if int(old) != int(s):                    # the source caught up with the store: nothing happened
            rows.append(("document", f"{type_code}/{n}", "status", STATUS_NAMES.get(int(old), ""),
                         STATUS_NAMES[int(s)], f"changed in {source}"))
    append_events(con, rows, by)


def append_events(con: sa.Connection, rows: list[tuple], by: str, batch: int | None = None) -> None:
    """Append ``(object_type, object, action, from, to, reason)`` rows to the event log."""
    if not rows:
        return
    refuse_too_long([r[1] for r in rows], "object")
    start = int(con.execute(sa.select(sa.func.coalesce(sa.func.max(events.c.id), 0))).scalar()) + 1
    frame = pd.DataFrame(rows, columns=["object_type", "object", "action", "from_state", "to_state", "reason"])
    frame.insert(0, "id", np.arange(start, start + len(frame)))
    frame.insert(1, "at", _now())
    frame.insert(2, "by", by)
    frame["batch"] = pd.Series([batch] * len(frame), dtype="Int64")
    insert_frame(con, events, frame)


def set_status(con: sa.Connection, type_code: str, numbers: list[str], status: str, by: str, reason: str,
               action: str) -> list[tuple[str, str]]:
    """Move stored documents to ``status`` one step along draft → submitted → approved; log each change.

    Returns ``(number, old status)`` for the documents whose status changed.
    """
    type_id = int(Coder(con).ids_of([type_code])[0])
    rows = stored(con, type_id, numbers)
    target = STATUS_CODES[status]
    changed = rows[rows["status"] != target]
    if changed.empty:
        return []
    con.execute(documents.update().where(documents.c.id.in_([int(i) for i in changed["id"]])).values(status=target))
    append_events(con, [("document", f"{type_code}/{n}", action, STATUS_NAMES[int(s)], status, reason)
                        for n, s in zip(changed["number"], changed["status"])], by)
    return [(n, STATUS_NAMES[int(s)]) for n, s in zip(changed["number"], changed["status"])]


def set_posted(con: sa.Connection, doc_ids, value: int) -> None:
    """Set ``posted`` on these documents: runs of consecutive ids by range, the rest by lists."""
    ids = np.unique(np.asarray(doc_ids, dtype="int64"))
    if not len(ids):
        return
    cut = np.flatnonzero(np.diff(ids) != 1) + 1
    starts, ends = ids[np.r_[0, cut]], ids[np.r_[cut - 1, len(ids) - 1]]
    long_ = ends - starts >= 8
    for a, b in zip(starts[long_].tolist(), ends[long_].tolist()):
        con.execute(documents.update().where(documents.c.id.between(a, b)).values(posted=value))
    rest = [i for a, b in zip(starts[~long_].tolist(), ends[~long_].tolist()) for i in range(a, b + 1)]
    for i in range(0, len(rest), 900):
        con.execute(documents.update().where(documents.c.id.in_(rest[i:i + 900])).values(posted=value))


def file_unchanged(con: sa.Connection, rel: str, size: int, mtime_ns: int) -> bool:
    row = con.execute(sa.select(imports.c.size, imports.c.mtime_ns).where(imports.c.file == rel)).first()
    return row is not None and int(row[0]) == size and int(row[1]) == mtime_ns


def file_hash(con: sa.Connection, rel: str) -> str | None:
    return con.execute(sa.select(imports.c.sha256).where(imports.c.file == rel)).scalar()


def record_file(con: sa.Connection, rel: str, doc_type: str, size: int, mtime_ns: int, sha: str, rows: int) -> None:
    con.execute(imports.delete().where(imports.c.file == rel))
    con.execute(imports.insert().values(file=rel, doc_type=doc_type, size=size, mtime_ns=mtime_ns, sha256=sha,
                                        rows=rows, imported_at=_now()))
