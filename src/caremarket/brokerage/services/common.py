"""Small pieces the brokerage services share: references, transitions, notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model

from caremarket.brokerage.models import Notification, Offer, Referral, ReferralEvent
from caremarket.brokerage.services import inbox
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.engine import lifecycle
from caremarket.market.models import Commissioner
from caremarket.providers.models import Provider

M = TypeVar("M", bound=Model)


def prefix(commissioner: Commissioner) -> str:
    """The commissioner's reference prefix, fixed when it was first saved (and unique), so a
    renamed council keeps issuing its own references and never another's."""
    return commissioner.reference_prefix


def next_reference(model: type[Model], commissioner: Commissioner, letter: str) -> str:
    """DEV-R-000123: sequential per commissioner. Callers hold the commissioner's row lock
    (``lock_commissioner``), so two writers never take the same number."""
    stem = f"{prefix(commissioner)}-{letter}-"
    last = (
        model._default_manager.filter(commissioner=commissioner, reference__startswith=stem)  # type: ignore[misc]
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{number:06d}"


def create_numbered(model: type[M], commissioner: Commissioner, letter: str, **fields: Any) -> M:
    """Create a person, referral or competition under the next reference in its
    commissioner's sequence. The caller holds the commissioner's row lock."""
    reference = next_reference(model, commissioner, letter)
    return model._default_manager.create(  # type: ignore[attr-defined, no-any-return]
        commissioner=commissioner, reference=reference, **fields
    )


def lock_commissioner(commissioner: Commissioner) -> Commissioner:
    return Commissioner.objects.select_for_update().get(pk=commissioner.pk)


def transition(referral: Referral, to: str, by: Any, note: str = "") -> None:
    """Move a referral to a new state, refusing moves the lifecycle does not allow, and
    record who moved it, when and why."""
    try:
        lifecycle.check(referral.state, to)
    except lifecycle.TransitionError as exc:
        raise Invalid(str(exc)) from exc
    ReferralEvent.objects.create(
        referral=referral,
        from_state=referral.state,
        to_state=to,
        by=decided_by(by),
        at=clock.now(),
        note=note[:400],
    )
    referral.state = to
    if to == lifecycle.State.AWAITING_CARE and referral.awaiting_since is None:
        referral.awaiting_since = clock.today()
    referral.save(update_fields=["state", "awaiting_since"])
    if to == lifecycle.State.AWAITING_CARE:
        inbox.referral_awaiting_care(referral, note)


def decided_by(by: Any) -> Any:
    """The user who acted, or None when the platform itself did (the worker, the demo)."""
    return by if getattr(by, "pk", None) else None


def notify(recipients: Iterable[str], subject: str, body: str) -> None:
    now = clock.now()
    Notification.objects.bulk_create(
        Notification(to=to, subject=subject[:200], body=body, created_at=now)
        for to in sorted({r for r in recipients if r})
    )


def provider_addresses(provider: Provider) -> list[str]:
    return [provider.email, *provider.users.filter(is_active=True).values_list("email", flat=True)]


def withdraw_open_offers(
    referral: Referral, note: str, *, except_pk: int | None = None, tell: bool = False
) -> int:
    """Close every offer still open on a referral (placed elsewhere, cancelled, re-offered),
    with the note its provider reads; ``tell``: and tell each provider in its inbox."""
    live = Offer.objects.filter(
        referral=referral, status__in=[Offer.Status.OPEN, Offer.Status.PLACING]
    )
    if except_pk is not None:
        live = live.exclude(pk=except_pk)
    told = list(live.select_related("provider", "referral")) if tell else []
    closed = live.update(status=Offer.Status.WITHDRAWN, decline_detail=note[:400])
    if told:
        inbox.offers_withdrawn(told, note)
    return closed
