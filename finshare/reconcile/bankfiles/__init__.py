"""Bank statement files: readers for ICBC, CCB, BOC and CMB exports, mapping files for any other bank, writers.

A layout is a YAML mapping file (built-ins in ``finshare/data/bank_layouts/``);
:func:`read_statement` detects it, finds the header row below the banner, stops
at the total rows, and returns the canonical bank-line table
(:mod:`finshare.reconcile.banklines`) with the running balance checked.
:func:`write_statement` writes that table back as a bank's export.
"""
from .detect import detect_layout
from .layouts import Layout, builtin, builtin_names, load_mapping
from .read import read_statement
from .write import write_statement

__all__ = ["Layout", "builtin", "builtin_names", "detect_layout", "load_mapping", "read_statement",
           "write_statement"]
