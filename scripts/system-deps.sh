#!/usr/bin/env bash
# What the test suite needs from the machine, installed or started if missing:
#   - Debian's Chromium at /usr/bin/chromium, which Playwright drives (no browser download);
#   - the local PostgreSQL server, started if installed but stopped (CI has one on 5432).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  if ! { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null; }; then
    echo "Could not install chromium: install Debian's 'chromium' package, then run make test again." >&2
    exit 1
  fi
fi

if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    echo "Starting the local PostgreSQL cluster..."
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  fi
fi
exit 0
