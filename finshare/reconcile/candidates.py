"""Candidate pairs for a matching rule, by hash joins on exact keys (never all bank × all book lines).

Each function takes the free (not yet matched) lines of both sides and
returns pairs ``b, j`` with their day distance ``dd``; keys with more equal
candidates than the rule set's cap are left out and reported.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: Reference-like tokens in a memo: letters then digits (``XS2020-0123``, ``CG001``).
REF_TOKEN = r"[A-Z]{1,6}[-_/]?\d[\d\-_/]{2,}"


def memo_references(memo: pd.Series) -> pd.DataFrame:
    """``pos, ref`` for every reference-like token of each memo (normalised)."""
    found = memo.astype("string").fillna("").str.upper().str.findall(REF_TOKEN)
    exploded = found.explode().dropna()
    refs = exploded.astype("string").str.replace(r"[^0-9A-Z]", "", regex=True)
    return pd.DataFrame({"pos": exploded.index.to_numpy(dtype="int64"), "ref": refs.to_numpy()})


def capped_join(left: pd.DataFrame, right: pd.DataFrame, on: list[str], cap: int,
                suffixes=("_b", "_j")) -> tuple[pd.DataFrame, np.ndarray]:
    """Inner hash join on ``on``, leaving out keys whose pair count exceeds ``cap``.

    Returns the joined frame and the ``on`` key values left out (as a frame's rows).
    """
    lc = left.groupby(on, sort=False).size().rename("nl")
    rc = right.groupby(on, sort=False).size().rename("nr")
    both = pd.concat([lc, rc], axis=1, join="inner")
    over = both.index[(both["nl"] * both["nr"]) > cap]
    if len(over):
        keep_l = ~left.set_index(on).index.isin(over)
        keep_r = ~right.set_index(on).index.isin(over)
        left, right = left[keep_l], right[keep_r]
    return left.merge(right, on=on, suffixes=suffixes), over


def one_to_one_pairs(bank: pd.DataFrame, book: pd.DataFrame, keys: tuple, window: int, cap: int,
                     memo_refs: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Pairs of free bank and book lines agreeing on the rule's exact keys within ``window`` days.

    Returns
    -------
    pairs : DataFrame
        ``b, j, dd`` plus both sides' ``code`` and ``name`` for the counterparty checks.
    crowded_b, crowded_j : ndarray of int
        Positions left out because their key had more than ``cap`` candidate pairs.
    """
    bcols = bank[["pos", "day", "amount", "code", "name", "ref"]]
    jcols = book[["pos", "day", "amount", "code", "name", "ref"]]
    if "reference" in keys:
        extra = memo_refs[memo_refs["pos"].isin(bank["pos"])].merge(
            bcols.drop(columns="ref"), on="pos")
        bcols = pd.concat([bcols, extra], ignore_index=True)
        bcols = bcols[bcols["ref"] != ""].drop_duplicates(["pos", "ref"])
        jcols = jcols[jcols["ref"] != ""]
        on = ["ref", "amount"] if "amount" in keys else ["ref"]
    else:
        on = ["amount"]
        if "counterparty" in keys:
            bcols, jcols = bcols[bcols["code"] != ""], jcols[jcols["code"] != ""]
            on = ["amount", "code"]
    joined, over = capped_join(bcols, jcols, on, cap)
    crowded_b = bcols.set_index(on).index.isin(over)
    crowded_j = jcols.set_index(on).index.isin(over)
    joined = joined.rename(columns={"pos_b": "b", "pos_j": "j"})
    for col in ("code", "amount", "ref"):          # a join key keeps one column: give both sides it
        if col in on:
            joined[col + "_b"] = joined[col + "_j"] = joined[col]
    joined["dd"] = (joined["day_b"] - joined["day_j"]).abs()
    joined = joined[joined["dd"] <= window].drop_duplicates(["b", "j"])
    if "counterparty" in keys and "code" not in on:
        joined = joined[(joined["code_b"] == joined["code_j"]) & (joined["code_b"] != "")]
    return (joined.reset_index(drop=True), bcols["pos"].to_numpy()[crowded_b],
            jcols["pos"].to_numpy()[crowded_j])
