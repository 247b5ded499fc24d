"""Who may do what: one table of named permissions, read by views, API handlers, templates
and navigation alike, so a role's rights are written down once.

A view says ``@permission_required("raise_referral")``; an API handler says
``permission_classes = [allows("raise_referral")]`` (or calls ``require`` inside an action);
a template asks ``may(user, "broker")`` through the view's context. The rules read only the
user's role and its commissioner or provider (``core.roles``), never a URL.

Scoping (which records) is the selectors' job; this table answers only whether the role may
take the action at all. A platform administrator may do what council staff may, but is not a
provider: only a provider's own users answer offers and bid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from caremarket.core import roles
from caremarket.core.roles import Actor, Role

EVERY_ROLE = frozenset(Role.values)
COUNCIL = frozenset(roles.COUNCIL)
BROKERS = frozenset(roles.BROKERS)
RAISERS = frozenset(roles.RAISERS)


@dataclass(frozen=True)
class Permission:
    """``roles`` may; ``council_only`` also asks that the user belongs to a commissioner;
    ``provider_only`` means a provider's own users (and not a platform administrator)."""

    what: str
    roles: frozenset[str] = EVERY_ROLE
    council_only: bool = False
    provider_only: bool = False
    # A Django permission the user must also hold (granted through a group), for a duty
    # rather than a role: the council's data protection officer. Platform staff hold all.
    django_perm: str = ""

    def allows(self, user: Actor) -> bool:
        if self.django_perm and not roles.is_platform(user):
            has_perm = getattr(user, "has_perm", None)
            if not (has_perm and has_perm(self.django_perm)):
                return False
        if self.provider_only:
            return roles.is_provider(user)
        if self.council_only:
            return roles.is_council(user) or roles.is_platform(user)
        return roles.has_role(user, self.roles)

    def message(self) -> str:
        if self.django_perm:
            return f"Only the council's data protection officer can {self.what}."
        if self.provider_only:
            return f"Only a provider's users can {self.what}."
        if self.council_only:
            return f"Only council staff can {self.what}."
        return f"Your role does not allow you to {self.what}."


PERMISSIONS: dict[str, Permission] = {
    # Any signed-in user with a role: what each sees is narrowed by the selectors.
    "view_frameworks": Permission("see frameworks"),
    "view_agreements": Permission("see agreements"),
    "view_competitions": Permission("see competitions"),
    "view_subcontracting": Permission("see subcontracting shares"),
    "view_notifications": Permission("see your notifications"),
    # Council staff (and platform administrators).
    "view_referrals": Permission("see referrals", COUNCIL),
    "view_awaiting_care": Permission("see the awaiting-care list", COUNCIL),
    "council_pages": Permission("see this page", council_only=True),
    # Raising a referral: the practitioner who assessed, or a broker.
    "raise_referral": Permission("raise referrals", RAISERS),
    # Brokering: acting on referrals, agreements, competitions and placements.
    "broker": Permission("act on referrals, agreements and competitions", BROKERS),
    # A second person approves a spot purchase above the band or the buyer's limit
    # (brokerage.spot: each role's yearly limit; the service refuses the one who asked).
    "approve_spot": Permission("approve spot purchases", frozenset({"broker", "commissioner"})),
    # A provider's own users: answering offers, bidding, declaring capacity.
    "provider": Permission("answer offers, bid and declare capacity", provider_only=True),
    # A provider's own pages (My organisation): its appointments, panels and prices.
    "provider_pages": Permission("see this page", provider_only=True),
    # --- Rooms and beds (issue 10): supported living rooms and bookings, care homes ---
    "view_rooms": Permission("see supported living rooms, residents and voids", COUNCIL),
    "book_rooms": Permission("search vacancies and hold rooms for referrals", RAISERS),
    "provider_rooms": Permission("update your rooms and answer holds", provider_only=True),
    "import_residents": Permission(
        "import the supported living residents census", frozenset({"commissioner"})
    ),
    # Care homes (issue 10): any role reads (scoped by care_homes.selectors); a provider
    # returns for its own homes, a commissioner imports the Tracker's export for its zones.
    "view_care_homes": Permission("see care homes and their returns"),
    "view_care_home_market": Permission("see care home vacancies and risks", council_only=True),
    "search_care_home_beds": Permission("search care home vacancies for a placement", RAISERS),
    "submit_care_home_return": Permission(
        "make care home returns", frozenset({Role.PROVIDER.value, Role.COMMISSIONER.value})
    ),
    "register_care_home": Permission("register care homes", frozenset()),
    # --- Paid for care delivered (issue 11): visits, verification, pay runs ---
    # Seeing visits, KPIs, runs and remittances: every role, narrowed by delivery's selectors.
    "view_visits": Permission("see visits and delivery KPIs"),
    "view_pay_runs": Permission("see pay runs and remittances"),
    # A provider's own users send visits and answer their exceptions.
    "upload_visits": Permission("upload visits", provider_only=True),
    "respond_to_exceptions": Permission("answer visit exceptions", provider_only=True),
    # Finance officers run, review and approve pay runs (a commissioner approves above the limit).
    "run_payments": Permission(
        "run and approve pay runs", frozenset({Role.FINANCE.value, Role.COMMISSIONER.value})
    ),
    # Over-tolerance time is paid only if the commissioner (or a broker) agrees.
    "decide_extra_time": Permission(
        "approve or refuse extra time", frozenset({Role.COMMISSIONER.value, Role.BROKER.value})
    ),
    # --- Fair prices (issue 12): cost of care, fee reviews, applications, band reviews ---
    "view_cost_of_care": Permission("see the cost of care", council_only=True),
    "view_fee_reviews": Permission("see fee reviews"),
    "manage_fee_reviews": Permission(
        "propose and decide fee reviews", frozenset({"commissioner", "finance"})
    ),
    "comment_on_fee_review": Permission("comment on a fee review", provider_only=True),
    "view_price_transparency": Permission(
        "see providers' prices side by side", frozenset({"commissioner", "finance"})
    ),
    "apply_to_framework": Permission("apply to join a framework", provider_only=True),
    "evaluate_applications": Permission(
        "evaluate applications to a framework", frozenset({"commissioner"})
    ),
    "set_entry_terms": Permission(
        "set the questions, pass/fail items and pass mark an entry window publishes",
        frozenset({"commissioner"}),
    ),
    "review_band": Permission("review a person's band", frozenset({"practitioner", "broker"})),
    # --- Market sufficiency (issue 13): dashboard, statement, imports, projections ---
    "view_sufficiency": Permission("see the market sufficiency dashboard", council_only=True),
    "view_statements": Permission("see market sufficiency statements"),
    "edit_statement": Permission(
        "write market sufficiency statements and import market data", ("commissioner",)
    ),
    # --- Audit (issue 15): the audit trail and the personal-data access log ---
    "view_audit_trail": Permission("see the audit trail", frozenset({"commissioner"})),
    "view_personal_data_log": Permission(
        "see the personal-data access log",
        council_only=True,
        django_perm="brokerage.view_personaldataaccess",
    ),
    # --- Statutory returns (issue 15): the DHSC Client Level Data file and its check ---
    "view_cld_return": Permission(
        "build the Client Level Data return", frozenset({"commissioner"})
    ),
}


def permission(name: str) -> Permission:
    try:
        return PERMISSIONS[name]
    except KeyError:  # a typo in a view must fail loudly at import, not allow everyone
        raise LookupError(f"No permission named {name!r}") from None


def may(user: Actor, name: str) -> bool:
    return permission(name).allows(user)


def require(user: Actor, name: str) -> None:
    """Refuse (403) unless the user's role allows the action."""
    rule = permission(name)
    if not rule.allows(user):
        raise PermissionDenied(rule.message())


def permission_required(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """For views: sign-in first (a redirect to it when signed out), then the role (403)."""
    permission(name)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @login_required
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            require(request.user, name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def allows(name: str) -> type:
    """For DRF handlers: ``permission_classes = [allows("broker")]``. Signed-out callers get
    401 (DRF's own check runs first); a role that may not, 403 with the rule's message."""
    from rest_framework.permissions import BasePermission

    rule = permission(name)

    class Allows(BasePermission):
        message = rule.message()

        def has_permission(self, request: Any, view: Any) -> bool:
            return bool(
                request.user and request.user.is_authenticated and rule.allows(request.user)
            )

    Allows.__name__ = f"Allows_{name}"
    return Allows
