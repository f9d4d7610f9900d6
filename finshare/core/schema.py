"""Table schemas as data: typed fields with bilingual labels, checked in one pass.

Master-data tables and business-document types are described by YAML
(``finshare/data/*.yaml``), not by code, so a new document type needs no new
engine code. :func:`check_table` validates a raw text table against a
schema and returns a typed frame plus every problem found, each naming the
file, line and field.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from . import money
from .problems import FinshareError, Problem, Source
from .textio import read_csv
from .uscc import uscc_problem

FIELD_TYPES = {"str", "code", "ref", "docref", "enum", "date", "int", "decimal", "money", "currency", "uscc", "bool"}
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$"
LINE = "_line"  # CSV line number (header is line 1)
#: Bookkeeping columns ``finshare export --what documents`` adds after a type's fields; loading ignores them,
#: so an exported table can be put back as the case's CSV file.
EXPORT_COLUMNS = ("_doc_type", "_source_file", "_source_row")
#: Dates finshare accepts (a year outside is a typing error, and would overflow date arithmetic).
DATE_MIN, DATE_MAX = pd.Timestamp("1900-01-01"), pd.Timestamp("2999-12-31")
DATE_RANGE_HINT = "check the year: dates run from 1900-01-01 to 2999-12-31, written YYYY-MM-DD"


@dataclass(frozen=True)
class FieldSpec:
    """One column: name, type, labels and constraints."""

    name: str
    type: str = "str"
    required: bool = False
    label_zh: str = ""
    label_en: str = ""
    ref: str | None = None                 # master-data table (ref) or document type (docref)
    values: tuple = ()                     # allowed values for type enum
    aliases: Mapping[str, str] = field(default_factory=dict)  # enum synonyms -> value
    currency_field: str | None = None      # for money: the column holding the currency
    lookup: tuple | None = None            # derived: (via_field, table, column)
    scope: str = "header"                  # header or line (documents)

    @property
    def kind(self) -> str:
        """The kind conditions see: money, date, int, decimal, bool or str."""
        return self.type if self.type in ("money", "date", "int", "decimal", "bool") else "str"


@dataclass(frozen=True)
class TableSpec:
    """A table: its key field and its fields in order."""

    name: str
    label_zh: str
    label_en: str
    key: str | None
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def field_from_yaml(name: str, spec: Mapping | str | None, scope: str = "header") -> FieldSpec:
    """Build a :class:`FieldSpec` from its YAML mapping (or a bare type name)."""
    spec = {"type": spec} if isinstance(spec, str) else dict(spec or {})
    ftype = spec.get("type", "str")
    if ftype not in FIELD_TYPES and "lookup" not in spec:
        raise ValueError(f"field {name}: unknown type {ftype!r}; use one of {', '.join(sorted(FIELD_TYPES))}")
    lookup = spec.get("lookup")
    if lookup is not None:
        lookup = (lookup["from"], lookup["table"], lookup["column"])
    return FieldSpec(
        name=name, type=ftype, required=bool(spec.get("required", False)),
        label_zh=spec.get("label_zh", ""), label_en=spec.get("label_en", name),
        ref=spec.get("ref"), values=tuple(spec.get("values", ())),
        aliases=dict(spec.get("aliases", {})), currency_field=spec.get("currency_field"),
        lookup=lookup, scope=scope,
    )


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV would hold: dates ``YYYY-MM-DD``, whole numbers without ``.0``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.strftime("%Y-%m-%d") if (value.hour, value.minute, value.second) == (0, 0, 0) else \
            value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_excel_text(path: Path) -> pd.DataFrame:
    """The first sheet of a workbook as text (cells as a CSV export would write them).

    Raises
    ------
    FinshareError
        ``bad-excel`` when the file is not a workbook openpyxl can read.
    """
    try:
        frame = pd.read_excel(path, dtype=object)
    except Exception as exc:  # noqa: BLE001 — zip, XML or openpyxl faults all mean "not a workbook we can read"
        raise FinshareError([Problem("bad-excel", f"Excel 文件打不开 / cannot read the workbook: {type(exc).__name__}",
                                     Source(str(path)), "save it again from Excel as .xlsx, or export it as CSV UTF-8")
                             ]) from None
    return frame.apply(lambda col: col.map(_cell_text)).astype(str) if len(frame) else frame.astype(str)


def read_text_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (UTF-8 with or without BOM, or GBK/GB18030) or Excel sheet as text, keeping line numbers.

    Raises
    ------
    FinshareError
        When the CSV cannot be read (see :func:`finshare.core.textio.read_csv`).
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xls"):
        frame = read_excel_text(path)
    else:
        frame = read_csv(path)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda s: s.str.strip())
    frame[LINE] = np.arange(len(frame), dtype="int64") + 2
    return frame


def parse_dates(text: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse ``YYYY-MM-DD`` text (blank allowed) into dates, vectorised.

    Returns
    -------
    dates : pandas.Series of datetime64
        ``NaT`` where blank, malformed or out of range.
    malformed : numpy.ndarray of bool
        Not blank and not a date.
    out_of_range : numpy.ndarray of bool
        A date before :data:`DATE_MIN` or after :data:`DATE_MAX`.
    """
    text = text.fillna("").astype(str)
    blank = (text == "").to_numpy()
    dates = pd.to_datetime(text.where(~blank, None), format="%Y-%m-%d", errors="coerce")
    malformed = ~blank & dates.isna().to_numpy()
    out_of_range = (dates.notna() & ((dates < DATE_MIN) | (dates > DATE_MAX))).to_numpy()
    return dates.where(~out_of_range), malformed, out_of_range


def check_table(
    raw: pd.DataFrame,
    spec: TableSpec,
    source: str,
    refs: Mapping[str, pd.Index] | None = None,
    currency: pd.Series | None = None,
    context: Mapping[str, pd.Series] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a text table against ``spec`` and convert it to typed columns.

    Parameters
    ----------
    raw : pandas.DataFrame
        Text columns as read by :func:`read_text_table`, with ``_line``.
    spec : TableSpec
    source : str
        File name for messages.
    refs : mapping, optional
        Known codes per master-data table, for ``ref`` fields, and known
        numbers per document type under ``"doc:<type>"``, for ``docref``
        fields (not checked when the type is absent).
    currency : pandas.Series, optional
        Currency per row for money fields whose currency is not a column of
        this table (document lines take it from their header).
    context : mapping, optional
        Other currency columns by name, aligned with ``raw`` (a line's
        ``local_currency`` taken from its header).

    Returns
    -------
    frame : pandas.DataFrame
        Typed columns (money as int64 minor units, dates as datetime64,
        text as pandas ``string`` with ``<NA>`` for blanks).
    problems : list of Problem
    """
    stored = [f for f in spec.fields if f.lookup is None]
    labels = {f.label_zh: f.name for f in stored if f.label_zh}
    raw = raw.rename(columns={c: labels[c] for c in raw.columns if c in labels})
    if LINE not in raw.columns:
        raw = raw.assign(**{LINE: np.arange(len(raw), dtype="int64") + 2})
    problems = _column_problems(raw, spec, stored, source)
    if problems:
        return raw, problems
    out = pd.DataFrame(index=raw.index)
    check = _Checker(raw, source, problems, refs, currency, context, out)
    for f in sorted(stored, key=lambda f: f.type == "money"):  # currencies before amounts
        text = raw[f.name] if f.name in raw.columns else pd.Series("", index=raw.index)
        text = text.fillna("").astype(str)
        blank = (text == "").to_numpy()
        if f.required:
            check.report(blank, "missing-value", f"{f.label_zh or f.name} 为空 / {f.name} is empty", f.name,
                         f"fill in {f.name}")
        out[f.name] = check.column(f, text, blank)
    if spec.key:
        keys = raw[spec.key]
        check.report(keys.duplicated(keep="first").to_numpy() & (keys != "").to_numpy(), "duplicate-code",
                     f"{spec.label_zh}编码 {{value!r}} 重复 / duplicate {spec.name} code {{value!r}}", spec.key,
                     "each code must be unique; rename or delete the second row")
    out[LINE] = raw[LINE].to_numpy()
    return out, problems


def _column_problems(raw: pd.DataFrame, spec: TableSpec, stored: list, source: str) -> list[Problem]:
    """Columns the table does not know, and required columns it lacks (then no row is checked)."""
    names = {f.name for f in stored}
    problems = [Problem(
        "unknown-column", f"未知列 {c!r} / unknown column {c!r} in {spec.label_zh} {spec.name}",
        Source(source, 1, c), f"columns of {spec.name} are: {', '.join(f.name for f in stored)}")
        for c in raw.columns if c not in names and c != LINE and c not in EXPORT_COLUMNS]
    problems += [Problem(
        "missing-column", f"缺少必填列 {f.name!r} / required column {f.name!r} is missing",
        Source(source, 1, f.name), f"add a column {f.name} ({f.label_zh})")
        for f in stored if f.required and f.name not in raw.columns]
    return problems


class _Checker:
    """The checks of one table's values, one method per field type; problems name the file, line and field."""

    def __init__(self, raw, source, problems, refs, currency, context, out):
        self.raw, self.source, self.problems, self.refs = raw, source, problems, refs or {}
        self.currency, self.context, self.out = currency, context, out
        self.lines = raw[LINE].to_numpy()

    def report(self, mask, code, message, fname, hint) -> None:
        """One problem per flagged row (the first 200), ``{value}`` in ``message`` the row's text."""
        for i in np.flatnonzero(np.asarray(mask, dtype=bool))[:200]:
            value = self.raw[fname].iloc[i] if fname in self.raw.columns else ""
            self.problems.append(Problem(code, message.format(value=value),
                                         Source(self.source, int(self.lines[i]), fname), hint))

    def column(self, f, text: pd.Series, blank: np.ndarray) -> pd.Series:
        """The typed column of field ``f`` (text as pandas ``string`` with ``<NA>`` for blanks), its
        values checked."""
        check = getattr(self, f"_{f.type}", None)
        col = check(f, text, blank) if check is not None else None
        return text.astype("string").where(~blank, pd.NA) if col is None else col

    def _code(self, f, text, blank):
        self.report(~blank & ~text.str.match(CODE_PATTERN).to_numpy(), "bad-code",
                    "编码 {value!r} 格式不对 / malformed code {value!r}", f.name,
                    "codes are 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit")

    def _ref(self, f, text, blank):
        known = self.refs.get(f.ref)
        if known is not None:
            self.report(~blank & ~text.isin(known).to_numpy(), "unknown-reference",
                        f"{{value!r}} 不在{f.ref}中 / {{value!r}} is not a known {f.ref} code", f.name,
                        f"add it to {f.ref}.csv or correct the code")

    def _docref(self, f, text, blank):
        known = self.refs.get(f"doc:{f.ref}")
        if known is not None:
            self.report(~blank & ~text.isin(known).to_numpy(), "unknown-document-reference",
                        f"{{value!r}} 不是已有的{f.ref}单据 / {{value!r}} is not a known {f.ref} document", f.name,
                        f"import the {f.ref} document first, or correct the number")

    def _enum(self, f, text, blank):
        canon = text.replace(dict(f.aliases)) if f.aliases else text
        self.report(~blank & ~canon.isin(f.values).to_numpy(), "bad-value",
                    f"{{value!r}} 不是有效的{f.label_zh or f.name} / {{value!r}} is not a valid {f.name}",
                    f.name, f"use one of {', '.join(map(str, f.values))}")
        return canon.astype("string").where(~blank, pd.NA)

    def _currency(self, f, text, blank):
        self.report(~blank & ~text.isin(list(money.EXPONENTS)).to_numpy(), "unknown-currency",
                    "币别 {value!r} 未知 / unknown currency {value!r}", f.name,
                    f"use an ISO code: {', '.join(sorted(money.EXPONENTS))}")

    def _uscc(self, f, text, blank):
        for i in np.flatnonzero(~blank):
            why = uscc_problem(text.iloc[i])
            if why:
                zh, en = why.split(" / ", 1)
                self.problems.append(Problem(
                    "bad-uscc", f"统一社会信用代码 {text.iloc[i]} 无效：{zh} / "
                                f"invalid unified social credit code {text.iloc[i]}: {en}",
                    Source(self.source, int(self.lines[i]), f.name), "check the 18 characters against the licence"))

    def _date(self, f, text, blank):
        col, malformed, out_of_range = parse_dates(text)
        self.report(malformed, "bad-date", "日期 {value!r} 无效 / {value!r} is not a date",
                    f.name, "write dates as YYYY-MM-DD, e.g. 2020-03-05")
        self.report(out_of_range, "bad-date", "日期 {value!r} 超出 1900-01-01 至 2999-12-31 / "
                    "date {value!r} is outside 1900-01-01..2999-12-31", f.name, DATE_RANGE_HINT)
        return col

    def _number(self, f, text, blank):
        num = pd.to_numeric(text.str.replace(",", "", regex=False).where(~blank, None), errors="coerce")
        self.report(~blank & num.isna().to_numpy(), "bad-number", "{value!r} 不是数字 / {value!r} is not a number",
                    f.name, "write a plain number such as 1000 or 12.5")
        return num.astype("Int64") if f.type == "int" else num.astype("float64")

    _int = _decimal = _number

    def _money(self, f, text, blank):
        index = self.raw.index
        if f.currency_field in self.out.columns:
            cur = self.out[f.currency_field]
        elif self.context and f.currency_field in self.context:
            cur = pd.Series(self.context[f.currency_field].to_numpy(), index=index)
        elif self.currency is not None:
            cur = pd.Series(self.currency.to_numpy(), index=index)
        else:
            cur = pd.Series("CNY", index=index)
        exp = money.exponents(cur.fillna(""))
        minor, bad = money.parse_amounts(text.where(~blank, "0"), exp)
        self.report(~blank & bad & (exp >= 0), "bad-amount",
                    "金额 {value!r} 无效 / {value!r} is not an amount in this currency", f.name,
                    "write e.g. 20000.00 (at most the currency's decimal places; VND has none)")
        return pd.Series(minor, index=index, dtype="int64")

    def _bool(self, f, text, blank):
        low = text.str.lower()
        self.report(~blank & ~low.isin(["1", "0", "true", "false", "yes", "no", "y", "n", "是", "否", "启用", "禁用"]),
                    "bad-value", "{value!r} 不是是/否 / {value!r} is not yes/no", f.name, "write true or false")
        return low.isin(["1", "true", "yes", "y", "是", "启用"])
