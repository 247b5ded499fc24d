"""Follow the links each kind of user sees, from their home page: none may be a server error.

A broad net under the specific tests: a page that breaks for one role, or for one record's
odd data, shows up here.
"""

from __future__ import annotations

import re
from collections import deque

import pytest

pytestmark = pytest.mark.django_db

SKIP = ("/static", "/admin", "/api/", "/sign-out", "/assets")
LINK = re.compile(r'href="(/[^"#]*)"')
ACCOUNTS = [
    "devon.broker",
    "devon.commissioner",
    "devon.practitioner",
    "devon.finance",
    "iow.broker",
    "staffs.broker",
    "provider.harbour",
    "provider.prime",
    "provider.staffs",
    "admin",
    None,
]


@pytest.mark.parametrize("username", ACCOUNTS, ids=[a or "anonymous" for a in ACCOUNTS])
def test_no_page_reachable_from_home_is_a_server_error(client_for, username) -> None:  # type: ignore[no-untyped-def]
    client = client_for(username)
    seen: set[str] = set()
    queue = deque(["/home/"])
    errors = []
    while queue and len(seen) < 60:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 500:
            errors.append((path, response.status_code))
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            if href.startswith(SKIP) or "format=csv" in href:
                continue
            queue.append(href)
    assert len(seen) > 5 or username is None
    assert not errors, errors
