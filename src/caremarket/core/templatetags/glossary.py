"""``{% term "lot" %}`` (or ``{% term "lot" "lots" %}``): the word, linked to its explanation
in the glossary, with the explanation as a tooltip."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from caremarket.core.glossary import BY_KEY

register = template.Library()


@register.simple_tag
def term(key: str, shown: str = "") -> SafeString:
    entry = BY_KEY.get(key)
    if entry is None:
        return format_html("{}", shown or key)
    return format_html(
        '<a class="govuk-link app-term" href="{}#{}" title="{}">{}</a>',
        reverse("home:glossary"),
        entry.key,
        entry.meaning,
        shown or entry.word.lower(),
    )
