"""The Client Level Data return, read for the acting user: council staff get their own
council's and nobody else's; platform staff choose a council. A council the user may not
see is ``NotFound``, never another council's file."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from caremarket.core import clock, roles
from caremarket.core.errors import Invalid, NotFound
from caremarket.core.roles import Actor
from caremarket.market.models import Commissioner
from caremarket.returns import builder, periods


def commissioners_for(user: Actor) -> QuerySet[Commissioner]:
    """The councils whose return the user may build: its own, or (platform staff) every
    local authority with an ONS code."""
    councils = Commissioner.objects.filter(kind=Commissioner.Kind.COUNCIL).exclude(ons_code="")
    if roles.is_platform(user):
        return councils
    commissioner_id = roles.commissioner_id_of(user) if roles.is_council(user) else None
    return councils.filter(pk=commissioner_id) if commissioner_id else councils.none()


def period(quarter: str) -> periods.Period:
    """The reporting period of a quarter by the deployment's rule (settings ``CLD_QUARTERS``
    and ``CLD_REPORTING_MONTHS``); a quarter we cannot read is ``Invalid`` on ``quarter``."""
    try:
        return periods.parse(quarter, settings.CLD_QUARTERS, settings.CLD_REPORTING_MONTHS)
    except ValueError as exc:
        raise Invalid(str(exc), "quarter") from exc


def quarters(today: date | None = None) -> list[str]:
    """The quarters a person may choose on the page: this one and the five before it."""
    return periods.recent(today or clock.today(), style=settings.CLD_QUARTERS)


def cld_return(user: Actor, commissioner_slug: str, quarter: str) -> builder.CldFile:
    """The file and its check for one of the user's councils and a quarter."""
    commissioner = commissioners_for(user).filter(slug=commissioner_slug).first()
    if commissioner is None:
        raise NotFound("There is no such council among those you can see.")
    return builder.build(commissioner, period(quarter))
