"""Reconciliation: bank statement readers, matching, 银行存款余额调节表, receivable clearing, intercompany.

This capability posts vouchers only through the core's one posting path
(:mod:`finshare.core`); it is built in its own issue.
"""
