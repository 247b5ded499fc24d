"""Factories for market sufficiency tests: a Devon-like commissioner with the seed's zones."""

from __future__ import annotations

from caremarket.market.models import Commissioner
from tests import factories
from tests.insight.seed_files import ZONES


def devon_like(**fields: object) -> Commissioner:
    """A commissioner with seed 002's eight zones, named as Devon names them."""
    made = factories.commissioner(**fields)
    for number, name in ZONES.items():
        factories.zone(made, number=number, name=name[:80])
    return made
