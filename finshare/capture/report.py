"""Tables of captured pages for people: field accuracy against the truth, and the review queue.

:func:`compare` sets captured pages beside the truth of a rendered set
(:func:`finshare.capture.render.render_set`); :func:`field_accuracy` sums it
per field; :func:`review_queue` lists the pages a clerk must look at, with
the checks that failed and the fields flagged.
"""
from __future__ import annotations

import pandas as pd

#: Columns of :func:`review_queue`.
QUEUE_COLUMNS = ["file", "kind", "family", "failed_checks", "flagged_fields"]


def compare(truths: list[dict], pages: list[dict]) -> pd.DataFrame:
    """One row per (page, field): ``file, kind, family, noisy, field, truth, read, right, accepted``.

    ``truths`` and ``pages`` are matched by file name; a page read as the wrong kind reads nothing.
    """
    by_file = {p["file"]: p for p in pages}
    rows = []
    for t in truths:
        page = by_file.get(t["file"], {"kind": None, "fields": {}, "status": ""})
        same = page["kind"] == t["kind"]
        for name, expected in t["fields"].items():
            got = page["fields"].get(name, {}).get("value") if same else None
            rows.append((t["file"], t["kind"], t["family"], bool(t.get("noise")), name, expected, got,
                         got == expected, page["status"] == "accepted"))
    return pd.DataFrame(rows, columns=["file", "kind", "family", "noisy", "field", "truth", "read", "right",
                                       "accepted"])


def field_accuracy(table: pd.DataFrame) -> pd.DataFrame:
    """Per kind and field: ``pages``, ``right`` and ``accuracy`` (right / pages, a fraction)."""
    out = table.groupby(["kind", "field"], sort=False)["right"].agg(pages="size", right="sum").reset_index()
    out["accuracy"] = out["right"] / out["pages"]
    return out


def review_queue(pages: list[dict]) -> pd.DataFrame:
    """The pages in review: file, kind, family, the failed checks and the flagged fields (comma-separated)."""
    rows = [(p["file"], p["kind"], p["family"],
             ", ".join(c["name"] for c in p["checks"] if not c["passed"]),
             ", ".join(k for k, f in p["fields"].items() if not f.get("ok")))
            for p in pages if p["status"] != "accepted"]
    return pd.DataFrame(rows, columns=QUEUE_COLUMNS)
