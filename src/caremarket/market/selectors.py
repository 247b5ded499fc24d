"""Reads of the market's shape, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from caremarket.core import roles as access
from caremarket.core.roles import Actor
from caremarket.engine import postcodes
from caremarket.market.models import Commissioner, PostcodeArea, Town, Zone


class PostcodeNotCovered(postcodes.InvalidPostcode):
    """A well-formed postcode that none of the commissioner's zones covers."""


def commissioners_for(user: Actor) -> QuerySet[Commissioner]:
    if access.is_platform(user):
        return Commissioner.objects.all()
    if access.is_council(user):
        return Commissioner.objects.filter(pk=access.commissioner_id_of(user))
    return Commissioner.objects.none()


def zones_for(user: Actor) -> QuerySet[Zone]:
    """Zones with their towns and postcode areas, for the staff of their commissioner."""
    access.require_council_or_platform(user)
    return (
        Zone.objects.filter(commissioner__in=commissioners_for(user))
        .select_related("commissioner")
        .prefetch_related(
            Prefetch("towns", queryset=Town.objects.order_by("name")),
            Prefetch("postcode_areas", queryset=PostcodeArea.objects.order_by("code")),
        )
        .order_by("commissioner__name", "number")
    )


def zone_for_postcode(commissioner: Commissioner, text: str) -> tuple[postcodes.Postcode, Zone]:
    """Name the zone a postcode falls in, or raise with a message fit for the person."""
    code = postcodes.parse(text)
    area = (
        PostcodeArea.objects.filter(commissioner=commissioner, code__in=code.lookup_keys())
        .select_related("zone__commissioner")
        .order_by("-code")  # "EX39 1" sorts after "EX39": the sector wins
        .first()
    )
    if area is None:
        raise PostcodeNotCovered(
            f"{code} is not in any of {commissioner.name}'s {commissioner.zone_label}s. "
            f"Check the postcode, or whether the person lives in another council's area."
        )
    return code, area.zone


def zone_for_postcode_seen_by(user: Actor, text: str) -> tuple[postcodes.Postcode, Zone]:
    """The zone of a postcode among the commissioners the user works for."""
    access.require_council_or_platform(user)
    code = postcodes.parse(text)
    commissioners = list(commissioners_for(user))
    for commissioner in commissioners:
        try:
            return zone_for_postcode(commissioner, str(code))
        except PostcodeNotCovered:
            continue
    names = " or ".join(c.name for c in commissioners) or "your commissioner"
    raise PostcodeNotCovered(
        f"{code} is not in any zone of {names}. "
        "Check the postcode, or whether the person lives in another council's area."
    )


def zones_covering_postcode(text: str) -> tuple[postcodes.Postcode, list[Zone]]:
    """Public: every commissioner's zone covering a postcode (for the provider directory)."""
    code = postcodes.parse(text)
    areas = (
        PostcodeArea.objects.filter(code__in=code.lookup_keys())
        .select_related("zone__commissioner")
        .order_by("commissioner_id", "-code")
    )
    best: dict[int, Zone] = {}
    for area in areas:
        best.setdefault(area.commissioner_id, area.zone)
    return code, list(best.values())
