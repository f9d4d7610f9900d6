"""Loading a dashboard's case: which case and store it opens, and what it shows when loading fails (the problems
for people, else the traceback — never lost)."""
from __future__ import annotations

import html
import os
import tempfile
import traceback
from pathlib import Path

from ..core.problems import FinshareError


def failure_html(exc: BaseException) -> str:
    """A :class:`FinshareError`'s problems as HTML; any other exception as ``加载失败 / loading failed`` and its
    traceback, so a fault is shown, not swallowed."""
    if isinstance(exc, FinshareError):
        return exc._repr_html_()
    return "加载失败 / loading failed:<pre>" + html.escape("".join(traceback.format_exception(exc))) + "</pre>"


#: The embedded case every dashboard opens when ``FINSHARE_CASE`` is not set.
DATASET = Path("datasets") / "fujian-2020"


def case_folder() -> Path:
    """The case in ``FINSHARE_CASE`` (``finshare app --case``), else ``datasets/fujian-2020`` found in the
    working folder or one above it."""
    here = Path.cwd().resolve()
    return Path(os.environ.get("FINSHARE_CASE") or next(
        (p / DATASET for p in (here, *here.parents) if (p / DATASET).is_dir()), DATASET))


def store_path(prefix: str) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """The store in ``FINSHARE_STORE``, else ``ledger.sqlite`` in a temporary folder; keep the returned
    folder object with the app, so the folder is removed with it (at the kernel's end)."""
    if os.environ.get("FINSHARE_STORE"):
        return Path(os.environ["FINSHARE_STORE"]), None
    tmp = tempfile.TemporaryDirectory(prefix=prefix)
    return Path(tmp.name) / "ledger.sqlite", tmp
