"""Reading the store back as journal tables: integer codes become categoricals once per value.

:func:`journal` returns the columns of :data:`finshare.core.journal.JOURNAL_COLUMNS`
(money in minor units); repeated text comes back as pandas Categoricals, so
reading a large ledger costs integers, not strings.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import sqlalchemy as sa

from .. import columns as C
from ..dimensions import DIMS
from ..journal import JOURNAL_COLUMNS, KINDS
from ..vouchers import line_ids as vouchers_line_ids
from .bulk import read_frame
from .tables import codes, dimset_values, dimsets, documents, line_sums, lines, texts, vouchers

_VCOLS = ["id", "batch", "book", "kind", "period", "word", "seq", "date", "currency", "source_type", "document",
          "reverses"]
_LCOLS = ["line", "account", "summary", "debit", "credit", "amount_orig", "currency_orig", "dimset", "org",
          "business_class", "template", "template_line", "gl_voucher", "gl_line", "document"]


def code_table(con: sa.Connection) -> pd.Series:
    rows = con.execute(sa.select(codes.c.id, codes.c.value)).all()
    return pd.Series([v for _, v in rows], index=[i for i, _ in rows], dtype=object)


def code_id(con: sa.Connection, value: str) -> int | None:
    return con.execute(sa.select(codes.c.id).where(codes.c.value == value)).scalar()


def decode(ids: np.ndarray, table: pd.Series) -> pd.Categorical:
    """Integer ids as a Categorical of their text (one entry per distinct id)."""
    ids = np.asarray(ids, dtype="int64")
    uniq, inv = np.unique(ids, return_inverse=True)
    cats = table.reindex(uniq).fillna("").to_numpy(object)
    cat_codes, cat_values = pd.factorize(cats)
    return C.from_codes(cat_codes[inv], cat_values)


def rows_by_ids(con: sa.Connection, query, column, ids: np.ndarray) -> pd.DataFrame:
    """``query`` restricted to rows whose ``column`` is in ``ids``, read without scanning past them.

    Dense ids are read as one range; sparse ones (the few summaries of a
    summarised GL among a year's) in lists of 900, one statement each, so
    neither a range over millions of rows nor a statement with a million
    parameters is sent.
    """
    ids = np.unique(np.asarray(ids, dtype="int64"))
    if not len(ids):
        return read_frame(con, query.where(sa.false()))
    lo, hi = int(ids[0]), int(ids[-1])
    if hi - lo + 1 <= 4 * len(ids):
        frame = read_frame(con, query.where(column.between(lo, hi)))
        return frame[frame[column.name].isin(ids)] if len(frame) else frame
    parts = [read_frame(con, query.where(column.in_([int(i) for i in ids[k:k + 900]])))
             for k in range(0, len(ids), 900)]
    return pd.concat(parts, ignore_index=True)


def documents_text(con: sa.Connection, ids: np.ndarray) -> pd.Series:
    """Document id → ``"type_id:number"`` (for the batch digest)."""
    ids = np.unique(ids[ids > 0])
    if not len(ids):
        return pd.Series(dtype=object)
    frame = rows_by_ids(con, sa.select(documents.c.id, documents.c.doc_type, documents.c.number), documents.c.id, ids)
    return pd.Series((frame["doc_type"].astype(str) + ":" + frame["number"].astype(str)).to_numpy(object),
                     index=frame["id"].to_numpy())


def dimset_keys(con: sa.Connection) -> pd.Series:
    rows = con.execute(sa.select(dimsets.c.id, dimsets.c.key)).all()
    return pd.Series([k for _, k in rows], index=[i for i, _ in rows], dtype=object)


def _filters(con: sa.Connection, book: str | None, kind: str | None) -> list:
    out = []
    if book is not None:
        out.append(vouchers.c.book == (code_id(con, book) or -1))
    if kind is not None:
        out.append(vouchers.c.kind == KINDS[kind])
    return out


def raw_lines(con: sa.Connection, book: str | None = None, kind: str | None = None, where=()) -> pd.DataFrame:
    """Voucher and line columns as stored (integers), in voucher order."""
    q = (sa.select(*[vouchers.c[c].label("v_" + c) for c in _VCOLS], *[lines.c[c] for c in _LCOLS])
         .join_from(lines, vouchers, lines.c.voucher == vouchers.c.id)
         .where(*_filters(con, book, kind), *where)
         .order_by(vouchers.c.book, vouchers.c.kind, vouchers.c.period, vouchers.c.word, vouchers.c.seq, lines.c.line))
    return read_frame(con, q)


def _dimension_columns(con: sa.Connection, dimset: np.ndarray, table: pd.Series) -> dict[str, pd.Categorical]:
    values = read_frame(con, sa.select(dimset_values))
    out = {}
    size = int(max(dimset.max(initial=0), values["dimset"].max() if len(values) else 0)) + 1
    for d in DIMS:
        did = table.index[table.to_numpy(object) == d]
        per = np.zeros(size, dtype="int64")
        if len(did):
            part = values[values["dim"] == int(did[0])]
            per[part["dimset"].to_numpy("int64")] = part["value"].to_numpy("int64")
        out[d] = decode(per[dimset], table)
    return out


def _texts_of(con: sa.Connection, ids: np.ndarray) -> pd.Series:
    uniq = np.unique(ids)
    if not len(uniq):
        return pd.Series(dtype=object)
    frame = rows_by_ids(con, sa.select(texts.c.id, texts.c.text), texts.c.id, uniq)
    return pd.Series(frame["text"].to_numpy(object), index=frame["id"].to_numpy())


def voucher_numbers(word: pd.Categorical, seq: np.ndarray) -> pd.Categorical:
    """``记`` and 12 → ``记-0012``, built once per distinct voucher."""
    key = np.asarray(word.codes, "int64") * 10**12 + np.asarray(seq, "int64")
    code, uniq = pd.factorize(key)
    names = C.join_text(C.arrow_text(word.categories.to_numpy(object)[uniq // 10**12]), "-",
                        C.int_text(uniq % 10**12, 4))
    return C.from_codes(code, names.to_numpy(object))


def _periods(ints: np.ndarray) -> pd.Categorical:
    uniq, inv = np.unique(ints, return_inverse=True)
    return C.from_codes(inv, [f"{p // 100:04d}-{p % 100:02d}" for p in uniq])


def _reverses(con: sa.Connection, ids: pd.Series) -> pd.Categorical:
    """Reversed voucher ids → ``PERIOD/VOUCHER_NO`` text."""
    has = ids.notna().to_numpy()
    if not has.any():
        return C.constant("", len(ids))
    targets = np.unique(ids[has].astype("int64"))
    q = sa.select(vouchers.c.id, vouchers.c.period, vouchers.c.word, vouchers.c.seq).where(vouchers.c.id.in_(
        [int(t) for t in targets]))
    frame = read_frame(con, q)
    words = decode(frame["word"].to_numpy("int64"), code_table(con))
    text = pd.Series((pd.Series(_periods(frame["period"].to_numpy("int64"))).astype(str) + "/"
                      + pd.Series(voucher_numbers(words, frame["seq"].to_numpy("int64"))).astype(str)).to_numpy(object),
                     index=frame["id"].to_numpy())
    values = np.where(has, text.reindex(ids.fillna(-1).astype("int64").to_numpy()).to_numpy(object), "")
    return C.coded(pd.Series(values, dtype=object))


def _document_numbers(con: sa.Connection, ids: np.ndarray) -> pd.Categorical:
    uniq, inv = np.unique(ids, return_inverse=True)
    known = uniq[uniq > 0]
    numbers = pd.Series(dtype=object)
    if len(known):
        frame = rows_by_ids(con, sa.select(documents.c.id, documents.c.number), documents.c.id, known)
        numbers = pd.Series(frame["number"].to_numpy(object), index=frame["id"].to_numpy())
    return C.from_codes(*pd.factorize(numbers.reindex(uniq).fillna("").to_numpy(object)[inv]))


def journal(con: sa.Connection, book: str | None = None, kind: str | None = None, where=()) -> pd.DataFrame:
    """Journal lines (see :data:`JOURNAL_COLUMNS`) with ``_voucher`` (the stored voucher id)."""
    raw = raw_lines(con, book, kind, where)
    table = code_table(con)
    if raw.empty:
        return empty_journal()
    period = _periods(raw["v_period"].to_numpy("int64"))
    word = decode(raw["v_word"].to_numpy("int64"), table)
    out = {
        "book": decode(raw["v_book"].to_numpy("int64"), table),
        "kind": C.from_codes(raw["v_kind"].to_numpy("int64") - 1, ["business", "gl"]),
        "voucher_no": voucher_numbers(word, raw["v_seq"].to_numpy("int64")), "voucher_word": word,
        "date": raw["v_date"].to_numpy("int64").astype("datetime64[D]").astype("datetime64[ns]"),
        "period": period, "line": raw["line"].to_numpy("int64"),
        "account": decode(raw["account"].to_numpy("int64"), table),
        "summary": pd.Series(_texts_of(con, raw["summary"].to_numpy("int64")).reindex(
            raw["summary"].to_numpy("int64")).to_numpy(object), dtype=object).to_numpy(object),
        "debit": raw["debit"].to_numpy("int64"), "credit": raw["credit"].to_numpy("int64"),
        "currency": decode(raw["v_currency"].to_numpy("int64"), table),
        "amount_orig": raw["amount_orig"].to_numpy("int64"),
        "currency_orig": decode(raw["currency_orig"].to_numpy("int64"), table),
        "org": decode(raw["org"].to_numpy("int64"), table),
        **_dimension_columns(con, raw["dimset"].to_numpy("int64"), table),
        "source_type": decode(raw["v_source_type"].to_numpy("int64"), table),
        "source_no": _document_numbers(con, raw["document"].fillna(raw["v_document"]).to_numpy("int64")),
        "business_class": decode(raw["business_class"].to_numpy("int64"), table),
        "template": decode(raw["template"].to_numpy("int64"), table),
        "template_line": decode(raw["template_line"].to_numpy("int64"), table),
        "reverses": _reverses(con, raw["v_reverses"]),
        "batch": raw["v_batch"].to_numpy("int64"),
    }
    frame = pd.DataFrame(out)
    frame.insert(0, "line_id", line_ids(frame))
    frame["_voucher"] = raw["v_id"].to_numpy("int64")
    frame["_gl_voucher"] = raw["gl_voucher"].fillna(0).to_numpy("int64")
    frame["_gl_line"] = raw["gl_line"].fillna(0).to_numpy("int64")
    return frame


def sums(con: sa.Connection, book: str, kind: str = "gl", upto: str | None = None,
         only: str | None = None) -> pd.DataFrame:
    """A book's lines summed per period, source type, account, unit, dimension set and original currency.

    Returns ``period, source_type, account, org, <dimensions>, currency_orig, debit, credit, orig`` — money in
    minor units, ``orig`` the signed original amount (debit positive). Read from ``line_sums``, which every
    batch keeps, so the cost is the number of distinct keys (thousands for a year of a large group), not the
    number of lines. ``upto`` (YYYY-MM) keeps periods up to it, ``only`` one period.
    """
    where = [line_sums.c.book == (code_id(con, book) or -1), line_sums.c.kind == KINDS[kind]]
    if upto is not None:
        where.append(line_sums.c.period <= int(upto.replace("-", "")))
    if only is not None:
        where.append(line_sums.c.period == int(only.replace("-", "")))
    cols = ["period", "source_type", "account", "org", "dimset", "currency_orig", "debit", "credit", "orig"]
    raw = read_frame(con, sa.select(*[line_sums.c[c] for c in cols]).where(*where)
                     .order_by(*[line_sums.c[c] for c in cols[:6]]))
    raw = raw[(raw[["debit", "credit", "orig"]] != 0).any(axis=1)]
    table = code_table(con)
    return pd.DataFrame({
        "period": _periods(raw["period"].to_numpy("int64")),
        "source_type": decode(raw["source_type"].to_numpy("int64"), table),
        "account": decode(raw["account"].to_numpy("int64"), table),
        "org": decode(raw["org"].to_numpy("int64"), table),
        **_dimension_columns(con, raw["dimset"].to_numpy("int64"), table),
        "currency_orig": decode(raw["currency_orig"].to_numpy("int64"), table),
        **{c: raw[c].to_numpy("int64") for c in ("debit", "credit", "orig")}})


def line_ids(frame: pd.DataFrame) -> pd.Series:
    """``BOOK/BV|GL/PERIOD/VOUCHER_NO/LINE`` for every line, as Python strings."""
    text = vouchers_line_ids(frame)
    return pd.Series(np.asarray(pa.array(text.array), dtype=object), index=frame.index)


def empty_journal() -> pd.DataFrame:
    out = {c: pd.Series(dtype=object) for c in JOURNAL_COLUMNS}
    for c in ("debit", "credit", "amount_orig", "line", "batch"):
        out[c] = pd.Series(dtype="int64")
    out["date"] = pd.Series(dtype="datetime64[ns]")
    frame = pd.DataFrame(out)
    for c in ("_voucher", "_gl_voucher", "_gl_line"):
        frame[c] = pd.Series(dtype="int64")
    return frame


_BOOK_CURRENCIES = sa.text(
    "SELECT DISTINCT b.value, c.value FROM counters k CROSS JOIN vouchers v "
    "JOIN codes b ON b.id = v.book JOIN codes c ON c.id = v.currency "
    "WHERE v.book = k.book AND v.kind = k.kind AND v.period = k.period AND v.word = k.word "
    "AND v.seq IN (1, k.last_seq)")


def book_currencies(con: sa.Connection) -> dict[str, set[str]]:
    """The currencies of each book's stored vouchers: book code → set of currency codes.

    Reads the first and the last voucher of every numbering sequence (book,
    kind, period, voucher word; ``counters`` holds the last number) through
    the unique voucher-number index, so the cost is two rows per sequence
    whatever the ledger's size (``CROSS JOIN`` keeps SQLite from scanning
    ``vouchers`` instead). A :class:`~finshare.core.ledger.Ledger` checks its
    books' currencies against these when it opens the store
    (:meth:`finshare.core.store.Store.check_currencies`), before it posts or
    reports, so a sequence's vouchers share one currency and its ends tell
    it. A store mixed before that check existed shows the mix at the end of
    a sequence posted into after the change (vouchers of another currency
    only in the middle of a sequence would go unseen).

    Returns
    -------
    dict of str to set of str
        E.g. ``{"FJ-CAS": {"CNY"}, "FJ-HKFRS": {"HKD"}}``; books without vouchers are absent.
    """
    out: dict[str, set[str]] = {}
    for book, currency in con.execute(_BOOK_CURRENCIES).all():
        out.setdefault(book, set()).add(currency)
    return out
