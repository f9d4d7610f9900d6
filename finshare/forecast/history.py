"""The receivable-history table (应收账款历史): one row per invoice, its schema and its checks.

A history is a pandas DataFrame with the columns of :data:`COLUMNS`:

=================  ==============  ==========================================================
column             dtype           meaning
=================  ==============  ==========================================================
``invoice_id``     str             invoice number as written (leading zeros kept)
``customer_id``    str             customer code
``invoice_date``   datetime64      date of the invoice
``due_date``       datetime64      date payment is due
``amount``         int64           amount in minor units of ``currency`` (fen, cents; VND dong)
``currency``       str             ISO 4217 code (CNY, HKD, VND …)
``settled_date``   datetime64      date the invoice was fully settled; NaT while open
``disputed``       boolean         optional: the invoice was disputed (争议)
``paperless``      boolean         optional: electronic invoice (电子发票)
``country``        str             optional: the customer's country
``payment_terms``  Int64           optional: agreed days from invoice to due date (账期)
=================  ==============  ==========================================================

In files, amounts are decimal text of the currency (``"1234.50"`` CNY) and dates text;
:func:`build_history` turns such text into the table, exactly (no floats), and checks it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.money import EXPONENTS, exponents, format_amounts, parse_amounts
from ..core.problems import FinshareError, Problem, Source

#: Columns every history has (``settled_date`` may be empty).
REQUIRED = ("invoice_id", "customer_id", "invoice_date", "due_date", "amount", "currency", "settled_date")
#: Yes/no columns a history may have.
FLAGS = ("disputed", "paperless")
#: Optional columns: the flags, ``country`` (text) and ``payment_terms`` (days).
OPTIONAL = FLAGS + ("country", "payment_terms")
#: Every canonical column, in order, with its label (中文, English).
COLUMNS = {
    "invoice_id": ("发票号", "invoice id"), "customer_id": ("客户编码", "customer id"),
    "invoice_date": ("开票日期", "invoice date"), "due_date": ("到期日", "due date"),
    "amount": ("金额", "amount"), "currency": ("币别", "currency"),
    "settled_date": ("结清日期", "settled date"), "disputed": ("有争议", "disputed"),
    "paperless": ("电子发票", "paperless"), "country": ("国家", "country"),
    "payment_terms": ("账期（天）", "payment terms (days)"),
}
DATES = ("invoice_date", "due_date", "settled_date")
#: Default yes/no words (compared case-insensitively).
TRUE_VALUES = ("true", "1", "yes", "y", "是")
FALSE_VALUES = ("false", "0", "no", "n", "否")
#: At most this many row numbers are written in one message.
ROWS_SHOWN = 10

EXCLUDED_COLUMNS = ["line", "invoice_id", "code", "message"]


@dataclass(frozen=True)
class History:
    """A checked receivable history and the rows left out of it.

    Attributes
    ----------
    table : DataFrame
        The history (:data:`COLUMNS`), one row per invoice, in input order.
    excluded : DataFrame
        ``line, invoice_id, code, message``: input rows dropped because they were bad
        (only when loading with ``exclude_bad=True``; a row may appear once per fault).
    source : str
        Where it came from (a file, or ``store``).
    """

    table: pd.DataFrame
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXCLUDED_COLUMNS))
    source: str = "<history>"

    def __len__(self) -> int:
        return len(self.table)

    @property
    def excluded_rows(self) -> int:
        """How many input rows were left out."""
        return int(self.excluded["line"].nunique()) if len(self.excluded) else 0

    def summary(self) -> str:
        """One bilingual line: invoices kept, open, and rows excluded by problem code."""
        t = self.table
        text = (f"{self.source}: {len(t):,} 张发票（未结清 {int(t['settled_date'].isna().sum()):,}）/ "
                f"{len(t):,} invoices ({int(t['settled_date'].isna().sum()):,} open)")
        if self.excluded_rows:
            counts = self.excluded.drop_duplicates(["line", "code"])["code"].value_counts().sort_index()
            text += (f"; 排除 {self.excluded_rows:,} 行 / {self.excluded_rows:,} rows excluded: "
                     + ", ".join(f"{code} {n:,}" for code, n in counts.items()))
        return text

    def __repr__(self) -> str:
        return f"<History {self.summary()}>"

    def _repr_html_(self) -> str:
        import html
        return f"<p>{html.escape(self.summary())}</p>" + self.table.head(10).to_html(index=False)


def empty_history() -> pd.DataFrame:
    """A history with no rows and the canonical dtypes."""
    return pd.DataFrame({
        "invoice_id": pd.Series(dtype=str), "customer_id": pd.Series(dtype=str),
        "invoice_date": pd.Series(dtype="datetime64[ns]"), "due_date": pd.Series(dtype="datetime64[ns]"),
        "amount": pd.Series(dtype="int64"), "currency": pd.Series(dtype=str),
        "settled_date": pd.Series(dtype="datetime64[ns]")})


def _text(col: pd.Series) -> pd.Series:
    """Cells as stripped text, blank for missing (Excel numbers and bools printed as Python does)."""
    return col.astype(object).where(col.notna(), "").astype(str).str.strip()


def _dates(col: pd.Series, date_format: str | None) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse a date column: (dates, blank, bad). Date cells (Excel) pass as they are."""
    is_date = col.astype(object).map(lambda v: hasattr(v, "toordinal") or isinstance(v, np.datetime64)).to_numpy(bool)
    is_date = is_date & col.notna().to_numpy()
    text = _text(col)
    blank = (text == "").to_numpy() & ~is_date
    out = pd.to_datetime(text.where(~is_date & ~blank, None), format=date_format or "%Y-%m-%d", errors="coerce")
    if is_date.any():
        out[is_date] = pd.to_datetime(col[is_date].astype(object)).to_numpy()
    out = pd.Series(out, index=col.index).astype("datetime64[ns]").dt.normalize()
    return out, blank, out.isna().to_numpy() & ~blank


def _flags(col: pd.Series, true_values, false_values) -> tuple[pd.Series, np.ndarray]:
    """Parse a yes/no column: (boolean series, bad)."""
    text = _text(col).str.lower()
    yes = text.isin([str(v).lower() for v in true_values]).to_numpy()
    no = text.isin([str(v).lower() for v in false_values]).to_numpy()
    out = pd.Series(pd.array(np.where(yes, True, False), dtype="boolean"), index=col.index)
    out[~yes & ~no] = pd.NA
    return out, (~yes & ~no & (text != "").to_numpy())


def _rows_text(lines: np.ndarray) -> str:
    shown = ", ".join(str(int(n)) for n in lines[:ROWS_SHOWN])
    return shown + (f" … (+{len(lines) - ROWS_SHOWN:,})" if len(lines) > ROWS_SHOWN else "")


#: Problem texts per code: (中文 message, English message, fix). ``{field}``, ``{rows}``, ``{fmt}``.
MESSAGES = {
    "missing-value": ("第 {rows} 行的 {field} 是空的", "rows {rows}: {field} is empty",
                      "填写 {field} / fill in {field}, or drop the rows"),
    "bad-date": ("第 {rows} 行的 {field} 不是日期（格式 {fmt}）", "rows {rows}: {field} is not a date in the format {fmt}",
                 "按 {fmt} 写日期，或在映射文件中写 date_format / write the dates as {fmt}, or set date_format "
                 "in the mapping file"),
    "bad-amount": ("第 {rows} 行的金额不是该币别的金额", "rows {rows}: amount is not a decimal amount of its currency",
                   "写成 1234.50 这样的数字，小数位不超过币别的位数 / write a number such as 1234.50 with no more "
                   "decimals than the currency has"),
    "negative-amount": ("第 {rows} 行的金额不大于零（红字发票不是应收）",
                        "rows {rows}: amount is zero or negative (a credit note is not a receivable)",
                        "删除这些行，或改正金额 / drop the rows or correct the amounts"),
    "unknown-currency": ("第 {rows} 行的币别未知", "rows {rows}: currency is not one finshare knows",
                         "使用 ISO 币别代码 / use an ISO code: " + ", ".join(sorted(EXPONENTS))),
    "settled-before-invoiced": ("第 {rows} 行的结清日期早于开票日期", "rows {rows}: settled_date is before invoice_date",
                                "核对这两个日期 / check both dates; an advance payment is not a settlement"),
    "due-before-invoiced": ("第 {rows} 行的到期日早于开票日期", "rows {rows}: due_date is before invoice_date",
                            "核对到期日与账期 / check the due date and the payment terms"),
    "duplicate-invoice": ("第 {rows} 行的发票号重复", "rows {rows}: the same invoice_id appears more than once",
                          "每张发票只写一行；删除或改正重复的行 / one row per invoice: drop or renumber the repeats"),
    "bad-flag": ("第 {rows} 行的 {field} 不是“是/否”", "rows {rows}: {field} is neither a true nor a false value",
                 "使用映射文件中的 true_values / false_values / use one of the mapping's true_values or "
                 "false_values"),
    "bad-terms": ("第 {rows} 行的账期不是天数", "rows {rows}: payment_terms holds no number of days",
                  "写天数，如 30 或 Net 30 / write days, e.g. 30 or Net 30"),
}


def row_problem(code: str, lines: np.ndarray, source: str, column: str | None = None, fmt: str = "") -> Problem:
    """One problem naming the file ``lines`` (1-based, header = line 1) where ``code`` applies."""
    zh, en, fix = MESSAGES[code]
    values = {"rows": _rows_text(lines), "field": column or "", "fmt": fmt or "%Y-%m-%d"}
    return Problem(code, f"{zh.format(**values)} / {en.format(**values)}",
                   Source(source, int(lines[0]), column), fix.format(**values))


def missing_columns(names, source: str, where: str = "") -> list[Problem]:
    """``missing-column`` problems for required columns absent from ``names``."""
    gone = [c for c in REQUIRED if c not in set(names)]
    return [Problem("missing-column",
                    f"缺少列 {c}（{COLUMNS[c][0]}）/ column {c} ({COLUMNS[c][1]}) is missing{where}",
                    Source(source, 1, c),
                    f"在文件中加入这一列，或在映射文件 columns: 中写 {c}: <文件中的列名> / add the column, or map "
                    f"it in the mapping file: columns: {{{c}: <the file's column>}}") for c in gone]


def build_history(text: pd.DataFrame, source: str = "<history>", date_format: str | None = None,
                  true_values=TRUE_VALUES, false_values=FALSE_VALUES, exclude_bad: bool = False,
                  lines: np.ndarray | None = None) -> History:
    """Turn a table of canonical columns (text, or Excel cells) into a checked :class:`History`.

    Parameters
    ----------
    text : DataFrame
        Columns named as in :data:`COLUMNS` (others are ignored); cells as text, numbers or dates.
    source : str
        File name for messages.
    date_format : str, optional
        ``strptime`` format of the date text (default ``%Y-%m-%d``).
    true_values, false_values : sequence of str
        Words for yes and no in the flag columns (case-insensitive).
    exclude_bad : bool, default=False
        Drop bad rows and list them in :attr:`History.excluded` instead of raising.
    lines : ndarray, optional
        The file line of each row (default: row index + 2, the header being line 1).

    Returns
    -------
    History

    Raises
    ------
    FinshareError
        ``missing-column`` always; with ``exclude_bad=False`` one problem per fault naming its rows:
        ``missing-value``, ``bad-date``, ``bad-amount``, ``negative-amount``, ``unknown-currency``,
        ``settled-before-invoiced``, ``due-before-invoiced``, ``duplicate-invoice``, ``bad-flag``,
        ``bad-terms``.
    """
    problems = missing_columns(text.columns, source)
    if problems:
        raise FinshareError(problems, f"{source} 不是应收账款历史 / {source} is not a receivable history")
    text = text.reset_index(drop=True)
    lines = np.arange(len(text)) + 2 if lines is None else np.asarray(lines)
    table, faults = _parse(text, date_format, true_values, false_values)
    faults += _logic(table)
    table = table[[c for c in COLUMNS if c in table]]
    bad = np.zeros(len(text), dtype=bool)
    found = []
    for code, column, mask in faults:
        if mask.any():
            bad |= mask
            found.append((code, column, mask))
    if found and not exclude_bad:
        raise FinshareError([row_problem(c, lines[m], source, col, date_format) for c, col, m in found],
                            f"应收账款历史 {source} 有错误 / receivable history {source} has problems")
    excluded = pd.DataFrame([
        {"line": int(n), "invoice_id": table["invoice_id"].iat[i], "code": c,
         "message": row_problem(c, lines[[i]], source, col, date_format).message}
        for c, col, m in found for i, n in zip(np.flatnonzero(m), lines[m])], columns=EXCLUDED_COLUMNS)
    return History(table[~bad].reset_index(drop=True), excluded, source)


def _parse(text: pd.DataFrame, date_format, true_values, false_values) -> tuple[pd.DataFrame, list]:
    """Typed columns and (code, column, mask) faults of parsing."""
    faults = []
    table = pd.DataFrame(index=text.index)
    for c in ("invoice_id", "customer_id", "currency"):
        table[c] = _text(text[c]).astype(str)
        faults.append(("missing-value", c, (table[c] == "").to_numpy()))
    table["currency"] = table["currency"].str.upper()
    for c in DATES:
        table[c], blank, bad = _dates(text[c], date_format)
        if c != "settled_date":
            faults.append(("missing-value", c, blank))
        faults.append(("bad-date", c, bad))
    exp = exponents(table["currency"])
    unknown = (exp < 0) & (table["currency"] != "").to_numpy()
    amount_text = _text(text["amount"])
    minor, bad_amount = parse_amounts(amount_text, np.maximum(exp, 0))
    table["amount"] = minor
    faults += [("unknown-currency", "currency", unknown), ("missing-value", "amount", (amount_text == "").to_numpy()),
               ("bad-amount", "amount", bad_amount & (amount_text != "").to_numpy() & ~unknown),
               ("negative-amount", "amount", ~bad_amount & (minor <= 0))]
    for c in FLAGS:
        if c in text:
            table[c], bad = _flags(text[c], true_values, false_values)
            faults.append(("bad-flag", c, bad))
    if "country" in text:
        table["country"] = _text(text["country"])
    if "payment_terms" in text:
        terms = _text(text["payment_terms"])
        days = pd.to_numeric(terms.str.extract(r"(\d+)", expand=False), errors="coerce")
        table["payment_terms"] = days.astype("Int64")
        faults.append(("bad-terms", "payment_terms", (days.isna() & (terms != "")).to_numpy()))
    return table, faults


def _logic(table: pd.DataFrame) -> list:
    """Faults between columns: dates out of order, repeated invoice ids."""
    inv = table["invoice_date"]
    return [("settled-before-invoiced", "settled_date", (table["settled_date"] < inv).fillna(False).to_numpy(bool)),
            ("due-before-invoiced", "due_date", (table["due_date"] < inv).fillna(False).to_numpy(bool)),
            ("duplicate-invoice", "invoice_id",
             (table["invoice_id"].duplicated(keep=False) & (table["invoice_id"] != "")).to_numpy())]


def to_text(table: pd.DataFrame) -> pd.DataFrame:
    """The history for people and files: amounts as decimal text, dates ISO, open as blank."""
    out = table.copy()
    out["amount"] = format_amounts(table["amount"].to_numpy("int64"), exponents(table["currency"]))
    for c in DATES:
        out[c] = table[c].dt.strftime("%Y-%m-%d").fillna("")
    for c in FLAGS:
        if c in out:
            out[c] = table[c].map({True: "true", False: "false"}).fillna("")
    if "payment_terms" in out:
        out["payment_terms"] = table["payment_terms"].astype("string").fillna("")
    return out[[c for c in COLUMNS if c in out]]


__all__ = ["History", "COLUMNS", "REQUIRED", "OPTIONAL", "FLAGS", "build_history", "to_text", "empty_history",
           "missing_columns", "row_problem"]
