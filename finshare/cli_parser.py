"""The command line's arguments: one parser, its sub-commands in three groups (``finshare --help``).

:func:`build_parser` takes the module whose ``cmd_*`` functions carry out the commands
(:mod:`finshare.cli`), so the definitions here hold no behaviour.
"""
from __future__ import annotations

import argparse
import sys


class _Parser(argparse.ArgumentParser):
    """argparse with its refusals in both languages (exit 2, the usage line first)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 参数有误 / bad argument: {message}\n    修正 fix: {self.prog} --help lists them\n")


def build_parser(c) -> argparse.ArgumentParser:
    """The ``finshare`` parser; each sub-command's ``func`` is ``c.cmd_<name>``."""
    p = _Parser(prog="finshare", description="finshare: vouchers and ledgers from a case folder")
    sub = p.add_subparsers(dest="command", required=True)

    def case_cmd(name, help_):
        s = sub.add_parser(name, help=help_)
        s.add_argument("case", help="case folder, e.g. datasets/fujian")
        s.add_argument("--store", help="SQLAlchemy URL or SQLite file (default CASE/ledger.sqlite)")
        s.add_argument("--lang", choices=["zh", "en"], default="zh", help="account-name language")
        return s

    _reading(case_cmd, c)
    _documents(case_cmd, c)
    _period_and_tools(sub, case_cmd, c)
    _reconcile(sub, c)
    _forecast(sub, c)
    return p


def _forecast(sub, c) -> None:
    """``forecast train | predict | cash | evaluate``: cash-collection models on a receivable history."""
    group = sub.add_parser("forecast", help="cash-collection forecasting (回款预测): train, predict, cash, evaluate")
    kinds = group.add_subparsers(dest="forecast_command", required=True)
    history = "receivable history CSV/XLSX (one row per invoice; README: Cash-collection forecasting)"
    mapping = "a mapping file (YAML) for another system's export"
    s = kinds.add_parser("train", help="train on what was known at --as-of and save the model with its card")
    s.add_argument("--history", required=True, help=history)
    s.add_argument("--mapping", help=mapping)
    s.add_argument("--as-of", required=True, help="YYYY-MM-DD; a settlement after it counts as still open")
    s.add_argument("--out", required=True, help="model folder to write (model.joblib, card.json, card.md)")
    s = kinds.add_parser("predict", help="per open invoice: settlement date, days, P(late), 80%% interval")
    s.add_argument("--history", help="customer history (default: the one saved with the model)")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s2 = kinds.add_parser("cash", help="expected cash inflow per week from open invoices, with an 80%% band")
    s2.add_argument("--weeks", type=int, default=13, help="weeks to forecast (default 13)")
    for s in (s, s2):
        s.add_argument("--model", required=True, help="model folder written by forecast train")
        s.add_argument("--open", required=True, help="open invoices CSV/XLSX (history columns; settled_date optional)")
        s.add_argument("--mapping", help=mapping)
        s.add_argument("--as-of", required=True, help="YYYY-MM-DD")
    s = kinds.add_parser("evaluate", help="time-split metrics of the baselines and the model")
    s.add_argument("--history", required=True, help=history)
    s.add_argument("--mapping", help=mapping)
    s.add_argument("--split-date", required=True, help="YYYY-MM-DD: train on what was known then, test on later invoices")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    group.set_defaults(func=c.cmd_forecast)


def _reconcile(sub, c) -> None:
    """``reconcile ic|ar CASE --period YYYY-MM`` and ``reconcile bank --statement FILE --journal JOURNAL …``."""
    group = sub.add_parser("reconcile", help="reconciliations (对账) of a period: bank (银行对账), ar (应收核销), "
                                             "ic (intercompany)")
    kinds = group.add_subparsers(dest="reconcile_command", required=True)

    def case_kind(name, func, help_, formats=("json", "csv")):
        s = kinds.add_parser(name, help=help_)
        s.add_argument("case", help="case folder, e.g. datasets/fujian-2020")
        s.add_argument("--store", help="SQLAlchemy URL or SQLite file (default CASE/ledger.sqlite)")
        s.add_argument("--lang", choices=["zh", "en"], default="zh", help="account-name language")
        s.add_argument("--period", required=True, help="YYYY-MM")
        s.add_argument("--format", choices=formats, default=formats[0])
        s.set_defaults(func=func)
        return s

    case_kind("ic", c.cmd_reconcile_ic, "intercompany (内部往来对账): the seller's IC receivables and sales against "
              "the buyer's payables and purchases, differences classified and tied out (group.yaml)")
    s = case_kind("ar", c.cmd_reconcile_ar, "receivable clearing (应收核销): the period's receipts (收款单) against open "
                  "AR invoices; --post clears the automatic matches (clearing vouchers and history)", ("text", "json"))
    s.add_argument("--post", action="store_true", help="post clearing vouchers and record the automatic matches")
    s.add_argument("--by", help="who (default: the login name)")
    s = kinds.add_parser("bank", help="bank reconciliation (银行对账): a statement file against the book lines of one "
                                      "bank account, with the 银行存款余额调节表 of the period (nothing is posted)")
    s.add_argument("--statement", required=True, help="the bank's export: CSV, TXT or XLSX (ICBC, CCB, BOC, CMB "
                                                      "detected) or any layout with --mapping")
    how = s.add_mutually_exclusive_group()
    how.add_argument("--layout", help="built-in layout instead of detecting it: icbc, ccb, boc, cmb")
    how.add_argument("--mapping", help="a mapping file (YAML) for another bank's layout")
    s.add_argument("--journal", required=True, help="a case folder (its stored ledger) or a journal CSV with "
                                                    "line_id, date, account, debit, credit, summary")
    s.add_argument("--account", default="1002", help="the ledger account of this bank account, e.g. 1002 (default) "
                                                     "or 100201; a case folder's is 1002")
    s.add_argument("--period", required=True, help="YYYY-MM")
    s.add_argument("--book", help="case folder: the book (default: the first book in the bank account's currency)")
    s.add_argument("--bank-account", help="case folder: the bank_account dimension (default: found by the "
                                          "statement's account number in masterdata/bank_accounts.csv)")
    s.add_argument("--book-opening", help="journal CSV: the book balance before its first line (default 0)")
    s.add_argument("--accept-proposed", action="store_true", help="apply the proposed matches in the 调节表 too")
    s.add_argument("--rules", help="matching rules (YAML; default finshare/data/reconcile_rules.yaml)")
    s.add_argument("--aliases", help="payer alias table (CSV bank_name,code) learned from confirmed matches")
    s.add_argument("--store", help="case folder: SQLAlchemy URL or SQLite file (default CASE/ledger.sqlite)")
    s.add_argument("--format", choices=["json", "text"], default="json")
    s.set_defaults(func=c.cmd_reconcile_bank)


def _reading(case_cmd, c) -> None:
    """Commands that post what is pending and print or write: journal, tb, export, statements."""
    s = case_cmd("journal", "post approved documents and print the journal")
    s.add_argument("--book")
    s.add_argument("--kind", choices=["business", "gl"], default="gl")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.set_defaults(func=c.cmd_journal)
    s = case_cmd("tb", "post approved documents and print a trial balance")
    s.add_argument("--book", required=True)
    s.add_argument("--period", help="YYYY-MM (default: the latest)")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.set_defaults(func=c.cmd_tb)
    s = case_cmd("export", "post approved documents and write the journal, a trial balance or the documents "
                           "to a file (Parquet, Excel, CSV)")
    s.add_argument("--what", choices=["journal", "tb", "documents"], required=True)
    s.add_argument("--format", choices=["parquet", "xlsx", "csv"], default="parquet")
    s.add_argument("--out", help="file to write (default CASE/export/<what>.<format>); documents: "
                                 "<stem>_header and <stem>_lines beside it (xlsx: two sheets)")
    s.add_argument("--book", help="journal: only this book (default every book; xlsx: a sheet each); tb: required")
    s.add_argument("--kind", choices=["business", "gl"], default="gl", help="journal: which vouchers")
    s.add_argument("--period", help="YYYY-MM: tb (default the latest); journal: only this period")
    s.set_defaults(func=c.cmd_export)
    s = case_cmd("statements", "post approved documents and print a book's financial statements (财务报表)")
    who = s.add_mutually_exclusive_group(required=True)
    who.add_argument("--book", help="the book, e.g. FJ-CAS")
    who.add_argument("--group", action="store_true", help="the group's consolidated statements (group.yaml)")
    s.add_argument("--period", required=True, help="YYYY-MM")
    s.add_argument("--statement", choices=["bs", "is", "mgt", "all"], default="all",
                   help="bs: balance sheet, is: income statement, mgt: management P&L per business unit (CAS charts)")
    s.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    s.add_argument("--out", help="file to write (required for xlsx; json/csv print to stdout without it)")
    s.set_defaults(func=c.cmd_statements)


def _documents(case_cmd, c) -> None:
    """Commands on documents and vouchers: why, run-schemes, post-vouchers, approve, unapprove, reverse, period."""
    s = case_cmd("why", "explain how a document becomes vouchers (stores nothing)")
    s.add_argument("--doc", required=True)
    s.add_argument("--book")
    s.set_defaults(func=c.cmd_why)
    s = case_cmd("run-schemes", "run the generation schemes that are due (for cron)")
    s.add_argument("--force", action="store_true", help="run every scheduled scheme now")
    s.set_defaults(func=c.cmd_run_schemes)
    s = case_cmd("post-vouchers", "post manual vouchers (手工凭证) from a CSV file")
    s.add_argument("file", help="CSV: voucher,book,date,word,account,summary,debit,credit,currency,org,<dimensions>")
    s.add_argument("--by", help="who (default: the login name)")
    s.set_defaults(func=c.cmd_post_vouchers)
    for name, func, help_ in (("approve", c.cmd_approve, "approve documents (单据审核) and post them by scheme"),
                              ("unapprove", c.cmd_unapprove, "反审核: approved documents back to submitted")):
        s = case_cmd(name, help_)
        s.add_argument("--doc", required=True, action="append", help="document number (repeat for several)")
        s.add_argument("--by", help="who (default: the login name)")
        s.add_argument("--reason", help="why (kept in the event log)")
        s.set_defaults(func=func)
    s = case_cmd("reverse", "红字冲销: reverse a document's vouchers that stand, so it can be corrected and posted again")
    s.add_argument("--doc", required=True, help="document number")
    s.add_argument("--book", action="append", help="only this book (repeat for several; default: every book)")
    s.add_argument("--date", help="date of the reversal, YYYY-MM-DD (default: each voucher's own date)")
    s.add_argument("--reason", required=True, help="why (kept in the event log and the summary)")
    s.add_argument("--by", help="who (default: the login name)")
    s.set_defaults(func=c.cmd_reverse)
    s = case_cmd("period", "close or reopen a book's period (结账 / 反结账)")
    s.add_argument("--book", required=True)
    s.add_argument("--period", required=True, help="YYYY-MM")
    how = s.add_mutually_exclusive_group(required=True)
    how.add_argument("--close", action="store_true")
    how.add_argument("--reopen", action="store_true")
    s.add_argument("--reason", required=True, help="why (kept in the event log)")
    s.add_argument("--by", help="who (default: the login name)")
    s.set_defaults(func=c.cmd_period)


def _period_and_tools(sub, case_cmd, c) -> None:
    """check, app, close, generate, exercises release, grade."""
    s = case_cmd("check", "verify the stored ledger: balances, tie-outs, numbering, GL, hash chain (exit 1 on failure)")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.set_defaults(func=c.cmd_check)
    s = sub.add_parser("app", help="launch the Voila dashboards on 127.0.0.1")
    s.add_argument("--port", type=int, default=8866)
    s.add_argument("--name", default="voucher_studio", help="dashboard notebook in notebooks/apps/ "
                   "(voucher_studio, ledger_explorer, reconciliation_workbench)")
    s.add_argument("--case", help="case folder (default datasets/fujian; the explorer and the workbench: "
                   "datasets/fujian-2020)")
    s.add_argument("--store", help="ledger the explorer or the workbench posts into (SQLite file or URL; default "
                   "a temporary file)")
    s.set_defaults(func=c.cmd_app)
    s = case_cmd("close", "close a book's period (期末结账): post, depreciate, revalue, carry forward, (December) "
                          "year-end, lock; --year closes every month in order and prints the checks (exit 1 if one fails)")
    s.add_argument("--book", help="book code (required with --period; with --year default every book)")
    s.add_argument("--period", help="YYYY-MM")
    s.add_argument("--year", help="YYYY: close January to December in order, then check")
    s.add_argument("--reason", help="kept in the event log (default: 期末结账 / period close)")
    s.add_argument("--by", help="who (default: the login name)")
    s.set_defaults(func=c.cmd_close)
    s = case_cmd("alerts", "risk alerts (风险预警): rules, an isolation-forest second opinion; --dismiss with --reason")
    s.add_argument("--period", help="YYYY-MM: only alerts of that month")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.add_argument("--no-outliers", action="store_true", help="rules only, no isolation forest")
    s.add_argument("--dismiss", metavar="ALERT_ID", help="dismiss this alert (kept in the event log)")
    s.add_argument("--reason", help="why the alert is dismissed (required with --dismiss)")
    s.add_argument("--by", help="who (default: the login name)")
    s.set_defaults(func=c.cmd_alerts)
    s = sub.add_parser("generate", help="generate teaching data (生成数据): a year of the Fujian group")
    s.add_argument("what", choices=["fujian-year", "bank-statements", "capture-set", "ar-history"],
                   help="fujian-year: a case folder with a calendar year of documents; bank-statements: one bank "
                        "statement in the ICBC, CCB, BOC and CMB layouts with its journal and the truth; "
                        "capture-set: rendered VAT invoices and bank receipts (PNG/PDF) with truth.json; ar-history: a "
                        "receivable history CSV (one row per invoice) for cash-collection forecasting")
    s.add_argument("--out", required=True, help="new (or empty) folder to write; ar-history: the CSV file")
    s.add_argument("--seed", type=int, default=2020, help="random seed; the same seed writes the same bytes")
    s.add_argument("--scale", type=float, default=1.0, help="fujian-year volume: 1 is about 20,000 documents, 50 about "
                                                          "a million")
    s.add_argument("--lines", type=int, default=600, help="bank-statements: about this many events (default 600)")
    s.add_argument("--invoices", type=int, default=50, help="capture-set: invoices to render (default 50)")
    s.add_argument("--receipts", type=int, default=50, help="capture-set: bank receipts to render (default 50)")
    s.add_argument("--noisy", type=float, default=0.5, help="capture-set: share of pages with noise (default 0.5)")
    s.add_argument("--format", choices=["png", "pdf"], default="png", help="capture-set: image format (default png)")
    s.add_argument("--years", type=int, default=3, help="ar-history: years of invoices (default 3)")
    s.set_defaults(func=c.cmd_generate)
    s = sub.add_parser("capture", help="capture scanned VAT invoices and bank receipts (票据识别): fields, checks, "
                                       "status per page")
    s.add_argument("files", nargs="+", metavar="IMAGE_OR_PDF", help="PNG/JPEG/TIFF images or PDF files")
    s.add_argument("--kind", choices=["auto", "invoice", "receipt"], default="auto",
                   help="what the pages are (default auto: told from the page)")
    s.add_argument("--format", choices=["text", "json"], default="text", help="json: one JSON object per page")
    s.add_argument("--engine", choices=["combined", "rapidocr", "tesseract"], default="combined",
                   help="OCR engine (default combined: RapidOCR, Tesseract for fields it missed)")
    s.set_defaults(func=c.cmd_capture)
    s = sub.add_parser("exercises", help="exercises for students (练习): release the student folder")
    ex_sub = s.add_subparsers(dest="exercises_command", required=True)
    s = ex_sub.add_parser("release", help="write the student folder: starter notebooks and public checks, no solutions")
    s.add_argument("--out", required=True, help="new (or empty) folder to write")
    s.add_argument("--source", help="the exercises folder (default: exercises/ of this finshare checkout)")
    s.set_defaults(func=c.cmd_exercises_release)
    s = sub.add_parser("grade", help="grade submitted exercise notebooks: SUBMISSIONS_DIR/<student>/<NN-topic>.ipynb")
    s.add_argument("submissions", help="folder with one folder per student")
    s.add_argument("--exercise", help="grade only this exercise, e.g. 01-journal-entries")
    s.add_argument("--out", default="scores.csv", help="score table to write (default scores.csv); feedback pages go "
                                                     "to feedback/ beside it")
    s.add_argument("--feedback", help="folder for the per-student feedback pages (default: feedback/ beside --out)")
    s.add_argument("--timeout", type=float, default=120, help="seconds one notebook may run (default 120)")
    s.add_argument("--jobs", type=int, help="notebooks run at once (default: the number of CPU cores)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=c.cmd_grade)
