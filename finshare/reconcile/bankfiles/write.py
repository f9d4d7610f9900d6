"""Writing the canonical bank-line table as one bank's export, for sample statements and tests.

The writer follows the layout's ``write:`` section (full header in the bank's
order, delimiter, thousands separators, banner and total rows, constant or
direction-dependent columns), so :func:`~.read.read_statement` of the file
gives back the same table. Times of day are made up (from 09:00, a few
minutes apart): the canonical table holds the day only.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from ...core import money
from ...core.tablefiles import EXCEL_MAX_MINOR, number_format
from .layouts import Layout, builtin

_THOUSANDS = r"(\d)(?=(\d{3})+(?!\d))"


def money_text(minor: np.ndarray, exp: np.ndarray, thousands: bool) -> pd.Series:
    """Minor units as decimal text, with thousands separators if asked (vectorised)."""
    text = pd.Series(money.format_amounts(minor, exp), dtype=object)
    return text.str.replace(_THOUSANDS, r"\1,", regex=True) if thousands else text


def _currency_name(layout: Layout, iso: str) -> str:
    return next((name for name, code in layout.currencies.items() if code == iso), iso)


def _columns(lines: pd.DataFrame, lay: Layout, own: dict) -> tuple[dict, np.ndarray]:
    """Header → column of text for the transaction rows, and the money-in mask."""
    n, w, c = len(lines), lay.write, lay.columns
    exp = money.exponents(lines["currency"].astype(str))
    amount = lines["amount"].to_numpy(dtype="int64")
    is_in = amount > 0
    fmt = lambda m: money_text(m, exp, bool(w.get("thousands")))            # noqa: E731
    blank = pd.Series([""] * n, dtype=object)
    ts = pd.to_datetime(lines["date"]).reset_index(drop=True) + pd.to_timedelta(
        9 * 3600 + (np.arange(n) * 397) % 30000, unit="s")
    out = {c["date"]: ts.dt.strftime(lay.date_format[0])}
    if "time" in c:
        out[c["time"]] = ts.dt.strftime(w.get("time_format", "%H%M%S"))
    if lay.mode == "signed":
        out[c["amount"]] = fmt(-amount if lay.direction.get("in") == "negative" else amount)
    elif lay.mode == "two":
        col_in, col_out = ("credit", "debit") if lay.direction["in"] == "credit" else ("debit", "credit")
        out[c[col_in]] = fmt(amount).where(is_in, "")
        out[c[col_out]] = fmt(-amount).where(amount < 0, "")
    else:
        ins, outs = (list(v) if isinstance(v, list) else [v] for v in (lay.direction["in"], lay.direction["out"]))
        out[c["flag"]] = pd.Series(np.where(is_in, str(ins[0]), str(outs[0])), dtype=object)
        out[c["value"]] = fmt(np.abs(amount))
    if "balance" in c:
        bal = lines["balance"].astype("Int64")
        out[c["balance"]] = fmt(bal.fillna(0).to_numpy("int64")).where(bal.notna().to_numpy(), "")
    if "currency" in c:
        out[c["currency"]] = lines["currency"].astype(str).map(lambda iso: _currency_name(lay, iso)) \
            .reset_index(drop=True)
    for key, own_key in (("counterparty", "account_name"), ("counterparty_account", "account_no")):
        spec, text = c.get(key), lines[key].astype(str).reset_index(drop=True)
        if isinstance(spec, dict):
            out[spec["in"]] = text.where(is_in, own[own_key])
            out[spec["out"]] = text.where(~is_in, own[own_key])
        elif spec:
            out[spec] = text
    for key in ("memo", "reference"):
        spec = c.get(key)
        if spec:
            out[spec[0] if isinstance(spec, list) else spec] = lines[key].astype(str).reset_index(drop=True)
    for key in ("account_no", "account_name"):
        if key in c:
            out[c[key]] = pd.Series([own[key]] * n, dtype=object)
    for header, spec in (w.get("fill") or {}).items():
        out[header] = pd.Series(np.where(is_in, spec["in"], spec["out"]) if isinstance(spec, dict) else [spec] * n,
                                dtype=object)
    return {h: out.get(h, blank) for h in (w.get("header") or lay.headers())}, is_in


def _facts(lines: pd.DataFrame, lay: Layout, own: dict) -> dict:
    """Values of the ``{placeholders}`` in banner and total rows."""
    amount = lines["amount"].to_numpy(dtype="int64")
    cur = str(lines["currency"].iloc[0]) if len(lines) else lay.currency
    exp = money.EXPONENTS.get(cur, 2)
    one = lambda m: money_text(np.array([m], dtype="int64"), exp, bool(lay.write.get("thousands")))[0]  # noqa: E731
    return {**own, "currency_name": _currency_name(lay, cur), "count": str(len(amount)),
            "debit_count": str(int((amount < 0).sum())), "credit_count": str(int((amount > 0).sum())),
            "debit_total": one(-amount[amount < 0].sum()), "credit_total": one(amount[amount > 0].sum()),
            "total": one(np.abs(amount).sum())}


def _fill(template: str, facts: dict) -> str:
    """``template`` with ``{name}`` replaced by ``facts[name]`` (plain replacement, no format mini-language)."""
    for key, value in facts.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def _grid(lines: pd.DataFrame, lay: Layout, own: dict) -> tuple[list[list[str]], int, list[str]]:
    """All rows of the file as text, the index of the first data row, and the header."""
    cols, _ = _columns(lines, lay, own)
    header = list(cols)
    facts = _facts(lines, lay, own)
    banner = [[_fill(str(v), facts) for v in row] for row in lay.write.get("banner") or []]
    data = pd.DataFrame(cols).to_numpy(dtype=object).tolist() if len(lines) else []
    totals = []
    for spec in lay.write.get("totals") or []:
        row = [""] * len(header)
        row[0] = _fill(str(spec.get("label", "")), facts)
        for key, value in spec.items():
            if key != "label" and isinstance(lay.columns.get(key), str) and lay.columns[key] in header:
                row[header.index(lay.columns[key])] = _fill(str(value), facts)
        totals.append(row)
    return banner + [header] + data + totals, len(banner) + 1, header


def _write_xlsx(rows: list[list[str]], first: int, n: int, money_cols: list[int], exp: int, path: Path) -> None:
    """Rows into a workbook; amounts of the transaction rows as numbers with the currency's decimals."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("交易明细")
    fmt = number_format(exp)
    for i, row in enumerate(rows):      # the writer is for samples: a row at a time is fine here
        cells = list(row)
        if first <= i < first + n:
            for j in money_cols:
                text = str(cells[j]).replace(",", "")
                if text and abs(money.to_minor(text, exp)) < EXCEL_MAX_MINOR:
                    cells[j] = WriteOnlyCell(ws, value=float(text))
                    cells[j].number_format = fmt
        ws.append(cells)
    wb.save(path)


def write_statement(lines: pd.DataFrame, path: str | Path, layout: str | Layout, fmt: str = "csv",
                    encoding: str = "gbk", account_no: str = "", account_name: str = "",
                    start=None, end=None) -> Path:
    """Write bank lines as ``layout``'s export (banner, header, rows, totals).

    Parameters
    ----------
    lines : pandas.DataFrame
        Canonical bank lines (:data:`~finshare.reconcile.banklines.BANK_LINE_COLUMNS`), one currency.
    path : str or Path
    layout : str or Layout
        ``icbc``, ``ccb``, ``boc``, ``cmb`` or a loaded layout.
    fmt : {"csv", "txt", "xlsx"}
        ``txt`` is tab-separated; ``csv`` uses the layout's delimiter.
    encoding : {"gbk", "utf-8"}
        For csv and txt.
    account_no, account_name : str
        The statement's own account, written in the banner (or on every row where the layout has it).
    start, end : date-like, optional
        The period in the banner; the first and last date by default.

    Returns
    -------
    Path
    """
    lay = builtin(layout) if isinstance(layout, str) else layout
    path = Path(path)
    dates = pd.to_datetime(lines["date"])
    first_day = pd.Timestamp(start) if start is not None else (dates.min() if len(lines) else pd.Timestamp("today"))
    last_day = pd.Timestamp(end) if end is not None else (dates.max() if len(lines) else first_day)
    own = {"account_no": account_no, "account_name": account_name,
           "start": first_day.strftime("%Y%m%d"), "end": last_day.strftime("%Y%m%d")}
    rows, first, header = _grid(lines, lay, own)
    if fmt == "xlsx":
        money_heads = [lay.columns[k] for k in ("amount", "debit", "credit", "value", "balance") if k in lay.columns]
        cur = str(lines["currency"].iloc[0]) if len(lines) else lay.currency
        _write_xlsx(rows, first, len(lines), [header.index(h) for h in money_heads], money.EXPONENTS.get(cur, 2),
                    path)
        return path
    delimiter = "\t" if fmt == "txt" else lay.write.get("delimiter", ",")
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path
