"""Invoice references in receipts: extracted from memos by one vectorised regex, joined on exact keys,
and, for typos, compared by edit distance only within the receipt's block (its customer's and its
amount's open invoices)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import Levenshtein

_SEPARATORS = r"[-/_ ]"


def normalise_refs(refs: pd.Series) -> pd.Series:
    """References compared: upper case without separators (``ys-0000012`` → ``YS0000012``)."""
    return refs.fillna("").astype("string").str.upper().str.replace(_SEPARATORS, "", regex=True)


def tokens(receipts: pd.DataFrame, pattern: str, most: int = 8) -> pd.DataFrame:
    """``r, token``: each receipt position with each reference it names (the ``reference`` field and the memo).

    The memo is searched with Arrow's RE2 engine (linear time, whatever the memo), taking the first
    match and removing it, up to ``most`` references per memo.
    """
    text = pa.array(receipts["memo"].fillna("").astype(str).to_numpy(object), pa.string())
    rows, found = [], []
    for _ in range(most):
        hit = pc.extract_regex(text, f"(?P<ref>{pattern})")
        ok = hit.is_valid().to_numpy(zero_copy_only=False)
        if not ok.any():
            break
        rows.append(np.flatnonzero(ok))
        found.append(pc.struct_field(hit, [0]).to_numpy(zero_copy_only=False)[ok])
        text = pc.replace_substring_regex(text, pattern, "", max_replacements=1)
    memo = pd.DataFrame({"r": np.concatenate(rows) if rows else np.zeros(0, "int64"),
                         "token": normalise_refs(pd.Series(np.concatenate(found) if found else [], dtype=object))
                         .to_numpy(object)})
    ref = normalise_refs(receipts["reference"])
    given = pd.DataFrame({"r": np.flatnonzero((ref != "").to_numpy()), "token": ref[ref != ""].to_numpy(object)})
    out = pd.concat([given, memo], ignore_index=True)
    return out[out["token"] != ""].drop_duplicates().reset_index(drop=True)


def invoice_keys(open_items: pd.DataFrame) -> pd.DataFrame:
    """``key, i``: each open item position under its doc_no and its invoice number."""
    parts = [pd.DataFrame({"key": normalise_refs(open_items[c]).to_numpy(object), "i": np.arange(len(open_items))})
             for c in ("invoice", "invoice_no")]
    keys = pd.concat(parts, ignore_index=True)
    return keys[keys["key"] != ""].drop_duplicates()


def exact_pairs(toks: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """``r, i, token``: receipts whose references equal an invoice key (a hash join)."""
    return toks.merge(keys, left_on="token", right_on="key")[["r", "i", "token"]].drop_duplicates(["r", "i"])


def fuzzy_pairs(toks: pd.DataFrame, keys: pd.DataFrame, blocks: pd.DataFrame, min_length: int,
                max_edits: int) -> pd.DataFrame:
    """``r, i, token``: references within ``max_edits`` edits of a key of an invoice in the receipt's block.

    ``blocks`` holds the candidate ``r, i`` pairs (same customer, or same amount); only those are compared.
    """
    toks = toks[toks["token"].str.len() >= min_length]
    cand = blocks.merge(toks, on="r").merge(keys, on="i")
    cand = cand[(cand["token"].str.len() - cand["key"].str.len()).abs() <= max_edits]
    if cand.empty:
        return pd.DataFrame({"r": pd.Series(dtype="int64"), "i": pd.Series(dtype="int64"),
                             "token": pd.Series(dtype=object)})
    dist = np.fromiter((Levenshtein.distance(a, b, score_cutoff=max_edits + 1)
                        for a, b in zip(cand["token"], cand["key"])), "int64", len(cand))
    return cand[dist <= max_edits][["r", "i", "token"]].drop_duplicates(["r", "i"])
