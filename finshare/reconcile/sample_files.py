"""Sample bank statements as files: one scenario written in the four banks' layouts, its journal and truth.

``finshare generate bank-statements --seed N --out DIR`` writes what a course or a
test reconciles: the same statement of account 100201 (bank account B001) as an
ICBC CSV (GBK, tab-separated), a CCB TXT (GBK), a BOC CSV (UTF-8) and a CMB
workbook; ``journal.csv`` (the bank account's journal, as ``finshare journal``
writes it); ``truth.csv`` (which statement rows and journal lines belong
together, and the kind of each outstanding item); and a README with the seed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.money import format_amounts
from ..core.problems import FinshareError, Problem, Source
from .bankfiles import write_statement
from .samples import bank_scenario

#: (layout, file format, encoding) of each statement written.
FILES = (("icbc", "csv", "gbk"), ("ccb", "txt", "gbk"), ("boc", "csv", "utf-8"), ("cmb", "xlsx", "utf-8"))
ACCOUNT_NO, ACCOUNT_NAME = "4100021709024500001", "福建制造公司厦门制造工厂"
JOURNAL_COLUMNS = ["line_id", "date", "period", "voucher_no", "account", "summary", "debit", "credit", "currency",
                   "customer", "supplier", "bank_account", "source_no", "counterparty_name"]


def statement_name(layout: str, fmt: str) -> str:
    """The file name of one layout's statement, e.g. ``icbc_statement.csv``."""
    return f"{layout}_statement.{fmt}"


def write_bank_samples(out: str | Path, seed: int = 2020, n_lines: int = 600, start: str = "2020-01",
                       months: int = 3) -> dict[str, int]:
    """Write the sample folder ``out`` (new or empty); return counts of statement lines, journal lines, groups."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FinshareError([Problem("folder-not-empty", "输出文件夹不是空的 / the output folder is not empty",
                                     Source(str(out)), "name a new folder, or empty this one")])
    out.mkdir(parents=True, exist_ok=True)
    bank, journal, truth = bank_scenario(seed, n_lines, start, months)
    for layout, fmt, encoding in FILES:
        write_statement(bank, out / statement_name(layout, fmt), layout, fmt, encoding, ACCOUNT_NO, ACCOUNT_NAME)
    journal_text(journal).to_csv(out / "journal.csv", index=False, lineterminator="\n")
    truth_table(truth).to_csv(out / "truth.csv", index=False, lineterminator="\n")
    counts = {"statement_lines": len(bank), "journal_lines": len(journal), "groups": len(truth.groups)}
    (out / "README.md").write_text(_readme(seed, n_lines, start, months, counts), encoding="utf-8")
    return counts


def journal_text(journal: pd.DataFrame) -> pd.DataFrame:
    """The journal as text columns, money as decimals (the shape ``finshare journal`` writes)."""
    out = journal.assign(currency="CNY").reindex(columns=JOURNAL_COLUMNS).fillna("")
    out["date"] = pd.to_datetime(journal["date"]).dt.strftime("%Y-%m-%d")
    for col in ("debit", "credit"):
        out[col] = format_amounts(journal[col].to_numpy("int64"), 2)
    return out


def truth_table(truth) -> pd.DataFrame:
    """``group, kind, statement_rows, journal_lines``: rows and line ids joined by spaces."""
    g = truth.groups
    join = lambda items: [" ".join(str(x) for x in t) for t in items]          # noqa: E731
    return pd.DataFrame({"group": g["group"].to_numpy(np.int64), "kind": g["kind"].astype(str).to_numpy(object),
                         "statement_rows": join(g["statement_rows"]), "journal_lines": join(g["journal_lines"])})


def _readme(seed: int, n_lines: int, start: str, months: int, counts: dict) -> str:
    files = "\n".join(f"- `{statement_name(lay, fmt)}` — {lay.upper()} layout, {fmt.upper()}, {enc.upper()}"
                      for lay, fmt, enc in FILES)
    return f"""# Sample bank statements 银行对账单样例

Written by `finshare generate bank-statements --seed {seed} --lines {n_lines} --out DIR`: {months} months from
{start}, {counts['statement_lines']:,} statement lines, {counts['journal_lines']:,} journal lines (the bank lines on
account 100201 and their counter lines), {counts['groups']:,} groups in the truth. Book and bank both open at
1,000,000.00. The same seed writes the same statements.

{files}
- `journal.csv` — the bank account's journal (money as decimals, CNY)
- `truth.csv` — which statement rows and journal lines belong together (`kind` says how)

Reconcile one month, e.g.:

    finshare reconcile bank --statement icbc_statement.csv --journal journal.csv --account 1002 \\
        --book-opening 1000000.00 --period {start}
"""
