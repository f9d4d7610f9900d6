"""Helpers for browser tests: a Voila server, and Debian's Chromium driven by Playwright.

Fixtures built on these live in conftest.py (voila_server, browser, page, console_errors).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("FINSHARE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VIEWPORT = {"width": 1400, "height": 900}
DEFAULT_TIMEOUT_MS = 30_000

# Console noise that is expected with Voila 0.5 offline (see shared/reference/RECIPES.md).
HARMLESS_CONSOLE = [
    re.compile(r"(Unsatisfied|No satisfying) version"),
    re.compile(r"cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free"),
]


def small_year(root: Path):
    """A small generated year (seed 3, scale 0.05) in ``root/year``, posted into ``root/expected.sqlite`` for the
    figures a test expects; returns the ledger (close it when done)."""
    import finshare
    from finshare.generate.year import generate_year

    generate_year(root / "year", seed=3, scale=0.05)
    ledger = finshare.Ledger(finshare.load_case(root / "year"), root / "expected.sqlite")
    ledger.post()
    return ledger


def app_server(name: str, root: Path, case: Path, store: Path | None = None) -> "VoilaServer":
    """``finshare app --name NAME --case CASE [--store STORE]`` on a free port, started (stop it when done)."""
    repo = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "finshare.cli", "app", "--name", name, "--case", str(case), "--port", "{port}"]
    if store is not None:
        command[-2:-2] = ["--store", str(store)]
    return VoilaServer(repo / "notebooks" / "apps" / f"{name}.ipynb", root / "app.log", command=command).start()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VoilaServer:
    """`python -m voila NOTEBOOK` on a free 127.0.0.1 port, logging to `log_path`."""

    def __init__(self, notebook: Path, log_path: Path, startup_timeout: float = 60, command: list[str] | None = None):
        self.notebook = Path(notebook).resolve()
        self.command = command  # run this instead of voila itself, with {port} filled in
        self.log_path = Path(log_path)
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self) -> VoilaServer:
        if not self.notebook.is_file():
            raise FileNotFoundError(self.notebook)
        self._log = open(self.log_path, "wb")
        cmd = [c.format(port=self.port) for c in self.command] if self.command else [
            sys.executable, "-m", "voila", self.notebook.name, "--no-browser",
            f"--port={self.port}", "--Voila.ip=127.0.0.1", "--show_tracebacks=True"]
        self.proc = subprocess.Popen(cmd, cwd=self.notebook.parent, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        # Probe a static file: every GET of "/" would start a kernel and run the notebook.
        probe = self.url + "voila/static/voila.js"
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"Voila did not serve {self.notebook} (exit code {self.proc.returncode}); "
            f"log {self.log_path}:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log and not self._log.closed:
            self._log.close()


def is_harmless(text: str) -> bool:
    return any(p.search(text) for p in HARMLESS_CONSOLE)


def collect_console_errors(page, errors: list[str]) -> None:
    """Append console errors and uncaught page exceptions, minus known noise, to `errors`."""

    def on_console(msg) -> None:
        if msg.type != "error":
            return
        text = f"{msg.text} [{msg.location.get('url', '')}]"
        if not is_harmless(text):
            errors.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))


def screenshot(page, name: str) -> Path:
    """Full-page PNG in tests/artifacts/ (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
