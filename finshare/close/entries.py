"""Entry lines of closing vouchers (结转、折旧、调汇), ready for :meth:`finshare.Ledger.post_entries`."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import columns as C
from ..core.dimensions import DIMS
from ..core.posting import ENTRY_COLUMNS


def period_end(period: str) -> np.datetime64:
    """The last day of ``YYYY-MM``."""
    return pd.Period(period, "M").end_time.normalize().to_datetime64().astype("datetime64[D]")


def voucher_name(ledger, source_type: str, base: str) -> str:
    """``base`` for the first voucher of its kind; a later one (after the period was reopened) ``base-2`` …"""
    held = ledger.store.documents(source_type)["number"]
    n = int((held == base).sum() + held.str.startswith(base + "-").sum())
    return base if n == 0 else f"{base}-{n + 1}"


def empty() -> pd.DataFrame:
    return pd.DataFrame(columns=[*ENTRY_COLUMNS, "voucher_word"])


def entry_lines(rows: pd.DataFrame, date, name, summary, currency: str, word: str = "转",
                prefix: str = "close") -> pd.DataFrame:
    """Entry lines from ``rows`` (``org``, ``account``, ``net`` — debit positive — and dimension columns).

    ``name`` and ``summary`` are one value or one per row; ``date`` one date or one per row. Optional
    columns: ``currency_orig`` (the currency ``net`` is in; default ``currency``, the book's), and
    ``local_only`` (bool): such a line states ``net`` in the book's currency and moves no foreign amount
    (a revaluation line keeps its foreign currency with a foreign amount of zero).
    """
    n = len(rows)
    net = rows["net"].to_numpy("int64")
    debit = net > 0
    only = rows["local_only"].to_numpy(bool) if "local_only" in rows else np.zeros(n, bool)
    local = np.where(only, np.abs(net), 0)
    orig = np.where(only, 0, np.abs(net))
    out = {
        "doc_no": C.coded(pd.Series(np.broadcast_to(np.asarray(name, object), n), dtype=object)),
        "_doc": np.zeros(n, "int64"), "org": C.coded(rows["org"].astype(object)),
        "date": np.broadcast_to(np.asarray(date, "datetime64[D]"), n).copy(),
        "business_class": C.constant("", n), "class_name": C.constant("", n),
        "template_line": C.coded(pd.Series([f"{prefix}/{i + 1}" for i in range(n)], dtype=object)),
        "line_order": np.arange(1, n + 1, dtype="int64"), "side": pd.Categorical(np.where(debit, "debit", "credit")),
        "account": C.coded(rows["account"].astype(object)), "amount_orig": orig,
        "currency_orig": C.coded(rows["currency_orig"].astype(object)) if "currency_orig" in rows
        else C.constant(currency, n),
        "amount_local": local, "currency_local": C.constant(currency if only.any() else "", n),
        "summary": pd.Series(np.broadcast_to(np.asarray(summary, object), n), dtype="str"),
    }
    for d in DIMS:
        out[d] = C.coded(rows[d].fillna("").astype(object)) if d in rows else C.constant("", n)
    entries = pd.DataFrame(out)[ENTRY_COLUMNS]
    entries["voucher_word"] = C.constant(word, n)
    return entries


def text_keys(lines: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``lines`` with ``keys`` as plain text, blanks for missing values."""
    return lines.assign(**{k: lines[k].astype(str).replace({"nan": "", "<NA>": "", "None": ""}) for k in keys})
