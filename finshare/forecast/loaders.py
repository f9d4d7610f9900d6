"""Loading a receivable history from another system's CSV/Excel export, through a YAML mapping file.

A mapping file says how an export's columns map to the canonical ones of
:mod:`finshare.forecast.history`, so a new export loads without code::

    columns:                 # canonical name: the export's column
      invoice_id: Invoice No
      customer_id: Customer
      invoice_date: Invoice Date
      due_date: Due Date
      amount: Amount
      settled_date: Paid On
      disputed: Disputed
      paperless: Delivery
    date_format: "%m/%d/%Y"
    true_values: [Yes, Electronic]
    false_values: [No, Paper]
    currency: USD            # a constant, where the export has no currency column

Columns the mapping does not name are ignored: an export may carry answer columns (days late)
that must never become features. Without a mapping, the file's columns must be the canonical names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.problems import FinshareError, Problem, Source
from ..core.textio import read_csv
from ..core.yamlio import read_yaml
from .history import COLUMNS, FALSE_VALUES, TRUE_VALUES, History, build_history

MAPPING_KEYS = ("columns", "date_format", "true_values", "false_values", "currency")


@dataclass(frozen=True)
class Mapping:
    """How one export's columns and values read as a history (see the module docstring)."""

    columns: dict = field(default_factory=dict)
    date_format: str | None = None
    true_values: tuple = TRUE_VALUES
    false_values: tuple = FALSE_VALUES
    currency: str | None = None
    source: str = "<mapping>"


def _mapping_problem(source: str, key: str, message: str, fix: str) -> Problem:
    return Problem("bad-mapping", message, Source(source, field=key), fix)


def read_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file.

    Raises
    ------
    FinshareError
        ``bad-mapping`` naming the key: not a mapping, unknown key, unknown canonical column,
        a value that is not text (or a list of text for ``true_values``/``false_values``).
    """
    source = str(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise FinshareError([_mapping_problem(source, "", "映射文件应是键值对 / the mapping file must be a mapping",
                                              "start with columns: and the canonical names under it")])
    problems = [_mapping_problem(source, k, f"未知的键 {k!r} / unknown key {k!r}",
                                 "可用的键 / known keys: " + ", ".join(MAPPING_KEYS))
                for k in data if k not in MAPPING_KEYS]
    cols = data.get("columns") or {}
    if not isinstance(cols, dict):
        cols = {}
        problems.append(_mapping_problem(source, "columns", "columns 应是 规范列名: 文件列名 / columns must map "
                                         "canonical names to the file's columns", "e.g. columns: {invoice_id: Inv No}"))
    problems += [_mapping_problem(source, f"columns.{k}", f"未知的规范列名 {k!r} / {k!r} is not a history column",
                                  "规范列名 / canonical names: " + ", ".join(COLUMNS))
                 for k in cols if k not in COLUMNS]
    problems += [_mapping_problem(source, f"columns.{k}", f"{k} 应映射到一个列名 / {k} must name one column",
                                  "write the file's column name as text") for k, v in cols.items()
                 if not isinstance(v, (str, int)) or isinstance(v, bool)]
    for k in ("true_values", "false_values"):
        if k in data and not isinstance(data[k], list):
            problems.append(_mapping_problem(source, k, f"{k} 应是列表 / {k} must be a list",
                                             f"e.g. {k}: [Yes, Electronic]"))
    for k in ("date_format", "currency"):
        if data.get(k) is not None and not isinstance(data[k], str):
            problems.append(_mapping_problem(source, k, f"{k} 应是文字 / {k} must be text", 'e.g. date_format: "%m/%d/%Y"'))
    if problems:
        raise FinshareError(problems, f"映射文件 {source} 有错误 / mapping file {source} has problems")
    return Mapping({k: str(v) for k, v in cols.items()}, data.get("date_format"),
                   _words(data.get("true_values", TRUE_VALUES)), _words(data.get("false_values", FALSE_VALUES)),
                   data.get("currency"), source)


#: YAML reads unquoted yes/no/on/off/true/false as booleans; each stands for all its spellings.
_YAML_BOOL_WORDS = {True: ("true", "yes", "y", "on"), False: ("false", "no", "n", "off")}


def _words(values) -> tuple:
    """Flag words as text; a YAML boolean (``[Yes, No]`` unquoted) becomes all its spellings."""
    out = []
    for v in values:
        out += _YAML_BOOL_WORDS[v] if isinstance(v, bool) else (str(v),)
    return tuple(out)


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV (text cells) or Excel ``.xlsx`` export (first sheet, cells as Excel holds them)."""
    path = Path(path)
    if not path.is_file():
        raise FinshareError([Problem("missing-file", f"找不到文件 / no such file: {path}", Source(str(path)),
                                     "check the path")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame
    raise FinshareError([Problem("bad-file-type", f"不支持的文件类型 {suffix!r} / {suffix!r} files are not read",
                                 Source(str(path)), "save the export as .csv (UTF-8) or .xlsx")])


def apply_mapping(frame: pd.DataFrame, mapping: Mapping, source: str) -> pd.DataFrame:
    """The export's mapped columns under their canonical names; unmapped columns are dropped."""
    gone = [(k, v) for k, v in mapping.columns.items() if v not in frame.columns]
    if gone:
        raise FinshareError([Problem(
            "missing-column", f"映射的列 {v!r}（{k}）不在文件中 / the mapping's column {v!r} (for {k}) is not in "
            f"the file", Source(source, 1, v), f"fix the name in {mapping.source}; the file has: "
            + ", ".join(map(str, frame.columns)))
            for k, v in gone], f"{source} 与映射文件不符 / {source} does not match its mapping")
    out = pd.DataFrame({k: frame[v] for k, v in mapping.columns.items()}, index=frame.index)
    if mapping.currency and "currency" not in out:
        out["currency"] = mapping.currency
    return out


def load_history(path: str | Path, mapping: str | Path | Mapping | None = None, exclude_bad: bool = False
                 ) -> History:
    """Load a receivable history from a CSV or Excel file.

    Parameters
    ----------
    path : path
        ``.csv`` or ``.xlsx``; with no mapping its columns are the canonical names.
    mapping : path or Mapping, optional
        A mapping file (:func:`read_mapping`) for another system's export.
    exclude_bad : bool, default=False
        Leave bad rows out (counted and listed in ``History.excluded``) instead of refusing the file.

    Returns
    -------
    History

    Examples
    --------
    >>> h = load_history("datasets/ar-history/other_system.csv", "datasets/ar-history/mapping.yaml")  # doctest: +SKIP
    >>> h.summary()  # doctest: +SKIP
    """
    source = str(path)
    frame = read_table(path)
    if mapping is not None:
        mapping = mapping if isinstance(mapping, Mapping) else read_mapping(mapping)
        frame = apply_mapping(frame, mapping, source)
    else:
        mapping = Mapping()
        frame = frame[[c for c in frame.columns if c in COLUMNS]]
    return build_history(frame, source, mapping.date_format, mapping.true_values, mapping.false_values,
                         exclude_bad, np.arange(len(frame)) + 2)


__all__ = ["Mapping", "read_mapping", "read_table", "apply_mapping", "load_history"]
