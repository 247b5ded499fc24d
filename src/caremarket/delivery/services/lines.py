"""Held lines (a thread with the provider, release into a later run) and retrospective
adjustments. A line of a paid run is never edited: ``edit`` refuses and says what to do."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from caremarket.core import roles
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.delivery.models import LineMessage, PayLine, PayRun
from caremarket.delivery.services.payruns import line_amount


def open_run_of(commissioner_id: int) -> PayRun:
    run = (
        PayRun.objects.filter(commissioner_id=commissioner_id, state=PayRun.State.DRAFT)
        .order_by("period_start")
        .first()
    )
    if run is None:
        raise Conflict("Open the next pay run (a draft) first: a line goes into a draft run.")
    return run


@transaction.atomic
def post_message(line_id: int, *, by: Any, text: str) -> LineMessage:
    line = PayLine.objects.select_related("run").get(pk=line_id)
    if not text.strip():
        raise Invalid("Write a message.", "text")
    if roles.is_provider(by) and roles.provider_id_of(by) != line.provider_id:
        raise NotFound("No such line among yours.")
    return LineMessage.objects.create(line=line, by=by, text=text.strip()[:4000])


@transaction.atomic
def release(line_id: int, *, by: Any, note: str = "") -> PayLine:
    """Pay a held line in the next draft run (the held line stays, naming where it went)."""
    line = PayLine.objects.select_for_update().select_related("run").get(pk=line_id)
    if not line.held:
        raise Conflict("Only a held line is released.")
    if line.released_into_id is not None:
        raise Conflict("This line has been released already.")
    target = open_run_of(line.run.commissioner_id)
    if target.pk == line.run_id:
        raise Conflict("Release a held line into a later run, not its own.")
    made = PayLine.objects.create(
        run=target,
        agreement=line.agreement,
        provider=line.provider,
        kind=PayLine.Kind.RELEASED,
        visits=line.visits,
        minutes=line.minutes,
        rate=line.rate,
        amount=line.amount,
        corrects=line,
        note=(note or f"released from {line.run.reference}")[:240],
    )
    line.released_into = made
    line.save(update_fields=["released_into"])
    _retotal(target)
    return made


@transaction.atomic
def adjust(line_id: int, *, by: Any, minutes: int, reason: str) -> PayLine:
    """A correction to a line (paid or not yet): a new line in the next draft run."""
    line = PayLine.objects.select_related("run").get(pk=line_id)
    if minutes == 0 or abs(minutes) > 10_000:
        raise Invalid("An adjustment is from -10,000 to 10,000 minutes, and not 0.", "minutes")
    if line.minutes + minutes < 0:
        raise Invalid("An adjustment cannot take back more than was paid.", "minutes")
    if not reason.strip():
        raise Invalid("Say why the line is adjusted.", "reason")
    target = open_run_of(line.run.commissioner_id)
    made = PayLine.objects.create(
        run=target,
        agreement=line.agreement,
        provider=line.provider,
        kind=PayLine.Kind.ADJUSTMENT,
        minutes=minutes,
        rate=line.rate,
        amount=line_amount(minutes, line.rate),
        corrects=line,
        note=reason.strip()[:240],
    )
    _retotal(target)
    return made


def edit(line_id: int, **changes: Any) -> PayLine:
    """Change a draft run's line; a line of any later state is refused."""
    with transaction.atomic():
        line = PayLine.objects.select_for_update().select_related("run").get(pk=line_id)
        if line.run.state == PayRun.State.PAID:
            raise Conflict("A paid line is never edited: add an adjustment in the next run.")
        if line.run.state != PayRun.State.DRAFT:
            raise Conflict("Only a draft run's lines change: send the run back first.")
        for name, value in changes.items():
            setattr(line, name, value)
        line.amount = line_amount(line.minutes, line.rate)
        line.save()
        _retotal(line.run)
    return line


def _retotal(run: PayRun) -> None:
    from caremarket.delivery.services.payruns import _total

    _total(run)
