"""Case folders for tests that need more documents than the Fujian case's three."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

FUJIAN = Path(__file__).resolve().parents[1] / "datasets" / "fujian"
#: biz_type, department, material of the three kinds of receipt (standard, administrative, selling)
KINDS = [("标准采购", "XM-PUR", "M001"), ("费用采购", "XM-ADM", "M002"), ("费用采购", "XM-MKT", "M003")]


def grown_case(dest: Path, prefix: str, n: int, seed: int = 0, days: int = 60) -> Path:
    """The Fujian case with ``n`` approved receipts ``{prefix}00001 …`` over ``days`` days from 2020-01-01.

    Units cycle XM, SZ, VN so every book gets vouchers; CNY→HKD and CNY→VND
    rates hold from 2020-01-01.
    """
    shutil.copytree(FUJIAN, dest, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, 3, n)
    numbers = [f"{prefix}{i:05d}" for i in range(1, n + 1)]
    header = pd.DataFrame({
        "doc_no": numbers,
        "date": (np.datetime64("2020-01-01") + rng.integers(0, days, n)).astype(str),
        "org": np.array(["XM", "SZ", "VN"])[np.arange(n) % 3],
        "biz_type": [KINDS[k][0] for k in kind], "supplier": np.array(["S001", "S002", "S003"])[rng.integers(0, 3, n)],
        "department": [KINDS[k][1] for k in kind], "currency": "CNY", "status": "approved", "remark": "",
    })
    cents = rng.integers(1, 10_000_000, n)
    lines = pd.DataFrame({"doc_no": numbers, "line_no": 1, "material": [KINDS[k][2] for k in kind], "qty": 1,
                          "price": [f"{c // 100}.{c % 100:02d}" for c in cents],
                          "amount": [f"{c // 100}.{c % 100:02d}" for c in cents]})
    header.to_csv(dest / "documents" / "purchase_receipt.csv", index=False)
    lines.to_csv(dest / "documents" / "purchase_receipt_lines.csv", index=False)
    with open(dest / "rates.csv", "a", encoding="utf-8") as fh:
        fh.write("2020-01-01,CNY,HKD,1.10\n2020-01-01,CNY,VND,3300\n")
    return dest


def batches(case_dir: Path) -> int:
    """How many batches the case's SQLite ledger holds."""
    con = sqlite3.connect(case_dir / "ledger.sqlite")
    try:
        return con.execute("select count(*) from batches").fetchone()[0]
    finally:
        con.close()
