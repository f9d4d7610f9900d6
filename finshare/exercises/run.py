"""Execute one submitted notebook in a fresh kernel and read back its answers as plain data.

The notebook is copied into a new temporary folder (its stored outputs are
dropped, never trusted), scanned for tampering (:mod:`.tamper`), and run by
nbclient with a time limit. A cell the grader appends writes the answer
variables as JSON (:func:`finshare.exercises.plain.to_plain`; a function answer
is first called on its cases there, :func:`~finshare.exercises.plain.call_each`)
to a file whose name is a fresh random token, in a folder beside the notebook's; the grader
then requires that folder to hold exactly that file, bearing that token.
Nothing of the notebook's objects leaves the kernel but that JSON.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import os
import secrets
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import plain
from .tamper import scan

#: Largest answer file read back (bytes).
MAX_ANSWERS = 20_000_000


@dataclass(frozen=True)
class Outcome:
    """What running one notebook gave: ``status`` (ok, error, timeout, crashed, tampered, unreadable,
    missing), a bilingual ``reason`` when not ok, the plain ``answers`` and the notebook's own STUDENT_ID."""

    status: str
    reason: str = ""
    answers: dict | None = None
    notebook_id: object = None
    seconds: float = 0.0


def export_cell(path: Path, nonce: str, variables: list[str], calls: dict | None = None) -> str:
    """Source of the cell appended after the student's: writes the answers once, to ``path``.

    ``calls`` maps a function answer to the argument tuples it is called with.
    """
    return "\n".join([
        "def _finshare_export():",
        "    import json, os",
        f"    LIMIT = {plain.LIMIT}",
        *("    " + line for line in inspect.getsource(plain.to_plain).splitlines()),
        *("    " + line for line in inspect.getsource(plain.call_each).splitlines()),
        "    g = globals()",
        f"    names = {variables!r}",
        f"    calls = {dict(calls or {})!r}",
        "    answers = {n: ((call_each(g[n], calls[n]) if n in calls else to_plain(g[n])) if n in g",
        "                   else {'kind': 'missing'}) for n in names}",
        f"    data = {{'nonce': {nonce!r}, 'student_id': to_plain(g.get('STUDENT_ID')), 'answers': answers}}",
        f"    fd = os.open({str(path)!r}, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)",
        "    with os.fdopen(fd, 'w', encoding='utf-8') as f:",
        "        json.dump(data, f, ensure_ascii=False)",
        "_finshare_export()",
    ])


def run_notebook(path: Path, variables: list[str], student: str, timeout: float,
                 calls: dict | None = None) -> Outcome:
    """Execute the notebook at ``path`` for ``student`` (see module docstring); never raises.

    ``calls``: argument tuples for each answer that is a function (:meth:`Exercise.calls`).
    """
    began = time.monotonic()
    try:
        nb = nbformat.read(path, as_version=4)
        sources = [c.source for c in nb.cells if c.cell_type == "code"]
    except Exception as exc:  # not JSON, not a notebook …
        return Outcome("unreadable", f"不是可读的笔记本 / not a readable notebook: {type(exc).__name__}: "
                                     f"{str(exc)[:160]}")
    found = scan(sources)
    if found:
        return Outcome("tampered", "试图改动评分，未运行 / tries to change its own grading, not run: "
                       + "; ".join(found))
    with tempfile.TemporaryDirectory(prefix="finshare-grade-") as tmp:
        outcome = _execute(nb, Path(tmp), variables, student, timeout, calls)
    return Outcome(outcome.status, outcome.reason, outcome.answers, outcome.notebook_id,
                   round(time.monotonic() - began, 2))


def _execute(nb, tmp: Path, variables: list[str], student: str, timeout: float, calls: dict | None) -> Outcome:
    work, out = tmp / "work", tmp / "out"
    work.mkdir()
    out.mkdir(mode=0o700)
    nonce = secrets.token_hex(16)
    answer = out / f"{nonce}.json"
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells.append(nbformat.v4.new_code_cell(export_cell(answer, nonce, variables, calls)))
    env = {**os.environ, "FINSHARE_GRADING_STUDENT": student}
    failure = _run_kernel(nb, work, env, timeout)
    if failure is not None:
        return failure
    return _read_answers(out, answer, nonce)


def _run_kernel(nb, work: Path, env: dict, timeout: float) -> Outcome | None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(work)}}, record_timing=False)
    began = time.monotonic()
    try:
        asyncio.run(asyncio.wait_for(client.async_execute(env=env, cwd=str(work), stderr=subprocess.DEVNULL),
                                     timeout))
    except (asyncio.TimeoutError, CellTimeoutError):
        return _timeout(timeout)
    except DeadKernelError:  # also what nbclient raises when the time limit cancels a running cell
        if time.monotonic() - began >= timeout:
            return _timeout(timeout)
        return Outcome("crashed", "内核崩溃或退出 / the kernel died (os._exit, a crash, or out of memory)")
    except CellExecutionError as exc:
        return _cell_error(nb, exc)
    except Exception as exc:  # kernel could not start …
        return Outcome("error", f"无法运行 / could not run: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        _shutdown(client)
    return None


def _timeout(timeout: float) -> Outcome:
    return Outcome("timeout", f"超过时间限制 {timeout:g} 秒 / did not finish within {timeout:g} s (a cell that "
                              "waits or loops for ever?)")


def _cell_error(nb, exc) -> Outcome:
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for n, cell in enumerate(code_cells, start=1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            if n == len(code_cells):  # the grader's own cell: the answer file was there before it
                return Outcome("tampered", "评分程序的答案文件被抢先写入 / the grader's answer file was written "
                                           f"before the grader wrote it ({exc.ename})")
            return Outcome("error", f"第 {n} 个代码单元格出错 / code cell {n} raised {exc.ename}: "
                                    f"{str(exc.evalue)[:200]}")
    return Outcome("error", f"运行出错 / the notebook raised {getattr(exc, 'ename', type(exc).__name__)}")


def _shutdown(client) -> None:
    km = getattr(client, "km", None)
    try:
        if km is not None and km.has_kernel:
            asyncio.run(km.shutdown_kernel(now=True))
    except Exception:  # noqa: BLE001 — best effort; the kernel's process group dies with the run anyway
        pass


def _read_answers(out: Path, answer: Path, nonce: str) -> Outcome:
    others = sorted(p.name for p in out.iterdir() if p != answer)
    if others or not answer.exists():
        return Outcome("tampered", "评分程序的答案文件夹里有别的文件 / files other than the grader's answer file "
                                   f"appeared in its folder: {', '.join(others) or '(answer file missing)'}")
    if answer.stat().st_size > MAX_ANSWERS:
        return Outcome("error", "答案太大 / the answers are too large to read (more than 20 MB)")
    try:
        data = json.loads(answer.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return Outcome("tampered", "答案文件不是评分程序写的 / the answer file is not the grader's JSON")
    if not isinstance(data, dict) or data.get("nonce") != nonce or not isinstance(data.get("answers"), dict):
        return Outcome("tampered", "答案文件不是评分程序写的 / the answer file does not bear the grader's token")
    return Outcome("ok", "", data["answers"], plain.from_plain(data.get("student_id")))
