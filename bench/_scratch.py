"""The benches' scratch database: each bench builds its own market in a database of its own
beside the one DATABASE_URL names (never touching that one), and points Django at it.

Shared so that every bench makes, connects to and drops its scratch database the same way.
Django is set up only when a bench asks (``django``), after it has chosen the database: the
settings read DATABASE_URL once, at set-up.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# For a bench that renders pages through the test client without DEBUG=1: a throwaway key
# and the client's host (``django(url, **PAGES)``); values already in the environment win.
PAGES = {"SECRET_KEY": "benchmark-only-not-a-secret", "ALLOWED_HOSTS": "testserver,localhost"}


def with_database(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name`` (same server and user)."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin(url: str) -> Any:
    """An autocommit connection to the server's ``postgres`` database, from which a bench
    creates and drops its scratch database (neither can run inside a transaction)."""
    import psycopg

    p = urlsplit(url)
    return psycopg.connect(
        host=p.hostname or "127.0.0.1",
        port=p.port or 5432,
        user=p.username or "postgres",
        password=p.password,
        dbname="postgres",
        autocommit=True,
    )


def django(url: str, **defaults: str) -> None:
    """Set Django up on the database at ``url``; ``defaults`` fill environment variables
    not already set (see ``PAGES``)."""
    os.environ["DATABASE_URL"] = url
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django as framework

    framework.setup()
