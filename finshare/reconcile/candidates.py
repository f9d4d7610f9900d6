"""Candidate pairs for a matching rule, by hash joins on exact keys (never all bank × all book lines).

Each function takes the free (not yet matched) lines of both sides and
returns pairs ``b, j`` with their day distance ``dd``; keys with more equal
candidates than the rule set's cap are left out and reported.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from finshare.core.columns import arrow_text

#: Reference-like tokens in a memo: letters then digits (``XS2020-0123``, ``CG001``).
REF_TOKEN = r"[A-Z]{1,6}[-_/]?\d[\d\-_/]{2,}"


def memo_references(memo: pd.Series) -> pd.DataFrame:
    """``pos, ref`` for the first two reference-like tokens of each memo (normalised), in C via pyarrow."""
    arr = pc.utf8_upper(pc.fill_null(arrow_text(memo), ""))
    out = []
    for _ in range(2):
        found = pc.struct_field(pc.extract_regex(arr, f"(?P<t>{REF_TOKEN})"), "t")
        valid = pc.is_valid(found).to_numpy(zero_copy_only=False)
        refs = pc.replace_substring_regex(pc.filter(found, pa.array(valid)), r"[^0-9A-Z]", "")
        out.append(pd.DataFrame({"pos": np.flatnonzero(valid), "ref": refs.to_numpy(zero_copy_only=False)}))
        arr = pc.replace_substring_regex(arr, REF_TOKEN, "", max_replacements=1)
    return pd.concat(out, ignore_index=True)


def _joint_keys(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> tuple[np.ndarray, np.ndarray, int]:
    """One int64 key per row for the values of ``on``, shared by both sides."""
    key, size = np.zeros(len(left) + len(right), dtype="int64"), 1
    for col in on:
        codes, uniq = pd.factorize(pd.concat([left[col], right[col]], ignore_index=True))
        key, size = key * len(uniq) + codes, size * max(len(uniq), 1)
    key, uniq = pd.factorize(key)
    return key[:len(left)], key[len(left):], max(len(uniq), 1)


def capped_join(left: pd.DataFrame, right: pd.DataFrame, on: list[str], cap: int,
                suffixes=("_b", "_j")) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Inner hash join on ``on``, leaving out keys whose pair count exceeds ``cap``.

    Returns the joined frame (``on`` columns once, the others with ``suffixes``) and
    the masks of the left and right rows left out.
    """
    lk, rk, n = _joint_keys(left, right, on)
    cl, cr = np.bincount(lk, minlength=n), np.bincount(rk, minlength=n)
    over = cl * cr > cap
    out_l, out_r = over[lk], over[rk]
    joined = left[~out_l].assign(_k=lk[~out_l]).merge(
        right[~out_r].drop(columns=on).assign(_k=rk[~out_r]), on="_k", suffixes=suffixes)
    return joined.drop(columns="_k"), out_l, out_r


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
    joined, crowded_b, crowded_j = capped_join(bcols, jcols, on, cap)
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
