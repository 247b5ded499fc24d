"""The domain's words, explained once: the glossary page (/glossary/) and the ``{% term %}``
tag that links a word where it appears to its explanation.

The explanations say how caremarket uses each word; where a council's own documents define
it differently, the council's definition wins (the framework page quotes its terms).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    key: str
    word: str
    meaning: str


TERMS = [
    Term(
        "framework",
        "Framework",
        "An agreement a council makes with a set of appointed providers, for a fixed term, "
        "on the terms (and often the prices) it will buy care on, so that each person's care "
        "can be bought without a new tender.",
    ),
    Term(
        "lot",
        "Lot",
        "A part of a framework, for one kind of service, area or group of people. A provider "
        "is appointed to a lot, and offers and competitions go to the providers on it.",
    ),
    Term(
        "call-off",
        "Call-off",
        "A contract for one person's care, or a scheme's, made under a framework's terms: "
        "the council 'calls off' the framework instead of tendering again.",
    ),
    Term(
        "mini-competition",
        "Mini-competition",
        "A call-off where the providers on the lot bid, sealed until the deadline, and the "
        "published weights of quality and price decide who wins.",
    ),
    Term(
        "prime-provider",
        "Prime provider (lead provider)",
        "One provider appointed for a zone, who takes every referral there and either "
        "delivers the care itself or places it with a subcontractor from its panel.",
    ),
    Term(
        "subcontractor",
        "Subcontractor",
        "A provider on a prime provider's panel, who delivers care the prime places with it; "
        "the council's agreement stays with the prime.",
    ),
    Term(
        "band",
        "Band",
        "A level of assessed need (low, medium, high, very high) with its own rate, used to "
        "price supported living; in a competition, the band's rate caps the bids.",
    ),
    Term(
        "spot-purchase",
        "Spot purchase",
        "Care bought outside any framework, one package at a time, with the reason recorded.",
    ),
    Term(
        "zone",
        "Zone",
        "An area of a council, made of postcode districts, that providers are appointed for "
        "and priced in.",
    ),
    Term(
        "awaiting-care",
        "Awaiting care",
        "A referral not placed by its start date, or whose every offer was declined or "
        "expired: the person is waiting, and the interim arrangement says what they have.",
    ),
    Term(
        "abnormally-low",
        "Abnormally low bid",
        "A bid so far under the most a bid may ask that the bidder must explain how it can "
        "deliver at that price before the bid counts (the share of the cap is configurable).",
    ),
    Term(
        "care-group",
        "Care group",
        "Who the care is for, as the council's data records it; the codes are listed below.",
    ),
]
BY_KEY = {t.key: t for t in TERMS}
