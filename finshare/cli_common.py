"""What the command-line modules share: the case's ledger as a command opens it, who runs it, output."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pandas as pd

#: Ledgers a command opened; :func:`finshare.cli.main` releases their connections when the command ends.
OPEN: list = []


def open_ledger(args):
    """The case's ledger; documents come from the store, files are read only when they changed."""
    from .core.case import load_case
    from .core.ledger import Ledger
    case = load_case(args.case, documents=False)
    store = args.store or os.environ.get("FINSHARE_STORE") or str(Path(args.case) / "ledger.sqlite")
    ledger = Ledger(case, store)
    OPEN.append(ledger)
    return ledger


def user(args) -> str:
    import getpass
    return getattr(args, "by", None) or os.environ.get("FINSHARE_USER") or getpass.getuser()


def known_book(ledger, code):
    """The book named on the command line (an unknown code is refused with the list)."""
    if code is not None:
        ledger.case.books[code]
    return code


def post_pending(ledger, args) -> None:
    """Post what is approved before reading; documents dated in a closed period wait, with a warning."""
    result = ledger.post(by=user(args), hold_closed=True)
    if result.held:
        print(f"# 注意 / note: {len(result.held)} 处单据凭证暂缓，期间已结账 / documents wait: their period is closed "
              "(the ledger below is what is stored)", file=sys.stderr)
        for p in result.held[:20]:
            print(f"#   {p.message}; {p.fix}", file=sys.stderr)


def emit(frame: pd.DataFrame, fmt: str, out) -> None:
    if fmt == "json":
        json.dump(frame.to_dict(orient="records"), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        frame.to_csv(out, index=False, lineterminator="\n")
