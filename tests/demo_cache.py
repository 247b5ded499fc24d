"""The demo database the test suite starts from, built once per code version, day and
database, and copied into each test database (see ``DemoCache``). It lives apart from
conftest.py so that scripts/test.sh can build the PostgreSQL template in the background while
the SQLite pass runs, and so that conftest keeps only fixtures and hooks."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from caremarket.core import clock

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests


ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"


class DemoCache:
    """The demo market, built once into a cached database and copied into test databases.

    The cache is keyed by a hash of everything that shapes the data: the source under
    ``src/caremarket`` (``*.py``, migrations included, and the JSON it reads), the test
    settings (the password hasher), this file, Django's version, the database and the day
    (the demo lays its dates out around today). Any change builds a new one. The demo also
    replays brokerage relative to the moment it is built (offers out "now" with hours left),
    so a cache older than ``CAREMARKET_TEST_DEMO_MAX_AGE`` minutes is rebuilt too (default
    30: the first of those offers expires about an hour and a half after the build, and the
    slowest pass of the suite used to start its last tests a quarter of an hour after it).

    The build is a subprocess (the test environment, ``migrate``, then
    ``caremarket.demo.builder.build``) into a temporary name, renamed into place when
    complete, so a half-built cache is never seen. It starts from a second cache, the
    migrated empty schema, keyed by the migrations, models, apps and settings only: most
    code changes leave it valid, and ``migrate`` (which still runs, and finds nothing to do)
    is a third of a build. A file lock per cache (under ``var/test-cache/``) makes one process
    build while the others (the other xdist worker, other test runs) wait, then copy; another
    version's cache is deleted once it is too old for anyone to copy.

    SQLite: the build runs in memory and is saved with the sqlite3 backup API; its schema is
    made from the models, not by the migrations (ADR 0012, ``tests/settings.py``). The test
    database is Django's in-memory one; the cached file is copied into it before Django's
    ``migrate`` runs, which then finds nothing to do. A connection held open for the session
    keeps the in-memory database alive, and a second in-memory copy is what a flushed test
    database is restored from.
    PostgreSQL: the caches are template databases ``<name>_schema_<key>`` and
    ``<name>_demo_<key>`` (build time in the comment); each worker's test database is created
    ``TEMPLATE`` the demo (Django's ``TEST["TEMPLATE"]``), and after a flush it is dropped and
    created from it again.

    ``CAREMARKET_TEST_DEMO_CACHE=0`` turns all this off: each worker builds the demo itself.
    """

    FORMAT = "2"  # bump to invalidate every cache when the way it is built changes
    DIR = Path(os.environ.get("CAREMARKET_TEST_CACHE_DIR", str(ROOT / "var" / "test-cache")))
    SRC = ROOT / "src" / "caremarket"

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.max_age = 60 * float(os.environ.get("CAREMARKET_TEST_DEMO_MAX_AGE", "30"))
        keyed = sorted([*self.SRC.rglob("*.py"), *self.SRC.rglob("*.json")])
        if os.environ.get("CAREMARKET_TEST_DEMO_KEY") == "loose":
            # Several people editing one tree: rebuild only when the schema or the demo's own
            # code changes, not on every edit of a service (never in CI: the default is strict).
            keyed = sorted([*self.SRC.glob("demo/*.py"), *self.SRC.glob("*/migrations/*.py")])
        self.key = self._key(keyed, True)
        self.source_key = self._key(keyed, True, vendor="")  # the same on either database
        self.schema_key = self._key(
            sorted(
                {
                    *self.SRC.glob("*/migrations/*.py"),
                    *self.SRC.glob("*/models.py"),
                    *self.SRC.glob("*/models/*.py"),
                    *self.SRC.glob("*/apps.py"),
                    self.SRC / "market" / "reference.py",
                    self.SRC / "settings.py",
                    ROOT / "constraints.txt",
                }
            ),
            False,
        )
        self._holder: sqlite3.Connection | None = None  # keeps the in-memory test db alive
        self._pristine: sqlite3.Connection | None = None  # this session's demo, for restores
        self._build: subprocess.Popen[str] | None = None
        self.base = base = connection.settings_dict["NAME"]  # before it becomes the test db's
        if self.vendor == "postgresql":
            self.name = f"{base}_demo_{self.key[:12]}"
            self.schema = f"{base}_schema_{self.schema_key[:12]}"
            self.lock_path = self.DIR / f"demo-postgresql-{base}.lock"
        elif self.vendor == "sqlite":
            self.name = str(self.DIR / f"demo-sqlite-{self.key[:16]}.sqlite3")
            self.schema = str(self.DIR / f"schema-sqlite-{self.schema_key[:16]}.sqlite3")
            self.lock_path = self.DIR / f"demo-sqlite-{self.key[:16]}.lock"
        else:
            raise NotImplementedError(f"no demo cache for {self.vendor}")

    @staticmethod
    def enabled() -> bool:
        return os.environ.get("CAREMARKET_TEST_DEMO_CACHE", "1") != "0"

    def digest_path(self, vendor: str | None = None) -> Path:
        """Where the build of this code on ``vendor`` (default: this one) left the demo's
        fingerprint (tests/demo_digest.py)."""
        return self.DIR / f"digest-{self.source_key[:16]}-{vendor or self.vendor}.txt"

    def other_digest(self) -> str | None:
        """The fingerprint of the same code's demo built on the other database, if one is
        there: two processes, two databases, one seed and day, so equal means deterministic."""
        other = "postgresql" if self.vendor == "sqlite" else "sqlite"
        path = self.digest_path(other)
        return path.read_text() if path.exists() else None

    def _key(self, files: list[Path], dated: bool, vendor: str | None = None) -> str:
        import django

        digest = hashlib.sha256()
        day = clock.today().isoformat() if dated else ""
        vendor = self.vendor if vendor is None else vendor
        for part in (self.FORMAT, vendor, day, django.get_version()):
            digest.update(part.encode() + b"\0")
        for path in [*files, TESTS / "settings.py", Path(__file__)]:
            if path.exists():
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
        return digest.hexdigest()

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.DIR.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # Building ----------------------------------------------------------------------------

    # argv: what ("schema": migrate only; "demo": and build), the database to build into,
    # and for SQLite the schema file to start from and the file to save the schema to ("").
    BUILD = """
import contextlib, os, sqlite3, sys
from django.conf import settings
what, target, schema_in, schema_out = sys.argv[1:5]
in_memory = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
settings.DATABASES["default"]["NAME"] = (
    "file:caremarket-demo-build?mode=memory&cache=shared" if in_memory else target
)
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test.utils import setup_test_environment
from caremarket.core import clock
from caremarket.demo import builder

def save(path):
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as out:
        connection.connection.backup(out)

setup_test_environment()
if in_memory and schema_in:
    connection.ensure_connection()
    with contextlib.suppress(sqlite3.Error):  # gone meanwhile: migrate from nothing
        with contextlib.closing(sqlite3.connect(f"file:{schema_in}?mode=ro", uri=True)) as src:
            src.backup(connection.connection)
call_command("migrate", interactive=False, verbosity=0, run_syncdb=True)
if in_memory and schema_out:
    save(f"{schema_out}.{os.getpid()}.partial")
    os.replace(f"{schema_out}.{os.getpid()}.partial", schema_out)
if what == "demo":
    builder.build(as_of=clock.today())
    if len(sys.argv) > 5 and sys.argv[5]:
        from tests.demo_digest import digest
        with open(sys.argv[5], "w") as out:
            out.write(digest())
if in_memory:
    save(target)
connection.close()
"""

    def _run_build(self, what: str, target: str, schema_in: str = "", out: str = "") -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        started = time.monotonic()
        self._build = subprocess.Popen(
            [
                sys.executable,
                "-c",
                self.BUILD,
                what,
                target,
                schema_in,
                out,
                str(self.digest_path()),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        _, errors = self._build.communicate()
        returncode, self._build = self._build.returncode, None
        if returncode != 0:
            raise RuntimeError(f"building the {what} into {target} failed:\n{errors}")
        with open(self.DIR / "builds.log", "a") as log:  # the figures for docs and issues
            log.write(
                f"{time.strftime('%Y-%m-%d %H:%M:%S')} {self.vendor} {what} {Path(target).name} "
                f"{'from a cached schema ' if schema_in else ''}"
                f"in {time.monotonic() - started:.1f} s (pid {os.getpid()})\n"
            )

    # SQLite -------------------------------------------------------------------------------

    def _sqlite_fresh(self) -> bool:
        try:
            stat = Path(self.name).stat()
        except FileNotFoundError:
            return False
        return stat.st_size > 0 and time.time() - stat.st_mtime < self.max_age

    def _sqlite_ensure(self) -> None:
        if self._sqlite_fresh():
            return
        partial = Path(f"{self.name}.{os.getpid()}.partial")
        has_schema = Path(self.schema).exists()
        try:
            self._run_build(
                "demo",
                str(partial),
                schema_in=self.schema if has_schema else "",
                out="" if has_schema else self.schema,
            )
            with contextlib.closing(sqlite3.connect(f"file:{partial}?mode=rw", uri=True)) as built:
                (n,) = built.execute("SELECT count(*) FROM market_commissioner").fetchone()
            if not n:
                raise RuntimeError(f"the demo built into {partial} is empty")
            os.replace(partial, self.name)
        finally:
            partial.unlink(missing_ok=True)
        self._sqlite_prune()

    def _sqlite_prune(self) -> None:
        """Delete other versions' caches once they are too old for any run to copy (a run
        with another key may be copying a younger one right now, under its own lock)."""
        mine = (self.key[:16], self.schema_key[:16])
        for old in [*self.DIR.glob("demo-sqlite-*"), *self.DIR.glob("schema-sqlite-*")]:
            with contextlib.suppress(FileNotFoundError):
                if not any(k in old.name for k in mine) and time.time() - old.stat().st_mtime > max(
                    self.max_age, 3600
                ):
                    old.unlink()

    def _sqlite_copy_into(self, target: sqlite3.Connection) -> None:
        with contextlib.closing(sqlite3.connect(f"file:{self.name}?mode=ro", uri=True)) as src:
            src.backup(target)

    def _sqlite_prepare(self) -> None:
        test_name = self.connection.creation._get_test_db_name()
        if not self.connection.creation.is_in_memory_db(test_name):
            raise NotImplementedError("the demo cache expects SQLite's in-memory test database")
        self._holder = sqlite3.connect(test_name, uri=True)
        self._pristine = sqlite3.connect(":memory:")
        with self.locked():
            self._sqlite_ensure()
            self._sqlite_copy_into(self._pristine)
        self._pristine.backup(self._holder)

    # PostgreSQL ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _pg_admin(self) -> Iterator[Any]:
        import psycopg

        s = self.connection.settings_dict
        params = {
            "dbname": "postgres",
            "user": s.get("USER") or None,
            "password": s.get("PASSWORD") or None,
            "host": s.get("HOST") or None,
            "port": s.get("PORT") or None,
        }
        with psycopg.connect(
            autocommit=True, **{k: v for k, v in params.items() if v is not None}
        ) as conn:
            yield conn

    @staticmethod
    def _q(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def _pg_built_at(self, admin: Any, name: str) -> float | None:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row is None or not (row[0] or "").startswith("caremarket test cache built "):
            return None
        return float(row[0].rsplit(" ", 1)[1])

    def _pg_build(self, what: str, name: str, template: str | None) -> None:
        with self._pg_admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {self._q(name)} WITH (FORCE)")
            suffix = f" TEMPLATE {self._q(template)}" if template else ""
            admin.execute(f"CREATE DATABASE {self._q(name)}{suffix}")
        try:
            self._run_build(what, name, schema_in=template or "")
        except BaseException:
            with self._pg_admin() as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {self._q(name)} WITH (FORCE)")
            raise
        with self._pg_admin() as admin:
            admin.execute(
                f"COMMENT ON DATABASE {self._q(name)} IS "
                f"'caremarket test cache built {time.time():.0f}'"
            )

    def _pg_ensure(self) -> None:
        with self._pg_admin() as admin:
            built_at = self._pg_built_at(admin, self.name)
            has_schema = self._pg_built_at(admin, self.schema) is not None
        if built_at is not None and time.time() - built_at < self.max_age:
            return
        if not has_schema:
            self._pg_build("schema", self.schema, None)
        self._pg_build("demo", self.name, self.schema)
        with self._pg_admin() as admin:
            pattern = self.base.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
            stale = admin.execute(
                "SELECT datname FROM pg_database WHERE datname NOT IN (%s, %s)"
                " AND (datname LIKE %s OR datname LIKE %s)",
                [self.name, self.schema, f"{pattern}\\_demo\\_%", f"{pattern}\\_schema\\_%"],
            ).fetchall()
            for (old,) in stale:
                with contextlib.suppress(Exception):  # someone may be copying it right now
                    admin.execute(f"DROP DATABASE {self._q(old)}")

    def _pg_prepare(self) -> None:
        with self.locked():
            self._pg_ensure()
        self.connection.settings_dict["TEST"]["TEMPLATE"] = self.name

    # The session's interface --------------------------------------------------------------

    def ensure(self) -> None:
        """Build the cache unless a fresh one is there (waiting while another process builds)."""
        with self.locked():
            if self.vendor == "sqlite":
                self._sqlite_ensure()
            else:
                self._pg_ensure()

    def ensure_in_background(self) -> None:
        """Start ``ensure`` in a thread, so the tests that need no database run meanwhile;
        the first test that needs it waits on the lock in ``prepare``."""

        def run() -> None:
            with contextlib.suppress(Exception):  # prepare() builds again, and reports
                self.ensure()

        threading.Thread(target=run, name="demo-cache", daemon=True).start()

    def prepare(self) -> None:
        """Make sure the cache is fresh and make the test database start as a copy of it."""
        if self.vendor == "sqlite":
            self._sqlite_prepare()
        else:
            self._pg_prepare()

    def restore(self) -> None:
        """Put the demo back into the test database (after a transactional test flushed it)."""
        from django.contrib.contenttypes.models import ContentType

        if self.vendor == "sqlite":
            assert self._pristine is not None
            self.connection.ensure_connection()
            self._pristine.backup(self.connection.connection)
        else:
            test_name = self.connection.settings_dict["NAME"]
            self.connection.close()
            with self.locked():
                with self._pg_admin() as admin:
                    exists = self._pg_built_at(admin, self.name) is not None
                if not exists:  # another run with this database name replaced it
                    self._pg_ensure()
                with self._pg_admin() as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {self._q(test_name)} WITH (FORCE)")
                    admin.execute(
                        f"CREATE DATABASE {self._q(test_name)} TEMPLATE {self._q(self.name)}"
                    )
        ContentType.objects.clear_cache()  # the flush re-created them with other ids

    def close(self) -> None:
        if self._build is not None:  # the session ended while a build was still running
            self._build.kill()
        for held in (self._holder, self._pristine):
            if held is not None:
                held.close()
        self._holder = self._pristine = None
