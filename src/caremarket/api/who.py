"""Who may call each operation, written into the OpenAPI document (issue 15).

The handlers say it in code, through ``core.permissions``: ``permission_classes =
[allows("broker")]`` on the view, or ``require(request.user, "broker")`` in the handler (or in
one of the view's own helpers it calls, such as ``self._to_broker(pk)``). This reads those
names from the handler, so the document cannot drift from what the code checks, and adds
``x-permission`` (the names) and a "Who may call it" line to each operation's description.
An operation that names no permission is open to any signed-in user (its records are still
scoped to the caller by the selectors), or to anyone where it has no security.
"""

from __future__ import annotations

import inspect
import re
from functools import cache
from typing import Any

from caremarket.core.permissions import EVERY_ROLE, Permission, permission
from caremarket.core.roles import Role

REQUIRE = re.compile(r"""require\(\s*[\w.]+\s*,\s*["'](\w+)["']""")
HELPER = re.compile(r"self\.(_\w+)\(")
ALLOWS = "Allows_"
LABELS = dict(Role.choices)


def describe(rule: Permission) -> str:
    if rule.django_perm:
        return "the council's data protection officer"
    if rule.provider_only:
        return "a provider's users"
    if rule.council_only:
        return "council staff (and platform administrators)"
    if rule.roles == EVERY_ROLE:
        return "any signed-in user"
    names = [LABELS.get(r, r).lower() for r in sorted(rule.roles)]
    return ", ".join(names) + " (and platform administrators)"


@cache
def _source(func: Any) -> str:
    try:
        return inspect.getsource(func)
    except (OSError, TypeError):
        return ""


def permissions_of(view_class: type, action: str) -> list[str]:
    """The permission names the handler ``action`` of ``view_class`` checks."""
    names = [
        c.__name__.removeprefix(ALLOWS)
        for c in getattr(view_class, "permission_classes", [])
        if c.__name__.startswith(ALLOWS)
    ]
    handler = getattr(view_class, action, None)
    text = _source(handler) if handler else ""
    for helper in HELPER.findall(text):
        text += _source(getattr(view_class, helper, None))
    if action in {"list", "retrieve"}:
        text += _source(getattr(view_class, "get_queryset", None))
    for name in REQUIRE.findall(text):
        if name not in names:
            names.append(name)
    return names


def annotate(result: dict[str, Any], generator: Any) -> None:
    """Add ``x-permission`` and "Who may call it" to every operation of ``result``."""
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        paths = result.get("paths", {})
        item = paths.get(path) or paths.get(path.replace("{pk}", "{id}"), {})
        operation = item.get(method.lower())
        if operation is None:
            continue
        view_class = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        action = actions.get(method.lower(), method.lower())
        names = permissions_of(view_class, action) if view_class else []
        secured = any(s for s in operation.get("security", [{}]))
        if names:
            who = "; ".join(describe(permission(n)) for n in names)
            operation["x-permission"] = names
        else:
            who = "any signed-in user (records scoped to you)" if secured else "anyone"
        line = f"**Who may call it:** {who}."
        text = operation.get("description", "")
        operation["description"] = f"{text}\n\n{line}" if text else line
        operation["x-who"] = who
