"""The canonical bank-line table every statement reader returns and every matcher takes.

One row per transaction of a bank statement (对账单), whatever the bank's
layout. Money is in integer minor units of the statement's currency; a
positive ``amount`` is money received (收入 / 贷方 on the bank's side), a
negative one money paid out (支出 / 借方).

The statement's own facts (its account number, bank, layout, file) travel in
``frame.attrs`` under the keys of :data:`ATTRS`.
"""
from __future__ import annotations

import pandas as pd

#: Column name → (pandas dtype, meaning). The order is the table's order.
BANK_LINE_COLUMNS: dict[str, tuple[str, str]] = {
    "row": ("int64", "1-based transaction row of the file (banner and total rows not counted)"),
    "date": ("datetime64[ns]", "交易日期 / booking date (the day, no time)"),
    "amount": ("int64", "signed amount in minor units: + received (收入), − paid (支出)"),
    "balance": ("Int64", "余额 after the line, minor units; <NA> where the file has none"),
    "currency": ("string", "ISO currency of the line, e.g. CNY"),
    "counterparty": ("string", "对方户名 / counterparty name as the bank printed it"),
    "counterparty_account": ("string", "对方账号 / counterparty account number"),
    "memo": ("string", "摘要, 用途 and 附言 joined by ' / ' (empty parts left out)"),
    "reference": ("string", "the bank's serial or reference (流水号, 业务参考号, 凭证号)"),
    "source_line": ("int64", "physical line of a text file or worksheet row of an xlsx, for messages"),
}

#: Keys of ``frame.attrs``: the statement's own facts.
ATTRS = ("file", "layout", "bank", "account_no", "account_name", "currency")


def empty_bank_lines() -> pd.DataFrame:
    """A bank-line table with no rows and the schema's dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, (t, _) in BANK_LINE_COLUMNS.items()})


def conform(frame: pd.DataFrame, **attrs) -> pd.DataFrame:
    """Order and type a frame's columns as :data:`BANK_LINE_COLUMNS` and set its attrs.

    Missing text columns become empty strings and a missing ``balance`` <NA>;
    missing ``row``, ``date``, ``amount`` or ``currency`` is a programming error
    (``KeyError``), readers always set them.
    """
    out = pd.DataFrame(index=frame.index)
    for col, (dtype, _) in BANK_LINE_COLUMNS.items():
        if col in frame:
            out[col] = frame[col].astype(dtype)
        elif dtype == "string":
            out[col] = pd.Series("", index=frame.index, dtype="string")
        elif col == "balance":
            out[col] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        elif col == "source_line":
            out[col] = frame["row"].astype("int64")
        else:
            raise KeyError(col)
    out = out.reset_index(drop=True)
    out.attrs.update({k: attrs.get(k, "") for k in ATTRS})
    return out


def markdown_table() -> str:
    """The schema as a Markdown table, for the README."""
    rows = ["| column | type | meaning |", "|---|---|---|"]
    rows += [f"| `{c}` | {t} | {m} |" for c, (t, m) in BANK_LINE_COLUMNS.items()]
    return "\n".join(rows)
