"""What ``finshare reconcile ar`` prints: the clearings and the unmatched queue, money as decimal text."""
from __future__ import annotations

import pandas as pd

from ...core.money import exponents, format_amounts
from .case import reconcile_ar
from .vouchers import clear


def ar_report(ledger, period: str, case_dir=None, post: bool = False, by: str = "") -> dict:
    """Match the period's receipts; with ``post`` clear the automatic matches. Returns a JSON-able dict.

    Keys: ``period``, ``summary`` (receipts auto / proposed / unmatched, per rule), ``clearings`` and
    ``unmatched`` (records, money as decimal strings of its currency), ``posted`` (clearing vouchers
    written, when ``post``).
    """
    matching, receipts, items = reconcile_ar(ledger, period, case_dir)
    out = {"period": period, "summary": matching.summary(), "clearings": _text(matching.clearings),
           "unmatched": _text(matching.unmatched)}
    if post:
        done = clear(ledger, matching.clearings, receipts, items, by=by)
        out["posted"] = {"vouchers": sorted(set(done.recorded["voucher"]) - {""}),
                         "clearings": len(done.recorded), "skipped": [k for k, _ in done.skipped]}
    return out


def _text(frame: pd.DataFrame) -> list[dict]:
    exp = exponents(frame["currency"])
    frame = frame.assign(**{c: format_amounts(frame[c].to_numpy("int64"), exp)
                            for c in ("amount", "fee", "advance") if c in frame})
    return frame.astype(object).to_dict(orient="records")


def report_text(report: dict) -> str:
    """The report as lines for a terminal: a summary, then the clearings and the unmatched as CSV."""
    s = report["summary"]
    lines = [f"# {report['period']}: 自动核销 {s['auto']} / auto, 建议 {s['proposed']} / proposed, "
             f"未匹配 {s['unmatched']} / unmatched"]
    if "posted" in report:
        p = report["posted"]
        lines.append(f"# 已过账核销凭证 {len(p['vouchers'])} 张，核销记录 {p['clearings']} 条 / posted "
                     f"{len(p['vouchers'])} clearing vouchers, {p['clearings']} clearings recorded")
    for name in ("clearings", "unmatched"):
        lines.append(f"# {name}")
        rows = pd.DataFrame(report[name])
        lines.append(rows.to_csv(index=False, lineterminator="\n").rstrip("\n") if len(rows) else "(none)")
    return "\n".join(lines) + "\n"
