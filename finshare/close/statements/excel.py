"""Statements as an Excel workbook (openpyxl): a sheet per statement, as the forms are laid out.

Each sheet has a title row, a row naming the form, book, period and unit,
then the frozen bilingual header (``项目 Item``, ``行次 Line``, the amount
columns) and the lines: amounts as numbers with the book currency's
decimals (``#,##0.00``; ``#,##0`` for VND), header lines without amounts,
subtotals and totals in bold, detail lines indented.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...core import tablefiles as tf
from ...core.problems import FinshareError, Problem, Source
from .layout import layout
from .report import CAPTIONS

ITEM, LINE = "项目 Item", "行次 Line"
_STRONG = ("subtotal", "total")


def _captions(frame, basis: str) -> list[str]:
    units = list(frame.attrs.get("units", []))
    if units:
        return [ITEM, LINE, *units, "合计 Total", "上年同期 Prior year"]
    return [ITEM, LINE, CAPTIONS[basis]["current"], CAPTIONS[basis]["comparative"]]


def _sheet(wb, key: str, frame, book, period: str, lang: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    lay = layout(frame.attrs["statement"])
    ws = wb.create_sheet(tf.sheet_title(f"{key} {lay.title_zh if lang == 'zh' else lay.title_en}"))
    ws.append([f"{lay.title_zh} {lay.title_en}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"{lay.form}  编制单位 Entity: {book.name_zh if lang == 'zh' else book.name_en} ({book.code})  "
               f"期间 Period: {period}  单位 Unit: {book.currency}".strip()])
    captions = _captions(frame, lay.basis)
    ws.append(captions)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C4"
    money_cols = [*frame.attrs.get("units", []), "current", "comparative"]
    fmt = tf.number_format(book.exponent)
    scale = 10.0 ** book.exponent
    names = frame[f"name_{lang}"].tolist()
    for i, kind in enumerate(frame["kind"]):
        amounts = [None] * len(money_cols) if kind == "header" else \
            [int(frame[c].iat[i]) / scale for c in money_cols]        # the double nearest the exact amount
        ws.append([names[i], frame["code"].iat[i], *amounts])
        row = ws.max_row
        for cell in ws[row][2:]:
            cell.number_format = fmt
        ws.cell(row, 1).alignment = Alignment(indent=0 if kind in ("header", *_STRONG) else 1)
        if kind in _STRONG or kind == "header":
            for cell in ws[row]:
                cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = max(tf.text_width(n) for n in [ITEM, *names]) + 4
    ws.column_dimensions["B"].width = 10
    for j in range(3, len(captions) + 1):
        ws.column_dimensions[get_column_letter(j)].width = max(tf.text_width(captions[j - 1]) + 2, 18)


def write_statements(path, statements: dict, book, period: str, lang: str = "zh") -> Path:
    """Write ``{key: statement frame}`` (from :func:`~.report.book_statements`) to ``path`` (.xlsx).

    Raises
    ------
    FinshareError
        ``excel-amount-too-large`` when an amount has more digits than Excel keeps; ``out-not-writable``.
    """
    from openpyxl import Workbook
    path = Path(path)
    for frame in statements.values():
        cols = [*frame.attrs.get("units", []), "current", "comparative"]
        if (np.abs(frame[cols].to_numpy("int64")) >= tf.EXCEL_MAX_MINOR).any():
            raise FinshareError([Problem(
                "excel-amount-too-large", "报表中有超过 15 位有效数字的金额，Excel 会舍入 / a statement amount has more "
                "than 15 significant digits, which Excel would round", Source(book=book.code, field="format"),
                "改用 json 或 csv 格式（精确小数）/ use --format json or csv (exact decimals)")])
    wb = Workbook()
    wb.remove(wb.active)
    for key, frame in statements.items():
        _sheet(wb, key, frame, book, period, lang)
    try:
        wb.save(path)
    except OSError as exc:
        raise FinshareError([Problem("out-not-writable", f"不能写入 {path} / cannot write {path}: {exc.strerror or exc}",
                                     Source(str(path), field="out"), "换一个有写权限的文件夹 / choose a folder you may write to")]) from None
    return path


__all__ = ["ITEM", "LINE", "write_statements"]
