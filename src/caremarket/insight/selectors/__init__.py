"""Reads of market sufficiency, scoped to the acting user.

Council staff see their own commissioner's dashboard and statements; a platform
administrator chooses a commissioner; a provider's users see published statements only.
"""

from __future__ import annotations

from caremarket.core import roles as access
from caremarket.core.errors import NotFound
from caremarket.core.roles import Actor
from caremarket.insight.models import (
    PrevalenceRate,
    Statement,
    SufficiencyParameters,
)
from caremarket.market.models import Commissioner


def commissioner_for(user: Actor, slug: str | None = None) -> Commissioner:
    """The commissioner whose figures a council user sees (their own, whatever the URL
    says); a platform administrator names one (or gets the first)."""
    if access.is_council(user):
        return Commissioner.objects.get(pk=access.commissioner_id_of(user))
    if access.is_platform(user):
        qs = Commissioner.objects.all()
        found = qs.filter(slug=slug).first() if slug else qs.first()
        if found is None:
            raise NotFound("There is no such commissioner.")
        return found
    raise NotFound("There is no such commissioner.")


def parameters_for(commissioner: Commissioner) -> SufficiencyParameters:
    """The commissioner's stated parameters, or the defaults (unsaved) until it states them."""
    found = SufficiencyParameters.objects.filter(commissioner=commissioner).first()
    return found or SufficiencyParameters(commissioner=commissioner)


def statements_for(user: Actor):
    """Council: its own commissioner's, drafts included; platform: all; provider (and any
    other signed-in user): published statements only."""
    qs = Statement.objects.select_related("commissioner")
    if access.is_platform(user):
        return qs
    if access.is_council(user):
        return qs.filter(commissioner_id=access.commissioner_id_of(user))
    return qs.filter(status=Statement.Status.PUBLISHED)


def statement_for(user: Actor, pk: int) -> Statement:
    found = statements_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("There is no such statement.")
    return found


def may_edit(user: Actor, statement: Statement) -> bool:
    return access.is_platform(user) or (
        access.is_council(user) and access.commissioner_id_of(user) == statement.commissioner_id
    )


def rates_for(commissioner: Commissioner):
    return PrevalenceRate.objects.filter(commissioner=commissioner).select_related("care_group")
