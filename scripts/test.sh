#!/usr/bin/env bash
# Set up, start a throwaway PostgreSQL (unless FINSHARE_PG_URL is set), run pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh

BIN="$ROOT/.venv/bin"
if [[ "${FINSHARE_USE_CONDA:-}" == 1 && -n "${CONDA_PREFIX:-}" ]]; then
    BIN="$CONDA_PREFIX/bin"
fi

PGTMP=""
AS_PG=()
[[ $EUID -ne 0 ]] || AS_PG=(runuser -u postgres --)
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"

stop_postgres() {
    [[ -n "$PGTMP" ]] || return 0
    if [[ -f "$PGTMP/data/postmaster.pid" ]]; then
        "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTMP"
}

start_postgres() {
    [[ -x "$PGBIN/initdb" ]] || { echo "no initdb under /usr/lib/postgresql/*/bin"; return 1; }
    PGTMP="$(mktemp -d -t finshare-pg.XXXXXX)"
    [[ $EUID -ne 0 ]] || chown postgres: "$PGTMP" || return 1
    local port
    port="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" || return 1
    "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --no-locale \
        >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log"; return 1; }
    "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 \
        -o "-k $PGTMP -p $port -c listen_addresses=127.0.0.1" start >/dev/null ||
        { tail -n 20 "$PGTMP/server.log"; return 1; }
    "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres finshare_test || return 1
    export FINSHARE_PG_URL="postgresql+psycopg2://postgres@127.0.0.1:$port/finshare_test"
}

trap stop_postgres EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "${FINSHARE_PG_URL:-}" ]]; then
    echo "[test] using FINSHARE_PG_URL from the environment"
elif start_postgres; then
    echo "[test] throwaway PostgreSQL at $FINSHARE_PG_URL"
else
    echo "[test] WARNING: could not start PostgreSQL; the tests marked 'postgres' will fail" >&2
fi

rc=0
OMP_THREAD_LIMIT=1 "$BIN/python" -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider "$@" || rc=$?
exit "$rc"
