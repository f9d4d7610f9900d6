"""The ledger core: chart, master data, documents, templates, posting, books and the store.

Every capability (close and statements, reconciliation, capture,
forecasting, exercises) builds on this sub-package and posts through its one
posting path; the core imports none of them.
"""
