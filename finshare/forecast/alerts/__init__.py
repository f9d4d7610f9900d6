"""Risk alerts (风险预警): rules first, an isolation-forest second opinion, dismissal with a reason that is kept.

>>> alerts = find_alerts(ledger, period="2020-06")                 # doctest: +SKIP
>>> dismiss(ledger, alerts.alert_id[0], "已电话核实 / verified by phone", by="wang")   # doctest: +SKIP

Modules: :mod:`.config` (rules as data, ``finshare/data/alerts.yaml``), :mod:`.frames` (document totals),
:mod:`.rules` (the rule functions), :mod:`.outliers` (isolation forest), :mod:`.queue` (ids, dismissal),
:mod:`.plant` (planted known cases and recall / false alarms).
"""
from __future__ import annotations

import re

import pandas as pd

from ...core.problems import FinshareError, Problem, Source
from .config import load_rules
from .frames import stored_totals
from .outliers import outlier_alerts
from .queue import alert_ids, dismiss, dismissals, for_output, with_status
from .rules import RULES, empty

COLUMNS = ["alert_id", "rule", "name_zh", "name_en", "severity", "period", "book", "documents", "why", "score",
           "status", "reason", "dismissed_by", "dismissed_at"]
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check_period(period: str | None) -> None:
    """Refuse a period that is not ``YYYY-MM`` (bilingual, exit 2 in the CLI)."""
    if period is not None and not PERIOD.match(str(period)):
        raise FinshareError([Problem("bad-period", f"期间 {period!r} 格式不对 / period {period!r} is not YYYY-MM",
                                     Source("--period"), "write the month as YYYY-MM, e.g. 2020-06")])


def _book_codes(ledger) -> list[str]:
    books = ledger.case.books
    return [getattr(b, "code", b) for b in (books.values() if isinstance(books, dict) else books)]


def rule_alerts(docs: dict[str, pd.DataFrame], master, rules=None) -> pd.DataFrame:
    """Alerts of every rule of ``rules`` (default :func:`load_rules`) over document totals."""
    rules = rules or load_rules()
    parts = [RULES[code](docs, master, rule) for code, rule in rules.items() if code in RULES]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else empty()


def find_alerts(ledger, period: str | None = None, rules=None, outliers: bool = True) -> pd.DataFrame:
    """All alerts of the ledger's stored documents and journal, with their dismissal status.

    Parameters
    ----------
    ledger : finshare.Ledger
    period : str, optional
        ``YYYY-MM``: only alerts of that month (the month of the latest document an alert names).
    rules : dict, optional
        From :func:`load_rules` (default: ``finshare/data/alerts.yaml``).
    outliers : bool, default True
        Add the isolation forest's top-k per book and period (``outlier``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; ``documents`` is a tuple of ``"doc_type/doc_no"``.
    """
    check_period(period)
    rules = rules or load_rules()
    parts = [rule_alerts(stored_totals(ledger), ledger.case.master, rules).assign(book="")]
    if outliers and "outlier" in rules:
        parts += [outlier_alerts(ledger.lines(b, kind="gl"), rules["outlier"], b) for b in _book_codes(ledger)]
    parts = [p for p in parts if not p.empty]
    out = pd.concat(parts, ignore_index=True) if parts else empty().assign(book="")
    if period is not None:
        out = out[out["period"] == period].reset_index(drop=True)
    out.insert(0, "alert_id", alert_ids(out))
    out["name_zh"] = out["rule"].map({c: r.name_zh for c, r in rules.items()}).astype(object)
    out["name_en"] = out["rule"].map({c: r.name_en for c, r in rules.items()}).astype(object)
    return with_status(out, dismissals(ledger))[COLUMNS]


__all__ = ["find_alerts", "rule_alerts", "dismiss", "dismissals", "load_rules", "check_period", "for_output", "COLUMNS"]
