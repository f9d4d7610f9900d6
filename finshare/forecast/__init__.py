"""Cash-collection forecasting and risk alerts: receivable history, features, estimators.

Data (this round):

- :mod:`~finshare.forecast.history` — the receivable-history schema (one row per invoice) and its checks;
- :mod:`~finshare.forecast.loaders` — CSV/Excel exports, with a YAML mapping file for other systems;
- :mod:`~finshare.forecast.store` — the history of a posted ledger (AR invoices and their settlement);
- :mod:`~finshare.forecast.generator` — a generated history for training and teaching;
- :mod:`~finshare.forecast.features` — point-in-time features (nothing known later is used).

Models:

- :mod:`~finshare.forecast.training` — the history known at a date, labels, right-censoring;
- :mod:`~finshare.forecast.baselines` — paid on the due date; the customer's median days so far;
- :mod:`~finshare.forecast.models` — :class:`CollectionModel`: Pipelines for days and P(late);
- :mod:`~finshare.forecast.intervals` — split-conformal settlement distributions and intervals;
- :mod:`~finshare.forecast.evaluate` — time-split metrics (MAE, AUC, coverage, weekly WAPE);
- :mod:`~finshare.forecast.cash` — expected cash inflow per week with a band;
- :mod:`~finshare.forecast.worklist`, :mod:`~finshare.forecast.explain` — collection worklist, reasons, effects;
- :mod:`~finshare.forecast.card` — saving and loading a model with its model card;
- :mod:`~finshare.forecast.cli` — ``finshare forecast train | predict | cash | evaluate``.

This capability posts vouchers only through the core's one posting path
(:mod:`finshare.core`); it is built in its own issue.
"""
