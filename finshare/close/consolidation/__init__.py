"""Consolidation of a group (合并报表): account mapping, translation (IAS 21 / CAS 19), intercompany eliminations
and the worksheet.

The group is data: ``group.yaml`` in the case folder (:mod:`.config`). :func:`consolidate` returns a
:class:`Consolidation` with the worksheet, the elimination entries (not posted to any book), the rates
used and the translation reserve, and the consolidated balances in the statement contract.
"""
from .config import GroupConfig, read_group
from .consolidate import Consolidation, consolidate

__all__ = ["Consolidation", "GroupConfig", "consolidate", "read_group"]
