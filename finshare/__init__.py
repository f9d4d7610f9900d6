"""finshare: exact multi-book ledgers, voucher templates and the Fujian case, for teaching.

The core objects, in the order data flows::

    case = finshare.load_case("datasets/fujian")     # master data, books, documents, templates
    ledger = finshare.Ledger(case, "ledger.sqlite")  # a SQLite file (or a PostgreSQL URL)
    ledger.post()                                    # business and GL vouchers, one transaction
    ledger.journal("FJ-CAS")                         # the journal, amounts as exact Decimals
    ledger.trial_balance("FJ-CAS", "2020-03")        # 科目余额表
    finshare.why(case, "CG002", "FJ-HKFRS")          # which class and lines fired, and why
"""
from .core.books import Book, Books
from .core.case import Case, load_case
from .core.chart import Chart
from .core.condition import Condition, ConditionError, parse_condition
from .core.documents import Documents, DocumentType
from .core.ledger import Ledger, PostingResult
from .core.masterdata import MasterData
from .core.preview import why
from .core.problems import FinshareError, Problem, Source
from .core.store import Store
from .core.template import VoucherTemplate, load_template, parse_template

__version__ = "0.1.0"
__all__ = [
    "Book", "Books", "Case", "load_case", "Chart", "Condition", "ConditionError", "parse_condition",
    "Documents", "DocumentType", "Ledger", "PostingResult", "MasterData", "FinshareError", "Problem",
    "Source", "Store", "why", "VoucherTemplate", "load_template", "parse_template", "__version__",
]
