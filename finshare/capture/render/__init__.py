"""Synthetic capture documents: VAT invoices and bank receipts drawn with Pillow, with ground truth and noise.

:func:`render_set` writes a benchmark set; :func:`render_page` draws one page.
See :mod:`.fields` (truth values), :mod:`.invoice`, :mod:`.receipt` (forms),
:mod:`.noise` (scanner and camera faults) and :mod:`.fonts` (the one font path).
"""
from .dataset import render_page, render_set
from .fields import INVOICE_FAMILIES, RECEIPT_FAMILIES
from .noise import OPTIONS as NOISE_OPTIONS, noisy

__all__ = ["render_set", "render_page", "noisy", "NOISE_OPTIONS", "INVOICE_FAMILIES", "RECEIPT_FAMILIES"]
