"""Reads of the market's shape, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from caremarket.core import roles as access
from caremarket.core.errors import Invalid
from caremarket.core.permissions import require
from caremarket.core.roles import Actor
from caremarket.engine import postcodes
from caremarket.market.models import CareGroup, Commissioner, PostcodeArea, ServiceType, Town, Zone


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
    require(user, "council_pages")
    return (
        Zone.objects.filter(commissioner__in=commissioners_for(user))
        .select_related("commissioner")
        .prefetch_related(
            Prefetch("towns", queryset=Town.objects.order_by("name")),
            Prefetch("postcode_areas", queryset=PostcodeArea.objects.order_by("code")),
        )
        .order_by("commissioner__name", "number")
    )


def zone_numbered(commissioner_slug: str, number: int) -> Zone:
    """A zone named as a request names it, by its commissioner's slug and its number there;
    an unknown pair is bad input on ``zone``."""
    zone = Zone.objects.filter(commissioner__slug=commissioner_slug, number=number).first()
    if zone is None:
        raise Invalid({"zone": "No such zone for that commissioner."})
    return zone


def zone_by_id(pk: int) -> Zone:
    """Any zone by its id, as the public directory's API names it; unknown is bad input."""
    zone = Zone.objects.filter(pk=pk).first()
    if zone is None:
        raise Invalid({"zone": "No zone with that id."})
    return zone


def service_type_by_code(code: str) -> ServiceType:
    return _by_code(ServiceType, code, "service_type")


def care_group_by_code(code: str) -> CareGroup:
    return _by_code(CareGroup, code, "care_group")


def _by_code(model, code: str, field: str):  # type: ignore[no-untyped-def]
    """Reference data by its code; an unknown code is bad input, with the codes there are."""
    found = model.objects.filter(code=code).first()
    if found is None:
        choices = ", ".join(model.objects.values_list("code", flat=True))
        raise Invalid(
            {field: f"Unknown {field.replace('_', ' ')} {code!r}. Use one of: {choices}."}
        )
    return found


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
    require(user, "council_pages")
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
