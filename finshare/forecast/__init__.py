"""Cash-collection forecasting and risk alerts: receivable history, features, estimators.

This capability posts vouchers only through the core's one posting path
(:mod:`finshare.core`); it is built in its own issue.
"""
