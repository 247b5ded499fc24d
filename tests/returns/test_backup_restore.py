"""Backup and restore, rehearsed (PostgreSQL): the test database (the demo, every app's tables)
is dumped with ``pg_dump``, restored with ``pg_restore`` into a fresh database, and every
table is found again with the same rows: the same count and the same content (a digest of
every row). The commands are the ones docs/operations.md gives a council's operators."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
    pytest.mark.skipif(
        not all(map(shutil.which, ("pg_dump", "pg_restore", "createdb", "dropdb"))),
        reason="the PostgreSQL client tools (pg_dump, pg_restore) are not installed",
    ),
]


def _tool(name: str) -> str:
    """The client program's full path (the PostgreSQL client tools on PATH)."""
    path = shutil.which(name)
    assert path, f"{name} is not installed"
    return path


def _client_args(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", settings["HOST"] or "localhost", "--port", str(settings["PORT"] or 5432)]
    args += ["--username", settings["USER"] or "postgres"]
    env = os.environ | {"PGOPTIONS": "-c client_min_messages=warning"}  # no NOTICE noise
    env |= {"PGPASSWORD": settings["PASSWORD"]} if settings["PASSWORD"] else {}
    return args, env


def _tables(cursor: Any) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: its row count and a digest of every row."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    found = {}
    for (table,) in cursor.fetchall():
        cursor.execute(
            f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "  # noqa: S608
            f'FROM "{table}" t'
        )
        count, digest = cursor.fetchone()
        found[table] = (count, digest)
    return found


def test_a_dump_restores_into_a_fresh_database_with_every_record(tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    settings = connection.settings_dict
    args, env = _client_args(settings)
    source, fresh = settings["NAME"], f"{settings['NAME']}_restore_{os.getpid()}"
    dump = tmp_path / "caremarket.dump"
    started = time.monotonic()
    subprocess.run(
        [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(dump), source],
        check=True,
        env=env,
    )
    dumped = time.monotonic()
    subprocess.run([_tool("dropdb"), *args, "--if-exists", fresh], check=True, env=env)
    subprocess.run([_tool("createdb"), *args, fresh], check=True, env=env)
    try:
        subprocess.run(
            [
                _tool("pg_restore"),
                *args,
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                fresh,
                str(dump),
            ],
            check=True,
            env=env,
        )
        restored = time.monotonic()
        with connection.cursor() as cursor:
            before = _tables(cursor)
        conninfo = {
            "host": settings["HOST"] or "localhost",
            "port": settings["PORT"] or 5432,
            "user": settings["USER"] or "postgres",
            "password": settings["PASSWORD"] or None,
            "dbname": fresh,
        }
        with psycopg.connect(**conninfo) as other, other.cursor() as cursor:
            after = _tables(cursor)
    finally:
        subprocess.run([_tool("dropdb"), *args, "--if-exists", fresh], check=True, env=env)
    assert len(before) > 50 and sum(count for count, _ in before.values()) > 1000
    assert after.keys() == before.keys(), "tables missing after the restore"
    differ = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert not differ, f"tables whose rows differ after the restore: {sorted(differ)}"
    print(  # the figures docs/operations.md quotes (run with -s to see them)
        f"\n{len(before)} tables, {sum(c for c, _ in before.values())} rows, dump "
        f"{dump.stat().st_size} bytes; dump {dumped - started:.1f} s, restore "
        f"{restored - dumped:.1f} s"
    )
