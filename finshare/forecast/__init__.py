"""Cash-collection forecasting and risk alerts: receivable history, features, estimators.

Data (this round):

- :mod:`~finshare.forecast.history` — the receivable-history schema (one row per invoice) and its checks;
- :mod:`~finshare.forecast.loaders` — CSV/Excel exports, with a YAML mapping file for other systems;
- :mod:`~finshare.forecast.store` — the history of a posted ledger (AR invoices and their settlement);
- :mod:`~finshare.forecast.generator` — a generated history for training and teaching;
- :mod:`~finshare.forecast.features` — point-in-time features (nothing known later is used).

This capability posts vouchers only through the core's one posting path
(:mod:`finshare.core`); it is built in its own issue.
"""
