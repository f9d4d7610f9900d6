"""Why a line stayed unmatched, in words an accountant acts on."""
from __future__ import annotations

import numpy as np
import pandas as pd

#: Reason code → ``中文 / English``.
REASONS = {
    "ambiguous": "有几笔相同的候选，无法确定 / several equal candidates (ambiguous): pick one by hand",
    "below-threshold": "有候选但可信度低于提议阈值 / a candidate was found but scored below the proposal threshold",
    "outside-window": "找到相同金额，但日期超出窗口 / the amount was found on the other side, but its date is "
                      "outside every rule's window",
    "not-agreed": "金额与日期相符，但对方户名或参考号不符 / amount and date fit, but counterparty or reference "
                  "disagree",
    "taken": "相同金额的另一方记录已与别的行匹配 / the other side's line with this amount is matched to another line",
    "no-candidate": "另一方没有相同金额的记录（未达账项或漏记） / no line of this amount on the other side "
                    "(an outstanding item, or not recorded)",
}


def _nearest(left: pd.DataFrame, right: pd.DataFrame) -> np.ndarray:
    """Days to the nearest ``right`` line of the same amount, per ``left`` line (−1 where none)."""
    out = np.full(len(left), -1, dtype="int64")
    if left.empty or right.empty:
        return out
    lsort = left[["day", "amount"]].assign(i=np.arange(len(left))).sort_values("day")
    rsort = right[["day", "amount"]].assign(rday=right["day"]).sort_values("day")
    got = pd.merge_asof(lsort, rsort, on="day", by="amount", direction="nearest")
    found = got["rday"].notna().to_numpy()
    dd = np.abs(got["day"].to_numpy() - got["rday"].fillna(0).to_numpy().astype("int64"))
    out[got["i"].to_numpy()[found]] = dd[found]
    return out


def reasons(side: pd.DataFrame, free: np.ndarray, other: pd.DataFrame, other_free: np.ndarray,
            flags: np.ndarray, window: int) -> np.ndarray:
    """Reason code for each free line of ``side`` (``""`` for matched lines).

    A flag raised while matching (ambiguous, below threshold) comes first; else
    the nearest equal amount among the other side's free lines, then its matched ones, tells.
    """
    out = np.full(len(side), "", dtype=object)
    lines = side[free]
    near_free = _nearest(lines, other[other_free])
    near_any = _nearest(lines, other[~other_free])
    code = np.select(
        [flags[free] != "", (near_free >= 0) & (near_free > window), near_free >= 0, near_any >= 0],
        [flags[free], "outside-window", "not-agreed", "taken"], "no-candidate")
    out[free] = code
    return out
