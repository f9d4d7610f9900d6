"""Subset sums: which 2–k of one customer's open invoices a receipt pays together.

Searched only within one customer (and currency), only when it has at most
``max_open`` open invoices, and only combinations of at most ``max_k``
invoices (≤ 12 and ≤ 4: 781 combinations at most per customer). The sums of
all combinations of all customers with the same count of open invoices are
one numpy array; receipts are joined to them on (customer, sum).
"""
from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd


@lru_cache(maxsize=None)
def _combos(n: int, k: int) -> np.ndarray:
    return np.array(list(combinations(range(n), k)), dtype="int64").reshape(-1, k)


def combination_hits(items: pd.DataFrame, wanted: pd.DataFrame, max_open: int, max_k: int) -> pd.DataFrame:
    """Combinations of a group's items whose sum a receipt's amount equals.

    Parameters
    ----------
    items : DataFrame
        ``group, i, left`` — open items per group (customer × currency), in
        the order to prefer (oldest first).
    wanted : DataFrame
        ``r, group, amount`` — receipts to explain.

    Returns
    -------
    DataFrame
        ``r, hit, k, i`` — one row per invoice of each matching combination
        (``hit`` numbers the combinations of a receipt, fewest invoices and
        oldest first).
    """
    items = items[items["group"].isin(wanted["group"].unique())]
    items = items.assign(pos=items.groupby("group").cumcount(), n=items.groupby("group")["i"].transform("size"))
    items = items[(items["n"] >= 2) & (items["n"] <= max_open)]
    found = []
    for n, part in items.groupby("n"):
        groups = part["group"].drop_duplicates().to_numpy()
        row = pd.Index(groups).get_indexer(part["group"])
        left = np.zeros((len(groups), n), "int64")
        idx = np.zeros((len(groups), n), "int64")
        left[row, part["pos"]], idx[row, part["pos"]] = part["left"], part["i"]
        for k in range(2, min(max_k, n) + 1):
            c = _combos(n, k)
            sums = left[:, c].sum(axis=2)                                   # groups × combinations
            g, j = np.nonzero(np.isin(sums, wanted.loc[wanted["group"].isin(groups), "amount"].to_numpy()))
            if len(g):
                found.append(pd.DataFrame({"group": groups[g], "sum": sums[g, j], "k": k,
                                           "members": list(idx[g[:, None], c[j]])}))
    if not found:
        return pd.DataFrame({"r": pd.Series(dtype="int64"), "hit": pd.Series(dtype="int64"),
                             "k": pd.Series(dtype="int64"), "i": pd.Series(dtype="int64")})
    combos = pd.concat(found, ignore_index=True)
    hits = wanted.merge(combos, left_on=["group", "amount"], right_on=["group", "sum"])
    hits = hits.sort_values(["r", "k"], kind="stable")
    hits["hit"] = hits.groupby("r").cumcount()
    return hits[["r", "hit", "k", "members"]].explode("members").rename(columns={"members": "i"}) \
        .astype({"i": "int64"}).reset_index(drop=True)


def too_many(items: pd.DataFrame, max_open: int) -> pd.Series:
    """Open-item count per group where it exceeds ``max_open`` (no subset search there)."""
    n = items.groupby("group")["i"].size()
    return n[n > max_open]
