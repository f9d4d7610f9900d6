"""Documents as canonical text: how the store keeps them and tells a changed document from an unchanged one.

A document is stored as two strings: its header fields and its lines, each
value printed canonically from its typed form (amounts with the currency's
decimals, dates ``YYYY-MM-DD``), fields separated by ``\\x1f`` and lines by
``\\x1e``, in the order of the document type's fields (the *layout*). The
number and the status are kept apart, so re-saving a CSV from Excel with
``20000`` instead of ``20000.00`` is not a change, and approving is not an
edit. :func:`to_raw` turns the strings back into the text tables
:meth:`Documents.from_text` validates.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import columns as C
from . import money
from .documents import Documents, DocumentType
from .schema import LINE, FieldSpec

FIELD_SEP, LINE_SEP = "\x1f", "\x1e"


def layout(doctype: DocumentType) -> tuple[list[str], list[str]]:
    """The header and line fields kept as text (stored fields, without number and status)."""
    skip = {doctype.number_field, doctype.status_field}
    head = [f.name for f in doctype.header.fields if f.lookup is None and f.name not in skip]
    lines = [f.name for f in doctype.lines.fields if f.lookup is None and f.name not in skip]
    return head, lines


def layout_key(doctype: DocumentType) -> str:
    head, lines = layout(doctype)
    return FIELD_SEP.join(head) + LINE_SEP + FIELD_SEP.join(lines)


def _field_text(frame: pd.DataFrame, f: FieldSpec, currency: pd.Series | None) -> pa.Array:
    """One typed column back as canonical text ("" where blank), printed by pyarrow."""
    col = frame[f.name]
    blank = pa.scalar("", pa.large_string())
    if f.type == "money":
        exp = money.exponents(currency.astype(object).fillna("")) if currency is not None else 2
        return money.amount_text(col.to_numpy("int64"), np.maximum(exp, 0))
    if f.type == "date":
        days = pa.array(col.to_numpy("datetime64[D]"), type=pa.date32())
        return pc.fill_null(pc.cast(days, pa.large_string()), blank)
    if f.type == "bool":
        text = np.where(col.fillna(False).to_numpy(bool), "1", "0").astype(object)
    elif f.type == "decimal":
        return decimal_text(col.to_numpy("float64"))
    elif isinstance(col.dtype, (pd.StringDtype, pd.Int64Dtype)) or col.dtype.kind in "iu":
        return pc.fill_null(pc.cast(pa.array(col.array), pa.large_string()), blank)
    else:
        text = col.astype("string").fillna("").astype(object).to_numpy()
    return pa.array(text, type=pa.large_string())


def decimal_text(values: np.ndarray) -> pa.Array:
    """Floats as Python prints them, without a trailing ``.0`` (``12.5``, ``3``, ``1e-05``); ``""`` for NaN.

    pyarrow prints the same shortest round-trip digits but switches to
    exponents at other magnitudes, so values outside 1e-3 ≤ |x| < 1e9 (rare in
    documents) are printed by Python.
    """
    values = np.asarray(values, dtype="float64")
    text = pc.cast(pa.array(values, from_pandas=True), pa.large_string())
    size = np.abs(values)
    odd = np.flatnonzero((size != 0) & ((size < 1e-3) | (size >= 1e9)) & np.isfinite(values))
    if len(odd):
        fixed = pd.Series(values[odd]).astype(str).str.replace(r"\.0$", "", regex=True)
        text = pc.replace_with_mask(text, pa.array(np.isin(np.arange(len(values)), odd)),
                                    pa.array(fixed.to_numpy(object), type=pa.large_string()))
    nan = np.isnan(values)
    if nan.any():
        text = pc.if_else(pa.array(nan), pa.scalar("", pa.large_string()), text)
    return text


def _join(arrays: list[pa.Array], n: int) -> pa.Array:
    if not arrays:
        return pa.array([""] * n, type=pa.large_string())
    arrays = [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in arrays]
    return pc.binary_join_element_wise(*arrays, pa.scalar(FIELD_SEP, pa.large_string()))


def canonical(docs: Documents) -> pd.DataFrame:
    """One row per document: ``number, status, date, org, header, lines, row`` (text as stored).

    ``row`` is the document's line in its header file (``_line``), 0 when unknown.
    """
    dt = docs.doctype
    head_fields, line_fields = layout(dt)
    header = docs.header
    n = len(header)
    hcur = header[dt.currency_field] if dt.currency_field in header else None
    fields = dt.header.fields
    htext = _join([_field_text(header, next(f for f in fields if f.name == c),
                               _currency_for(header, next(f for f in fields if f.name == c), hcur)) for c in head_fields], n)
    lines_text = _lines_text(docs, line_fields)
    return pd.DataFrame({
        "number": header.index.to_numpy(object),
        "status": header[dt.status_field].astype(object).to_numpy(),
        "date": header[dt.date_field].to_numpy("datetime64[D]").astype("int64"),
        "org": header[dt.org_field].astype(object).to_numpy(),
        "header": pd.Series(htext, dtype="str").array,
        "lines": pd.Series(lines_text, dtype="str").array,
        "row": header[LINE].fillna(0).to_numpy("int64") if LINE in header else np.zeros(n, "int64"),
    })


def _currency_for(frame: pd.DataFrame, f: FieldSpec, default: pd.Series | None) -> pd.Series | None:
    if f.type != "money":
        return None
    if f.currency_field and f.currency_field in frame:
        return frame[f.currency_field]
    return default


def _lines_text(docs: Documents, line_fields: list[str]) -> pa.Array:
    """Each document's lines joined in line order ("" for a document without lines)."""
    dt = docs.doctype
    header, lines = docs.header, docs.lines
    n = len(header)
    if not len(lines) or not line_fields:
        return pa.array([""] * n, type=pa.large_string())
    pos = C.positions(lines[dt.number_field], header.index)
    keep = np.flatnonzero(pos >= 0)
    lines = lines.iloc[keep]
    pos = pos[keep]
    order_key = lines["line_no"].fillna(0).to_numpy("int64") if "line_no" in lines else \
        lines[LINE].to_numpy("int64") if LINE in lines else np.arange(len(lines))
    order = np.lexsort((order_key, pos))
    lines, pos = lines.iloc[order], pos[order]
    cur = pd.Series(header[dt.currency_field].astype(object).to_numpy()[pos], index=lines.index) \
        if dt.currency_field in header else None
    fields = {f.name: f for f in dt.lines.fields}
    rows = _join([_field_text(lines, fields[c], _currency_for(lines, fields[c], cur)) for c in line_fields],
                 len(lines))
    counts = np.bincount(pos, minlength=n)
    offsets = pa.array(np.r_[0, np.cumsum(counts)].astype("int32"))
    return pc.binary_join(pa.ListArray.from_arrays(offsets, rows), pa.scalar(LINE_SEP, pa.large_string()))


def to_raw(doctype: DocumentType, stored: pd.DataFrame, statuses) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stored text back into raw header and line tables for :meth:`Documents.from_text`.

    Parameters
    ----------
    stored : pandas.DataFrame
        ``number``, ``header``, ``lines`` (and ``row``, the source line) as stored.
    statuses : sequence of str
        Each document's status.
    """
    head_fields, line_fields = layout(doctype)
    number = doctype.number_field
    h = stored["header"].fillna("").astype(str).str.split(FIELD_SEP, expand=True, regex=False)
    raw_h = pd.DataFrame({c: (h[k] if k in h else "") for k, c in enumerate(head_fields)})
    raw_h.insert(0, number, stored["number"].to_numpy(object))
    raw_h[doctype.status_field] = list(statuses)
    raw_h[LINE] = stored["row"].to_numpy("int64") if "row" in stored else np.arange(len(stored)) + 2
    exploded = stored[["number", "lines"]].assign(lines=stored["lines"].fillna("").astype(str).str.split(
        LINE_SEP, regex=False)).explode("lines")
    exploded = exploded[exploded["lines"] != ""]
    parts = exploded["lines"].str.split(FIELD_SEP, expand=True, regex=False) if len(exploded) else pd.DataFrame()
    raw_l = pd.DataFrame({c: (parts[k].to_numpy(object) if k in parts else "") for k, c in enumerate(line_fields)})
    raw_l.insert(0, number, exploded["number"].to_numpy(object))
    return raw_h.reset_index(drop=True), raw_l.reset_index(drop=True)
