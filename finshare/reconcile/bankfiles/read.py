"""Reading a bank statement file into the canonical bank-line table.

``read_statement`` finds the layout (detected, named, or a mapping file), the
header row, the banner facts above it and the total rows below it, parses
the transactions column by column and checks the running balance. Every
fault is collected and raised at once as a :class:`FinshareError`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ...core import money
from ...core.problems import FinshareError, raise_if_any
from .. import banklines
from . import balance, detect, fields
from . import grid as grids
from .layouts import Layout, builtin, builtins, load_mapping, norm


def _layouts(layout: str | Layout | None, mapping: str | Path | None, path: Path) -> tuple[list[Layout], bool]:
    if mapping is not None:
        return [load_mapping(mapping)], True
    if isinstance(layout, Layout):
        return [layout], True
    if layout is not None:
        return [builtin(layout, str(path))], True
    return builtins(), False


def body(grid: pd.DataFrame, fit: detect.Fit) -> tuple[pd.DataFrame, np.ndarray]:
    """The transaction rows (after the header, before the first total row, blank rows dropped) and their lines."""
    rows = grid.iloc[fit.row + 1:]
    cells = rows.to_numpy(dtype=object)
    filled = cells != ""
    keep = filled.any(axis=1)
    rows, cells, filled = rows[keep], cells[keep], filled[keep]
    first = pd.Series(cells[np.arange(len(cells)), filled.argmax(axis=1)], dtype=object)   # first non-empty cell
    footer = tuple(norm(f) for f in fit.layout.footer)
    is_total = detect.normalise(first.astype("string").to_frame()).iloc[:, 0].str.startswith(footer).to_numpy()
    if is_total.any():
        rows = rows.iloc[:int(np.argmax(is_total))]
    return rows.reset_index(drop=True), rows.index.to_numpy() + 1


def banner_facts(grid: pd.DataFrame, fit: detect.Fit) -> dict:
    """Account number, name and currency read from the rows above the header (``label: value`` cells)."""
    facts: dict = {}
    cells = detect.normalise(grid.iloc[:fit.row]).to_numpy() if fit.row else np.empty((0, 0), dtype=object)
    raw = grid.iloc[:fit.row].to_numpy()
    for attr, labels in fit.layout.banner.items():
        for label in map(norm, labels):
            same = np.argwhere(cells == label)
            glued = np.argwhere(np.char.startswith(cells.astype(str), label + ":")) if cells.size else same[:0]
            if len(same):
                r, c = same[0]
                after = [v for v in raw[r, c + 1:] if v]
                facts.setdefault(attr, after[0] if after else "")
            elif len(glued):
                r, c = glued[0]
                facts.setdefault(attr, cells[r, c][len(label) + 1:])
    return facts


def _column(rows: pd.DataFrame, fit: detect.Fit, header: str) -> pd.Series:
    return rows.iloc[:, fit.positions[header]]


def _direction(rows, fit, lines, src, exp):
    """Signed amounts, the money-in mask and problems, by the layout's direction mode."""
    lay, col = fit.layout, lambda key: _column(rows, fit, lay.columns[key])
    if lay.mode == "signed":
        amount, problems = fields.amounts(col("amount"), exp, lines, src, lay.columns["amount"])
        amount = -amount if lay.direction.get("in") == "negative" else amount
        return amount, amount > 0, problems
    if lay.mode == "two":
        debit, p1 = fields.amounts(col("debit"), exp, lines, src, lay.columns["debit"])
        credit, p2 = fields.amounts(col("credit"), exp, lines, src, lay.columns["credit"])
        amount = credit - debit if lay.direction["in"] == "credit" else debit - credit
        return amount, amount > 0, p1 + p2
    value, p1 = fields.amounts(col("value"), exp, lines, src, lay.columns["value"])
    is_in, p2 = fields.flags(col("flag"), lay, lines, src, lay.columns["flag"])
    return np.where(is_in, value, -value), is_in, p1 + p2


def _text(rows, fit, key: str, is_in: np.ndarray) -> pd.Series | None:
    spec = fit.layout.columns.get(key)
    if spec is None:
        return None
    if isinstance(spec, dict):
        return pd.Series(np.where(is_in, _column(rows, fit, spec["in"]), _column(rows, fit, spec["out"])),
                         dtype="string")
    parts = [_column(rows, fit, h) for h in (spec if isinstance(spec, list) else [spec])]
    return fields.joined(parts)


def _attrs(rows, fit, facts: dict, path: Path) -> dict:
    cols = fit.layout.columns
    for attr in ("account_no", "account_name"):
        if not facts.get(attr) and attr in cols and len(rows):
            facts[attr] = _column(rows, fit, cols[attr]).iloc[0]
    cur = facts.get("currency") or (_column(rows, fit, cols["currency"]).iloc[0]
                                    if "currency" in cols and len(rows) else "")
    iso = {**fit.layout.currencies, **{c: c for c in money.EXPONENTS}}.get(cur, fit.layout.currency)
    return {"file": str(path), "layout": fit.layout.name, "bank": fit.layout.bank,
            "account_no": facts.get("account_no", ""), "account_name": facts.get("account_name", ""),
            "currency": iso}


def parse(rows: pd.DataFrame, lines: np.ndarray, fit: detect.Fit, attrs: dict, src: str):
    """The canonical columns of the transaction rows, and every problem found."""
    lay, n = fit.layout, len(rows)
    cur_head = lay.columns.get("currency")
    currency, problems = fields.currencies(_column(rows, fit, cur_head) if cur_head else None, attrs["currency"],
                                           lay, lines, src, cur_head, n)
    exp = money.exponents(currency)
    date, p = fields.dates(_column(rows, fit, lay.columns["date"]), lay, lines, src, lay.columns["date"])
    amount, is_in, p2 = _direction(rows, fit, lines, src, exp)
    frame = pd.DataFrame({"row": np.arange(1, n + 1), "date": date, "amount": amount, "currency": currency,
                          "source_line": lines})
    problems += p + p2
    if "balance" in lay.columns:
        frame["balance"], p3 = fields.balances(_column(rows, fit, lay.columns["balance"]), exp, lines, src,
                                               lay.columns["balance"])
        problems += p3
    for key in ("counterparty", "counterparty_account", "memo", "reference"):
        text = _text(rows, fit, key, is_in)
        if text is not None:
            frame[key] = text
    return frame, exp, problems


def read_statement(path: str | Path, layout: str | Layout | None = None,
                   mapping: str | Path | None = None) -> pd.DataFrame:
    """Read a bank statement (CSV, TXT or XLSX) as the canonical bank-line table.

    Parameters
    ----------
    path : str or Path
        The statement as exported by the bank's 网银.
    layout : str or Layout, optional
        A built-in layout name (``icbc``, ``ccb``, ``boc``, ``cmb``); detected when omitted.
    mapping : str or Path, optional
        A layout mapping file (YAML) for another bank; wins over ``layout``.

    Returns
    -------
    pandas.DataFrame
        :data:`finshare.reconcile.banklines.BANK_LINE_COLUMNS`, oldest first; ``attrs`` hold
        file, layout, bank, account_no, account_name, currency and ``order`` (the file's own order).

    Raises
    ------
    FinshareError
        Every problem found: ``empty-file``, ``unknown-layout``, ``layout-mismatch``, ``no-such-layout``,
        ``bad-date``, ``bad-amount``, ``bad-direction``, ``unknown-currency``, ``balance-broken`` …
    """
    path = Path(path)
    candidates, chosen = _layouts(layout, mapping, path)
    text, sheet = detect.load(path)
    fit = detect.best(path, detect.heads(path, text, sheet), candidates, chosen)
    grid = sheet if sheet is not None else grids.split(text, fit.delimiter)
    rows, lines = body(grid, fit)
    attrs = _attrs(rows, fit, banner_facts(grid, fit), path)
    frame, exp, problems = parse(rows, lines, fit, attrs, str(path))
    context = f"对账单 {path.name} 有错误 / statement {path.name} has problems"
    raise_if_any(problems, context)
    order = balance.OLDEST_FIRST
    if "balance" in frame:
        order, problems = balance.order(frame["amount"].to_numpy(), frame["balance"], frame["date"], exp, lines,
                                        str(path), fit.layout.columns["balance"])
        raise_if_any(problems, context)
    if order == balance.NEWEST_FIRST:
        frame = frame.iloc[::-1]
    out = banklines.conform(frame, **attrs)
    out.attrs["order"] = order
    return out


__all__ = ["read_statement", "FinshareError"]
