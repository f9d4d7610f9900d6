"""The alert rules as data: ``finshare/data/alerts.yaml`` read into thresholds in integer minor units."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

import numpy as np
import pandas as pd

from ...core.money import exponent, to_minor
from ...core.problems import FinshareError, Problem, Source
from ...core.yamlio import load_yaml

SOURCE = "finshare/data/alerts.yaml"


@dataclass(frozen=True)
class Rule:
    """One rule: its code, bilingual name, severity and raw parameters (amounts as text in major units)."""
    code: str
    name_zh: str
    name_en: str
    severity: str
    params: dict

    def minor(self, key: str, currency: pd.Series) -> np.ndarray:
        """Threshold ``key`` per row in minor units of that row's currency; -1 where the currency is not listed."""
        table = {c: to_minor(Decimal(str(v)), exponent(c)) for c, v in self.params[key].items()}
        return currency.map(table).fillna(-1).to_numpy("int64")


def load_rules(text: str | None = None, source: str = SOURCE) -> dict[str, Rule]:
    """The rules (and the ``outlier`` second opinion) keyed by code.

    Parameters
    ----------
    text : str, optional
        YAML text of the same shape as ``finshare/data/alerts.yaml`` (default: that file).
    """
    if text is None:
        text = (resources.files("finshare.data") / "alerts.yaml").read_text(encoding="utf-8")
    data = load_yaml(text, source)
    try:
        items = {**data["rules"], "outlier": data["outlier"]}
        rules = {code: Rule(code, b["name_zh"], b["name_en"], b["severity"],
                            {k: v for k, v in b.items() if k not in ("name_zh", "name_en", "severity")})
                 for code, b in items.items()}
    except (KeyError, TypeError) as exc:
        raise FinshareError([Problem("bad-alert-rules", f"预警规则缺少 {exc} / alert rules lack {exc}", Source(source),
                                     "give every rule name_zh, name_en and severity, under rules: or outlier:")])
    return rules
