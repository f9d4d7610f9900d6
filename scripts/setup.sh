#!/usr/bin/env bash
# Idempotent set-up for Debian 12: system packages, then finshare[app,test]
# installed into .venv (or into the active conda env with FINSHARE_USE_CONDA=1).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { echo "[setup] $*"; }
die() { echo "[setup] ERROR: $*" >&2; exit 1; }

APT_PACKAGES=(python3-venv chromium fonts-noto-cjk postgresql tesseract-ocr tesseract-ocr-chi-sim)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
    say "system packages present: ${APT_PACKAGES[*]}"
elif ! command -v apt-get >/dev/null; then
    say "WARNING: no apt-get; install these yourself: ${missing[*]}" >&2
elif [[ $EUID -ne 0 ]] && ! command -v sudo >/dev/null; then
    say "WARNING: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
else
    SUDO=()
    [[ $EUID -eq 0 ]] || SUDO=(sudo)
    say "installing system packages: ${missing[*]}"
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

check_python() {
    command -v "$1" >/dev/null || die "Python 3.11+ required: '$1' not found (set PYTHON=/path/to/python3.11)"
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null ||
        die "Python 3.11+ required: $1 is $("$1" --version 2>&1 | head -n1) (set PYTHON=/path/to/python3.11)"
}

if [[ "${FINSHARE_USE_CONDA:-}" == 1 ]]; then
    [[ -n "${CONDA_PREFIX:-}" ]] || die "FINSHARE_USE_CONDA=1 but no conda env is active (conda activate finshare)"
    PY="$CONDA_PREFIX/bin/python"
    say "using conda env $CONDA_PREFIX"
else
    PY="$ROOT/.venv/bin/python"
    if [[ ! -x "$PY" ]]; then
        BASE_PY="${PYTHON:-python3}"
        check_python "$BASE_PY"
        say "creating .venv with $("$BASE_PY" --version)"
        "$BASE_PY" -m venv "$ROOT/.venv"
    fi
fi
check_python "$PY"

PREFIX="$("$PY" -c 'import sys; print(sys.prefix)')"
STAMP="$PREFIX/.finshare-setup"
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [[ "$(cat "$STAMP" 2>/dev/null)" == "$WANT" ]] &&
    "$PY" -c 'import importlib.metadata as m; m.version("finshare")' 2>/dev/null; then
    say "finshare[app,test] already installed in $PREFIX"
else
    say "installing finshare[app,test] (pip install -e) with $PY"
    log="$(mktemp)"
    if ! { "$PY" -m pip install -q --upgrade pip && "$PY" -m pip install -q -e ".[app,test]"; } >"$log" 2>&1; then
        cat "$log" >&2
        die "pip install failed (output above)"
    fi
    rm -f "$log"
    echo "$WANT" >"$STAMP"
fi
