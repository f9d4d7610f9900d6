"""finshare: exact multi-book ledgers, voucher templates and the Fujian case, for teaching.

The core objects, in the order data flows::

    case = finshare.load_case("datasets/fujian")     # master data, books, documents, templates
    ledger = finshare.Ledger(case, "ledger.sqlite")  # a SQLite file (or a PostgreSQL URL)
    ledger.post()                                    # business and GL vouchers, one transaction
    ledger.journal("FJ-CAS")                         # the journal, amounts as exact Decimals
    ledger.trial_balance("FJ-CAS", "2020-03")        # 科目余额表
    finshare.why(case, "CG002", "FJ-HKFRS")          # which class and lines fired, and why
"""
from .books import Book, Books
from .case import Case, load_case
from .chart import Chart
from .condition import Condition, ConditionError, parse_condition
from .documents import Documents, DocumentType
from .ledger import Ledger, PostingResult
from .masterdata import MasterData
from .preview import why
from .problems import FinshareError, Problem, Source
from .store import Store
from .template import VoucherTemplate, load_template, parse_template

__version__ = "0.1.0"
__all__ = [
    "Book", "Books", "Case", "load_case", "Chart", "Condition", "ConditionError", "parse_condition",
    "Documents", "DocumentType", "Ledger", "PostingResult", "MasterData", "FinshareError", "Problem",
    "Source", "Store", "why", "VoucherTemplate", "load_template", "parse_template", "__version__",
]
