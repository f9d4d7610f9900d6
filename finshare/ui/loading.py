"""What a dashboard shows when loading its case fails: the problems for people, else the traceback (never lost)."""
from __future__ import annotations

import html
import traceback

from ..core.problems import FinshareError


def failure_html(exc: BaseException) -> str:
    """A :class:`FinshareError`'s problems as HTML; any other exception as ``加载失败 / loading failed`` and its
    traceback, so a fault is shown, not swallowed."""
    if isinstance(exc, FinshareError):
        return exc._repr_html_()
    return "加载失败 / loading failed:<pre>" + html.escape("".join(traceback.format_exception(exc))) + "</pre>"
