"""A provider cannot read or answer another provider's offer, nor see a person's details
before the award, through any page or endpoint; a council sees only its own records.

The test is generated from the URL map at run time: every route in the ``brokerage``
namespace and every brokerage endpoint of the API (``/api/v1/referrals/``, ``offers``,
``competitions``, ``bids``, ``awards``, ``agreements``, ``awaiting-care``, ``spot-approvals``,
and their actions), for every demo role, with object ids that belong to someone else. A new
route is covered the day it is added; a new kind of object id fails
``test_every_route_with_an_id_is_mapped`` until this file says whose object to try.

One market scenario is built per module (inside a transaction rolled back at the end), and
each test rolls back its own changes on top of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from caremarket.accounts.models import User
from caremarket.brokerage import routing
from caremarket.brokerage.models import (
    Award,
    Competition,
    Offer,
    PersonalDataAccess,
    Referral,
    ServiceAgreement,
    SpotApproval,
)
from caremarket.brokerage.services import awards, competitions, offers
from caremarket.core import clock as clock_module
from caremarket.frameworks.models import Appointment, Lot
from caremarket.supported_living.models import Scheme
from tests.brokerage.support import (
    MovableClock,
    PersonDetails,
    accept,
    account,
    details_of,
    framework_offers,
    offer_to,
    provider_user,
    raise_referral,
    snapshot,
    zone,
)

pytestmark = pytest.mark.django_db

# Every demo role, and for providers and councils every organisation whose ids differ.
ACCOUNTS = [
    None,  # anonymous
    "admin",
    "devon.commissioner",
    "devon.broker",
    "devon.practitioner",
    "devon.finance",
    "iow.broker",
    "staffs.broker",
    "provider.devon",
    "provider.prime",
    "provider.iow",
    "provider.subcontractor",  # on provider.iow's panel (issue 14)
    "provider.harbour",
    "provider.staffs",
]
PROVIDERS = [a for a in ACCOUNTS if a and a.startswith("provider.")]

# API endpoints that belong to brokerage, by the router's basename.
API_KINDS = {
    "referral": "referral",
    "offer": "offer",
    "competition": "competition",
    "bid": "bid",
    "award": "award",
    "agreement": "agreement",
    "awaiting-care": "awaiting-care",
    "spot-approval": "spot-approval",
}
# Web routes with an id, by URL name.
WEB_KINDS = {
    "referral": "referral",
    "offer": "offer",
    "competition": "competition",
    "agreement": "agreement",
    "spot-approval": "spot-approval",
}
# The ``action`` values each web page with an id accepts on POST.
WEB_ACTIONS = {
    "referral": [
        "send_offers",
        "award",
        "waiting",
        "escalate",
        "cancel",
        "spot",
        "competition",
    ],
    "offer": ["accept", "decline", "deliver", "subcontract", "confirm"],
    "agreement": [
        "vary",
        "end",
        "withdraw",
        "withdraw_proposal",
        "accept_variation",
        "decline_variation",
    ],
    "competition": ["bid", "award", "score"],
    "spot-approval": ["approve", "refuse"],
}

# Distinctive weekly prices, so a bid's price on a page can only be that bid.
CALL_OFF_PRICES = (Decimal("512.34"), Decimal("498.76"))
SCHEME_PRICES = (Decimal("1011.17"), Decimal("1022.29"))


# --- the routes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "brokerage:offer", "api:offer-accept"
    kind: str | None  # whose id it takes: "offer", "referral", ...; None for a list
    api: bool
    methods: frozenset[str]  # what it answers: "get", "post"

    @property
    def takes_id(self) -> bool:
        return self.kind is not None


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def _api_basename(short: str) -> str | None:
    for basename in sorted(API_KINDS, key=len, reverse=True):
        if short.startswith(f"{basename}-"):
            return basename
    return None


def discover_routes() -> list[Route]:
    """Every brokerage route in the URL map as it is now (the API grows while we work)."""
    params: dict[str, set[str]] = {}
    methods: dict[str, set[str]] = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("brokerage:") or (
            name.startswith("api:") and _api_basename(name[4:]) is not None
        ):
            params.setdefault(name, set()).update(pattern.pattern.regex.groupindex)
            # A viewset's route answers the methods it maps; a page answers GET and POST.
            actions = getattr(pattern.callback, "actions", None) or {"get": "", "post": ""}
            methods.setdefault(name, set()).update(m.lower() for m in actions)
    routes = []
    for name, kwargs in sorted(params.items()):
        kwargs.discard("format")
        api = name.startswith("api:")
        answers = frozenset(methods[name])
        if not kwargs:
            routes.append(Route(name, None, api, answers))
            continue
        if kwargs != {"pk"}:
            routes.append(Route(name, f"unmapped:{sorted(kwargs)}", api, answers))
            continue
        short = name.split(":", 1)[1]
        kind = API_KINDS.get(_api_basename(short) or "") if api else WEB_KINDS.get(short)
        routes.append(Route(name, kind or f"unmapped:{short}", api, answers))
    return routes


ROUTES = discover_routes()
ID_ROUTES = [r for r in ROUTES if r.takes_id]
LIST_ROUTES = [r for r in ROUTES if not r.takes_id]
KNOWN_KINDS = {"referral", "offer", "competition", "agreement", "award", "bid", "spot-approval"}


def test_every_route_with_an_id_is_mapped() -> None:
    """A new kind of id in the URL map must be given someone else's object to try here."""
    unmapped = [r.name for r in ID_ROUTES if r.kind not in KNOWN_KINDS]
    assert not unmapped, f"Say whose object to try for: {unmapped}"
    assert {"brokerage:offer", "brokerage:referral", "brokerage:inbox"} <= {r.name for r in ROUTES}


# --- the scenario ---------------------------------------------------------------------------


@dataclass
class Scenario:
    si_open: Referral  # Devon Supporting Independence: provider.devon has an open offer
    si_devon_wins: Referral  # ... awarded to provider.devon (the person chose it)
    si_devon_loses: Referral  # ... provider.devon accepted; the person chose another
    prime_sub: Referral  # Devon zone 1-3: the lead subcontracted; the subcontractor delivers
    iow_open: Referral  # Isle of Wight: waiting for the lead, provider.iow
    lwah_harbour: Referral  # Devon zone 4: awarded to provider.harbour
    call_off: Referral  # Staffordshire: an individual's call-off, awarded
    call_off_competition: Competition
    scheme_competition: Competition  # Staffordshire lot 3, still sealed
    devon_competition: Competition  # a Devon scheme, so Staffordshire has someone else's
    subcontractor: Any  # the Provider on provider.prime's panel who delivers prime_sub
    spot_requests: list[SpotApproval] = field(default_factory=list)  # one per council
    details: dict[int, PersonDetails] = field(default_factory=dict)  # by referral pk
    memo: dict[Any, Any] = field(default_factory=dict)  # answers that hold for the module

    @property
    def referrals(self) -> list[Referral]:
        return [
            self.si_open,
            self.si_devon_wins,
            self.si_devon_loses,
            self.prime_sub,
            self.iow_open,
            self.lwah_harbour,
            self.call_off,
        ]

    @property
    def competitions(self) -> list[Competition]:
        return [self.call_off_competition, self.scheme_competition, self.devon_competition]


def _decline_everyone_else(referral: Referral, keep: set[int]) -> None:
    for offer in framework_offers(referral):
        if offer.provider_id not in keep:
            offers.decline(offer.pk, provider=offer.provider, by=None, reason="no_capacity")


def _si_awarded(chooser: str) -> Referral:
    """provider.devon and one other accept; everyone else declines (so the window is closed);
    the person chooses ``chooser`` ("devon" or "other")."""
    devon = account("provider.devon").provider
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    mine = offer_to(referral, devon)
    other = next(o for o in framework_offers(referral) if o.provider_id != devon.pk)
    accept(mine)
    accept(other)
    _decline_everyone_else(referral, {devon.pk, other.provider_id})
    chosen = mine if chooser == "devon" else other
    awards.confirm(referral.pk, by=account("devon.broker"), chosen_offer=chosen.pk)
    return referral


def _prime_subcontracted() -> tuple[Referral, Any]:
    lead = account("provider.prime")
    for number in (1, 2, 3):
        referral = raise_referral("devon", number, "personal-care")
        lead_offer = referral.offers.get(kind=Offer.Kind.LEAD)
        panel = routing.panel_for(lead_offer, clock_module.today())
        if panel:
            member = panel[0]
            sub = offers.lead_subcontracts(
                lead_offer.pk, provider=lead.provider, member=member, by=lead
            )
            offers.subcontractor_confirms(sub.pk, provider=member, by=provider_user(member))
            return referral, member
    raise AssertionError("provider.prime has no panel member in zones 1-3")


def _call_off(moving: MovableClock) -> tuple[Referral, Competition]:
    """An individual's call-off on Staffordshire lot 1 (mental health): opened three days
    ago, bids two days ago from provider.harbour and one other, decided today."""
    broker = account("staffs.broker")
    harbour = account("provider.harbour").provider
    back = moving.moment
    moving.advance(days=-3)
    referral = raise_referral(
        "staffs", 4, "supported-living", group="MH", band="medium", hours=None
    )
    competition = competitions.open_competition(
        by=broker,
        lot=referral.lot,
        title="Supported living, mental health, Cannock",
        deadline=moving.moment + timedelta(days=2),
        referral=referral,
    )
    moving.advance(days=1)
    rival = (
        Appointment.objects.filter(lot=referral.lot, status=Appointment.Status.ACTIVE)
        .exclude(provider=harbour)
        .order_by("pk")
        .first()
        .provider
    )
    answers = {q["key"]: "We will." for q in competition.questions}
    for provider, price in zip((harbour, rival), CALL_OFF_PRICES, strict=True):
        competitions.submit_bid(
            competition.pk,
            provider=provider,
            by=provider_user(provider),
            weekly_price=price,
            answers=answers,
            low_price_explanation="Staff are shared across the scheme's rooms.",
        )
    moving.set(back)
    for bid, score in zip(competition.bids.order_by("pk"), ("80", "70"), strict=True):
        competitions.evaluate(
            bid.pk, by=broker, scores={q["key"]: Decimal(score) for q in competition.questions}
        )
    competitions.award_competition(competition.pk, by=broker)
    return referral, competition


def _scheme(council: str, zone_number: int, lot: Lot, name: str) -> Scheme:
    z = zone(council, zone_number)
    return Scheme.objects.create(
        commissioner=z.commissioner, name=name, zone=z, lot=lot, rooms=4, address="1 Test Row"
    )


def _scheme_competition(moving: MovableClock) -> Competition:
    """provider.staffs's geographic lot: a block of two schemes, bids in from provider.staffs
    and one other, the deadline still to come (sealed)."""
    staffs = account("provider.staffs").provider
    lot = staffs.appointments.get(lot__framework__slug="supported-living").lot
    schemes = [_scheme("staffs", 4, lot, f"Access test house {n}") for n in (1, 2)]
    competition = competitions.open_competition(
        by=account("staffs.broker"),
        lot=lot,
        title="Two houses in Cannock",
        deadline=moving.moment + timedelta(days=5),
        schemes=schemes,
    )
    rival = (
        Appointment.objects.filter(lot=lot, status=Appointment.Status.ACTIVE)
        .exclude(provider=staffs)
        .order_by("pk")
        .first()
        .provider
    )
    answers = {q["key"]: "We will." for q in competition.questions}
    for provider, price in zip((staffs, rival), SCHEME_PRICES, strict=True):
        competitions.submit_bid(
            competition.pk,
            provider=provider,
            by=provider_user(provider),
            weekly_price=price,
            answers=answers,
            low_price_explanation="Staff are shared across the scheme's rooms.",
        )
    return competition


def _devon_competition(moving: MovableClock) -> Competition:
    lot = Lot.objects.get(framework__slug="supporting-independence", number=2)
    return competitions.open_competition(
        by=account("devon.broker"),
        lot=lot,
        title="A shared house in Bideford",
        deadline=moving.moment + timedelta(days=5),
        schemes=[_scheme("devon", 1, lot, "Access test house, Bideford")],
    )


def _spot_request(referral: Referral) -> SpotApproval:
    """A spot purchase waiting for approval on the council's referral (written directly:
    only its owner matters here)."""
    short = {"devon": "devon", "isle-of-wight": "iow"}[referral.commissioner.slug]
    return SpotApproval.objects.create(
        commissioner=referral.commissioner,
        referral=referral,
        provider=referral.offers.order_by("pk").first().provider,
        unit="hour",
        units_per_week=Decimal("6"),
        unit_price=Decimal("47.11"),
        weekly_cost=Decimal("282.66"),
        yearly_cost=Decimal("14698.32"),
        reason="Nobody on the framework could staff it.",
        needs_approval_because="above the band",
        requested_by=account(f"{short}.broker"),
    )


def _lwah_to_harbour() -> Referral:
    harbour = account("provider.harbour").provider
    referral = raise_referral("devon", 4, "personal-care")
    accept(offer_to(referral, harbour))
    awards.confirm(referral.pk, by=account("devon.broker"))
    return referral


@pytest.fixture(scope="module")
def scenario(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scenario]:
    """Build the market once for the module, in a transaction undone at the end."""
    moving = MovableClock(clock_module.now())
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as mp,
        transaction.atomic(),
    ):
        mp.setattr(clock_module, "now", moving.now)
        call_off, call_off_competition = _call_off(moving)
        prime_sub, subcontractor = _prime_subcontracted()
        built = Scenario(
            si_open=raise_referral("devon", 1, "individualised-support", group="PD"),
            si_devon_wins=_si_awarded("devon"),
            si_devon_loses=_si_awarded("other"),
            prime_sub=prime_sub,
            iow_open=raise_referral("iow", 2, "personal-care"),
            lwah_harbour=_lwah_to_harbour(),
            call_off=call_off,
            call_off_competition=call_off_competition,
            scheme_competition=_scheme_competition(moving),
            devon_competition=_devon_competition(moving),
            subcontractor=subcontractor,
        )
        built.details = {r.pk: details_of(r) for r in built.referrals}
        built.spot_requests = [_spot_request(r) for r in (built.iow_open, built.lwah_harbour)]
        yield built
        transaction.set_rollback(True)


# --- whose object, and what must not show ---------------------------------------------------


def _involved(provider_id: int, referral: Referral) -> bool:
    """Read straight from the tables, not through the selectors under test."""
    award = Award.objects.filter(referral=referral).first()
    return Offer.objects.filter(referral=referral, provider_id=provider_id).exists() or (
        award is not None and provider_id in (award.provider_id, award.delivering_provider_id)
    )


def _awarded_to(provider_id: int, referral: Referral) -> bool:
    award = Award.objects.filter(referral=referral).first()
    return award is not None and provider_id in (award.provider_id, award.delivering_provider_id)


def _on_lot(provider_id: int, competition: Competition) -> bool:
    return Appointment.objects.filter(provider_id=provider_id, lot=competition.lot_id).exists()


def someone_elses(kind: str, user: User | None, s: Scenario) -> int:
    """The id of an object of this kind that the user has no business with."""
    key = ("someone_elses", kind, user.pk if user else None)
    if key not in s.memo:
        s.memo[key] = _someone_elses(kind, user, s)
    return s.memo[key]


def _someone_elses(kind: str, user: User | None, s: Scenario) -> int:
    if kind == "spot-approval":  # another council's (a provider may see none at all)
        mine = user.commissioner_id if user is not None else None
        return next(a.pk for a in s.spot_requests if a.commissioner_id != mine)
    if user is None or (user.commissioner_id is None and user.provider_id is None):
        # Anonymous (must sign in first) or the platform (sees all): any object will do.
        return _first_id(kind, s.referrals, s)
    if user.commissioner_id is not None:
        theirs = [r for r in s.referrals if r.commissioner_id != user.commissioner_id]
        if kind == "competition":
            return next(c.pk for c in s.competitions if c.commissioner_id != user.commissioner_id)
        return _first_id(kind, theirs, s)
    me = user.provider_id
    if kind == "competition":
        return next(c.pk for c in s.competitions if not _on_lot(me, c))
    if kind in ("referral", "offer"):
        theirs = [r for r in s.referrals if not _involved(me, r)]
        if kind == "offer":  # also: another provider's offer on a referral I was offered
            theirs = [r for r in s.referrals if r.offers.exclude(provider_id=me).exists()]
        return _first_id(kind, theirs, s, not_provider=me)
    theirs = [r for r in s.referrals if not _awarded_to(me, r)]
    return _first_id(kind, theirs, s, not_provider=me)


def _first_id(kind: str, referrals: list[Referral], s: Scenario, not_provider: int = 0) -> int:
    if kind == "competition":
        return s.competitions[0].pk
    for r in referrals:
        if kind == "referral":
            return r.pk
        if kind == "offer":
            offer = r.offers.exclude(provider_id=not_provider).order_by("pk").first()
            if offer is not None:
                return offer.pk
        if kind in ("award", "agreement"):
            award = Award.objects.filter(referral=r).first()
            if award and not_provider not in (award.provider_id, award.delivering_provider_id):
                return award.pk if kind == "award" else award.agreement.pk
        if kind == "bid":
            bid = s.call_off_competition.bids.exclude(provider_id=not_provider).first()
            return bid.pk
    raise AssertionError(f"the scenario has no {kind} to try")


def forbidden(user: User | None, s: Scenario) -> list[str]:
    """Strings that must not appear in any response to this user."""
    key = ("forbidden", user.pk if user else None)
    if key not in s.memo:
        s.memo[key] = _forbidden(user, s)
    return s.memo[key]


def _forbidden(user: User | None, s: Scenario) -> list[str]:
    out: list[str] = []
    platform = user is not None and user.is_superuser
    for r in s.referrals:
        if platform:
            continue
        if user is not None and user.commissioner_id == r.commissioner_id:
            continue
        if user is not None and user.provider_id and _awarded_to(user.provider_id, r):
            continue
        out += s.details[r.pk].leaks()
        if user is None or user.commissioner_id or not _involved(user.provider_id, r):
            out.append(r.reference)
    sealed = s.scheme_competition
    for bid in sealed.bids.select_related("provider"):
        if user is not None and user.provider_id == bid.provider_id:
            continue
        out += _price_forms(bid.weekly_price)  # sealed: only the bidder sees it
    for bid in s.call_off_competition.bids.all():
        if user is not None and user.provider_id and user.provider_id != bid.provider_id:
            out += _price_forms(bid.weekly_price)  # a bidder never sees another's bid
    return out


def _price_forms(price: Decimal) -> list[str]:
    """As the API writes it (1011.17) and as a page does (£1,011.17)."""
    return [f"{price}", f"{price:,}"]


# --- the generated tests --------------------------------------------------------------------


def _client(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _path(route: Route, pk: int | None) -> str:
    return reverse(route.name, kwargs={"pk": pk} if pk is not None else None)


def _refused(response: Any, anonymous: bool, api: bool) -> bool:
    if anonymous:
        if api:
            return response.status_code in (401, 403)
        return response.status_code == 302 and response["Location"].startswith("/sign-in/")
    return response.status_code in (403, 404, 405)


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


ID_CASES = [(r, a) for r in ID_ROUTES if "get" in r.methods for a in ACCOUNTS]


@pytest.mark.parametrize(
    ("route", "username"), ID_CASES, ids=[f"{r.name}-{a or 'anonymous'}" for r, a in ID_CASES]
)
def test_someone_elses_object_is_refused(scenario: Scenario, route: Route, username: str | None):  # type: ignore[no-untyped-def]
    """GET with an id that belongs to someone else: 403 or 404 (anonymous: sign in), never
    the record. The platform administrator sees every council's records, so only 'no 500'."""
    user = User.objects.get(username=username) if username else None
    if route.kind not in KNOWN_KINDS:
        pytest.fail(f"{route.name} takes an id of an unmapped kind: {route.kind}")
    pk = someone_elses(route.kind, user, scenario)
    response = _client(username).get(_path(route, pk))
    assert response.status_code < 500, f"{route.name}: {response.status_code}"
    if username == "admin":
        return
    assert _refused(response, username is None, route.api), (
        f"{username or 'anonymous'} GET {_path(route, pk)} gave {response.status_code}"
    )
    leaks = [s for s in forbidden(user, scenario) if s in _body(response)]
    assert not leaks, f"{_path(route, pk)} showed {leaks}"


def _web_payload(s: Scenario, action: str) -> dict[str, Any]:
    tomorrow = clock_module.today() + timedelta(days=1)
    date_parts = {"_0": tomorrow.day, "_1": tomorrow.month, "_2": tomorrow.year}
    bid = s.call_off_competition.bids.first()
    return {
        "action": f"score-{bid.pk}" if action == "score" else action,
        "reason": "no_capacity",
        "detail": "Trying someone else's record.",
        "member": s.subcontractor.pk,
        "quote": "30.00",
        "note": "Trying someone else's record.",
        "escalate-note": "x",
        "cancel-note": "x",
        "interim_arrangement": "family_care",
        "next_action": "x",
        "provider": s.subcontractor.pk,
        "unit_price": "30.00",
        "title": "x",
        **{f"deadline{k}": v for k, v in date_parts.items()},
        **{f"vary-effective_from{k}": v for k, v in date_parts.items()},
        "vary-units_per_week": "5",
        "vary-reason": "x",
        **{f"end-end_date{k}": v for k, v in date_parts.items()},
        "end-end_reason": "needs_met",
        "weekly_price": "100.00",
        **{f"answer_{q['key']}": "x" for q in s.call_off_competition.questions},
        **{f"bid{bid.pk}-score_{q['key']}": "50" for q in s.call_off_competition.questions},
    }


def _api_payload(s: Scenario) -> dict[str, Any]:
    """Every field any brokerage action reads, valid, so a refusal is about whose it is."""
    tomorrow = (clock_module.today() + timedelta(days=1)).isoformat()
    return {
        "reason": "no_capacity",
        "detail": "Trying someone else's record.",
        "member": s.subcontractor.slug,
        "provider": s.subcontractor.slug,
        "unit_price": "30.00",
        "quote": None,
        "chosen_offer": None,
        "note": "x",
        "effective_from": tomorrow,
        "units_per_week": "5",
        "end_date": tomorrow,
        "end_reason": "needs_met",
        "resource": False,
    }


# The platform administrator sees every record, so nothing is someone else's to it.
POST_CASES = [(r, a) for r in ID_ROUTES if "post" in r.methods for a in ACCOUNTS if a != "admin"]


@pytest.mark.parametrize(
    ("route", "username"), POST_CASES, ids=[f"{r.name}-{a or 'anonymous'}" for r, a in POST_CASES]
)
def test_acting_on_someone_elses_object_changes_nothing(  # type: ignore[no-untyped-def]
    scenario: Scenario, route: Route, username: str | None
):
    """POST every action a page or endpoint takes, with someone else's id: refused, and not
    one row or status changes."""
    user = User.objects.get(username=username) if username else None
    pk = someone_elses(route.kind, user, scenario)
    client = _client(username)
    before = snapshot()
    path = _path(route, pk)
    if route.api:
        attempts = [client.post(path, json.dumps(_api_payload(scenario)), "application/json")]
    else:
        short = route.name.split(":", 1)[1]
        attempts = [client.post(path, _web_payload(scenario, a)) for a in WEB_ACTIONS[short]]
    for response in attempts:
        assert response.status_code < 500
        assert _refused(response, user is None, route.api), (
            f"{username or 'anonymous'} POST {path} gave {response.status_code}"
        )
    assert snapshot() == before, f"POST {path} as {username} changed something"


LIST_CASES = [(r, a) for r in LIST_ROUTES if "get" in r.methods for a in ACCOUNTS]


@pytest.mark.parametrize(
    ("route", "username"), LIST_CASES, ids=[f"{r.name}-{a or 'anonymous'}" for r, a in LIST_CASES]
)
def test_lists_never_show_what_is_not_yours(scenario: Scenario, route: Route, username: str | None):  # type: ignore[no-untyped-def]
    """Every list page and endpoint, as every role: whatever it shows, it shows no person
    before their award to you, no other council's referrals, and no bid that is not yours
    (nor any bid before the deadline)."""
    user = User.objects.get(username=username) if username else None
    response = _client(username).get(_path(route, None))
    assert response.status_code < 500
    if response.status_code != 200:
        assert response.status_code in (302, 401, 403, 404, 405)
        return
    leaks = [s for s in forbidden(user, scenario) if s in _body(response)]
    assert not leaks, f"{username or 'anonymous'} saw {leaks} at {_path(route, None)}"


def test_another_providers_competition_takes_no_bid(scenario: Scenario, client_for):  # type: ignore[no-untyped-def]
    """A provider not appointed to the lot cannot bid, on the page or through the API."""
    competition = scenario.scheme_competition
    before = snapshot()
    answers = {f"answer_{q['key']}": "x" for q in competition.questions}
    page = client_for("provider.devon").post(
        f"/competitions/{competition.pk}/", {"action": "bid", "weekly_price": "10", **answers}
    )
    assert page.status_code == 404
    api = client_for("provider.devon").post(
        "/api/v1/bids/",
        {
            "competition": competition.pk,
            "weekly_price": "10.00",
            "answers": {q["key"]: "x" for q in competition.questions},
        },
        content_type="application/json",
    )
    assert 400 <= api.status_code < 500
    assert snapshot() == before


# --- a person's details: only after the award, only to the provider, and logged -------------


def _provider_views_of(offer: Offer) -> list[str]:
    return [
        f"/inbox/offers/{offer.pk}/",
        f"/api/v1/offers/{offer.pk}/",
        f"/api/v1/referrals/{offer.referral_id}/",
    ]


@pytest.mark.parametrize(
    "username", ["provider.devon", "provider.prime", "provider.iow", "provider.harbour"]
)
def test_a_providers_own_offers_hide_the_person_until_awarded_to_it(  # type: ignore[no-untyped-def]
    scenario: Scenario, username: str, client_for
):
    """Every offer a provider holds in the scenario, on every page and endpoint that shows
    it: before an award to that provider, no name, date of birth or address, and no access
    logged; after it, the details are there and each look is logged."""
    user = account(username)
    client = client_for(username)
    mine = Offer.objects.filter(
        provider_id=user.provider_id, referral__in=scenario.referrals
    ).select_related("referral")
    existing = {r.name for r in ROUTES}
    assert mine.exists(), "the scenario gives this provider offers to look at"
    for offer in mine:
        referral = offer.referral
        details = scenario.details[referral.pk]
        awarded = _awarded_to(user.provider_id, referral)
        for path in _provider_views_of(offer):
            if path.startswith("/api/") and "api:offer-detail" not in existing:
                continue
            logged = PersonalDataAccess.objects.filter(user=user, person=referral.person).count()
            response = client.get(path)
            assert response.status_code == 200, path
            body = _body(response)
            shown = [s for s in details.leaks() if s in body]
            now_logged = PersonalDataAccess.objects.filter(user=user, person=referral.person)
            if awarded and "/offers/" in path and path.startswith("/api/"):
                continue  # the offer endpoint carries the summary only; the referral has the person
            if awarded:
                assert details.family_name in body and details.address in body, path
                assert now_logged.count() == logged + 1, f"{path} did not log the look"
                assert now_logged.order_by("-pk").first().where == path
            else:
                assert not shown, f"{username} saw {shown} at {path} before an award to it"
                assert now_logged.count() == logged


def test_the_winner_sees_the_person_and_each_look_is_logged(scenario: Scenario, client_for):  # type: ignore[no-untyped-def]
    """After the award: the winner's offer page and agreement show name, date of birth and
    address; the providers that lost, and those never asked, see none of it."""
    referral = scenario.si_devon_wins
    details = scenario.details[referral.pk]
    agreement = ServiceAgreement.objects.get(award__referral=referral)
    devon = account("provider.devon")
    for path in (f"/agreements/{agreement.pk}/", f"/api/v1/referrals/{referral.pk}/"):
        before = PersonalDataAccess.objects.filter(user=devon).count()
        body = _body(client_for("provider.devon").get(path))
        for shown in (details.given_name, details.family_name, details.address):
            assert shown in body, path
        assert f"{details.date_of_birth.day} {details.date_of_birth:%B %Y}" in body or (
            details.date_of_birth.isoformat() in body
        )
        assert PersonalDataAccess.objects.filter(user=devon).count() == before + 1
    loser = Offer.objects.get(referral=referral, status=Offer.Status.NOT_SELECTED)
    loser_user = provider_user(loser.provider)
    client = Client()
    client.force_login(loser_user)
    body = _body(client.get(f"/inbox/offers/{loser.pk}/"))
    assert not [s for s in details.leaks() if s in body]
    assert not PersonalDataAccess.objects.filter(user=loser_user).exists()


def test_lead_and_subcontractor_both_see_the_person_after_placement(scenario: Scenario):
    """Route 2: the lead holds the contract and the subcontractor delivers; both may see
    the person once it is placed, and both looks are logged."""
    referral = scenario.prime_sub
    details = scenario.details[referral.pk]
    agreement = ServiceAgreement.objects.get(award__referral=referral)
    for user in (account("provider.prime"), provider_user(scenario.subcontractor)):
        client = Client()
        client.force_login(user)
        body = _body(client.get(f"/agreements/{agreement.pk}/"))
        assert details.full_name in body and details.address in body
        assert PersonalDataAccess.objects.filter(user=user, person=referral.person).exists()


def test_no_email_to_a_provider_carries_a_persons_details(scenario: Scenario) -> None:
    """The outbox is another way out: every notification written to a provider (offers,
    placements, awards, expiries) names the referral, never the person."""
    from caremarket.brokerage.models import Notification
    from caremarket.providers.models import Provider

    providers = Provider.objects.filter(offers__referral__in=scenario.referrals).distinct()
    addresses = set(providers.values_list("email", flat=True)) | set(
        User.objects.filter(provider__in=providers).values_list("email", flat=True)
    )
    sent = list(Notification.objects.filter(to__in=addresses))
    assert len(sent) > len(scenario.referrals)
    leaks = [s for d in scenario.details.values() for s in d.leaks()]
    found = [(n.to, n.subject) for n in sent if any(s in n.subject + n.body for s in leaks)]
    assert not found, f"emails to providers with personal details: {found}"
