"""Formatting used on every page: money, hours, dates and GOV.UK tags, said one way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html

register = template.Library()

EMPTY = "\u2013"  # an en dash: a table cell with nothing in it, read as "none"


@register.filter
def money(value: Any) -> str:
    """£1,234.56; an empty value shows as an en dash so a table never reads 'None'."""
    if value is None or value == "":
        return EMPTY
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


@register.filter
def hours(value: Any) -> str:
    """Hours to the minute: 7.5 -> '7.5', 10 -> '10'."""
    if value is None or value == "":
        return EMPTY
    amount = Decimal(value).quantize(Decimal("0.01"))
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return text


@register.filter
def govuk_date(value: Any) -> str:
    """22 November 2026, the GOV.UK style."""
    if not value:
        return EMPTY
    if isinstance(value, dt.datetime):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


@register.filter
def govuk_datetime(value: Any) -> str:
    """22 November 2026 at 2:05pm."""
    if not value:
        return EMPTY
    from django.utils import timezone

    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


@register.filter
def percent(value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    amount = Decimal(value).quantize(Decimal("0.1"))
    return f"{amount}%".replace(".0%", "%")


_TAG_COLOURS = {
    "open": "green",
    "active": "green",
    "accepted": "green",
    "awarded": "green",
    "upcoming": "blue",
    "offered": "blue",
    "closed": "grey",
    "ended": "grey",
    "expired": "grey",
    "suspended": "orange",
    "declined": "red",
    "awaiting_care": "red",
    "submitted": "light-blue",
    "placing": "purple",
    "not_selected": "grey",
    "withdrawn": "grey",
    "cancelled": "grey",
    "evaluation": "yellow",
    "starting": "blue",
}


@register.simple_tag
def status_tag(value: str, label: str | None = None) -> str:
    colour = _TAG_COLOURS.get(str(value), "grey")
    text = label or str(value).replace("_", " ").capitalize()
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (for sort links and pages)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted((k, v) for k in params for v in params.getlist(k)))
    return f"?{encoded}" if encoded else "?"


@register.filter
def effective_status(record: Any, now: Any) -> str:
    """An offer's status at a moment: open past its deadline reads as expired."""
    return str(record.effective_status(now))


@register.filter
def agreement_status(agreement: Any, today: Any) -> str:
    return str(agreement.status(today))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def fraction_percent(value: Any) -> str:
    """A fraction as a percentage to two places: 0.0624 -> '6.24%'."""
    if value is None or value == "":
        return EMPTY
    return f"{(Decimal(value) * 100).quantize(Decimal('0.01'))}%"


@register.filter
def error_target(field: Any) -> str:
    """The id the error summary links to: the field's first input, so focus lands in it
    (radios, checkboxes and date inputs have no element with the field's own id)."""
    if field.widget_type in ("radioselect", "checkboxselectmultiple", "govukdate"):
        return f"{field.auto_id}_0"
    return str(field.auto_id)
