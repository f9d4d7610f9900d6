"""Reading the text files people bring: UTF-8 or GBK/GB18030, CSV faults as problems.

Chinese Excel saves "CSV" in the ANSI code page, GBK, and most tools save
UTF-8 (often with a BOM). Files are read as UTF-8 (a BOM is dropped) and, if
that fails, as GB18030, a superset of GBK. A CSV that pandas cannot parse
(an empty file, a row with too many fields, a quote never closed) becomes a
:class:`~finshare.core.problems.FinshareError` naming the file and the line.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .problems import FinshareError, Problem, Source

#: Encodings tried in order: UTF-8 (BOM allowed), then GB18030 (a superset of GBK).
ENCODINGS = ("utf-8-sig", "gb18030")
_SAVE_UTF8 = "save the file as UTF-8 (Excel: 另存为 → CSV UTF-8) or GBK"


def decode(data: bytes, source: str) -> str:
    """Text of a file's bytes, as UTF-8 or else GB18030.

    Raises
    ------
    FinshareError
        ``bad-encoding`` when neither decodes the bytes.
    """
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FinshareError([_bad_encoding(source)])


def read_text(path: str | Path) -> str:
    """A text file's contents, decoded with :func:`decode`."""
    return decode(Path(path).read_bytes(), str(path))


def read_csv(path: str | Path) -> pd.DataFrame:
    """A CSV file as a table of text, the first line giving the column names.

    Every row must have as many fields as the header line (so a stray
    trailing comma is caught, not silently shifting the columns). Columns
    with a blank name and no values (a trailing comma on every line, as some
    exports write) are dropped.

    Raises
    ------
    FinshareError
        ``bad-encoding``, ``empty-file``, ``csv-too-many-fields``,
        ``csv-unclosed-quote``, ``bad-csv``, ``duplicate-column`` or
        ``unnamed-column``, naming the file and line.
    """
    source = str(path)
    for encoding in ENCODINGS:
        try:
            grid = pd.read_csv(path, dtype=str, keep_default_na=False, header=None, encoding=encoding,
                               skipinitialspace=True)
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise FinshareError([Problem(
                "empty-file", "文件是空的 / the file is empty: it has no header line",
                Source(source, 1), "write the header line with the column names (and the rows), "
                                   "or delete the file")]) from None
        except pd.errors.ParserError as exc:
            raise FinshareError([_parser_problem(str(exc), source)]) from None
    else:
        raise FinshareError([_bad_encoding(source)])
    names = [str(c).strip() for c in grid.iloc[0]]
    frame = grid.iloc[1:].reset_index(drop=True)
    frame.columns = range(len(names))
    return _name_columns(frame, names, source)


def _name_columns(frame: pd.DataFrame, names: list[str], source: str) -> pd.DataFrame:
    """Give ``frame`` its header ``names``; drop blank-named empty columns, refuse the rest."""
    problems, keep = [], []
    for i, name in enumerate(names):
        if name == "":
            filled = np.flatnonzero((frame[i].str.strip() != "").to_numpy())
            if len(filled):
                problems.append(Problem(
                    "unnamed-column", f"第 {i + 1} 列没有列名 / column {i + 1} has values but no name",
                    Source(source, int(filled[0]) + 2), "write its name in the header line, or delete the column"))
            continue
        if name in names[:i]:
            problems.append(Problem(
                "duplicate-column", f"列名 {name!r} 出现两次 / column {name!r} appears twice in the header",
                Source(source, 1, name), "rename or delete one of the two columns"))
            continue
        keep.append(i)
    if problems:
        raise FinshareError(problems, f"文件 {source} 有错误 / {source} has problems")
    out = frame[keep]
    out.columns = [names[i] for i in keep]
    return out


def _parser_problem(text: str, source: str) -> Problem:
    """A pandas ``ParserError`` message as a problem with the file's line."""
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if fields:
        want, line, saw = (int(g) for g in fields.groups())
        return Problem(
            "csv-too-many-fields",
            f"第 {line} 行有 {saw} 个字段，表头只有 {want} 个 / line {line} has {saw} fields, the header has {want}",
            Source(source, line),
            "delete the extra values or the trailing comma, or put a value that contains a comma in quotes \"…\"")
    quote = re.search(r"EOF inside string starting at row (\d+)", text)
    if quote:
        line = int(quote.group(1)) + 1
        return Problem(
            "csv-unclosed-quote", f"第 {line} 行的引号没有结束 / the quote \" opened on line {line} is never closed",
            Source(source, line), "close the quote, or remove it; inside a quoted value write a quote as \"\"")
    return Problem("bad-csv", f"CSV 格式错误 / not a valid CSV file: {text.strip()}", Source(source),
                   "open it in Excel or a text editor and save it again as CSV")


def _bad_encoding(source: str) -> Problem:
    return Problem("bad-encoding", "文件既不是 UTF-8 也不是 GBK/GB18030 文本 / the file is neither UTF-8 nor "
                   "GBK/GB18030 text", Source(source), _SAVE_UTF8)


__all__ = ["ENCODINGS", "decode", "read_text", "read_csv"]
