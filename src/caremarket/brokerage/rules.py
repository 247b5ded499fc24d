"""Brokerage's rules in plain Python: no ORM, no Django, only plain values in and out.

Each rule here has one home so that every caller (the lists brokers read, the engine's
adapter, the services that write) gives the same answer, and a test can call it without a
database. Models adapt their fields to these functions; the queries that must say the same
thing in SQL (``waiting.awaiting_q``, ``Offer.live_q``) sit beside the models they filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from caremarket.core.errors import Conflict
from caremarket.engine import award
from caremarket.engine.allocation import priority_weight
from caremarket.engine.lifecycle import State

# The model's choices, as plain strings (tests/brokerage/test_rules.py checks they agree).
FRAMEWORK_FIRST = "framework_first"  # Framework.Route
PRIME_PROVIDER = "prime_provider"
MINI_COMPETITION = "mini_competition"
CALL_OFF = "call_off"
SPOT = "spot"
FIXED_RATE = "fixed_rate"  # Framework.PricingModel: a price every provider is told
BANDED_WEEKLY_RATE = "banded_weekly_rate"
APPROVED_LIST = "approved_list"  # Framework.Kind
SUBCONTRACT = "subcontract"  # Offer.Kind
URGENT = frozenset({"hospital_discharge", "crisis"})  # Referral.Urgency
TIMES_OF_DAY = ("morning", "lunch", "tea", "evening", "night")

# --- days waiting and priority ---------------------------------------------------------------


def waiting_since(*, awaiting_since: date | None, start_date: date, raised_on: date) -> date:
    """The day a person started waiting for care.

    Once the referral is written down as awaiting care, the day it joined the list. Until
    then, the earlier of the day it was raised and the day care was due to start.

    Why this definition, the awaiting-care list's, for the engine too: the list is what
    brokers read and act on, so "Suggest placements" must rank people by the same figure, or
    it favours someone other than the person the list shows as waiting longest (it used to
    count from the day raised only). The start date matters when it is earlier than the day
    the referral was raised (care already due when the request reached the council, as with
    a record entered after the event): the person has been waiting since then, and counting
    from the day raised would make them look newer than they are. For a referral raised
    through the form the two agree, since a start date cannot be in the past there.
    """
    return awaiting_since or min(start_date, raised_on)


def days_waiting(since: date, today: date) -> int:
    """Whole days since ``since``; never negative (a start date still to come waits 0)."""
    return max(0, (today - since).days)


@dataclass(frozen=True)
class Waiting:
    """How long a person has waited and how much placing them weighs: what the
    awaiting-care list shows and what the allocation engine ranks by."""

    since: date
    days: int
    priority: Decimal

    @property
    def order(self) -> tuple[Decimal, date]:
        """The priority order: the heaviest first, then whoever has waited longest."""
        return (-self.priority, self.since)


def waiting(
    *,
    urgency: str,
    awaiting_since: date | None,
    start_date: date,
    raised_on: date,
    today: date,
) -> Waiting:
    """Days waiting and priority for one referral. The priority is the engine's weight per
    hour (``engine.allocation.priority_weight``: urgency, aged by completed weeks waited),
    so the list and the optimiser can never weigh the same person differently."""
    since = waiting_since(awaiting_since=awaiting_since, start_date=start_date, raised_on=raised_on)
    days = days_waiting(since, today)
    return Waiting(since=since, days=days, priority=priority_weight(urgency, days))


# --- already placed -------------------------------------------------------------------------


def already_placed(reference: str) -> Conflict:
    """The one answer to anyone who tries to answer, award or buy a referral that has been
    placed: a provider confirming late, a second broker, a spot purchase, a call-off. It
    names no provider, since a losing provider may be the one reading it."""
    return Conflict(
        f"{reference} has already been placed. Nothing changed: a referral already placed "
        "stays placed."
    )


def price_follows_framework(route: str, pricing_model: str | None) -> bool:
    """An agreement's price is the framework's (zone price, fixed or banded rate), changed
    only by a fee review or a band review; a spot purchase's or a bid's was agreed."""
    return route != "spot" and pricing_model not in (None, "bid")


# --- what a viewer may see of an award, its agreement, an offer -------------------------------


def price_is_published(pricing_model: str | None) -> bool:
    """A fixed commissioner rate is public (every provider on the contract is paid it); a
    lead provider's own zone price is commercial, not for its subcontractors' eyes."""
    return pricing_model == FIXED_RATE


@dataclass(frozen=True)
class AwardSeen:
    """What one viewer may see of an award and of the agreement it started."""

    shows_price: bool
    unit_price: Decimal | None  # None where the price is not for this viewer
    reason: str
    shows_scores: bool


def award_seen(
    *,
    viewer: int | None,
    placed_with: int,
    placed_with_name: str,
    pricing_model: str | None,
    unit_price: Decimal,
    reason: str,
    public_reason: str,
    rule: str,
) -> AwardSeen:
    """``viewer`` is the looking provider's id, or None for council and platform staff.

    Price: council staff and the provider the work is placed with see it; a subcontractor
    delivering for a lead sees it only where it is a published fixed rate (what the lead is
    paid is the lead's business; its terms with the subcontractor are its own contract).
    Reason: council staff read the council's reason, with every score; providers read the
    public reason (the rule and the winner only), because a price score is the lowest price
    over the winner's and would reveal a rival's price. An award older than public reasons
    gets a plain line, never the council's reason.
    """
    council = viewer is None
    shows_price = council or viewer == placed_with or price_is_published(pricing_model)
    if council:
        text = reason
    elif public_reason:
        text = public_reason
    else:
        named_rule = f" ({rule.replace('_', ' ')})" if rule else ""
        text = f"Awarded to {placed_with_name}{named_rule}."
    return AwardSeen(shows_price, unit_price if shows_price else None, text, council)


def offer_price_seen(
    *, viewer: int | None, kind: str, pricing_model: str | None, unit_price: Decimal | None
) -> Decimal | None:
    """The price an offer shows. Council staff see every offer's price; a provider sees its
    own offer's, except a subcontractor, who is not shown the lead's own zone price (another
    provider's price) but is shown a published fixed rate."""
    if viewer is not None and kind == SUBCONTRACT and not price_is_published(pricing_model):
        return None
    return unit_price


# --- route choice ---------------------------------------------------------------------------


def lot_preference(*, framework_kind: str, framework_id: int, lot_number: int) -> tuple[Any, ...]:
    """Where several live lots buy the service in the zone, the first by this key sources it:
    a framework before an approved list (the list is the fallback), then the older framework,
    then the lower lot number."""
    return (framework_kind == APPROVED_LIST, framework_id, lot_number)


def route_for(route_to_market: str, *, zone_has_lead: bool) -> str:
    """The route a referral takes on the framework that buys it. A prime-provider contract
    refers to the zone's lead; in zones the council coordinates itself (no lead) it falls
    back to offers. Call-offs and mini-competitions go to bids; everything else to offers."""
    if route_to_market == PRIME_PROVIDER:
        return PRIME_PROVIDER if zone_has_lead else FRAMEWORK_FIRST
    if route_to_market in (CALL_OFF, MINI_COMPETITION):
        return route_to_market
    return FRAMEWORK_FIRST


# --- units and amounts ----------------------------------------------------------------------


def unit_of(pricing_model: str | None, service_unit: str) -> str:
    """The unit a referral is bought in: a week at banded rates, else the service's own unit
    (hour, session, night)."""
    return "week" if pricing_model == BANDED_WEEKLY_RATE else service_unit


def units_per_week(unit: str, *, hours: Decimal | None, sessions: int | None) -> Decimal:
    """How many units a week the agreement is for: one week at a band rate, the hours for
    hourly care, otherwise the sessions (or nights)."""
    if unit == "week":
        return Decimal("1")
    if unit == "hour" and hours is not None:
        return hours
    return Decimal(sessions or 0)


# --- offer deadlines ------------------------------------------------------------------------

NO_FRAMEWORK_WINDOW_HOURS = 48


def offer_deadline(
    sent_at: datetime,
    *,
    urgency: str,
    window_hours: int | None,
    urgent_window_hours: int | None,
) -> datetime:
    """When an offer closes: the framework's window, shorter when someone is waiting to leave
    hospital or is in crisis; 48 hours where no framework sets one. (Whether an offer has
    expired is ``Offer.effective_status`` / ``Offer.live_q``: past its deadline, whatever
    its stored status says.)"""
    if window_hours is None:
        hours = NO_FRAMEWORK_WINDOW_HOURS
    elif urgency in URGENT and urgent_window_hours is not None:
        hours = urgent_window_hours
    else:
        hours = window_hours
    return sent_at + timedelta(hours=hours)


SUBCONTRACTOR_HOURS = 4


def subcontract_deadline(lead_deadline: datetime, now: datetime) -> datetime:
    """A subcontractor asked by the lead has the lead's own time left, and at least four
    hours: the lead's offer then stays live exactly as long as the subcontractor has."""
    return max(lead_deadline, now + timedelta(hours=SUBCONTRACTOR_HOURS))


# --- awarding -------------------------------------------------------------------------------


def award_readiness(
    *,
    state: str,
    has_framework: bool,
    any_accepted: bool,
    open_until: datetime | None,
    award_before_window_closes: bool,
) -> tuple[bool, str]:
    """Whether the broker may award now, and if not why: an acceptance is in, and the offer
    window has closed (``open_until`` is the last live deadline, local time, or None), or the
    framework lets the broker award as soon as one arrives. Awaiting care (its start date
    passed) does not undo an acceptance already in."""
    if state not in (State.OFFERED, State.AWAITING_CARE) or not has_framework:
        return False, "Only a referral out to providers can be awarded."
    if not any_accepted:
        return False, "No provider has accepted yet."
    if open_until is not None and not award_before_window_closes:
        return False, (
            f"Offers are open until {open_until:%H:%M on %d %B}; this "
            "framework awards when the window closes."
        )
    return True, ""


def withdrawn_note(*, early: bool) -> str:
    """What a provider whose offer was still open reads when the referral is placed: where
    the framework awards before the window closes, that it did, so the time left is why."""
    if not early:
        return "Placed with another provider."
    return (
        "Placed with another provider before your time to answer ran out: this framework lets "
        "the council award as soon as a provider accepts, without waiting for every answer."
    )


def reason_with_note(reason: str, note: str) -> str:
    """The rule's reason for an award, and the broker's note where one was given."""
    return reason + (f" Broker's note: {note.strip()}" if note.strip() else "")


def scores_record(ranked: award.Ranking, key: str) -> list[dict[str, Any]]:
    """Every candidate's scores and rank, as the award stores them ("every award records
    why"); ``key`` names what a candidate is (an offer or a bid)."""
    return [
        {
            key: r.candidate.key,
            "provider": r.candidate.provider,
            "rank": r.rank,
            "price": str(r.candidate.price),
            "price_score": str(r.price_score),
            "quality_score": str(r.quality_score),
            "total": str(r.total),
        }
        for r in ranked.ranked
    ]


# --- subcontracting shares ------------------------------------------------------------------


@dataclass
class ShareRow:
    """A lead provider's referred hours and the share it subcontracted, against its
    contract's minimum (30% on the Isle of Wight). ``lead`` is its appointment."""

    lead: Any
    zones: str
    referred_hours: Decimal
    subcontracted_hours: Decimal
    minimum: Decimal

    @property
    def share(self) -> Decimal | None:
        """Per cent subcontracted, to one place; None with nothing referred."""
        if not self.referred_hours:
            return None
        return (self.subcontracted_hours / self.referred_hours * 100).quantize(Decimal("0.1"))

    @property
    def below_minimum(self) -> bool:
        return self.share is not None and self.share < self.minimum


# --- sensible windows for dates and prices (issue 14) ---------------------------------------
# Each window is an assumption a council can change (docs/architecture.md): a request outside
# it is almost always a typing slip (2099 for 2026, 1900 for a date of birth), and letting it
# through silently changed the route (no framework runs in 2099, so the care fell to spot).

START_WITHIN_DAYS = 365  # care starts within a year of being asked for
OLDEST_AGE = 120
YOUNGEST_AGE = 16  # adult social care
DEADLINE_WITHIN_DAYS = 180  # a call-off's bids close within six months
ABNORMALLY_LOW_SHARE = Decimal("0.5")  # a bid under half the cap must be explained


def age_on(date_of_birth: date, today: date) -> int:
    """Whole years of age on ``today``."""
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - before_birthday


def start_date_error(start: date, today: date, within_days: int = START_WITHIN_DAYS) -> str:
    """Why a start date is outside its window, or "" when it is fine."""
    if start < today:
        return "The start date cannot be in the past."
    latest = today + timedelta(days=within_days)
    if start > latest:
        return f"The start date must be within a year: on or before {latest.day} {latest:%B %Y}."
    return ""


def date_of_birth_error(born: date, today: date) -> str:
    """Why a date of birth cannot be right for someone adult social care supports, or ""."""
    if born >= today:
        return "The date of birth must be in the past."
    age = age_on(born, today)
    if age < YOUNGEST_AGE:
        return "Adult social care is for people aged 16 and over."
    if age > OLDEST_AGE:
        return f"Check the date of birth: it makes the person {age}, older than {OLDEST_AGE}."
    return ""


def deadline_error(closes_on: date, today: date, within_days: int = DEADLINE_WITHIN_DAYS) -> str:
    """Why a competition's closing day is outside its window, or "": providers need at least
    until tomorrow to bid, and a closing day years ahead is a slip."""
    if closes_on <= today:
        return "Bids must close on a day after today."
    latest = today + timedelta(days=within_days)
    if closes_on > latest:
        by = f"{latest.day} {latest:%B %Y}"
        return f"Bids must close within {within_days} days: on or before {by}."
    return ""


def abnormally_low(price: Decimal, cap: Decimal | None, share: Decimal) -> bool:
    """Whether a bid is so far under the most a bid may ask that the bidder must explain how
    it can deliver at that price before the bid counts (an abnormally low tender)."""
    return cap is not None and cap > 0 and price < cap * share


def pattern_hours(calls_per_day: int, minutes_per_call: int) -> Decimal:
    """Hours a week of a daily visit pattern, to the quarter hour: what the hours a week are
    when only the pattern is given (4 calls a day of 60 minutes is 28 hours a week)."""
    minutes = Decimal(calls_per_day * minutes_per_call * 7)
    return (minutes / 15).to_integral_value() * Decimal("0.25")
