"""The voucher a captured page would post, shown without storing anything.

:func:`page_result` turns a page of :func:`finshare.capture.pipeline.capture_image`
into a :class:`~finshare.capture.status.CaptureResult`; :func:`preview_page`
builds its document with the rules of :mod:`finshare.capture.todocs` (an AP
invoice settles an open purchase receipt of its supplier; a receipt names a
known customer) and explains it with :func:`finshare.core.preview.why` on a
copy of the case that holds this one document. The case, its files and any
store are left as they were.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from ..core.preview import Explanation, why
from .context import CaptureContext
from .status import CaptureResult
from .todocs import to_documents

#: Columns of :func:`entry_lines`.
ENTRY_COLUMNS = ["book", "side", "account", "account_name", "debit", "credit", "currency", "supplier", "customer",
                 "bank_account"]


@dataclass
class PagePreview:
    """A page's document (type, number, header row) and its explanation, or the reason there is none."""

    doc_type: str | None
    number: str | None
    explanation: Explanation | None
    reason: str = ""
    header: dict = field(default_factory=dict)


def page_result(page: dict) -> CaptureResult:
    """A pipeline page (dict) as a :class:`CaptureResult` (checks kept as dicts are not needed downstream)."""
    return CaptureResult(page.get("file", ""), int(page.get("page", 1)), page.get("kind", ""), page.get("family", ""),
                         page.get("fields", {}), [], page.get("status", ""), page.get("corrections", []))


def preview_page(page: dict, case, context: CaptureContext | None = None, existing=()) -> PagePreview:
    """The document a captured page gives and the vouchers it would post in each book, or why it gives none.

    Parameters
    ----------
    page : dict
        From :func:`~finshare.capture.pipeline.capture_image` (or ``capture_file``).
    case : Case
        A case with its documents loaded (purchase receipts waiting for invoices).
    context : CaptureContext, optional
        Default :meth:`CaptureContext.from_case`.
    existing : sequence of dict, optional
        More documents by type, e.g. :func:`~finshare.capture.todocs.existing_documents` of a store.

    Returns
    -------
    PagePreview
    """
    made = to_documents([page_result(page)], case, context, existing)
    if not made.documents:
        reason = made.review["reason"].iloc[0] if len(made.review) else ""
        return PagePreview(None, None, None, reason)
    code, docs = next(iter(made.documents.items()))
    number = str(docs.header.index[0])
    shown = replace(case, documents={**case.documents, code: docs})
    explanation = why(shown, number)
    return PagePreview(code, number, explanation, header=docs.header.iloc[0].to_dict())


def entry_lines(preview: PagePreview) -> pd.DataFrame:
    """Entry lines of every book the document reaches: :data:`ENTRY_COLUMNS`, debits first, minor units."""
    if preview.explanation is None:
        return pd.DataFrame(columns=ENTRY_COLUMNS)
    parts = [lines.assign(book=book) for book, (reaches, _, lines) in preview.explanation.books.items()
             if reaches and lines is not None and len(lines)]
    if not parts:
        return pd.DataFrame(columns=ENTRY_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["side"] = (out["debit"] != 0).map({True: "借 Dr", False: "贷 Cr"})
    for dim in ("supplier", "customer", "bank_account"):
        out[dim] = out[dim].fillna("").astype(str) if dim in out else ""
    out = out.assign(_credit=out["debit"] == 0).sort_values(["book", "_credit", "account"], kind="stable")
    return out[ENTRY_COLUMNS].reset_index(drop=True)
