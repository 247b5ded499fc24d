from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from caremarket.core.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    items = [
        {"label": i.label, "href": i.href, "current": path.startswith(i.section)}
        for i in items_for(request)
    ]
    return {"service_name": "caremarket", "nav_items": items}
