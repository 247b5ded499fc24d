"""Visits and their exceptions, as the acting user may see them."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from caremarket.core.errors import NotFound
from caremarket.core.roles import Actor
from caremarket.delivery.models import ExceptionResponse, VariationRequest, Visit
from caremarket.delivery.selectors import scope


def visits_for(
    user: Actor, *, start: date | None = None, end: date | None = None, exceptions: bool = False
) -> QuerySet[Visit]:
    qs = Visit.objects.filter(scope.visits(user)).select_related(
        "person", "agreement", "provider", "planned"
    )
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lte=end)
    if exceptions:
        qs = qs.exclude(exceptions="")
    return qs


def visit_for(user: Actor, pk: int) -> Visit:
    visit = visits_for(user).filter(pk=pk).first()
    if visit is None:
        raise NotFound("No visit here that you can see.")
    return visit


def responses_to(visit: Visit) -> QuerySet[ExceptionResponse]:
    return ExceptionResponse.objects.filter(visit_id=visit.pk, visit_day=visit.day).select_related(
        "by"
    )


def variation_requests_for(user: Actor) -> QuerySet[VariationRequest]:
    from caremarket.core import roles

    qs = VariationRequest.objects.select_related("agreement__provider", "by", "decided_by")
    if roles.is_provider(user):
        return qs.filter(agreement__provider_id=roles.provider_id_of(user)) | qs.filter(
            by__provider_id=roles.provider_id_of(user)
        )
    return qs.filter(scope.council(user, "agreement__commissioner_id"))
