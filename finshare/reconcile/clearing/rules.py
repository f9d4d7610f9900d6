"""The clearing rules (核销规则): their order and thresholds, as data.

The defaults live in ``finshare/data/clearing.yaml``; a case may override any
key in ``<case>/reconcile/clearing.yaml``. Unknown keys and rule names are
refused with a bilingual message naming the file.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ...core.problems import FinshareError, Problem, Source

#: The rules the matcher knows, in their default order.
RULES = ("reference", "reference_fuzzy", "customer_amount", "subset_sum", "customer_tolerance")


@dataclass(frozen=True)
class Rules:
    """Clearing rules and thresholds (see ``finshare/data/clearing.yaml`` for each key's meaning)."""

    order: tuple[str, ...] = RULES
    reference_pattern: str = r"[A-Za-z]{2,4}[-/_ ]?\d{2,4}[-/_ ]?\d{3,10}"
    fuzzy_min_length: int = 6
    fuzzy_max_edits: int = 1
    fuzzy_block_max: int = 50
    fee_percent: str = "0.5"
    fee_fixed: dict = field(default_factory=dict)
    subset_max_open: int = 12
    subset_max_combination: int = 4
    name_block_chars: int = 2
    name_auto: int = 95
    name_propose: int = 85
    advances_account: str = "2203"
    fee_account: str = "6603"
    bank_account: str = "1002"
    receivable_account: str = "1122"

    def fee_limit(self, open_: np.ndarray, currency: np.ndarray) -> np.ndarray:
        """The largest shortfall taken as a bank fee: max(fixed fee of the currency, percent of open, half-up)."""
        pct = Decimal(self.fee_percent)
        num, den = pct.as_integer_ratio()
        den *= 100
        by_pct = (open_.astype("int64") * num * 2 + den) // (2 * den)          # half-up of open*pct/100
        fixed = pd.Series(np.asarray(currency, dtype=object)).map(self.fee_fixed).fillna(0).to_numpy("int64")
        return np.maximum(by_pct, fixed)


def load_rules(case_dir: str | Path | None = None) -> Rules:
    """The default rules, overridden by ``<case_dir>/reconcile/clearing.yaml`` when that file exists."""
    raw = yaml.safe_load(resources.files("finshare.data").joinpath("clearing.yaml").read_text("utf-8"))
    path = Path(case_dir) / "reconcile" / "clearing.yaml" if case_dir else None
    if path is not None and path.is_file():
        user = yaml.safe_load(path.read_text("utf-8")) or {}
        if not isinstance(user, dict):
            raise _bad(path, "the file is not a mapping of keys to values", "write key: value lines")
        raw.update(user)
    return _rules(raw, str(path or "finshare/data/clearing.yaml"))


def _rules(raw: dict, source: str) -> Rules:
    known = {f.name for f in fields(Rules)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise _bad(source, f"unknown keys {', '.join(unknown)}", f"use only: {', '.join(sorted(known))}")
    order = tuple(raw.get("order", RULES))
    wrong = [r for r in order if r not in RULES]
    if wrong:
        raise _bad(source, f"unknown rules {', '.join(wrong)} in order", f"rules: {', '.join(RULES)}")
    raw = {**raw, "order": order, "fee_percent": str(Decimal(str(raw.get("fee_percent", "0.5"))).quantize(
        Decimal("0.0001"), ROUND_HALF_UP))}
    return Rules(**raw)


def _bad(source, what: str, fix: str) -> FinshareError:
    return FinshareError([Problem("clearing-rules", f"核销规则文件有误：{what} / clearing rules: {what}",
                                  Source(str(source)), fix)])
