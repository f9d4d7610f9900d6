"""Widgets for the Voila dashboards: the only sub-package that imports ipywidgets.

The apps in ``notebooks/apps/`` take their components from here; the
components call the core and hold no accounting logic.
"""
from .capture_app import InvoiceCapture
from .ledger_explorer import LedgerExplorer
from .studio import VoucherStudio
from .treasury import TreasuryDashboard
from .workbench import ReconciliationWorkbench

__all__ = ["InvoiceCapture", "LedgerExplorer", "ReconciliationWorkbench", "TreasuryDashboard", "VoucherStudio"]
