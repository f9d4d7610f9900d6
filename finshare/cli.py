"""Command line: ``finshare journal | tb | statements | export | why | run-schemes | post-vouchers | approve | unapprove | reverse |
period | close | reconcile ic|ar|bank | forecast train|predict|cash|evaluate | check | app | generate |
exercises release | grade``.

Every command that reads a case posts what is approved first (idempotently)
into the case's ledger store (``CASE_DIR/ledger.sqlite`` unless ``--store``
or ``FINSHARE_STORE`` names another SQLAlchemy URL). Bad input exits with
status 2 and one message naming file, line and field; the store is left as
it was.

The ledger's own commands are here; those of the capabilities beside it (reconcile, alerts, capture,
forecast, generate, app, exercises, grade) are in :mod:`finshare.cli_capabilities`, and what both use in
:mod:`finshare.cli_common`.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .core.balances import MONEY_COLUMNS
from .core.journal import OUTPUT_COLUMNS
from .core.problems import FinshareError, Problem, Source

JOURNAL_OUTPUT = OUTPUT_COLUMNS
TB_OUTPUT = ["account", "account_name", "level", *MONEY_COLUMNS]


from .cli_capabilities import (  # noqa: F401 — the parser finds every command here
    cmd_alerts, cmd_app, cmd_capture, cmd_exercises_release, cmd_forecast, cmd_generate, cmd_grade,
    cmd_reconcile_ar, cmd_reconcile_bank, cmd_reconcile_ic)
from .cli_common import OPEN, emit, known_book, open_ledger, post_pending, user


def cmd_journal(args) -> int:
    from .core.export import journal_lines, journal_text
    ledger = open_ledger(args)
    known_book(ledger, args.book)
    post_pending(ledger, args)
    emit(journal_text(journal_lines(ledger, args.book, args.kind), ledger.case.books, args.lang), args.format,
          sys.stdout)
    return 0


def cmd_tb(args) -> int:
    from .core.export import tb_text
    ledger = open_ledger(args)
    ledger.case.books[args.book]
    if args.period is not None:
        from .core.ledger import check_period
        check_period(args.period)
    post_pending(ledger, args)
    emit(tb_text(ledger, args.book, args.period, args.lang), args.format, sys.stdout)
    return 0


def cmd_export(args) -> int:
    from .core import export
    ledger = open_ledger(args)
    export.check_request(ledger.case, args.what, args.book, args.period)
    paths = export.output_paths(args.case, args.what, args.format, args.out)
    post_pending(ledger, args)
    for path in export.write_export(ledger, args.what, args.format, paths, args.book, args.kind, args.period,
                                    args.lang):
        print(path)
    return 0


def cmd_statements(args) -> int:
    from .close.statements import cli as st
    if args.format == "xlsx" and not args.out:
        raise FinshareError([Problem("missing-out", "Excel 报表要写入文件 / an Excel workbook is written to a file",
                                     Source(field="out"), "加上 --out 文件名.xlsx，或改用 json、csv 格式 / add --out FILE.xlsx, "
                                     "or use --format json or csv")])
    ledger = open_ledger(args)
    st.check_request(ledger, args.book, args.period)
    post_pending(ledger, args)
    st.emit(ledger, args.book, args.period, args.statement, args.format, args.out, args.lang, sys.stdout)
    return 0


def cmd_why(args) -> int:
    from .core.case import load_case
    from .core.preview import why
    case = load_case(args.case)
    print(why(case, args.doc, args.book).text())
    return 0


def cmd_run_schemes(args) -> int:
    ledger = open_ledger(args)
    results = ledger.run_schemes(force=args.force)
    if not results:
        print("no scheme is due / 没有到期的生成方案")
    for code, r in results.items():
        print(f"{code}: batch {r.batch}, {r.documents} documents, {r.vouchers('business')} business vouchers, "
              f"{r.vouchers('gl')} GL vouchers")
    return 0


def cmd_post_vouchers(args) -> int:
    ledger = open_ledger(args)
    result, skipped = ledger.post_vouchers(args.file, by=user(args))
    for key, book in skipped:
        print(f"{key} ({book}) 已过账，跳过 / already posted, skipped (to change it, reverse it first)")
    if result.batch:
        print(f"batch {result.batch}: {result.vouchers('business')} manual vouchers, {result.vouchers('gl')} GL vouchers")
    return 0


def cmd_approve(args) -> int:
    ledger = open_ledger(args)
    try:
        result = ledger.approve(args.doc, by=user(args), reason=args.reason or "")
    except FinshareError as exc:
        if not all(p.code == "period-closed" for p in exc.problems):
            raise
        raise FinshareError(exc.problems, f"{', '.join(args.doc)} 已审核，但凭证未生成：期间已结账 / approved, but no "
                            "voucher was made: the period is closed (the document waits until it is reopened)") from None
    done = ", ".join(args.doc)
    if result is None:
        print(f"{done}: 已审核 approved (没有启用的审核即生成方案 / no enabled on-approve scheme: "
              "finshare journal or run-schemes posts it)")
    else:
        print(f"{done}: 已审核 approved; batch {result.batch}: {result.documents} documents, "
              f"{result.vouchers('business')} business vouchers, {result.vouchers('gl')} GL vouchers")
    return 0


def cmd_unapprove(args) -> int:
    ledger = open_ledger(args)
    held = ledger.unapprove(args.doc, by=user(args), reason=args.reason or "")
    print(f"{', '.join(args.doc)}: 反审核 → 已提交 submitted")
    for n in held:
        print(f"  {n} 仍有凭证：先红字冲销 / {n} still has vouchers: reverse them first "
              f"(finshare reverse CASE --doc {n} --reason …), then correct it and approve it again")
    return 0


def cmd_reverse(args) -> int:
    ledger = open_ledger(args)
    for book in args.book or []:
        ledger.case.books[book]
    results = ledger.reverse_document(args.doc, books=args.book, date=args.date, reason=args.reason, by=user(args))
    for r in results:
        head = r.business.iloc[0]
        print(f"{head['book']} {head['period']} {head['voucher_no']}: 红字冲销 {head['reverses']} / reversal (batch {r.batch})")
    return 0


def cmd_period(args) -> int:
    ledger = open_ledger(args)
    if args.close:
        old = ledger.close_period(args.book, args.period, args.reason, user(args))
        now = "closed"
    else:
        old = ledger.reopen_period(args.book, args.period, args.reason, user(args))
        now = "open"
    word = {"closed": "已结账 closed", "open": "开放 open"}
    same = "（未变 unchanged）" if old == now else ""
    print(f"{args.book} {args.period}: {word[old]} → {word[now]}{same}")
    return 0


def cmd_close(args) -> int:
    from .close.checks import year_checks
    from .close.period import close_books, close_year
    if (args.period is None) == (args.year is None) or (args.period and not args.book):
        raise FinshareError([Problem("bad-option", "请给出 --book 与 --period，或 --year / give --book with --period, "
                                     "or --year (with --book, or for every book)", hint="e.g. finshare close CASE "
                                     "--book FJ-CAS --period 2020-03, or finshare close CASE --year 2020")])
    if args.year is not None and not re.fullmatch(r"\d{4}", args.year):
        raise FinshareError([Problem("bad-year", f"年份 {args.year!r} 无效 / {args.year!r} is not a year",
                                     Source(field="year"), "write four digits, e.g. --year 2020")])
    ledger = open_ledger(args)
    books = [args.book] if args.book else ledger.case.books.codes()
    ledger.post(by=user(args))
    if args.period:
        done = close_books(ledger, books, args.period, args.reason or "", user(args), post=False)
    else:
        done = close_year(ledger, books, args.year, user(args), post=False, reason=args.reason or "")
    for closed in done:
        print(closed.text())
    if args.year:
        table = year_checks(ledger, args.year, books)
        emit(table.assign(ok=table["ok"].map({True: "ok", False: "FAILED"})), "csv", sys.stdout)
        return 0 if table["ok"].all() else 1
    return 0


def cmd_check(args) -> int:
    from .core.case import load_case
    from .core.store import Store
    from .core.reach import reach_table
    case = load_case(args.case, documents=False)
    store = Store(args.store or os.environ.get("FINSHARE_STORE") or str(Path(args.case) / "ledger.sqlite"))
    try:
        table = store.check(reach_table(case.books))
        heads = store.batches()
    finally:
        store.engine.dispose()
    table["ok"] = table["ok"].map({True: "ok", False: "FAILED"})
    emit(table, args.format, sys.stdout)
    if len(heads):
        print(f"# head of the chain: batch {int(heads['id'].iloc[-1])} {heads['digest'].iloc[-1]}", file=sys.stderr)
    return 0 if (table["ok"] == "ok").all() else 1


def build_parser() -> argparse.ArgumentParser:
    """The ``finshare`` argument parser (:mod:`finshare.cli_parser`), wired to this module's commands."""
    from . import cli_parser
    return cli_parser.build_parser(sys.modules[__name__])


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FinshareError as exc:
        print(f"finshare {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `finshare journal … | head`
        return 0
    except KeyboardInterrupt:
        print(f"finshare {args.command}: 已中断，未完成的批次没有保存 / interrupted: an unfinished batch was not stored",
              file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — the last resort: a message, not a traceback
        if os.environ.get("FINSHARE_DEBUG"):
            raise
        print(f"finshare {args.command}: 内部错误 / internal error: {type(exc).__name__}: {str(exc)[:300]}\n"
              "    the ledger is unchanged (a batch is stored whole or not at all); please report this with the "
              "case folder; FINSHARE_DEBUG=1 shows the traceback", file=sys.stderr)
        return 70
    finally:
        while OPEN:                # a command run from Python (tests, notebooks) leaves no connection open
            OPEN.pop().close()


if __name__ == "__main__":
    sys.exit(main())
