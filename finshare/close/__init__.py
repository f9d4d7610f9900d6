"""Period close, financial statements and consolidation (期末结账、财务报表与合并报表).

* :mod:`.period` — close a book's month in order: :mod:`.depreciation` (计提折旧 by the book's policy),
  :mod:`.revaluation` (期末调汇), :mod:`.carry` (结转损益), :mod:`.yearend` (年末结转), then the lock;
  the accounts each step uses are data (:mod:`.rules`, ``finshare/data/close.yaml``);
* :mod:`.checks` — 试算平衡, 账账相符, 账表相符, 损益结平, 期末结账 as a table;
* :mod:`.statements` — CAS 2019 forms, HKFRS by function, the management P&L, Excel;
* :mod:`.consolidation` — translation, intercompany eliminations, the worksheet.

Every closing voucher is a table of entry lines posted through the core's one posting path
(:meth:`finshare.Ledger.post_entries`); nothing here writes journal rows itself.
"""
