"""A captured page's verdict: ``accepted`` only when every check passes and every field is read confidently.

:func:`assess` corrects what exactly one reading can correct
(:mod:`finshare.capture.correct`), runs the checks
(:mod:`finshare.capture.checks`) and flags each field: a field is ``ok``
when no failed check concerns it and its OCR confidence is at least the
context's floor (:data:`~finshare.capture.context.CONFIDENCE_FLOOR`, 0.75).
The page is ``accepted`` when every field is ok and every check passed,
else ``review``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from .checks import Check, check_page
from .context import CaptureContext
from .correct import correct_page

ACCEPTED, REVIEW = "accepted", "review"


@dataclass
class CaptureResult:
    """One assessed page: its fields (``value, confidence, ok``), checks, corrections and status."""

    file: str
    page: int
    kind: str
    family: str
    fields: dict[str, dict]
    checks: list[Check]
    status: str
    corrections: list[dict] = field(default_factory=list)

    @property
    def values(self) -> dict[str, str]:
        """Field name → value text (after correction)."""
        return {k: f["value"] for k, f in self.fields.items()}

    @property
    def flagged(self) -> list[str]:
        """The fields that are not ok."""
        return [k for k, f in self.fields.items() if not f["ok"]]

    def as_dict(self) -> dict:
        """The JSON object of ``finshare capture --format json``."""
        return {"file": self.file, "page": self.page, "kind": self.kind, "family": self.family,
                "fields": {k: {"value": f["value"], "confidence": f["confidence"], "ok": f["ok"]}
                           for k, f in self.fields.items()},
                "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks],
                "status": self.status, "corrections": self.corrections}

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(c.name)}</td><td>{'✓' if c.passed else '✗'}</td>"
                       f"<td>{html.escape(c.detail)}</td></tr>" for c in self.checks)
        return (f"<b>{html.escape(self.file)} p.{self.page} — {self.kind}/{self.family}: {self.status}</b>"
                f"<table><tr><th>check 校验</th><th></th><th>detail 说明</th></tr>{rows}</table>")


def assess(page: dict, context: CaptureContext, correct: bool = True) -> CaptureResult:
    """Correct, check and judge one captured page.

    Parameters
    ----------
    page : dict
        ``{"file", "page", "kind", "family", "fields": {name: {"value", "confidence", "box"}}}``.
    context : CaptureContext
    correct : bool, default True
        Apply single-reading corrections first.

    Returns
    -------
    CaptureResult
    """
    corrections = []
    if correct:
        page, corrections = correct_page(page, context)
    checks = check_page(page, context)
    bad = {f for c in checks if not c.passed for f in c.fields}
    fields = {}
    for name, f in (page.get("fields") or {}).items():
        conf = float(f.get("confidence") or 0.0)
        fields[name] = {"value": "" if f.get("value") is None else str(f["value"]).strip(), "confidence": conf,
                        "box": f.get("box"), "ok": name not in bad and conf >= context.floor}
    for name in bad - set(fields):                                    # a missing field is flagged too
        fields[name] = {"value": "", "confidence": 0.0, "box": None, "ok": False}
    status = ACCEPTED if checks and all(c.passed for c in checks) and all(f["ok"] for f in fields.values()) \
        else REVIEW
    return CaptureResult(str(page.get("file", "")), int(page.get("page", 1)), str(page.get("kind", "")),
                         str(page.get("family", "")), fields, checks, status, corrections)


def assess_pages(pages, context: CaptureContext, remember: bool = True) -> list[CaptureResult]:
    """Assess pages in order; with ``remember``, each page is registered after it is assessed,
    so a second capture of the same invoice or receipt in one run is a duplicate."""
    out = []
    for page in pages:
        result = assess(page, context)
        if remember:
            context.register.add(result.kind, result.values)
        out.append(result)
    return out
