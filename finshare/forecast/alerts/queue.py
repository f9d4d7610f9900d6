"""Alert ids, dismissal with a reason kept in the store's append-only event log, and the alert queue's status."""
from __future__ import annotations

import hashlib
import re

import pandas as pd

from ...core.problems import FinshareError, Problem, Source

OBJECT_TYPE = "alert"
ID_PATTERN = re.compile(r"^[a-z-]+:[0-9a-f]{16}$")


def alert_ids(alerts: pd.DataFrame) -> pd.Series:
    """Stable ids ``rule:hash``: the rule, the book (outliers) and the sorted document references."""
    book = alerts["book"].fillna("") if "book" in alerts else pd.Series("", index=alerts.index)
    keys = [f"{r}|{b}|{'|'.join(sorted(d))}" for r, b, d in zip(alerts["rule"], book, alerts["documents"])]
    return pd.Series([f"{r}:{hashlib.sha1(k.encode()).hexdigest()[:16]}" for r, k in zip(alerts["rule"], keys)],
                     index=alerts.index, dtype=object)


def dismiss(ledger, alert_id: str, reason: str, by: str) -> None:
    """Dismiss an alert with a reason; the event log keeps who, when and why (it is never edited).

    Parameters
    ----------
    ledger : finshare.Ledger
    alert_id : str
        The ``alert_id`` of a row of :func:`finshare.forecast.alerts.find_alerts`.
    reason, by : str
        Why (required) and who.
    """
    problems = []
    if not ID_PATTERN.match(str(alert_id)):
        problems.append(Problem("bad-alert-id", f"预警编号 {alert_id!r} 格式不对 / alert id {alert_id!r} is not of "
                                "the form rule:hash", Source("alert_id"), "copy the alert_id column of the alert list"))
    if not str(reason).strip():
        problems.append(Problem("missing-reason", "关闭预警须说明理由 / dismissing an alert needs a reason",
                                Source("reason"), "say why the alert is not a risk, e.g. 已电话核实新账户"))
    if not str(by).strip():
        problems.append(Problem("missing-by", "须写明处理人 / say who dismisses the alert", Source("by"),
                                "give your name or user id"))
    if problems:
        raise FinshareError(problems)
    with ledger.store.writer(by) as w:
        w.event(OBJECT_TYPE, alert_id, "dismiss", "open", "dismissed", str(reason).strip())


def dismissals(ledger) -> pd.DataFrame:
    """The latest dismissal per alert id: ``alert_id, reason, dismissed_by, dismissed_at``."""
    ev = ledger.store.events()
    ev = ev[(ev["object_type"] == OBJECT_TYPE) & (ev["action"] == "dismiss")]
    ev = ev.sort_values("id").drop_duplicates("object", keep="last")
    return pd.DataFrame({"alert_id": ev["object"].to_numpy(object), "reason": ev["reason"].to_numpy(object),
                         "dismissed_by": ev["by"].to_numpy(object), "dismissed_at": ev["at"].to_numpy()})


def with_status(alerts: pd.DataFrame, dismissed: pd.DataFrame) -> pd.DataFrame:
    """``alerts`` with ``status`` (open / dismissed) and the dismissal's reason, by and when."""
    out = alerts.merge(dismissed, on="alert_id", how="left")
    out.insert(out.columns.get_loc("score") + 1, "status",
               out["reason"].notna().map({True: "dismissed", False: "open"}))
    out["reason"] = out["reason"].fillna("")
    out["dismissed_by"] = out["dismissed_by"].fillna("")
    return out


def for_output(alerts: pd.DataFrame, lists: bool = False) -> pd.DataFrame:
    """Alerts as plain values for CSV/JSON: documents a list (``lists``, for JSON) or joined by spaces, times
    in ISO, score rounded."""
    out = alerts.copy()
    out["documents"] = [list(d) if lists else " ".join(d) for d in out["documents"]]
    out["dismissed_at"] = pd.to_datetime(out["dismissed_at"]).dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("")
    out["score"] = out["score"].round(4)
    return out.astype({c: object for c in out.columns if c != "score"})
