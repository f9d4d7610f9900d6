"""Layout-aware field extraction from OCR words: anchors, field grammars, page kind and family.

:func:`extract_fields` turns the words of one page (:func:`finshare.capture.engines.ocr_words`)
into captured fields ``{name: {"value", "confidence", "box"}}`` for an invoice or a receipt.
"""
from .anchors import PageText
from .classify import classify
from .invoice import INVOICE_FIELDS, extract_invoice
from .receipt import RECEIPT_FIELDS, extract_receipt

FIELDS = {"invoice": INVOICE_FIELDS, "receipt": RECEIPT_FIELDS}


def extract_fields(words, kind: str, family: str) -> dict:
    """Captured fields of a page of ``kind`` ("invoice"/"receipt") and ``family`` from its OCR words."""
    text = PageText(words)
    return extract_invoice(text, family) if kind == "invoice" else extract_receipt(text, family)


__all__ = ["PageText", "classify", "extract_fields", "extract_invoice", "extract_receipt", "FIELDS",
           "INVOICE_FIELDS", "RECEIPT_FIELDS"]
