"""The service navigation each role sees: only the places that role may go."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from caremarket.core import roles as access
from caremarket.core.permissions import may


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
HOME = NavItem("Home", "home:dashboard", "/home/")
WORKBENCH = NavItem("Workbench", "brokerage:workbench", "/brokerage/")
RAISE = NavItem("Raise a referral", "brokerage:raise", "/referrals/new/")
REFERRALS = NavItem("Referrals", "brokerage:referrals", "/referrals/")
AWAITING = NavItem("Awaiting care", "brokerage:awaiting", "/awaiting-care/")
AGREEMENTS = NavItem("Agreements", "brokerage:agreements", "/agreements/")
ZONES = NavItem("Zones", "market:zones", "/zones/")
FRAMEWORKS = NavItem("Frameworks", "frameworks:list", "/frameworks/")
PROVIDERS = NavItem("Providers", "providers:list", "/providers/")
DIRECTORY = NavItem("Find a provider", "directory:search", "/directory/")

BY_ROLE = {
    "broker": [HOME, WORKBENCH, AWAITING, AGREEMENTS, ZONES, FRAMEWORKS, PROVIDERS],
    "practitioner": [HOME, RAISE, REFERRALS, AWAITING, ZONES, DIRECTORY],
    "commissioner": [HOME, REFERRALS, AWAITING, AGREEMENTS, ZONES, FRAMEWORKS, PROVIDERS],
    "finance": [HOME, AGREEMENTS, FRAMEWORKS, PROVIDERS, DIRECTORY],
    "provider": [
        HOME,
        NavItem("Inbox", "brokerage:inbox", "/inbox/"),
        AGREEMENTS,
        NavItem("My organisation", "providers:mine", "/my-organisation/"),
        FRAMEWORKS,
    ],
}


def items_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if access.is_platform(user):
        return BY_ROLE["commissioner"]
    role = access.role_of(user)
    if role in BY_ROLE and (may(user, "council_pages") or may(user, "provider_pages")):
        return BY_ROLE[role]
    return PUBLIC
