"""Reads of spot purchase requests, scoped to the acting user (the selectors for them).

A council's staff see their own council's requests (a platform administrator every one);
providers none: the price a council is asked to approve is the council's business until it
is bought. "Waiting for me" is what this user could approve: pending, its referral not
placed another way in the meantime (``SpotApproval.overtaken``), asked for by someone else,
and within the yearly cost the user's role may approve (``spot.approval_limit``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from caremarket.brokerage import spot
from caremarket.brokerage.models import SpotApproval
from caremarket.core import roles
from caremarket.core.errors import NotFound


def requests_for(user: Any) -> QuerySet[SpotApproval]:
    qs = SpotApproval.objects.select_related(
        "referral", "provider", "requested_by", "decided_by", "award"
    )
    if roles.is_platform(user):
        return qs
    if roles.is_council(user):
        return qs.filter(commissioner_id=roles.commissioner_id_of(user))
    return qs.none()


def request_for(user: Any, pk: int) -> SpotApproval:
    found = requests_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("No spot purchase request here that you can see.")
    return found


def waiting_for(user: Any) -> QuerySet[SpotApproval]:
    """The pending requests this user may decide (not their own, within their limit)."""
    limit = spot.approval_limit(user)
    if limit is None:
        return SpotApproval.objects.none()
    qs = requests_for(user).filter(status=SpotApproval.Status.PENDING)
    qs = qs.exclude(requested_by_id=getattr(user, "pk", None)).exclude(referral__state="awarded")
    return qs if limit.is_infinite() else qs.filter(Q(yearly_cost__lte=limit))


def waiting_count(user: Any) -> int:
    """For the navigation's count beside "Spot approvals"."""
    return waiting_for(user).count()
