"""The service navigation each role sees: only the places that role may go.

An item may carry a count of what waits there (offers to answer, people awaiting care). Core
sits below the apps that know those figures, so an app registers a counter for a URL name
(``register_count``, from its AppConfig.ready); items with no counter show no count. A new
app adds its items to ``BY_ROLE`` and, if it has something waiting, registers a counter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

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
SPOT_APPROVALS = NavItem("Spot approvals", "brokerage:spot-approvals", "/brokerage/spot-approvals/")
ZONES = NavItem("Zones", "market:zones", "/zones/")
FRAMEWORKS = NavItem("Frameworks", "frameworks:list", "/frameworks/")
PROVIDERS = NavItem("Providers", "providers:list", "/providers/")
DIRECTORY = NavItem("Find a provider", "directory:search", "/directory/")

# The newer sections (issue 10 to 13): rooms and beds, delivery and pay, prices, sufficiency.
SUPPORTED_LIVING = NavItem("Supported living", "supported_living:overview", "/supported-living/")
FIND_ROOM = NavItem("Find a room", "bookings:find", "/bookings/")
CARE_HOMES = NavItem("Care homes", "care_homes:market", "/care-homes/")
CARE_HOME_BEDS = NavItem("Find a care home bed", "care_homes:bed-search", "/care-homes/beds/")
SUFFICIENCY = NavItem("Market sufficiency", "insight:dashboard", "/sufficiency/")
STATEMENTS = NavItem("Statements", "insight:statements", "/statements/")
PAY_RUNS = NavItem("Pay runs", "delivery:pay-runs", "/pay-runs/")
HELD = NavItem("Held lines", "delivery:held", "/pay-runs/held/")
VISITS = NavItem("Visits", "delivery:visits", "/visits/")
KPIS = NavItem("Delivery KPIs", "delivery:kpis", "/delivery/kpis/")
FEE_REVIEWS = NavItem("Fee reviews", "pricing:reviews", "/pricing/fee-reviews/")
TRANSPARENCY = NavItem("Price transparency", "pricing:transparency", "/pricing/transparency/")
ENTRY = NavItem("Entry windows", "pricing:windows", "/entry-windows/")
APPLICATIONS = NavItem("Applications", "pricing:applications", "/applications/")
GLOSSARY = NavItem("Glossary", "home:glossary", "/glossary/")
AUDIT = NavItem("Audit trail", "audit:trail", "/audit/")
ACCESS_LOG = NavItem("Personal data log", "audit:access-log", "/audit/personal-data/")
CLD_RETURN = NavItem("Client Level Data", "returns:cld", "/returns/cld/")
# Every signed-in role's own notifications, placed after Home (``items_for``).
NOTIFICATIONS = NavItem("Notifications", "brokerage:notifications", "/notifications/")

BY_ROLE = {
    "broker": [
        HOME,
        WORKBENCH,
        AWAITING,
        AGREEMENTS,
        SPOT_APPROVALS,
        FIND_ROOM,
        CARE_HOME_BEDS,
        ZONES,
        FRAMEWORKS,
        PROVIDERS,
        GLOSSARY,
    ],
    "practitioner": [
        HOME,
        RAISE,
        REFERRALS,
        AWAITING,
        FIND_ROOM,
        CARE_HOME_BEDS,
        ZONES,
        DIRECTORY,
        GLOSSARY,
    ],
    "commissioner": [
        HOME,
        REFERRALS,
        AWAITING,
        AGREEMENTS,
        SPOT_APPROVALS,
        SUFFICIENCY,
        STATEMENTS,
        SUPPORTED_LIVING,
        CARE_HOMES,
        PAY_RUNS,
        FEE_REVIEWS,
        ENTRY,
        FRAMEWORKS,
        PROVIDERS,
        ZONES,
        AUDIT,
        CLD_RETURN,
        GLOSSARY,
    ],
    "finance": [
        HOME,
        AGREEMENTS,
        PAY_RUNS,
        HELD,
        VISITS,
        KPIS,
        FEE_REVIEWS,
        TRANSPARENCY,
        FRAMEWORKS,
        PROVIDERS,
        GLOSSARY,
    ],
    "provider": [
        HOME,
        NavItem("Inbox", "brokerage:inbox", "/inbox/"),
        AGREEMENTS,
        NavItem("My rooms", "supported_living:my-rooms", "/supported-living/my-rooms/"),
        NavItem("Room holds", "bookings:holds", "/bookings/holds/"),
        NavItem("My care homes", "care_homes:my-homes", "/care-homes/mine/"),
        VISITS,
        PAY_RUNS,
        APPLICATIONS,
        FEE_REVIEWS,
        STATEMENTS,
        NavItem("My organisation", "providers:mine", "/my-organisation/"),
        FRAMEWORKS,
        GLOSSARY,
    ],
}


# url name -> (count for a user, what is counted, for screen readers: "offers to answer")
Counter = Callable[[Any], int]
COUNTS: dict[str, tuple[Counter, str]] = {}
log = logging.getLogger(__name__)


def register_count(url_name: str, count: Counter, what: str) -> None:
    """Show ``count(user)`` beside the navigation item for ``url_name`` when above zero."""
    COUNTS[url_name] = (count, what)


def with_count(item: NavItem, user: Any) -> NavItem:
    """The item, its label carrying the count of what waits there (when there is any)."""
    if item.url_name not in COUNTS:
        return item
    count, what = COUNTS[item.url_name]
    try:
        n = count(user)
    except Exception:  # a count must never take the page down with it
        log.exception("navigation count for %s failed", item.url_name)
        return item
    if n <= 0:
        return item
    label = format_html(
        '{} <span class="app-nav-count">{}<span class="govuk-visually-hidden"> {}</span></span>',
        item.label,
        n,
        what,
    )
    return replace(item, label=label)


def items_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if access.is_platform(user):
        items = BY_ROLE["commissioner"]
    elif access.role_of(user) in BY_ROLE and (
        may(user, "council_pages") or may(user, "provider_pages")
    ):
        items = BY_ROLE[str(access.role_of(user))]
    else:
        return PUBLIC
    items = [items[0], NOTIFICATIONS, *items[1:]]
    if may(user, "view_personal_data_log") and not access.is_platform(user):
        items.insert(-1, ACCESS_LOG)  # the data protection officer's duty (issue 15)
    return [with_count(item, user) for item in items]
