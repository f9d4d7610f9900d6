"""Command line: ``finshare journal | tb | statements | export | why | run-schemes | post-vouchers | approve | unapprove | reverse |
period | close | reconcile ic|ar|bank | forecast train|predict|cash|evaluate | check | app | generate |
exercises release | grade``.

Every command that reads a case posts what is approved first (idempotently)
into the case's ledger store (``CASE_DIR/ledger.sqlite`` unless ``--store``
or ``FINSHARE_STORE`` names another SQLAlchemy URL). Bad input exits with
status 2 and one message naming file, line and field; the store is left as
it was.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd

from .core.balances import MONEY_COLUMNS
from .core.journal import OUTPUT_COLUMNS
from .core.problems import FinshareError, Problem, Source

JOURNAL_OUTPUT = OUTPUT_COLUMNS
TB_OUTPUT = ["account", "account_name", "level", *MONEY_COLUMNS]


#: Ledgers a command opened; :func:`main` releases their connections when the command ends.
_OPEN: list = []


def _ledger(args):
    """The case's ledger; documents come from the store, files are read only when they changed."""
    from .core.case import load_case
    from .core.ledger import Ledger
    case = load_case(args.case, documents=False)
    store = args.store or os.environ.get("FINSHARE_STORE") or str(Path(args.case) / "ledger.sqlite")
    ledger = Ledger(case, store)
    _OPEN.append(ledger)
    return ledger


def _user(args) -> str:
    import getpass
    return getattr(args, "by", None) or os.environ.get("FINSHARE_USER") or getpass.getuser()


def _book(ledger, code):
    """The book named on the command line (an unknown code is refused with the list)."""
    if code is not None:
        ledger.case.books[code]
    return code


def _post_pending(ledger, args) -> None:
    """Post what is approved before reading; documents dated in a closed period wait, with a warning."""
    result = ledger.post(by=_user(args), hold_closed=True)
    if result.held:
        print(f"# 注意 / note: {len(result.held)} 处单据凭证暂缓，期间已结账 / documents wait: their period is closed "
              "(the ledger below is what is stored)", file=sys.stderr)
        for p in result.held[:20]:
            print(f"#   {p.message}; {p.fix}", file=sys.stderr)


def _emit(frame: pd.DataFrame, fmt: str, out) -> None:
    if fmt == "json":
        json.dump(frame.to_dict(orient="records"), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        frame.to_csv(out, index=False, lineterminator="\n")


def cmd_journal(args) -> int:
    from .core.export import journal_lines, journal_text
    ledger = _ledger(args)
    _book(ledger, args.book)
    _post_pending(ledger, args)
    _emit(journal_text(journal_lines(ledger, args.book, args.kind), ledger.case.books, args.lang), args.format,
          sys.stdout)
    return 0


def cmd_tb(args) -> int:
    from .core.export import tb_text
    ledger = _ledger(args)
    ledger.case.books[args.book]
    if args.period is not None:
        from .core.ledger import check_period
        check_period(args.period)
    _post_pending(ledger, args)
    _emit(tb_text(ledger, args.book, args.period, args.lang), args.format, sys.stdout)
    return 0


def cmd_export(args) -> int:
    from .core import export
    ledger = _ledger(args)
    export.check_request(ledger.case, args.what, args.book, args.period)
    paths = export.output_paths(args.case, args.what, args.format, args.out)
    _post_pending(ledger, args)
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
    ledger = _ledger(args)
    st.check_request(ledger, args.book, args.period)
    _post_pending(ledger, args)
    st.emit(ledger, args.book, args.period, args.statement, args.format, args.out, args.lang, sys.stdout)
    return 0


def cmd_why(args) -> int:
    from .core.case import load_case
    from .core.preview import why
    case = load_case(args.case)
    print(why(case, args.doc, args.book).text())
    return 0


def cmd_run_schemes(args) -> int:
    ledger = _ledger(args)
    results = ledger.run_schemes(force=args.force)
    if not results:
        print("no scheme is due / 没有到期的生成方案")
    for code, r in results.items():
        print(f"{code}: batch {r.batch}, {r.documents} documents, {r.vouchers('business')} business vouchers, "
              f"{r.vouchers('gl')} GL vouchers")
    return 0


def cmd_post_vouchers(args) -> int:
    ledger = _ledger(args)
    result, skipped = ledger.post_vouchers(args.file, by=_user(args))
    for key, book in skipped:
        print(f"{key} ({book}) 已过账，跳过 / already posted, skipped (to change it, reverse it first)")
    if result.batch:
        print(f"batch {result.batch}: {result.vouchers('business')} manual vouchers, {result.vouchers('gl')} GL vouchers")
    return 0


def cmd_approve(args) -> int:
    ledger = _ledger(args)
    try:
        result = ledger.approve(args.doc, by=_user(args), reason=args.reason or "")
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
    ledger = _ledger(args)
    held = ledger.unapprove(args.doc, by=_user(args), reason=args.reason or "")
    print(f"{', '.join(args.doc)}: 反审核 → 已提交 submitted")
    for n in held:
        print(f"  {n} 仍有凭证：先红字冲销 / {n} still has vouchers: reverse them first "
              f"(finshare reverse CASE --doc {n} --reason …), then correct it and approve it again")
    return 0


def cmd_reverse(args) -> int:
    ledger = _ledger(args)
    for book in args.book or []:
        ledger.case.books[book]
    results = ledger.reverse_document(args.doc, books=args.book, date=args.date, reason=args.reason, by=_user(args))
    for r in results:
        head = r.business.iloc[0]
        print(f"{head['book']} {head['period']} {head['voucher_no']}: 红字冲销 {head['reverses']} / reversal (batch {r.batch})")
    return 0


def cmd_period(args) -> int:
    ledger = _ledger(args)
    if args.close:
        old = ledger.close_period(args.book, args.period, args.reason, _user(args))
        now = "closed"
    else:
        old = ledger.reopen_period(args.book, args.period, args.reason, _user(args))
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
    ledger = _ledger(args)
    books = [args.book] if args.book else ledger.case.books.codes()
    ledger.post(by=_user(args))
    if args.period:
        done = close_books(ledger, books, args.period, args.reason or "", _user(args), post=False)
    else:
        done = close_year(ledger, books, args.year, _user(args), post=False, reason=args.reason or "")
    for closed in done:
        print(closed.text())
    if args.year:
        table = year_checks(ledger, args.year, books)
        _emit(table.assign(ok=table["ok"].map({True: "ok", False: "FAILED"})), "csv", sys.stdout)
        return 0 if table["ok"].all() else 1
    return 0


def cmd_reconcile_ar(args) -> int:
    from .reconcile.clearing.report import ar_report, report_text
    ledger = _ledger(args)
    _post_pending(ledger, args)
    report = ar_report(ledger, args.period, args.case, post=args.post, by=_user(args))
    if args.format == "json":
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report_text(report))
    return 0


def cmd_reconcile_bank(args) -> int:
    from .core.journal import check_period
    from .reconcile.bankcase import reconcile_statement

    def open_ledger(case):
        args.case = case
        ledger = _ledger(args)
        _post_pending(ledger, args)
        return ledger
    check_period(args.period)
    done = reconcile_statement(args.statement, args.journal, args.account, args.period, args.layout, args.mapping,
                               args.book, args.bank_account, args.rules, args.aliases, open_ledger,
                               args.book_opening, args.accept_proposed)
    sys.stdout.write((done.to_json(indent=1) if args.format == "json" else done.text()) + "\n")
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
    _emit(table, args.format, sys.stdout)
    if len(heads):
        print(f"# head of the chain: batch {int(heads['id'].iloc[-1])} {heads['digest'].iloc[-1]}", file=sys.stderr)
    return 0 if (table["ok"] == "ok").all() else 1


def cmd_app(args) -> int:
    root = Path(__file__).resolve().parent.parent
    apps = root / "notebooks" / "apps"
    nb = apps / f"{args.name}.ipynb"
    names = sorted(p.stem for p in apps.glob("*.ipynb"))
    if not nb.exists():
        raise FinshareError([Problem("missing-file", "找不到仪表板 / no such dashboard", Source(str(nb)),
                                     f"the dashboards live in notebooks/apps/: --name one of {', '.join(names)}")])
    env = dict(os.environ)
    if args.case:
        env["FINSHARE_CASE"] = str(Path(args.case).resolve())
    if args.store:
        env["FINSHARE_STORE"] = args.store          # the ledger explorer posts there (default: a temporary file)
    cmd = [sys.executable, "-m", "voila", str(nb), "--no-browser", f"--port={args.port}",
           "--Voila.ip=127.0.0.1", f"--Voila.root_dir={root}",
           f"--Voila.config_file_paths={apps}"]   # notebooks/apps/voila.json: a closed page frees its kernel
    print(f"finshare {args.name.replace('_', ' ')} on http://127.0.0.1:{args.port}/ (Ctrl-C stops it; the other "
          f"dashboards: finshare app --name {' | '.join(n for n in names if n != args.name)})", flush=True)
    os.chdir(root)
    os.execve(sys.executable, cmd, env)  # Voila takes this process's place, so signals reach it


def cmd_exercises_release(args) -> int:
    from .exercises.release import release
    written = release(Path(args.out), Path(args.source) if args.source else None)
    for path in written:
        print(path)
    print(f"# {len(written)} files for students in {args.out} (no solutions) / 学生练习文件夹已写好", file=sys.stderr)
    return 0


def cmd_grade(args) -> int:
    from .exercises.grade import grade_class, score_table, write_feedback
    if args.timeout <= 0 or (args.jobs is not None and args.jobs < 1):
        raise FinshareError([Problem("bad-option", "--timeout 和 --jobs 必须是正数 / --timeout and --jobs must be "
                                     "positive", hint="e.g. --timeout 120 --jobs 2")])
    graded = grade_class(Path(args.submissions), args.exercise, args.timeout, args.jobs, progress=not args.quiet)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table = score_table(graded)
    table.to_csv(out, index=False, lineterminator="\n")
    pages = write_feedback(graded, Path(args.feedback) if args.feedback else out.parent / "feedback")
    counts = table["status"].value_counts().to_dict()
    print(f"{len(table)} notebooks of {table['student'].nunique()} students: "
          f"{', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}; scores → {out}; "
          f"feedback → {pages[0].parent if pages else '-'} / 评分完成")
    return 0


def cmd_alerts(args) -> int:
    from .forecast.alerts import check_period, dismiss, find_alerts, for_output
    check_period(args.period)
    ledger = _ledger(args)
    if args.dismiss:
        dismiss(ledger, args.dismiss, args.reason or "", _user(args))
        print(f"{args.dismiss} 已关闭 / dismissed: {args.reason}")
        return 0
    _post_pending(ledger, args)
    alerts = find_alerts(ledger, args.period, outliers=not args.no_outliers)
    _emit(for_output(alerts, lists=args.format == "json"), args.format, sys.stdout)
    return 0


def cmd_capture(args) -> int:
    from .capture.cli import capture_lines
    for line in capture_lines(args.files, kind=args.kind, fmt=args.format, engine=args.engine):
        print(line, flush=True)
    return 0


def cmd_generate(args) -> int:
    from .generate.year import generate_year
    if args.what == "bank-statements":
        from .reconcile.sample_files import write_bank_samples
        n = write_bank_samples(Path(args.out), args.seed, args.lines)
        print(f"{n['statement_lines']:,} statement lines in four layouts, {n['journal_lines']:,} journal lines in "
              f"{args.out} (seed {args.seed}) / 已生成银行对账单样例")
        return 0
    if args.what == "capture-set":
        from .capture.render import render_set
        pages = render_set(Path(args.out), args.seed, args.invoices, args.receipts, args.noisy, args.format)
        noisy = sum(bool(p["noise"]) for p in pages)
        print(f"{len(pages):,} pages ({noisy:,} noisy) and truth.json in {args.out} (seed {args.seed}) / 已生成票据图像")
        return 0
    if args.what == "ar-history":
        from .forecast.generator import write_history
        table = write_history(Path(args.out), args.seed, args.years)
        print(f"{len(table):,} invoices ({int(table['settled_date'].isna().sum()):,} open), "
              f"{table['customer_id'].nunique()} customers, {args.years} years in {args.out} (seed {args.seed}) "
              "/ 已生成应收账款历史")
        return 0
    counts = generate_year(Path(args.out), args.seed, args.scale)
    print(f"{sum(counts.values()):,} documents in {args.out} (seed {args.seed}, scale {args.scale:g}) / 已生成: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
    return 0


def cmd_forecast(args) -> int:
    from .forecast.cli import run
    return run(args)


def cmd_reconcile_ic(args) -> int:
    from .core.journal import check_period
    from .reconcile.intercompany.cli import emit
    check_period(args.period)
    ledger = _ledger(args)
    _post_pending(ledger, args)
    emit(ledger, args.period, args.format, sys.stdout)
    return 0


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
        while _OPEN:                # a command run from Python (tests, notebooks) leaves no connection open
            _OPEN.pop().close()


if __name__ == "__main__":
    sys.exit(main())
