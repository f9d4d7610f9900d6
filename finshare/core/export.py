"""Exports for analysis: the journal, a trial balance and the stored documents as Parquet, Excel or CSV.

``finshare export`` brings the case into the store, posts what is approved
and writes what the ledger then holds; the formats are those of
:mod:`finshare.core.tablefiles` (money exact in each). What is written:

* ``journal`` — the columns of ``finshare journal``
  (:data:`finshare.core.journal.OUTPUT_COLUMNS`); in Excel one sheet per book.
* ``tb`` — the trial balance of one book and period, the columns of ``finshare tb``.
* ``documents`` — every stored document of every type as two tables,
  ``header`` and ``lines`` (:func:`document_tables`), written to
  ``<stem>_header.<ext>`` and ``<stem>_lines.<ext>`` (Excel: two sheets of one
  workbook). Each table has its type's CSV columns in order, the fields as
  canonical text and the status the store holds, then the bookkeeping
  columns of :data:`finshare.core.schema.EXPORT_COLUMNS`, which loading
  ignores: a type's rows saved as ``documents/<type>.csv`` and
  ``<type>_lines.csv`` load as the same documents.

Bad requests are refused before anything is posted or written.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from . import money
from . import tablefiles as tf
from .balances import MONEY_COLUMNS
from .journal import OUTPUT_COLUMNS
from .problems import FinshareError, Problem, Source
from .schema import EXPORT_COLUMNS

WHATS = ("journal", "tb", "documents")
FORMATS = ("parquet", "xlsx", "csv")
#: What ``finshare tb`` prints.
TB_COLUMNS = ["account", "account_name", "level", *MONEY_COLUMNS]
_DEFAULT = "CASE/export/<what>.<format>"
#: Bilingual captions of the journal and trial-balance columns in Excel (dimensions: their labels).
HEADERS = {
    "line_id": "行标识 Line id", "book": "账簿 Book", "kind": "凭证类型 Kind", "voucher_no": "凭证号 Voucher no.",
    "date": "日期 Date", "period": "期间 Period", "line": "行号 Line", "account": "科目 Account",
    "account_name": "科目名称 Account name", "summary": "摘要 Summary", "debit": "借方 Debit", "credit": "贷方 Credit",
    "currency": "币种 Currency", "amount_orig": "原币金额 Original amount", "currency_orig": "原币 Original currency",
    "org": "业务组织 Business unit", "source_type": "来源类型 Source type", "source_no": "来源单号 Source no.",
    "business_class": "业务分类 Business class", "template": "凭证模板 Template", "template_line": "模板行 Template line",
    "reverses": "冲销凭证 Reverses", "batch": "批次 Batch", "level": "级次 Level",
    "opening_debit": "期初借方 Opening debit", "opening_credit": "期初贷方 Opening credit",
    "closing_debit": "期末借方 Closing debit", "closing_credit": "期末贷方 Closing credit",
}


def headers() -> dict:
    """:data:`HEADERS` with the auxiliary dimensions (核算项目) of this process, ``供应商 Supplier`` …"""
    from .dimensions import DIMENSIONS
    return {**{d: f"{zh} {en}" for d, (zh, en) in DIMENSIONS.items()}, **HEADERS}


# ----------------------------------------------------------------- checks
def check_request(case, what: str, book: str | None = None, period: str | None = None) -> None:
    """Refuse an unknown book, a trial balance without ``--book`` and a malformed period.

    Raises
    ------
    FinshareError
        ``unknown-book``, ``missing-book`` or ``bad-period``.
    """
    from .ledger import check_period
    if book is not None:
        case.books[book]
    if what == "tb" and book is None:
        raise FinshareError([Problem("missing-book", "试算平衡表要指定账簿 / a trial balance is of one book",
                                     Source(field="book"), f"add --book, one of: {', '.join(case.books.codes())}")])
    if period is not None:
        check_period(period)


def _not_writable(path: Path, why: str, hint: str) -> FinshareError:
    return FinshareError([Problem("out-not-writable", f"不能写入 {path} / cannot write {path}: {why}",
                                  Source(str(path), field="out"), hint)])


def _check_target(path: Path) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise FinshareError([Problem(
            "out-folder-missing", f"输出文件夹 {folder} 不存在 / the output folder {folder} does not exist",
            Source(str(path), field="out"), f"create it first (mkdir -p {folder}), or leave out --out ({_DEFAULT})")])
    if path.is_dir():
        raise _not_writable(path, "它是文件夹 / it is a folder", f"name a file in it, e.g. --out {path / path.name}.parquet")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _not_writable(path, "没有写权限 / permission denied", "choose a folder you may write to")


def output_paths(case_path, what: str, fmt: str, out=None) -> list[Path]:
    """The files an export writes, checked: ``out`` or ``CASE/export/<what>.<fmt>`` (folder created).

    ``documents`` gives two files, ``<stem>_header`` and ``<stem>_lines``
    (one workbook for ``xlsx``).
    """
    if out is None:
        folder = Path(case_path) / "export"
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise _not_writable(folder, exc.strerror or str(exc), "give --out FILE in a folder you may write to")
        target = folder / f"{what}.{fmt}"
    else:
        target = Path(out)
    paths = [target]
    if what == "documents" and fmt != "xlsx":
        suffix = target.suffix or f".{fmt}"
        paths = [target.with_name(f"{target.stem}_{part}{suffix}") for part in ("header", "lines")]
    for p in paths:
        _check_target(p)
    return paths


# ----------------------------------------------------------------- tables
def account_names(lines: pd.DataFrame, books, lang: str = "zh") -> np.ndarray:
    """Each line's account name with its parents, from its book's chart (one look-up per book)."""
    names = np.full(len(lines), "", dtype=object)
    book = lines["book"].astype(str).to_numpy(object) if len(lines) else np.zeros(0, object)
    for code in pd.unique(book):
        rows = book == code
        names[rows] = books[code].chart.full_name(lines.loc[rows, "account"], lang).fillna("").to_numpy(object)
    return names


def journal_lines(ledger, book: str | None = None, kind: str = "gl", period: str | None = None) -> pd.DataFrame:
    """Stored journal lines (money in minor units), of one period when ``period`` is given."""
    lines = ledger.lines(book, kind)
    if period is not None:
        lines = lines[(lines["period"].astype(str) == period).to_numpy()].reset_index(drop=True)
    return lines


def journal_frame(lines: pd.DataFrame, books, lang: str = "zh") -> tuple[pd.DataFrame, dict]:
    """The columns of ``finshare journal`` (money in minor units) and the exponent of each money column."""
    frame = lines.assign(account_name=account_names(lines, books, lang)).reindex(columns=OUTPUT_COLUMNS)
    book_exp = money.exponents(lines["currency"].astype(object)) if len(lines) else np.zeros(0, "int64")
    orig_exp = money.exponents(lines["currency_orig"].astype(object)) if len(lines) else np.zeros(0, "int64")
    return frame, {"debit": book_exp, "credit": book_exp, "amount_orig": orig_exp}


def journal_text(lines: pd.DataFrame, books, lang: str = "zh") -> pd.DataFrame:
    """What ``finshare journal`` prints: amounts as exact text with the currency's decimals."""
    return tf.text_frame(*journal_frame(lines, books, lang))


def tb_frame(ledger, book: str, period: str | None = None, lang: str = "zh") -> tuple[pd.DataFrame, dict]:
    """``finshare tb`` columns (money in minor units) and exponents; ``attrs["period"]`` is the period."""
    tb = ledger.trial_balance(book, period, lang, exact=True)
    exp = ledger.case.books[book].exponent
    frame = tb[TB_COLUMNS].copy()
    frame.attrs["period"] = tb.attrs.get("period", period or "")
    return frame, {c: exp for c in MONEY_COLUMNS}


def tb_text(ledger, book: str, period: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """What ``finshare tb`` prints."""
    return tf.text_frame(*tb_frame(ledger, book, period, lang))


def _stored_documents(con, case, types=None) -> dict[str, pd.DataFrame]:
    """Per known document type (or only ``types``): its stored documents in store order, with status and
    source file names."""
    from .store.bulk import read_frame
    from .store.docstore import STATUS_NAMES
    from .store.tables import codes, documents
    wanted = [t for t in case.doctypes if types is None or t in types]
    type_ids = dict(con.execute(sa.select(codes.c.value, codes.c.id).where(codes.c.value.in_(wanted))).all())
    out = {}
    for code in sorted(type_ids):
        q = (sa.select(documents.c.id, documents.c.number, documents.c.status, documents.c.source_file,
                       documents.c.source_row.label("row"), documents.c.header, documents.c.lines)
             .where(documents.c.doc_type == type_ids[code]).order_by(documents.c.id))
        rows = read_frame(con, q)
        if rows.empty:
            continue
        files = sorted(set(rows["source_file"].astype("int64")))
        names = dict(con.execute(sa.select(codes.c.id, codes.c.value).where(codes.c.id.in_(files))).all())
        rows["source_name"] = rows["source_file"].astype("int64").map(names).fillna("").to_numpy(object)
        rows["status_name"] = rows["status"].astype("int64").map(STATUS_NAMES).to_numpy(object)
        out[code] = rows
    return out


def _union(frames: list[pd.DataFrame], tail: list[str]) -> pd.DataFrame:
    """Frames of several types one under the other: their columns in order, ``tail`` last, blanks ``""``."""
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in tail})
    cols = list(dict.fromkeys(c for f in frames for c in f.columns if c not in tail)) + tail
    out = pd.concat(frames, ignore_index=True).reindex(columns=cols)
    text = [c for c in cols if c != "_source_row"]
    out[text] = out[text].fillna("").astype(object)
    return out


def document_tables(ledger) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every stored document of every type: a header table and a lines table, fields as text.

    Returns
    -------
    header : pandas.DataFrame
        One row per document: the type's header columns in order (number and
        status included, the status as the store holds it), then
        ``_doc_type, _source_file, _source_row``.
    lines : pandas.DataFrame
        One row per document line: the type's line columns, then ``_doc_type``.
    """
    from .doctext import to_raw
    from .schema import LINE
    heads, lines = [], []
    with ledger.store.reading() as con:
        stored = _stored_documents(con, ledger.case)
    for code, rows in stored.items():
        dt = ledger.case.doctypes[code]
        raw_h, raw_l = to_raw(dt, rows, rows["status_name"])
        raw_h = raw_h.drop(columns=[LINE]).reindex(columns=[f.name for f in dt.header.fields if f.lookup is None])
        heads.append(raw_h.assign(_doc_type=code, _source_file=rows["source_name"].to_numpy(object),
                                  _source_row=rows["row"].to_numpy("int64")))
        raw_l = raw_l.reindex(columns=[f.name for f in dt.lines.fields if f.lookup is None])
        lines.append(raw_l.assign(_doc_type=code))
    return _union(heads, list(EXPORT_COLUMNS)), _union(lines, ["_doc_type"])


# ---------------------------------------------------------------- writing
def _write_tables(tables: dict, fmt: str, paths: list[Path], bom: bool = False, captions: bool = False) -> None:
    """``{sheet: (frame, money_exp)}``: one file per table (one workbook for xlsx, bilingual ``captions``
    and the trial balance's total row in bold when asked)."""
    if fmt == "xlsx":
        bold = {t: (f["level"] == 0).to_numpy() for t, (f, _) in tables.items() if "level" in f}
        tf.write_xlsx({t: tf.excel_frame(f, e, t) for t, (f, e) in tables.items()}, paths[0],
                      headers() if captions else None, bold)
        return
    for (frame, exp), path in zip(tables.values(), paths):
        if fmt == "parquet":
            tf.write_parquet(tf.arrow_table(frame, exp), path)
        else:
            tf.write_csv(tf.text_frame(frame, exp), path, bom)


def _journal_tables(ledger, fmt: str, book, kind: str, period, lang: str) -> dict:
    lines = journal_lines(ledger, book, kind, period)
    if fmt != "xlsx":
        return {"journal": journal_frame(lines, ledger.case.books, lang)}
    book_col = lines["book"].astype(str).to_numpy(object)
    return {code: journal_frame(lines[book_col == code].reset_index(drop=True), ledger.case.books, lang)
            for code in ([book] if book else ledger.case.books.codes())}


def write_export(ledger, what: str, fmt: str, paths: list[Path], book: str | None = None, kind: str = "gl",
                 period: str | None = None, lang: str = "zh") -> list[Path]:
    """Write the export to ``paths`` (from :func:`output_paths`); return them.

    The ledger is read as it is: post first (``ledger.post()``) so the
    export shows what is approved.

    Examples
    --------
    >>> ledger = Ledger(load_case("datasets/fujian", documents=False), "ledger.sqlite")   # doctest: +SKIP
    >>> ledger.post()                                                                      # doctest: +SKIP
    >>> write_export(ledger, "journal", "parquet", [Path("journal.parquet")])             # doctest: +SKIP
    [PosixPath('journal.parquet')]
    """
    if what == "journal":
        tables = _journal_tables(ledger, fmt, book, kind, period, lang)
    elif what == "tb":
        frame, exp = tb_frame(ledger, book, period, lang)
        tables = {f"{book} {frame.attrs['period']}".strip(): (frame, exp)}
    else:
        header, lines = document_tables(ledger)
        tables = {"header": (header, {}), "lines": (lines, {})}
    try:
        _write_tables(tables, fmt, paths, bom=what == "documents", captions=what != "documents")
    except OSError as exc:
        raise _not_writable(Path(exc.filename or paths[0]), exc.strerror or str(exc),
                            "choose a folder you may write to, with room for the file") from None
    return paths


__all__ = ["WHATS", "FORMATS", "TB_COLUMNS", "HEADERS", "headers", "check_request", "output_paths", "account_names", "journal_lines",
           "journal_frame", "journal_text", "tb_frame", "tb_text", "document_tables", "write_export"]
