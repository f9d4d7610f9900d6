"""What ``finshare reconcile ic CASE --period YYYY-MM [--format json|csv]`` prints."""
from __future__ import annotations

import pandas as pd

from .match import match_intercompany


def emit(ledger, period: str, fmt: str, out) -> None:
    """Write the match: JSON ``{period, currency, pairs, balances, differences}``, or the pairs as CSV."""
    found = match_intercompany(ledger, period)
    if fmt == "json":
        out.write(found.to_json() + "\n")
    else:
        pd.DataFrame(found.to_dict()["pairs"]).to_csv(out, index=False, lineterminator="\n")
