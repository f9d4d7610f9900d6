"""Financial statements: CAS 会企01/02 (2019 format), HKFRS by function, management P&L per profit centre.

Line definitions are data (``finshare/data/statements``), read by :mod:`.layout` in the mini-language of
:mod:`.rules`; :func:`statement_balances` gives the figures, :func:`build_statement` the lines.
"""
from .balances import book_balances, statement_balances
from .build import as_decimals, build_statement
from .layout import layout

__all__ = ["statement_balances", "book_balances", "build_statement", "as_decimals", "layout"]
