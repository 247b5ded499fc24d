"""A provider explains or disputes an exception; time over the plan becomes a variation
request the commissioner approves (paid as an adjustment in the next draft run) or refuses."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from caremarket.core import clock, roles
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.delivery.models import ExceptionResponse, PayLine, VariationRequest, Visit
from caremarket.delivery.models.visits import run_of
from caremarket.delivery.services.lines import _retotal, open_run_of
from caremarket.delivery.services.payruns import line_amount
from caremarket.delivery.services.verification import HOLD_DISPUTED
from caremarket.engine.verification import LONG


def _own_visit(user: Any, visit_id: int) -> Visit:
    visit = Visit.objects.select_related("planned").filter(pk=visit_id).first()
    if (
        visit is None
        or not roles.is_provider(user)
        or visit.provider_id != roles.provider_id_of(user)
    ):
        raise NotFound("No such visit among yours.")
    return visit


@transaction.atomic
def respond(user: Any, visit_id: int, *, kind: str, text: str) -> ExceptionResponse:
    visit = _own_visit(user, visit_id)
    if kind not in ExceptionResponse.Kind.values:
        raise Invalid("Explain or dispute.", "kind")
    if not text.strip():
        raise Invalid("Say what happened.", "text")
    if not visit.exceptions:
        raise Conflict("This visit has no exception to explain.")
    if ExceptionResponse.objects.filter(visit_id=visit.pk, visit_day=visit.day, kind=kind).exists():
        raise Conflict("You have answered this exception already.")
    made = ExceptionResponse.objects.create(
        visit_id=visit.pk,
        visit_day=visit.day,
        provider_id=visit.provider_id,
        kind=kind,
        text=text.strip(),
        by=user,
    )
    if kind == ExceptionResponse.Kind.DISPUTE and run_of(visit) is None:
        Visit.objects.filter(pk=visit.pk, day=visit.day).update(
            held=True, hold_reason=HOLD_DISPUTED
        )
    return made


@transaction.atomic
def request_variation(user: Any, visit_id: int, *, reason: str) -> VariationRequest:
    visit = _own_visit(user, visit_id)
    if LONG not in visit.exception_list or visit.planned is None or visit.agreement_id is None:
        raise Conflict("Only a visit longer than its plan beyond the tolerance can ask for more.")
    if not reason.strip():
        raise Invalid("Say why the extra time was needed.", "reason")
    if VariationRequest.objects.filter(visit_id=visit.pk, visit_day=visit.day).exists():
        raise Conflict("This visit's extra time has been asked for already.")
    return VariationRequest.objects.create(
        agreement_id=visit.agreement_id,
        visit_id=visit.pk,
        visit_day=visit.day,
        extra_minutes=visit.minutes - visit.planned.minutes,
        reason=reason.strip(),
        by=user,
    )


@transaction.atomic
def decide_variation(user: Any, request_id: int, *, approve: bool) -> VariationRequest:
    req = (
        VariationRequest.objects.select_for_update().select_related("agreement").get(pk=request_id)
    )
    if not roles.is_platform(user) and req.agreement.commissioner_id != roles.commissioner_id_of(
        user
    ):
        raise NotFound("No such request here.")
    if req.state != VariationRequest.State.PENDING:
        raise Conflict("This request has been decided already.")
    req.state = VariationRequest.State.APPROVED if approve else VariationRequest.State.REFUSED
    req.decided_by, req.decided_at = user, clock.now()
    req.save(update_fields=["state", "decided_by", "decided_at"])
    if approve:
        visit = Visit.objects.get(pk=req.visit_id, day=req.visit_day)
        run = open_run_of(req.agreement.commissioner_id)
        rate = visit.rate or 0
        PayLine.objects.create(
            run=run,
            agreement=req.agreement,
            provider_id=req.agreement.provider_id,
            kind=PayLine.Kind.ADJUSTMENT,
            minutes=req.extra_minutes,
            rate=rate,
            amount=line_amount(req.extra_minutes, rate),
            note=f"agreed extra time on visit {visit.external_id} ({visit.day:%d %b %Y})",
        )
        _retotal(run)
    return req
