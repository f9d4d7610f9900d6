"""Widgets for the Voila dashboards: the only sub-package that imports ipywidgets.

The apps in ``notebooks/apps/`` take their components from here; the
components call the core and hold no accounting logic.
"""
from .studio import VoucherStudio

__all__ = ["VoucherStudio"]
