"""Document capture: rendering, OCR of VAT invoices and bank receipts, field extraction and validation.

Validation and what follows it:

* :mod:`.checks` (with :mod:`.invoice_rules`, :mod:`.receipt_rules`) — ``check_page(page, context)``;
* :mod:`.context` — :class:`~.context.CaptureContext`, what pages are checked against;
* :mod:`.correct` — single-reading correction of misread characters;
* :mod:`.status` — ``assess``/``assess_pages``: accepted or review, fields flagged;
* :mod:`.register` — earlier captures, for duplicates;
* :mod:`.todocs` — AP invoices and receipts in the store (``to_documents``, ``store_captured``).

This capability posts vouchers only through the core's one posting path
(:mod:`finshare.core`): its documents are imported into the store and posted
by ``Ledger.post`` like any other.
"""
