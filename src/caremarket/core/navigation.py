"""The service navigation each role sees: only the places that role may go."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from caremarket.core import roles as access


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # The URL prefix that marks this item as the current section.
    section: str

    @property
    def href(self) -> str:
        return reverse(self.url_name)


PUBLIC = [NavItem("Find a provider", "directory:search", "/directory/")]
COUNCIL = [
    NavItem("Home", "home:dashboard", "/home/"),
    NavItem("Zones", "market:zones", "/zones/"),
    NavItem("Frameworks", "frameworks:list", "/frameworks/"),
    NavItem("Providers", "providers:list", "/providers/"),
    NavItem("Find a provider", "directory:search", "/directory/"),
]
PROVIDER = [
    NavItem("Home", "home:dashboard", "/home/"),
    NavItem("My organisation", "providers:mine", "/my-organisation/"),
    NavItem("Frameworks", "frameworks:list", "/frameworks/"),
    NavItem("Find a provider", "directory:search", "/directory/"),
]


def items_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if access.is_platform(user) or access.is_council(user):
        return COUNCIL
    if access.is_provider(user):
        return PROVIDER
    return PUBLIC
