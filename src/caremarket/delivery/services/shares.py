"""A lead provider shares (or stops sharing) what it was paid with a subcontractor on its
panel. Both are idempotent: sharing what is already shared, or stopping what is not shared,
changes nothing and says so; every change is kept (``PaymentShare.history``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from caremarket.core import clock, roles
from caremarket.core.errors import Invalid
from caremarket.delivery.models import PaymentShare
from caremarket.frameworks.models import PanelMember
from caremarket.providers.models import Provider


@dataclass(frozen=True)
class Done:
    share: PaymentShare | None
    changed: bool
    message: str


def _lead(user: Any) -> int:
    if not roles.is_provider(user):
        raise Invalid("Sign in as a lead provider's user to share payment information.")
    return int(roles.provider_id_of(user))  # type: ignore[arg-type]


def _subcontractor(lead_id: int, subcontractor_id: int) -> Provider:
    on = clock.today()
    member = (
        PanelMember.objects.live(on)
        .filter(prime__provider_id=lead_id, provider_id=subcontractor_id)
        .exclude(provider_id=lead_id)
        .select_related("provider")
        .first()
    )
    if member is None:
        raise Invalid(
            "That provider is not a subcontractor on your panel: nothing was shared.",
            "subcontractor",
        )
    return member.provider


@transaction.atomic
def share(user: Any, subcontractor_id: int) -> Done:
    lead_id = _lead(user)
    # Lock the lead's row so two clicks at once cannot open two shares (the constraint
    # ``one_open_payment_share`` would refuse the second anyway, less kindly).
    Provider.objects.select_for_update().filter(pk=lead_id).first()
    sub = _subcontractor(lead_id, subcontractor_id)
    open_share = PaymentShare.objects.open().filter(lead_id=lead_id, subcontractor=sub).first()
    if open_share is not None:
        return Done(
            open_share,
            False,
            f"Already shared with {sub.display_name} since {open_share.shared_from:%-d %B %Y}: "
            "nothing changed.",
        )
    made = PaymentShare.objects.create(
        lead_id=lead_id, subcontractor=sub, shared_from=clock.today(), shared_by=user
    )
    return Done(made, True, f"{sub.display_name} can now see what you were paid for its visits.")


@transaction.atomic
def stop(user: Any, subcontractor_id: int) -> Done:
    """Stop at once: the share ends today, so from now on the subcontractor sees no money.
    A subcontractor that has since left the panel can still be stopped."""
    lead_id = _lead(user)
    Provider.objects.select_for_update().filter(pk=lead_id).first()
    open_share = (
        PaymentShare.objects.open()
        .filter(lead_id=lead_id, subcontractor_id=subcontractor_id)
        .select_related("subcontractor")
        .first()
    )
    if open_share is None:
        return Done(None, False, "Payment information was not shared with them: nothing changed.")
    open_share.stopped_on = max(clock.today(), open_share.shared_from)
    open_share.stopped_by = user
    open_share.save(update_fields=["stopped_on", "stopped_by"])
    name = open_share.subcontractor.display_name
    return Done(open_share, True, f"{name} can no longer see what you were paid.")
