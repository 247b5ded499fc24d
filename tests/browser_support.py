"""Headless Chromium (Debian's, at /usr/bin/chromium) and axe-core, shared by the browser
tests. The fixtures live in tests/conftest.py so that one Playwright runs per process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    # axe-core is injected as an inline script: the browser contexts of the tests bypass the
    # Content Security Policy for it (bypass_csp=True); the policy itself is tested on the
    # headers (tests/api/test_security.py).
    """Serious and critical axe-core violations on the page as it stands."""
    page.wait_for_load_state("load")  # a click that navigates may not have landed yet
    page.add_script_tag(path=str(AXE))

    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:3]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}: {violations}"


WIDTHS = (1280, 375)  # desktop and phone


def walk_accessible(
    page: Page, base: str, paths: list[str], widths: tuple[int, ...] = WIDTHS
) -> None:
    """Open each path at each width: a 200, a visible main heading, and no serious or
    critical axe violation."""
    from playwright.sync_api import expect

    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, path
            expect(page.locator("h1")).to_be_visible()
            assert_accessible(page)
