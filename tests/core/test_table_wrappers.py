"""Every sideways-scrolling table wrapper in every template takes keyboard focus and has a
name (axe: scrollable-region-focusable, serious, seen at 375 px on 51 pages before)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

SRC = Path(__file__).resolve().parents[2] / "src" / "caremarket"
WRAPPER = re.compile(r"<div[^>]*class=\"[^\"]*\bapp-table-wrapper\b[^\"]*\"[^>]*>")


def test_every_table_wrapper_is_focusable_and_named() -> None:
    wrappers = [
        (path.relative_to(SRC), tag)
        for path in SRC.rglob("*.html")
        for tag in WRAPPER.findall(path.read_text())
    ]
    assert len(wrappers) > 20  # the pattern still finds them
    bad = [
        f"{path}: {tag}"
        for path, tag in wrappers
        if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label" not in tag
    ]
    assert not bad, "\n".join(bad)
