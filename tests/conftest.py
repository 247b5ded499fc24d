"""Shared fixtures, the demo database every test session starts from, and the test layers.

The demo market is built once per code version, day and database, not once per test
session and xdist worker: ``DemoCache`` builds it in a subprocess into a cached database
under ``var/test-cache/`` (SQLite: a file; PostgreSQL: a template database), and every
worker's test database starts as a copy of it. Every test that uses ``db`` sees the demo
and rolls back its own changes.

Transactional tests (live server, concurrency) run after the others (pytest-django orders
them so). Their database is flushed after each one, so before each test that asks for the
demo (``demo_market``, or the brokerage tests' ``market``) the demo is copied back in.

Tests are marked by layer in ``pytest_collection_modifyitems`` (markers registered in
pyproject.toml): ``unit`` (no database), ``integration`` (a database, one app or rule at a
time), ``e2e`` (the browser, the crawl, the access matrices, the demo build) and ``checks``
(the static gates). ``make test-fast`` runs ``unit or integration``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

from caremarket.accounts.models import User
from caremarket.core import clock
from tests.demo_cache import DemoCache

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests

ROLES = ["anonymous", "platform", "commissioner", "broker", "practitioner", "finance", "provider"]
ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"


# --- the layers: markers by location ---------------------------------------------------------

# The access matrices (every route for every role: the whole URL map, and brokerage's with
# someone else's ids, 586 tests, half the integration layer's time) are e2e, with the crawl,
# the demo build and the browser tests.
E2E_PATHS = (
    "tests/test_crawl.py",
    "tests/test_access_matrix.py",
    "tests/brokerage/test_access.py",
    "tests/demo/",
    "tests/standards/test_schemathesis.py",
)
CHECK_PATHS = ("tests/test_code_quality.py", "tests/test_security_scans.py")


def _needs_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(
        fixtures & {"db", "transactional_db", "live_server", "django_db_setup"}
    )


def layer_of(item: pytest.Item) -> str:
    path = Path(str(item.path)).resolve().relative_to(ROOT).as_posix()
    if path.startswith(CHECK_PATHS):
        return "checks"
    if item.get_closest_marker("browser") or path.startswith(E2E_PATHS):
        return "e2e"
    if path.startswith("tests/engine/") or not _needs_database(item):
        return "unit"
    return "integration"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its layer; deselect the layers in CAREMARKET_TEST_SKIP_LAYERS
    (scripts/test.sh's PostgreSQL pass skips ``unit,checks``, which ran on SQLite). Tests
    that need no database go first, so they run while the demo is being built.

    This runs after pytest-django's ordering (``tryfirst``: transactional tests last) and
    before ``-m`` selects by the markers added here."""
    skip = {s.strip() for s in os.environ.get("CAREMARKET_TEST_SKIP_LAYERS", "").split(",")}
    kept, dropped = [], []
    for item in items:
        layer = layer_of(item)
        item.add_marker(getattr(pytest.mark, layer))
        (dropped if layer in skip else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = sorted(kept, key=_needs_database)  # stable: keeps pytest-django's order


# --- the demo database, built once and copied (tests/demo_cache.py) ------------------------

_demo_cache: DemoCache | None = None


def _the_demo_cache() -> DemoCache | None:
    """This process's DemoCache (None when CAREMARKET_TEST_DEMO_CACHE=0)."""
    global _demo_cache
    if _demo_cache is None and DemoCache.enabled():
        _demo_cache = DemoCache()
    return _demo_cache


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Start building the demo now if a selected test needs it and the cache is stale."""
    if session.config.option.collectonly or not any(map(_needs_database, session.items)):
        return
    cache = _the_demo_cache()
    if cache is not None:
        cache.ensure_in_background()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _demo_cache is not None:
        _demo_cache.close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Point the test database at the cached demo before pytest-django creates it."""
    cache = _the_demo_cache()
    if cache is not None:
        cache.prepare()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from caremarket.demo import builder

    with django_db_blocker.unblock():
        if _demo_cache is None:  # the cache is off: build it here, on every worker
            builder.build(as_of=clock.today())
        elif not builder.is_built():
            raise RuntimeError(f"the test database copied from {_demo_cache.name} has no demo")
    yield


@pytest.fixture(autouse=True)
def _demo_back_after_a_flush(request: pytest.FixtureRequest) -> None:
    """Before a transactional test that asks for the demo, copy it back if a flush took it:
    seconds, where building it again took a minute."""
    if _demo_cache is None or not {"demo_market", "market"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from caremarket.demo import builder

    if not builder.is_built():
        _demo_cache.restore()


@pytest.fixture
def demo_market(transactional_db: None) -> None:
    """For transactional tests: the demo, even after a flush (see ``_demo_back_after_a_flush``;
    without the cache it is built again here)."""
    from caremarket.demo import builder

    if not builder.is_built():
        builder.build(as_of=clock.today())


@pytest.fixture
def user(db: None) -> Callable[[str], User]:
    def get(username: str) -> User:
        return User.objects.select_related("commissioner", "provider").get(username=username)

    return get


@pytest.fixture
def client_for(db: None) -> Callable[[str | None], Client]:
    """A test client signed in as a demo account (None: anonymous)."""

    def make(username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        return client

    return make


ACCOUNT_FOR_ROLE = {
    "anonymous": None,
    "platform": "admin",
    "commissioner": "devon.commissioner",
    "broker": "devon.broker",
    "practitioner": "devon.practitioner",
    "finance": "devon.finance",
    "provider": "provider.devon",
}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test process, shared by every browser test."""
    from tests.browser_support import CHROMIUM, FLAGS

    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: run `make system-deps` (apt-get install chromium)."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield launched
        launched.close()


class _RequestsInFlight:
    """The live server's WSGI app, counting the requests it is still answering (a streamed
    response counts until the server closes it).

    On SQLite the live server shares the test's in-memory database connection, so a request
    still being answered when a browser test ends (a navigation the test did not wait for, a
    download) would run inside the next test's transaction and could leave the shared
    connection broken for every test after it. The ``page`` fixture waits for none to be in
    flight before the test's database is flushed.

    For the same reason requests are answered one at a time: the live server is threaded, and
    two requests at once on the one shared connection interleave their savepoints (a form sent
    twice in quick succession then broke every test after it in CI). ``SERIAL_WAIT`` bounds the
    wait so a request whose close was never called cannot stall the rest of the run."""

    SERIAL_WAIT = 30.0

    def __init__(self, app: Any) -> None:
        self.app, self.busy, self.lock = app, 0, threading.Lock()
        self.serial = threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        held = self.serial.acquire(timeout=self.SERIAL_WAIT)
        with self.lock:
            self.busy += 1

        def done() -> None:
            with self.lock:
                self.busy -= 1
            if held:
                self.serial.release()

        try:
            result = self.app(environ, start_response)
        except BaseException:
            done()
            raise
        return _ClosingIterable(result, done)

    def wait_idle(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while self.busy and time.monotonic() < deadline:
            time.sleep(0.02)


class _ClosingIterable:
    def __init__(self, result: Any, done: Callable[[], None]) -> None:
        self.result, self.done, self.closed = result, done, False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.result)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.done()


def _in_flight(live_server: Any) -> _RequestsInFlight | None:
    httpd = getattr(getattr(live_server, "thread", None), "httpd", None)
    if httpd is None:
        return None
    app = httpd.get_app()
    if not isinstance(app, _RequestsInFlight):
        app = _RequestsInFlight(app)
        httpd.set_app(app)
    return app


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    counter = None
    if "live_server" in request.fixturenames:
        counter = _in_flight(request.getfixturevalue("live_server"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    opened = context.new_page()
    yield opened
    context.close()
    if counter is not None:
        counter.wait_idle()
