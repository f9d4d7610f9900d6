"""Period close, financial statements and consolidation (issue: the year of the Fujian group).

This capability posts vouchers only through the core's one posting path
(:mod:`finshare.core`); it is built in its own issue.
"""
