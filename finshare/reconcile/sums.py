"""Subset sums inside small candidate groups: one line equal to the sum of 2…k lines of the other side.

Candidates of a line are the other side's lines of the same counterparty and
sign, each smaller, within the date window, nearest first, at most ``k``.
All subsets of 2…``max_size`` of them are summed at once as a 0/1 matrix
product; a line with exactly one subset equal to its amount is matched.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd

from .candidates import capped_join


@lru_cache(maxsize=16)
def subset_matrix(k: int, max_size: int) -> np.ndarray:
    """0/1 matrix (subsets × k) of every subset of 2…``max_size`` of ``k`` columns."""
    rows = [c for size in range(2, max_size + 1) for c in combinations(range(k), size)]
    out = np.zeros((len(rows), k), dtype="int64")
    for i, c in enumerate(rows):
        out[i, list(c)] = 1
    return out


def _pairs(a: pd.DataFrame, m: pd.DataFrame, window: int, cap: int, by_code: bool) -> pd.DataFrame:
    """Anchor–member pairs of the same sign within the window: joined on the code, or else on the day
    (each anchor repeated for every day of its window, so the join stays a hash join)."""
    if by_code:
        return capped_join(a, m, ["code", "sign"], cap)[0]
    offsets = np.arange(-window, window + 1)
    spread = a.loc[a.index.repeat(len(offsets))].assign(
        day=np.repeat(a["day"].to_numpy(), len(offsets)) + np.tile(offsets, len(a)), anchor_day=np.repeat(
            a["day"].to_numpy(), len(offsets)))
    pairs = capped_join(spread, m.assign(day_j=m["day"]), ["day", "sign"], cap)[0]
    return pairs.assign(day_b=pairs["anchor_day"])


def sum_groups(anchors: pd.DataFrame, members: pd.DataFrame, window: int, k: int, max_size: int,
               cap: int, by_code: bool = True) -> tuple[pd.DataFrame, np.ndarray]:
    """Anchor lines equal to the sum of several member lines.

    Parameters
    ----------
    anchors, members : DataFrame
        ``pos, day, amount, code`` of the free lines of each side.
    by_code : bool, default=True
        Members must have the anchor's counterparty code; if False, any code (for bank
        lines whose payer is not known), blocked by sign and day.

    Returns
    -------
    found : DataFrame
        ``anchor, member`` positions, one row per member; no member twice.
    ambiguous : ndarray
        Anchors with more than one fitting subset, or whose subset shares a line with another's.
    """
    none = pd.DataFrame({"anchor": pd.Series(dtype="int64"), "member": pd.Series(dtype="int64")})
    a = anchors[["pos", "day", "amount", "code"]].assign(sign=np.sign(anchors["amount"]))
    m = members[["pos", "day", "amount", "code"]].assign(sign=np.sign(members["amount"]))
    pairs = _pairs(a, m, window, cap, by_code)
    if pairs.empty:
        return none, np.zeros(0, "int64")
    pairs["dd"] = (pairs["day_b"] - pairs["day_j"]).abs()
    pairs = pairs[(pairs["dd"] <= window) & (pairs["amount_j"].abs() < pairs["amount_b"].abs())]
    pairs = pairs.sort_values(["pos_b", "dd", "pos_j"])
    pairs["rank"] = pairs.groupby("pos_b").cumcount()
    pairs = pairs[pairs["rank"] < k]
    counts = pairs.groupby("pos_b")["rank"].transform("size")
    pairs = pairs[counts >= 2]
    if pairs.empty:
        return none, np.zeros(0, "int64")
    anchor_ids, row = np.unique(pairs["pos_b"].to_numpy(), return_inverse=True)
    amt = np.zeros((len(anchor_ids), k), dtype="int64")
    valid = np.zeros((len(anchor_ids), k), dtype="int64")
    member = np.full((len(anchor_ids), k), -1, dtype="int64")
    col = pairs["rank"].to_numpy()
    amt[row, col], valid[row, col], member[row, col] = pairs["amount_j"].to_numpy(), 1, pairs["pos_j"].to_numpy()
    target = pairs.drop_duplicates("pos_b").set_index("pos_b").loc[anchor_ids, "amount_b"].to_numpy()
    subsets = subset_matrix(k, max_size)
    fits = ((valid @ subsets.T) == subsets.sum(axis=1)) & ((amt @ subsets.T) == target[:, None])
    n_fit = fits.sum(axis=1)
    one = n_fit == 1
    chosen = subsets[fits[one].argmax(axis=1)]                      # (anchors with one fit) × k
    rows, cols = np.nonzero(chosen)
    found = pd.DataFrame({"anchor": anchor_ids[one][rows], "member": member[one][rows, cols]})
    shared = found["member"].duplicated(keep=False)
    clash = found.loc[shared, "anchor"].unique()
    found = found[~found["anchor"].isin(clash)]
    ambiguous = np.concatenate([anchor_ids[n_fit > 1], clash]).astype("int64")
    return found.reset_index(drop=True), ambiguous
