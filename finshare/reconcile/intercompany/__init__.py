"""Intercompany matching (内部往来对账): the seller's IC receivables and sales against the buyer's payables and
purchases, per period, differences classified (timing, fx, missing, amount) and reconciled to the minor unit.

:func:`match_intercompany` is the entry; :mod:`.sides` finds the books, :mod:`.items` each document's
contribution, :mod:`.pairing` the pairs, :mod:`.classify` the reasons, :mod:`.match` the reconciliation.
"""
from .classify import REASONS
from .match import COLUMNS, ICMatch, match_intercompany

__all__ = ["match_intercompany", "ICMatch", "REASONS", "COLUMNS"]
