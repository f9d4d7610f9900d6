"""Tables of captured pages for people: field accuracy against the truth, and the review queue.

:func:`compare` sets captured pages beside the truth of a rendered set
(:func:`finshare.capture.render.render_set`); :func:`field_accuracy` sums it
per field; :func:`review_queue` lists the pages a clerk must look at, with
the checks that failed and the fields flagged. For benchmarks,
:func:`truth_verdicts` says which pages ought to be accepted at all (their
true values pass every check) and :func:`summary` gives one engine's figures.
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


def truth_verdicts(truths: list[dict], context) -> pd.Series:
    """File → the checks its true values fail (``""`` when none): such a page ought to go to review
    whatever is read, e.g. a receipt of a bank account that is not ours or a seller the master lacks.

    The true values are judged with full confidence and without correction; ``context`` is not
    changed (nothing is registered).
    """
    from .status import assess
    failed = {}
    for t in truths:
        fields = {k: {"value": v, "confidence": 1.0, "box": None} for k, v in t["fields"].items()}
        result = assess({**t, "page": 1, "fields": fields}, context, correct=False)
        failed[t["file"]] = ", ".join(c.name for c in result.checks if not c.passed)
    return pd.Series(failed, name="truth_fails", dtype=object)


def summary(table: pd.DataFrame, truth_fails: pd.Series | None = None) -> dict:
    """One engine's figures from a :func:`compare` table (with optional ``seconds``/``cpu`` per row).

    Returns the field accuracy % (clean, noisy), pages accepted % (clean, noisy; and of the clean
    pages whose truth passes every check, when ``truth_fails`` is given), seconds per page and the
    count of wrong values among accepted pages.
    """
    noisy = table["noisy"].to_numpy()
    pages = table.groupby("file", sort=False).first()
    clean_pages = ~pages["noisy"]
    out = {"clean acc %": _percent(table.loc[~noisy, "right"]), "noisy acc %": _percent(table.loc[noisy, "right"]),
           "accepted clean %": _percent(pages.loc[clean_pages, "accepted"]),
           "accepted noisy %": _percent(pages.loc[~clean_pages, "accepted"])}
    if truth_fails is not None:
        fit = clean_pages & pages.index.map(truth_fails).isin([""])
        out["accepted of acceptable clean %"] = _percent(pages.loc[fit, "accepted"])
    for column in ("seconds", "cpu"):
        if column in pages:
            out[f"{column}/page"] = float(pages[column].mean())
    out["wrong accepted"] = int((table["accepted"] & ~table["right"]).sum())
    return out


def _percent(flags: pd.Series) -> float:
    return float(100 * flags.mean()) if len(flags) else float("nan")
