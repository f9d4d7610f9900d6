"""The tables of receivable clearing: open items, receipts, clearings and the unmatched queue.

Money is int64 minor units of the row's currency. Each table's columns are
data (name → dtype, meaning) so the README and the tests read the same list.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: Open AR invoices (应收未核销): one row per invoice.
OPEN_ITEM_COLUMNS: dict[str, tuple[str, str]] = {
    "invoice": ("string", "应收单号 / the invoice document's doc_no"),
    "invoice_no": ("string", "发票号 / the tax invoice number, empty where none"),
    "customer": ("string", "客户编码 / customer code"),
    "org": ("string", "业务组织 / business unit"),
    "date": ("datetime64[ns]", "单据日期 / invoice date"),
    "due": ("datetime64[ns]", "到期日 / due date, NaT where none"),
    "currency": ("string", "币别 / currency of the invoice"),
    "amount": ("int64", "价税合计 / receivable, minor units"),
    "settled": ("int64", "已核销 / already cleared, minor units"),
    "open": ("int64", "未核销 / amount - settled, minor units"),
}

#: Receipts from either source: bank lines (payer name and memo) or 收款单 (customer code and reference).
RECEIPT_COLUMNS: dict[str, tuple[str, str]] = {
    "receipt": ("string", "收款标识 / receipt id: the 收款单 doc_no or the bank line's id"),
    "source": ("string", "'bank' (bank line, money not yet booked) or 'receipt' (收款单, already posted)"),
    "date": ("datetime64[ns]", "收款日期 / date received"),
    "org": ("string", "业务组织 / business unit the money came to"),
    "bank_account": ("string", "银行账户编码 / bank account code (dimension of 1002)"),
    "currency": ("string", "币别 / currency"),
    "amount": ("int64", "金额 / amount received, minor units, > 0"),
    "customer": ("string", "客户编码 / customer code where known (收款单), else empty"),
    "payer": ("string", "付款人 / payer name as the bank printed it"),
    "memo": ("string", "摘要 / memo, where invoice references are looked for"),
    "reference": ("string", "单据引用 / invoice reference the 收款单 names, else empty"),
}

#: One row per receipt × invoice cleared (or proposed).
CLEARING_COLUMNS: dict[str, tuple[str, str]] = {
    "receipt": ("string", "收款标识 / receipt id"),
    "invoice": ("string", "应收单号 / invoice doc_no"),
    "customer": ("string", "客户编码 / the invoice's customer"),
    "currency": ("string", "币别 / currency"),
    "amount": ("int64", "核销金额 / amount cleared against the invoice, minor units"),
    "fee": ("int64", "手续费 / shortfall taken as bank fee (Dr 6603), minor units"),
    "advance": ("int64", "预收 / overpayment to 2203 预收账款, minor units"),
    "rule": ("string", "规则 / the rule that matched"),
    "agreed": ("string", "一致字段 / fields that agreed, e.g. 'reference,amount,customer'"),
    "score": ("int64", "分数 / 0–100, how sure"),
    "status": ("string", "'auto' (cleared) or 'proposed' (to be confirmed)"),
}

#: Receipts not matched, with why.
UNMATCHED_COLUMNS: dict[str, tuple[str, str]] = {
    "receipt": ("string", "收款标识 / receipt id"),
    "customer": ("string", "客户编码 / customer the payer resolved to, empty where none"),
    "currency": ("string", "币别 / currency"),
    "amount": ("int64", "金额 / amount, minor units"),
    "reason": ("string", "原因 / why it was not matched (中文 / English)"),
}


def empty(columns: dict) -> pd.DataFrame:
    """A table with no rows and the schema's dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, (t, _) in columns.items()})


def conform(frame: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """Order and type ``frame`` as ``columns``; missing text columns become empty, missing ``due`` NaT."""
    out = {}
    n = len(frame)
    for c, (t, _) in columns.items():
        if c in frame:
            col = frame[c]
            if t == "string":
                col = col if str(col.dtype) == "string" else col.astype("string")
                out[c] = col.fillna("") if col.hasnans else col
            else:
                out[c] = col if str(col.dtype) == t else col.astype(t)
        elif t == "string":
            out[c] = pd.Series([""] * n, dtype="string", index=frame.index)
        elif t.startswith("datetime"):
            out[c] = pd.Series(pd.NaT, index=frame.index, dtype=t)
        elif c in ("settled", "fee", "advance"):
            out[c] = pd.Series(np.zeros(n, "int64"), index=frame.index)
        elif c == "open":
            out[c] = frame["amount"].astype("int64") - out["settled"]
        else:
            raise KeyError(c)
    return pd.DataFrame(out).reset_index(drop=True)


def receipts_from_bank_lines(lines: pd.DataFrame, org: str = "", bank_account: str = "") -> pd.DataFrame:
    """Receipt table from a bank-line table (:data:`finshare.reconcile.banklines.BANK_LINE_COLUMNS`).

    Only money received (``amount > 0``) is a receipt; its id is
    ``<account_no or file>#<row>``, the payer the counterparty name.
    """
    got = lines[lines["amount"] > 0]
    key = lines.attrs.get("account_no") or lines.attrs.get("file") or "bank"
    return conform(pd.DataFrame({
        "receipt": key + "#" + got["row"].astype(str), "source": "bank", "date": got["date"], "org": org,
        "bank_account": bank_account, "currency": got["currency"], "amount": got["amount"],
        "payer": got["counterparty"], "memo": got["memo"].fillna("") + " " + got["reference"].fillna("")}),
        RECEIPT_COLUMNS)


def markdown_table(columns: dict) -> str:
    """A schema as a Markdown table, for the README."""
    rows = ["| column | type | meaning |", "|---|---|---|"]
    rows += [f"| `{c}` | {t} | {m} |" for c, (t, m) in columns.items()]
    return "\n".join(rows)
