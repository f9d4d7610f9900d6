"""What capture checks a page against: our entities (buyer must be one) and our bank accounts.

:func:`load_context` reads them from a master-data folder
(``organisations.csv``: legal entities with a ``uscc``; ``bank_accounts.csv``:
``account_no``), by default the Fujian year's.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.problems import FinshareError, Problem, Source

MASTER = Path(__file__).resolve().parents[2] / "datasets" / "fujian-2020" / "masterdata"


def load_context(master=None) -> dict:
    """``{"entities": {uscc: name_zh}, "accounts": {account_no, …}, "names": {name_zh, …}}``.

    Parameters
    ----------
    master : path, optional
        Master-data folder (default: ``datasets/fujian-2020/masterdata``).
    """
    folder = MASTER if master is None else Path(master)
    orgs_file, banks_file = folder / "organisations.csv", folder / "bank_accounts.csv"
    if not orgs_file.exists():
        raise FinshareError([Problem(
            "missing-file", f"找不到主数据 {orgs_file} / master data {orgs_file} not found",
            Source(file=str(orgs_file)), "指定含 organisations.csv 的主数据文件夹 / give the master-data "
            "folder that holds organisations.csv")])
    orgs = pd.read_csv(orgs_file, dtype=str).fillna("")
    orgs = orgs[orgs["uscc"] != ""]
    accounts = (pd.read_csv(banks_file, dtype=str).fillna("")["account_no"] if banks_file.exists()
                else pd.Series([], dtype=str))
    return {"entities": dict(zip(orgs["uscc"], orgs["name_zh"])), "names": set(orgs["name_zh"]),
            "accounts": set(accounts[accounts != ""])}
