#!/usr/bin/env bash
# Set up, then launch the Voila app (finshare app) on 127.0.0.1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh

BIN="$ROOT/.venv/bin"
if [[ "${FINSHARE_USE_CONDA:-}" == 1 && -n "${CONDA_PREFIX:-}" ]]; then
    BIN="$CONDA_PREFIX/bin"
fi
exec "$BIN/finshare" app "$@"
