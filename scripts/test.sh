#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it:
#   1. on SQLite (the embedded default): every test, including the browser tests;
#   2. on PostgreSQL when one is reachable (CI always has one): every test again, plus the
#      locking and concurrency tests that only PostgreSQL can run.
# Static checks (ruff, mypy on the engine, the import-linter contract) are tests in
# tests/test_code_quality.py, so they run in step 1.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${CAREMARKET_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/caremarket}"
WORKERS="${PYTEST_WORKERS:-2}"

echo "== SQLite"
env -u DATABASE_URL "$BIN/pytest" -n "$WORKERS" -p no:cacheprovider "$@"

if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable ({exc.__class__.__name__})")
    raise SystemExit(1)
PY
then
  echo "== PostgreSQL"
  DATABASE_URL="$PG_URL" "$BIN/pytest" -n "$WORKERS" -p no:cacheprovider "$@"
else
  echo "!! PostgreSQL is not reachable at $PG_URL: the PostgreSQL run and its locking tests were skipped." >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
fi
