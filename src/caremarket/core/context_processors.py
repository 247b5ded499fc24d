from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from caremarket.core.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    nav = items_for(request)
    # The current section is the longest one the path lies in: /pay-runs/held/ marks "Held
    # lines", not "Pay runs" as well.
    matches = [i.section for i in nav if path.startswith(i.section)]
    current = max(matches, key=len) if matches else None
    items = [{"label": i.label, "href": i.href, "current": i.section == current} for i in nav]
    return {"service_name": "caremarket", "nav_items": items}
