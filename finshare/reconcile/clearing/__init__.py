"""Receivable clearing (应收核销): receipts against open AR invoices, clearing vouchers and their history.

* :mod:`.tables` — the open-item, receipt, clearing and unmatched tables;
* :mod:`.rules` — the rules' order and thresholds (``finshare/data/clearing.yaml``);
* :mod:`.aliases` — who paid: master names, learned aliases, fuzzy names;
* :mod:`.refs`, :mod:`.subsets`, :mod:`.match` — the matcher;
* :mod:`.vouchers`, :mod:`.history` — clearing vouchers and the ``clearings`` table of the store;
* :mod:`.case`, :mod:`.report` — open items and receipts of a stored ledger, and ``reconcile ar``;
* :mod:`.samples` — a scenario with ground truth.
"""
from .aliases import learn_aliases, read_aliases, write_aliases
from .case import open_items, reconcile_ar, stored_receipts
from .history import clearing_history
from .match import Matching, match_receipts
from .rules import Rules, load_rules
from .samples import ar_scenario, scorecard
from .tables import receipts_from_bank_lines
from .vouchers import clear

__all__ = ["Matching", "Rules", "ar_scenario", "clear", "clearing_history", "learn_aliases", "load_rules",
           "match_receipts", "open_items", "read_aliases", "receipts_from_bank_lines", "reconcile_ar", "scorecard",
           "stored_receipts", "write_aliases"]
