"""``finshare capture``: captured pages as JSON lines or a short table, for :func:`finshare.cli.cmd_capture`."""
from __future__ import annotations

import json

from .context import load_context
from .pipeline import capture_file


def page_json(page: dict) -> str:
    """One page as one JSON line: file, page, kind, family, fields {value, confidence, ok, box}, checks, status."""
    fields = {name: {"value": f["value"], "confidence": f["confidence"], "ok": f["ok"], "box": f["box"]}
              for name, f in page["fields"].items()}
    checks = [{"name": c["name"], "passed": c["passed"], "detail": c["detail"]} for c in page["checks"]]
    return json.dumps({"file": page["file"], "page": page["page"], "kind": page["kind"], "family": page["family"],
                       "fields": fields, "checks": checks, "status": page["status"]}, ensure_ascii=False)


def page_text(page: dict) -> str:
    """One page as a few readable lines: status, then each field (✗ where a check failed)."""
    head = f"{page['file']} p{page['page']}  {page['kind']}/{page['family'] or '?'}  {page['status']}"
    rows = [f"  {'✓' if f['ok'] else '✗'} {name:<16}{f['value']:<36}{f['confidence']:.2f}"
            for name, f in page["fields"].items()]
    failed = [f"  ! {c['name']}: {c['detail']}" for c in page["checks"] if not c["passed"]]
    return "\n".join([head, *rows, *failed])


def capture_lines(paths, kind: str = "auto", fmt: str = "text", engine: str = "combined"):
    """Yield the output of each page of each file, in order."""
    context = load_context()
    for path in paths:
        for page in capture_file(path, kind=kind, engine=engine, context=context):
            yield page_json(page) if fmt == "json" else page_text(page)
