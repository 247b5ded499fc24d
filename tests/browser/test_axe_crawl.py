"""axe-core at phone width (375 px) on every kind of page each user can reach from home.

The crawl (tests/test_crawl.py) proves no page is a server error; this proves none has a
serious or critical accessibility fault on a phone. Chromium at 375 px follows the same links
and runs axe on the first page of each route for the account: one check per route and
account, not per record, so the run stays small (a record's page shares its route's template).
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from caremarket.accounts.models import User
from tests.browser_support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]

SKIP = ("/static", "/admin", "/api/", "/sign-out", "/assets", "/imports/")
LINK = re.compile(r'href="(/[^"#]*)"')
# One account per kind of user (the crawl's other accounts see the same templates).
ACCOUNTS = [
    "devon.broker",
    "devon.commissioner",
    "devon.practitioner",
    "devon.finance",
    "provider.prime",
    "provider.staffs",
    None,
]
PAGES_CRAWLED = 80  # links followed per account
ROUTES_CHECKED = 30  # distinct routes opened in the browser per account


def _route(path: str) -> str | None:
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    return match.view_name


def _links(html: str) -> list[str]:
    return [
        href
        for href in (h.replace("&amp;", "&") for h in LINK.findall(html))
        if not href.startswith(SKIP) and "format=" not in href
    ]


def _is_page(response: Any) -> bool:
    return (
        response is not None
        and response.status == 200
        and "text/html" in response.headers.get("content-type", "")
    )


@pytest.mark.parametrize("username", ACCOUNTS, ids=[a or "anonymous" for a in ACCOUNTS])
def test_every_route_is_accessible_at_phone_width(live_server, page: Page, username) -> None:  # type: ignore[no-untyped-def]
    # The browser crawls too (not the test client): the live server shares this thread's
    # in-memory database connection, so one client for both keeps them from crossing.
    if username:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookie = client.cookies["sessionid"].value
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    page.set_viewport_size({"width": 375, "height": 800})
    seen: set[str] = set()
    checked: dict[str, str] = {}
    faults = {}
    queue = deque(["/home/"])
    while queue and len(seen) < PAGES_CRAWLED and len(checked) < ROUTES_CHECKED:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        name = _route(path)
        if name and name not in checked:
            response = page.goto(f"{live_server.url}{path}")
            if not _is_page(response):
                continue
            checked[name] = path
            found = axe_violations(page)
            if found:
                faults[path] = found
            html = page.content()
        else:
            # A route already checked is only read for its links: the browser's request
            # context (same cookies, same live server) without rendering it again.
            fetched = page.request.get(f"{live_server.url}{path}")
            if not _is_page(fetched):
                continue
            html = fetched.text()
        queue.extend(_links(html))
    assert len(checked) > 3
    assert not faults, "\n".join(f"{p}: {v}" for p, v in faults.items())
