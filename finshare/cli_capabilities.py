"""Commands of the capabilities beside the ledger core: ``reconcile ar|bank|ic``, ``alerts``, ``capture``,
``forecast``, ``generate``, ``app``, ``exercises release`` and ``grade``. Each is thin: the work is in its package."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .cli_common import emit, open_ledger, post_pending, user
from .core.problems import FinshareError, Problem, Source


def cmd_reconcile_ar(args) -> int:
    from .reconcile.clearing.report import ar_report, report_text
    ledger = open_ledger(args)
    post_pending(ledger, args)
    report = ar_report(ledger, args.period, args.case, post=args.post, by=user(args))
    if args.format == "json":
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report_text(report))
    return 0


def cmd_reconcile_bank(args) -> int:
    from .core.journal import check_period
    from .reconcile.bankcase import reconcile_statement

    def case_ledger(case):
        args.case = case
        ledger = open_ledger(args)
        post_pending(ledger, args)
        return ledger
    check_period(args.period)
    done = reconcile_statement(args.statement, args.journal, args.account, args.period, args.layout, args.mapping,
                               args.book, args.bank_account, args.rules, args.aliases, case_ledger,
                               args.book_opening, args.accept_proposed)
    sys.stdout.write((done.to_json(indent=1) if args.format == "json" else done.text()) + "\n")
    return 0


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
    ledger = open_ledger(args)
    if args.dismiss:
        dismiss(ledger, args.dismiss, args.reason or "", user(args))
        print(f"{args.dismiss} 已关闭 / dismissed: {args.reason}")
        return 0
    post_pending(ledger, args)
    alerts = find_alerts(ledger, args.period, outliers=not args.no_outliers)
    emit(for_output(alerts, lists=args.format == "json"), args.format, sys.stdout)
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
    from .reconcile.intercompany.cli import emit as emit_ic
    check_period(args.period)
    ledger = open_ledger(args)
    post_pending(ledger, args)
    emit_ic(ledger, args.period, args.format, sys.stdout)
    return 0
