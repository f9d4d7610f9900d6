"""Document capture: rendering, OCR of VAT invoices and bank receipts, field extraction and validation.

This capability posts vouchers only through the core's one posting path
(:mod:`finshare.core`); it is built in its own issue.
"""
