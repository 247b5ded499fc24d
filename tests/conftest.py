"""Shared fixtures. The demo market is built once per test session (per xdist worker) into
the test database, and every test that uses ``db`` sees it and rolls back its own changes.

Transactional tests (live server, concurrency) run after the others (pytest-django orders
them so) and build whatever they need themselves, because a transactional test flushes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

from caremarket.accounts.models import User
from caremarket.core import clock

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests

ROLES = ["anonymous", "platform", "commissioner", "broker", "practitioner", "finance", "provider"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from caremarket.demo import builder

    with django_db_blocker.unblock():
        builder.build(as_of=clock.today())


@pytest.fixture
def demo_market(transactional_db: None) -> None:
    """For transactional tests: the session's demo data survives only until the first flush."""
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


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()
