"""Tables with money in minor units written as Parquet, Excel or CSV, exactly.

A table to write is a DataFrame whose money columns hold ``int64`` minor
units, with the exponent of each row's currency beside it (a
``{column: exponents}`` mapping). From it this module makes:

* an Arrow table (:func:`arrow_table`): money as :data:`MONEY_TYPE`, an exact
  ``decimal128(38, 2)`` — two places hold every currency of
  :data:`finshare.core.money.EXPONENTS` exactly (a VND amount ends in
  ``.00``) and 38 digits hold every ``int64`` amount; dates as ``date32``;
  whole numbers as ``int64``; text as strings, a blank being ``""``;
* the printed text (:func:`text_frame`), as ``finshare journal`` prints it;
* Excel sheets (:func:`write_xlsx`): money as numbers with the currency's
  decimals (``#,##0.00``; ``#,##0`` for VND), dates as dates, text as text
  (never a formula).

Excel stores a number as a double with 15 significant digits and holds
1,048,576 rows a sheet; :func:`excel_frame` refuses a larger amount or
table with a problem instead of writing a rounded or cut sheet.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import money
from .problems import FinshareError, Problem, Source

#: Places of every exported decimal: the largest exponent of a known currency.
SCALE = max(money.EXPONENTS.values())
#: The Parquet/Arrow type of money: exact, 38 digits, :data:`SCALE` places.
MONEY_TYPE = pa.decimal128(38, SCALE)
#: Data rows an Excel sheet holds (1,048,576 rows less the header).
EXCEL_MAX_ROWS = 1_048_575
#: Amounts from this many minor units on have more than Excel's 15 significant digits.
EXCEL_MAX_MINOR = 10 ** 15
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


# ------------------------------------------------------------------ Arrow
def money_array(minor, exp) -> pa.Array:
    """Minor units as exact :data:`MONEY_TYPE` decimals (``2000000, 2 -> 20000.00``).

    Parameters
    ----------
    minor : array-like of int64
        Amounts in minor units.
    exp : array-like of int or int
        The currency exponent per row (or one for all); unknown (-1) counts as 0.

    Examples
    --------
    >>> money_array([2000000, 1000000], [2, 0]).to_pylist()
    [Decimal('20000.00'), Decimal('1000000.00')]
    """
    minor = np.asarray(minor, dtype="int64")
    exp = np.broadcast_to(np.maximum(np.asarray(exp, dtype="int64"), 0), minor.shape)
    whole = pa.array(minor, pa.int64()).cast(pa.decimal128(38, 0))
    out = None
    for e in np.unique(exp):             # one pass per currency exponent, not per row
        shifted = whole.cast(pa.decimal128(38, SCALE - int(e)))          # unscaled: minor * 10**(SCALE - e)
        part = pa.Array.from_buffers(MONEY_TYPE, len(shifted), shifted.buffers())  # read with SCALE places
        out = part if out is None else pc.if_else(pa.array(exp == e), part, out)
    return out if out is not None else pa.array([], MONEY_TYPE)


def _arrow_column(col: pd.Series) -> pa.Array:
    if pd.api.types.is_datetime64_any_dtype(col):
        return pa.array(col.to_numpy("datetime64[D]"), pa.date32())
    if pd.api.types.is_integer_dtype(col) and not col.isna().any():
        return pa.array(col.to_numpy("int64"), pa.int64())
    arr = pa.array(col, from_pandas=True)
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    return pc.fill_null(arr.cast(pa.string()), "")


def arrow_table(frame: pd.DataFrame, money_exp: dict) -> pa.Table:
    """``frame`` as an Arrow table (see module docstring); ``money_exp`` maps money columns to exponents."""
    arrays = [money_array(frame[c].to_numpy(), money_exp[c]) if c in money_exp else _arrow_column(frame[c])
              for c in frame.columns]
    return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])


# ------------------------------------------------------------------- text
def text_frame(frame: pd.DataFrame, money_exp: dict) -> pd.DataFrame:
    """``frame`` as printed: amounts as exact decimal text, dates ``YYYY-MM-DD``."""
    out = frame.copy()
    for c in out.columns:
        if c in money_exp:
            out[c] = money.format_amounts(out[c].to_numpy(), np.maximum(money_exp[c], 0))
        elif pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    return out


# ------------------------------------------------------------------ Excel
def number_format(exp: int) -> str:
    """Excel number format showing ``exp`` decimals with thousands separators."""
    return "#,##0" + ("." + "0" * int(exp) if exp > 0 else "")


def excel_frame(frame: pd.DataFrame, money_exp: dict, sheet: str) -> tuple[pd.DataFrame, dict]:
    """Values for an Excel sheet and the number format of each money cell.

    Raises
    ------
    FinshareError
        ``excel-too-many-rows`` or ``excel-amount-too-large`` (Excel would cut or round).
    """
    if len(frame) > EXCEL_MAX_ROWS:
        raise FinshareError([Problem(
            "excel-too-many-rows", f"工作表 {sheet} 有 {len(frame):,} 行，超过 Excel 的上限 / sheet {sheet} has "
            f"{len(frame):,} rows, more than Excel holds ({EXCEL_MAX_ROWS:,})", Source(field="format"),
            "export --format parquet (DuckDB, pandas) or csv, or one --book at a time")])
    out, formats = frame.copy(), {}
    for c, exp in money_exp.items():
        minor = out[c].to_numpy("int64")
        exp = np.broadcast_to(np.maximum(np.asarray(exp, dtype="int64"), 0), minor.shape)
        if (np.abs(minor) >= EXCEL_MAX_MINOR).any():
            raise FinshareError([Problem(
                "excel-amount-too-large", f"{c} 有超过 15 位有效数字的金额，Excel 会舍入 / column {c} has an amount of "
                "more than 15 significant digits, which Excel would round", Source(field=c),
                "export --format parquet or csv (exact decimals)")])
        out[c] = minor / np.power(10.0, exp)       # the double nearest the exact amount, as Excel keeps it
        formats[c] = np.array([number_format(e) for e in range(SCALE + 1)], dtype=object)[exp]
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = pd.Series(out[c].dt.date, index=out.index, dtype=object)
    return out, formats


def sheet_title(text: str) -> str:
    """A legal, at most 31-character Excel sheet name."""
    return _SHEET_BAD.sub("_", str(text))[:31] or "sheet"


def _column_cells(ws, col: pd.Series, fmt) -> list:
    from openpyxl.cell import WriteOnlyCell
    values = col.astype(object).where(col.notna(), None).tolist()
    if fmt is not None:
        cells = []
        for v, f in zip(values, fmt):
            cell = WriteOnlyCell(ws, v)
            cell.number_format = f
            cells.append(cell)
        return cells
    if col.dtype == object or pd.api.types.is_string_dtype(col) or isinstance(col.dtype, pd.CategoricalDtype):
        text = col.astype(object).fillna("").astype(str)
        risky = np.flatnonzero((text.str.startswith("=") | text.isin(_EXCEL_ERRORS)).to_numpy())
        for i in risky:                 # text stays text: never a formula or an error value
            cell = WriteOnlyCell(ws, values[i])
            cell.data_type = "s"
            values[i] = cell
    return values


def text_width(text) -> int:
    """Columns a text takes in Excel: a CJK character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def write_xlsx(sheets: dict, path: Path, headers: dict | None = None, bold: dict | None = None) -> None:
    """Write ``{title: (values, formats)}`` (from :func:`excel_frame`) as one workbook, a header row per sheet.

    Parameters
    ----------
    headers : dict, optional
        Column name → caption (e.g. ``"debit" -> "借方 Debit"``); other columns keep their names.
    bold : dict, optional
        Sheet title → boolean array of the rows to set in bold (e.g. a trial balance's total).

    The header row is frozen and bold, and each column is as wide as its caption (money columns at
    least 16 characters).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    headers, bold = headers or {}, bold or {}
    wb = Workbook(write_only=True)
    for title, (frame, formats) in sheets.items():
        ws = wb.create_sheet(sheet_title(title))
        ws.freeze_panes = "A2"
        captions = [str(headers.get(c, c)) for c in frame.columns]
        for i, (c, caption) in enumerate(zip(frame.columns, captions), start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(text_width(caption) + 2, 16 if c in formats else 8)
        head = []
        for caption in captions:
            cell = WriteOnlyCell(ws, caption)
            cell.font = Font(bold=True)
            head.append(cell)
        ws.append(head)
        columns = [_column_cells(ws, frame[c], formats.get(c)) for c in frame.columns]
        strong = bold.get(title, np.zeros(len(frame), dtype=bool))
        for row, is_bold in zip(zip(*columns), strong):   # openpyxl writes row by row (at most EXCEL_MAX_ROWS)
            ws.append(_bold(ws, row) if is_bold else row)
    wb.save(path)


def _bold(ws, row) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font
    cells = []
    for v in row:
        cell = v if isinstance(v, Cell) else WriteOnlyCell(ws, v)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


# ---------------------------------------------------------------- writers
def write_parquet(table: pa.Table, path: Path) -> None:
    import pyarrow.parquet as pq                  # only when a Parquet file is written
    pq.write_table(table, path)


def write_csv(frame: pd.DataFrame, path: Path, bom: bool = False) -> None:
    """The CSV text ``finshare journal`` prints (UTF-8; with a BOM for Excel when ``bom``)."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8-sig" if bom else "utf-8")


__all__ = ["MONEY_TYPE", "SCALE", "EXCEL_MAX_ROWS", "money_array", "arrow_table", "text_frame", "excel_frame",
           "number_format", "sheet_title", "text_width", "write_xlsx", "write_parquet", "write_csv"]
