"""Coded columns: the posting engine keeps repetitive text as pandas Categoricals.

A million voucher lines repeat a handful of books, accounts, currencies and
suppliers. Held as categoricals (small integer codes plus the distinct
values) they take a few bytes a row, and sorting, grouping and checking work
on integers; checks that depend only on the value (is this account a leaf?)
run once per distinct value. These helpers build, combine and print such
columns.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def is_coded(col) -> bool:
    return isinstance(getattr(col, "dtype", None), pd.CategoricalDtype)


def coded(values) -> pd.Categorical:
    """A Categorical of ``values`` with plain-object categories (NA stays NA)."""
    cat = values.array if isinstance(values, pd.Series) and is_coded(values) else \
        values if isinstance(values, pd.Categorical) else pd.Categorical(values)
    return _object_categories(cat)


def _object_categories(cat: pd.Categorical) -> pd.Categorical:
    if cat.categories.dtype == object or isinstance(cat.categories, pd.DatetimeIndex):
        return cat
    return pd.Categorical.from_codes(cat.codes, categories=pd.Index(cat.categories.to_numpy(object), dtype=object))


def constant(value, n: int) -> pd.Categorical:
    """``n`` copies of one value, coded."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([value], dtype=object))


def from_codes(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes), categories=pd.Index(categories, dtype=object))


def take(cat: pd.Categorical, rows: np.ndarray) -> pd.Categorical:
    """Rows of a Categorical by position (codes only are copied)."""
    return pd.Categorical.from_codes(cat.codes[rows], dtype=cat.dtype)


def with_value(cat: pd.Categorical, value) -> tuple[pd.Categorical, int]:
    """The Categorical with ``value`` among its categories, and that value's code."""
    if value not in cat.categories:
        cat = cat.add_categories([value])
    return cat, int(cat.categories.get_loc(value))


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames with the same columns, uniting categorical codes."""
    frames = [f for f in frames if len(f.columns)]
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    out = {}
    for c in frames[0].columns:
        cols = [f[c] for f in frames]
        if all(is_coded(x) for x in cols):
            cats = [x.array for x in cols]
            if all(x.dtype is cats[0].dtype or x.categories is cats[0].categories for x in cats):
                out[c] = pd.Categorical.from_codes(np.concatenate([x.codes for x in cats]), dtype=cats[0].dtype)
            else:
                out[c] = _united(cats)
        else:
            out[c] = pd.concat(cols, ignore_index=True)
            if any(is_coded(x) for x in cols):
                out[c] = out[c].astype(object)
    return pd.DataFrame(out)


def _united(cats: list[pd.Categorical]) -> pd.Categorical:
    """Categoricals with different categories as one: the categories united in order of first appearance
    (as ``union_categoricals``), each part's codes recoded through a lookup of its categories only.
    When every part's categories begin the longest one's, that is the union and no code changes."""
    cats = [_object_categories(x) for x in cats]
    longest = max((x.categories for x in cats), key=len)
    if all(x.categories is longest or longest[:len(x.categories)].equals(x.categories) for x in cats):
        return pd.Categorical.from_codes(np.concatenate([x.codes for x in cats]), categories=longest)
    first = cats[0].categories
    more = [x.categories for x in cats[1:] if not (x.categories is first or x.categories.equals(first))]
    union = first.append(more).unique() if more else first
    codes = []
    for x in cats:
        if x.categories is first or (len(x.categories) == len(first) and x.categories.equals(first)):
            codes.append(x.codes)                                       # the first's order is the union's
            continue
        lookup = np.append(union.get_indexer(x.categories), -1)       # code -1 (missing) stays -1
        codes.append(lookup[x.codes])
    return pd.Categorical.from_codes(np.concatenate(codes), categories=union)


def arrow_text(col) -> pa.Array:
    """A column as a pyarrow string array (categoricals expand their codes in C)."""
    if is_coded(col):
        cat = col.array if isinstance(col, pd.Series) else col
        values = pa.array(cat.categories.astype(str).to_numpy(object), type=pa.large_string())
        codes = np.asarray(cat.codes)
        return values.take(pa.array(codes, mask=codes < 0))
    if isinstance(col, (pd.Series, pd.Index)) and isinstance(col.dtype, pd.StringDtype):
        return pa.array(col.array).cast(pa.large_string())
    return pa.array(np.asarray(col, dtype=object), type=pa.large_string(), from_pandas=True)


def isin_text(values, of) -> np.ndarray:
    """Which ``values`` are among ``of`` (text columns or indexes), hashed in C by pyarrow.

    pandas' ``isin`` on pyarrow strings turns the set into Python objects
    first; this does not, so a million numbers take a tenth of a second.
    """
    hit = pc.is_in(arrow_text(values), value_set=arrow_text(of))
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


def positions(values, of) -> np.ndarray:
    """Each value's position in ``of`` (text with unique values), -1 where absent or missing.

    Lines listed in the order of their header file (each document's lines
    together, the documents in header order) are matched by comparing runs,
    without hashing; anything else is hashed in C by pyarrow.
    """
    keys, vals = _flat(arrow_text(of)), _flat(arrow_text(values))
    n = len(vals)
    if n and vals.null_count == 0 and len(keys):
        change = pc.not_equal(vals.slice(1), vals.slice(0, n - 1)).to_numpy(zero_copy_only=False)
        starts = np.r_[0, np.flatnonzero(change) + 1]
        if len(starts) == len(keys) and pc.all(pc.equal(vals.take(pa.array(starts)), keys)).as_py():
            return np.repeat(np.arange(len(keys), dtype="int64"), np.diff(np.r_[starts, n]))
    pos = pc.index_in(vals, value_set=keys)
    return pc.fill_null(pos, -1).to_numpy(zero_copy_only=False).astype("int64")


def at_positions(col, pos: np.ndarray) -> pa.Array:
    """The text of ``col`` at positions ``pos`` (null where ``pos`` is -1), as a pyarrow array."""
    pos = np.asarray(pos, dtype="int64")
    return _flat(arrow_text(col)).take(pa.array(pos, mask=pos < 0))


def _flat(arr):
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def text_codes(col) -> tuple[np.ndarray, np.ndarray]:
    """The distinct texts of a column in order of first appearance, and each row's position among them.

    Hashes in C (pyarrow), so millions of distinct summaries cost a second,
    not the Python string objects a Categorical would build. Missing is ``""``.
    """
    arr = arrow_text(col)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    enc = pc.dictionary_encode(pc.fill_null(arr, ""))
    return (enc.indices.to_numpy(zero_copy_only=False).astype("int64"),
            enc.dictionary.to_numpy(zero_copy_only=False).astype(object))


def join_text(*parts) -> pd.Series:
    """Row-wise concatenation of text columns and literal strings (``str`` Series)."""
    arrays = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in parts]
    if not any(isinstance(a, pa.Array) for a in arrays):
        raise ValueError("join_text needs at least one column")
    return pd.Series(pc.binary_join_element_wise(*arrays, pa.scalar("", pa.large_string())), dtype="str")


def int_text(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as text, zero-padded to ``width``."""
    text = pc.cast(pa.array(np.asarray(values, dtype="int64")), pa.large_string())
    return pc.utf8_lpad(text, width=width, padding="0") if width else text


def _compare(col, value, op) -> np.ndarray:
    if is_coded(col):
        cat = col.array if isinstance(col, pd.Series) else col
        hit = np.asarray(op(cat.categories.astype(str), value))
        codes = np.asarray(cat.codes)
        return np.where(codes >= 0, hit[codes], False)
    return np.asarray(op(col.astype(str), value))


def le(col, value) -> np.ndarray:
    """``col <= value`` for text columns, coded or not (compares the distinct values once)."""
    return _compare(col, value, lambda a, b: a <= b)


def lt(col, value) -> np.ndarray:
    """``col < value`` for text columns, coded or not."""
    return _compare(col, value, lambda a, b: a < b)
