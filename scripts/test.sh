#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it:
#   1. on SQLite (the embedded default): every test, including the browser tests and the
#      static checks (ruff, mypy on the engine, the import-linter contract, migrations: the
#      `checks` tests in tests/test_code_quality.py);
#   2. on PostgreSQL when one is reachable (CI always has one): every `integration` test again
#      (each app's services, selectors, imports, API and pages through the test client), plus
#      the locking and concurrency tests that only PostgreSQL can run, on a demo database
#      built on PostgreSQL (so the whole demo build runs there too). The `unit` tests and
#      `checks` use no database, and the `e2e` layer (browser walks, the crawl, the access
#      matrices, the demo's determinism) drives the same views and permission table whatever
#      the database: ADR 0010. CAREMARKET_TEST_SKIP_LAYERS does that deselection
#      (tests/conftest.py); they run, and must pass, in step 1.
# --dist worksteal: a worker that runs out of tests takes half of the other's remaining ones,
# so the long browser tests do not leave one core idle at the end of a pass.
# Each pass builds the demo database once (cached under var/test-cache/, rebuilt when the code
# changes) and copies it into each worker's test database; see DemoCache in tests/conftest.py.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${CAREMARKET_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/caremarket}"
WORKERS="${PYTEST_WORKERS:-2}"

PG_REACHABLE=0
if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable ({exc.__class__.__name__})")
    raise SystemExit(1)
PY
then
  PG_REACHABLE=1
  # Build the PostgreSQL pass's demo template now, while the SQLite pass runs (it fills the
  # cores the SQLite pass leaves idle); the PostgreSQL pass waits for it, or builds it itself
  # if this failed. Its output goes to postgresql-prebuild.log in the cache directory.
  CACHE_DIR="${CAREMARKET_TEST_CACHE_DIR:-var/test-cache}"
  mkdir -p "$CACHE_DIR"
  DATABASE_URL="$PG_URL" DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH=. "$BIN/python" -c '
import signal, sys, django
django.setup()
from tests.demo_cache import DemoCache
cache = DemoCache()
signal.signal(signal.SIGTERM, lambda *_: (cache.close(), sys.exit(1)))
cache.ensure()
' >"$CACHE_DIR/postgresql-prebuild.log" 2>&1 &
  PREBUILD=$!
  trap 'kill "$PREBUILD" 2>/dev/null || true' EXIT
fi

echo "== SQLite"
# With a PostgreSQL pass to follow, the demo's determinism is checked there, by comparing the
# two passes' builds (tests/test_demo_determinism.py), instead of by a third build here.
env -u DATABASE_URL CAREMARKET_TEST_DETERMINISM_LATER="$PG_REACHABLE" \
  "$BIN/pytest" -n "$WORKERS" --dist worksteal -p no:cacheprovider "$@"

if [ "$PG_REACHABLE" = 1 ]; then
  echo "== PostgreSQL (integration and locking tests; unit, checks and e2e ran above)"
  DATABASE_URL="$PG_URL" CAREMARKET_TEST_SKIP_LAYERS=unit,checks,e2e \
    "$BIN/pytest" -n "$WORKERS" --dist worksteal -p no:cacheprovider "$@"
else
  echo "!! PostgreSQL is not reachable at $PG_URL: the PostgreSQL run and its locking tests were skipped." >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
fi
