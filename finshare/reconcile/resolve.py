"""Turning scored candidate pairs into one-to-one matches: each line's unique best, both ways."""
from __future__ import annotations

import numpy as np
import pandas as pd

#: Rounds of "accept mutual unique bests, drop their lines" (each a few vectorised steps).
ROUNDS = 4


def mutual_best(pairs: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Accept pairs that are the unique best of both their lines, by score then day distance.

    Parameters
    ----------
    pairs : DataFrame
        ``b, j, score, dd`` (``b``/``j`` any two id columns).

    Returns
    -------
    accepted : DataFrame
        The accepted rows of ``pairs``; no ``b`` or ``j`` twice.
    tied_b, tied_j : ndarray
        Lines left unmatched whose best candidates were equal (ambiguous).
    """
    accepted, tied_b, tied_j = [], set(), set()
    work = pairs.sort_values(["score", "dd", "b", "j"], ascending=[False, True, True, True])
    for _ in range(ROUNDS):
        if work.empty:
            break
        first_b, first_j = ~work.duplicated("b"), ~work.duplicated("j")
        tie_b = work.duplicated(["b", "score", "dd"], keep=False)
        tie_j = work.duplicated(["j", "score", "dd"], keep=False)
        ok = first_b & first_j & ~tie_b & ~tie_j
        best_b = work.loc[first_b & tie_b, ["b", "score", "dd"]]
        best_j = work.loc[first_j & tie_j, ["j", "score", "dd"]]
        # the lines tied for a line's best are ambiguous too (two equal bank lines for one book line)
        tied_b.update(best_b["b"])
        tied_b.update(work.merge(best_j, on=["j", "score", "dd"])["b"])
        tied_j.update(best_j["j"])
        tied_j.update(work.merge(best_b, on=["b", "score", "dd"])["j"])
        if not ok.any():
            break
        took = work[ok]
        accepted.append(took)
        work = work[~work["b"].isin(took["b"]) & ~work["j"].isin(took["j"])]
    out = pd.concat(accepted) if accepted else pairs.iloc[:0]
    tb = np.array(sorted(tied_b - set(out["b"])), dtype="int64")
    tj = np.array(sorted(tied_j - set(out["j"])), dtype="int64")
    return out, tb, tj
