"""A statement file as a grid of text cells: CSV/TXT (UTF-8 or GBK, tab or comma) or XLSX.

Row ``i`` of a grid is line ``i + 1`` of a text file or row ``i + 1`` of the
worksheet, so messages can name it. Cells are stripped text; ``="0123"``
(Excel's keep-as-text trick) becomes ``0123``; ``None`` becomes ``""``.
"""
from __future__ import annotations

import csv
import io
import itertools
import zipfile
from pathlib import Path

import pandas as pd

from ...core.problems import FinshareError, Problem, Source
from ...core.textio import decode

TEXT_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
#: Field separators tried on a text file, in order.
DELIMITERS = ("\t", ",", ";", "|")


def clean(grid: pd.DataFrame) -> pd.DataFrame:
    """Cells as stripped text; a cell of dashes only ('-', '--', as some banks write for empty) is empty."""
    grid = grid.astype(object).where(grid.notna(), "").astype(str)
    return grid.apply(lambda col: col.str.strip().str.replace(r'^="(.*)"$', r"\1", regex=True).str.strip()
                      .str.replace(r"^-+$", "", regex=True))


def split(text: str, delimiter: str, nrows: int | None = None) -> pd.DataFrame:
    """The first ``nrows`` lines of ``text`` (all by default) split on ``delimiter`` into a grid."""
    lines = io.StringIO(text)
    lines = lines if nrows is None else itertools.islice(lines, nrows)
    rows = list(csv.reader(lines, delimiter=delimiter))           # the C parser
    columns = itertools.zip_longest(*rows, fillvalue="")          # ragged rows padded, in C
    return clean(pd.DataFrame(dict(enumerate(columns)))) if rows else pd.DataFrame()


def empty_file(source: str) -> FinshareError:
    return FinshareError([Problem(
        "empty-file", "对账单文件是空的 / the statement file is empty", Source(source, 1),
        "重新从网银导出对账单 / export the statement from the bank again")])


def read_text_file(path: Path) -> str:
    """Decoded text of a CSV/TXT statement (UTF-8 with or without BOM, or GBK/GB18030)."""
    text = decode(path.read_bytes(), str(path))
    if not text.strip():
        raise empty_file(str(path))
    return text


def read_xlsx(path: Path) -> pd.DataFrame:
    """The first worksheet as a grid (a date cell reads ``YYYY-MM-DD HH:MM:SS``); no workbook: ``bad-xlsx``."""
    try:
        grid = pd.read_excel(path, header=None, dtype=object, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FinshareError([Problem(
            "bad-xlsx", "文件扩展名是 .xlsx，内容却不是 Excel 工作簿 / the file is named .xlsx but is not an Excel "
            "workbook",
            Source(str(path)), "用 Excel 打开并另存为 .xlsx，或从网银导出 CSV / open it in Excel and save it as "
                               ".xlsx again, or export CSV from the bank")]) from None
    if grid.empty:
        raise empty_file(str(path))
    return clean(grid)


def kind(path: Path) -> str:
    """``"text"`` or ``"xlsx"`` by suffix; another suffix is an ``unsupported-file`` problem."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    raise FinshareError([Problem(
        "unsupported-file", f"不支持的文件类型 {suffix or '(无扩展名)'} / unsupported file type "
        f"{suffix or '(no suffix)'}", Source(str(path)),
        "导出为 .csv、.txt 或 .xlsx（.xls 请在 Excel 中另存为 .xlsx）/ export as .csv, .txt or .xlsx "
        "(save an .xls as .xlsx in Excel)")])


def check_exists(path: Path) -> None:
    if not path.is_file():
        raise FinshareError([Problem("missing-file", f"没有文件 {path} / no file {path}", Source(str(path)),
                                     "检查路径 / check the path")])
