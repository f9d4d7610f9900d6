"""Bringing a case's documents into the store, and reading back the ones still to post.

:func:`sync` runs before every posting. With a case loaded from its files
(``load_case(path)``), it compares the documents in memory with the store;
with a case loaded without documents (``load_case(path, documents=False)``,
as the command line does), it looks at each document file's size and
modification time and reads only the files that changed since the store
imported them (their SHA-256 decides when only the time moved). Either way
the store ends up holding the documents and their statuses, and
:func:`pending` gives the approved documents not yet posted.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from . import columns as C
from . import docrefs
from .doctext import canonical, layout_key, to_raw
from .documents import Documents
from .problems import FinshareError, raise_if_any
from .store import docstore
from .store.tables import STATUS_CODES, codes


def _rel(case, path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(case.path).resolve()))
    except ValueError:
        return str(Path(path).resolve())


def _sha256(paths) -> str:
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def _stat(paths) -> tuple[int, int]:
    """Size and newest modification time of a document type's files."""
    st = [os.stat(p) for p in paths]
    return sum(s.st_size for s in st), max(s.st_mtime_ns for s in st)


def _import(con, case, code: str, docs: Documents, source: str, by: str, strict: bool) -> tuple[pd.DataFrame, bool]:
    """Import one source; return the statuses the store holds and whether everything was taken."""
    statuses, problems = docstore.import_documents(con, code, layout_key(docs.doctype), canonical(docs), source, by,
                                                   strict=strict)
    if strict:
        raise_if_any(problems, "单据没有导入，账簿未改变 / documents not imported, the ledger is unchanged")
    return statuses, not problems


def sync(store, case, by: str = "", strict: bool = True) -> dict[str, Documents]:
    """Import what changed; return the documents read from files in this call (already checked).

    With ``strict`` (posting), a change to a posted document refuses the
    import; without (approve, un-approve, reverse), the rest is imported and
    the file is read again next time, so the change waits until the document
    is reversed.
    """
    read: dict[str, Documents] = {}
    if case.documents_loaded:
        with store.writer(by) as w:
            for code, docs in case.documents.items():
                source = f"memory ({_rel(case, case.document_files[code][0])})" if code in case.document_files \
                    else f"memory ({code})"
                statuses, _ = _import(w.con, case, code, docs, source, by, strict)
                docs.header.loc[statuses["number"].to_numpy(object), docs.doctype.status_field] = \
                    statuses["status"].to_numpy(object)
        return read
    for code in docrefs.read_order(case.doctypes, case.document_files):
        head, lines = case.document_files[code]
        paths = [p for p in (head, lines) if p is not None]
        rel = _rel(case, head)
        size, mtime = _stat(paths)
        with store.reading() as con:
            if docstore.file_unchanged(con, rel, size, mtime):
                continue
            known = docstore.file_hash(con, rel)
        sha = _sha256(paths)
        docs = None if sha == known else Documents.read(case.doctypes[code], head, lines, case.master,
                                                        _references(store, case.doctypes[code], read))
        with store.writer(by) as w:
            whole = True
            if docs is not None:
                _, whole = _import(w.con, case, code, docs, rel, by, strict)
                read[code] = docs
            if whole:                                 # else read the file again until its change can be taken
                docstore.record_file(w.con, rel, code, size, mtime, sha, len(docs) if docs is not None else 0)
    return read


def _references(store, doctype, read: dict[str, Documents]) -> dict:
    """The numbers ``doctype``'s document references may name: read in this run or held by the store."""
    if not docrefs.targets(doctype):
        return {}
    wanted = list(docrefs.targets(doctype))
    with store.reading() as con:
        ids = dict(con.execute(sa.select(codes.c.value, codes.c.id).where(codes.c.value.in_(wanted))).all())
        held = {t: docstore.stored(con, ids[t], text=False)["number"] if t in ids else pd.Index([]) for t in wanted}
    return docrefs.known_numbers(doctype, read, held.__getitem__)


def pending(con, case, read: dict[str, Documents]) -> dict[str, tuple[Documents, pd.Series]]:
    """Per document type: the approved documents not yet posted, and their store ids by number.

    The store is the truth: documents another case folder imported into a
    shared store are pending too, read back from the store and checked
    against this case's master data, beside the ones this case holds.
    """
    out = {}
    coder_ids = dict(con.execute(sa.select(codes.c.value, codes.c.id).where(codes.c.value.in_(list(case.doctypes))))
                     .all())
    for code, dt in case.doctypes.items():
        if code not in coder_ids:
            continue
        rows = docstore.stored(con, coder_ids[code], pending_only=True, ids_only=True)
        if rows.empty:
            continue
        ids = pd.Series(rows["id"].to_numpy("int64"), index=rows["number"].to_numpy(object))
        docs = case.documents.get(code) if case.documents_loaded else read.get(code)
        elsewhere = ids.index if docs is None else ids.index[~C.isin_text(ids.index, docs.header.index)]
        if len(elsewhere):
            more = _from_store(case, code, docstore.stored(con, coder_ids[code], elsewhere, pending_only=True))
            docs = more if docs is None else _joined(docs, more)
        out[code] = (docs, ids)
    return out


def _joined(docs: Documents, more: Documents) -> Documents:
    """The documents of two sources as one set (their numbers do not overlap)."""
    return Documents(docs.doctype, pd.concat([docs.header, more.header]), pd.concat([docs.lines, more.lines],
                                                                                  ignore_index=True), docs.master)


def standing_postings(con, pend: dict) -> pd.DataFrame:
    """The pending documents' business vouchers that stand (posted to some books).

    Columns ``source_type, source_no, book`` (text) and their store ids
    ``document, book_id``.
    """
    from .store.read import code_table
    ids = pd.concat([ids for _, ids in pend.values()]) if pend else pd.Series(dtype="int64")
    hit = docstore.standing(con, ids.to_numpy())
    if hit.empty:
        return pd.DataFrame({"source_type": pd.Series(dtype=object), "source_no": pd.Series(dtype=object),
                             "book": pd.Series(dtype=object), "document": pd.Series(dtype="int64"),
                             "book_id": pd.Series(dtype="int64")})
    number = pd.Series(ids.index.to_numpy(object), index=ids.to_numpy())
    kind = pd.Series([code for code, (_, i) in pend.items() for _ in range(len(i))], index=ids.to_numpy())
    table = code_table(con)
    return pd.DataFrame({"source_type": kind.reindex(hit["document"]).to_numpy(object),
                         "source_no": number.reindex(hit["document"]).to_numpy(object),
                         "book": table.reindex(hit["book"]).to_numpy(object),
                         "document": hit["document"].to_numpy("int64"), "book_id": hit["book"].to_numpy("int64")})


def _from_store(case, code: str, rows: pd.DataFrame) -> Documents:
    dt = case.doctypes[code]
    raw_h, raw_l = to_raw(dt, rows, ["approved"] * len(rows))
    try:
        return Documents.from_text(dt, raw_h, raw_l, case.master, f"<store {code}>", f"<store {code} lines>")
    except FinshareError as exc:
        raise FinshareError(exc.problems, f"已存单据与当前基础资料不符 / stored {code} documents no longer pass the "
                            "checks of the current master data") from None




def stored_documents(ledger, code: str, status: str = "approved", having=None) -> Documents:
    """The documents of type ``code`` the store holds with ``status`` (the store is the truth, not the files).

    ``having``: only documents with one of these values in a header field (e.g. the intercompany customers'
    codes), picked from the stored text before the documents are parsed, so a few are read out of many.
    """
    from .export import _stored_documents
    with ledger.store.reading() as con:
        rows = _stored_documents(con, ledger.case, [code]).get(code)
    if rows is not None and having is not None:
        rows = rows[_header_has(rows["header"], having)]
    if rows is None or not (rows["status_name"] == status).any():
        from .documents import empty_like
        return empty_like(ledger.case.doctypes[code])
    return _from_store(ledger.case, code, rows[rows["status_name"] == status].reset_index(drop=True))


def _header_has(header: pd.Series, values) -> np.ndarray:
    """Which stored headers (fields joined by the unit separator) hold one of ``values`` as a whole field."""
    import re

    import pyarrow as pa
    import pyarrow.compute as pc
    values = [str(v) for v in values if str(v)]
    if not values:
        return np.zeros(len(header), dtype=bool)
    pattern = "(^|\x1f)(" + "|".join(re.escape(v) for v in values) + ")(\x1f|$)"
    arr = pa.array(header.fillna("").astype(str).to_numpy(object), type=pa.large_string())
    return pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False)


__all__ = ["sync", "pending", "standing_postings", "stored_documents", "STATUS_CODES"]
