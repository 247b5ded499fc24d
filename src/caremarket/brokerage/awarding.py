"""How a referral's acceptances rank, and whether the broker may award yet: reads of its
answers fed to the pure rules (``engine.award.rank``, ``rules.award_readiness``), so the
ranking a broker sees on the referral page is the one ``services.awards.confirm`` stores."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from caremarket.brokerage import rules
from caremarket.brokerage.models import Offer, Referral
from caremarket.core import clock
from caremarket.engine import award


def _candidates(referral: Referral) -> list[award.Candidate]:
    accepted = referral.offers.filter(kind=Offer.Kind.FRAMEWORK, status=Offer.Status.ACCEPTED)
    return [
        award.Candidate(
            key=o.pk,
            provider=o.provider.display_name,
            price=o.unit_price or Decimal("0"),
            quality=o.appointment.quality_score if o.appointment else None,
            responded_at=o.responded_at or o.sent_at,
        )
        for o in accepted.select_related("provider", "appointment")
    ]


def ranking(referral: Referral, *, chosen_offer: int | None = None) -> award.Ranking | None:
    """The acceptances ranked by the framework's published rule (None until one arrives)."""
    candidates = _candidates(referral)
    if not candidates or referral.framework is None:
        return None
    framework = referral.framework
    rule = framework.award_rule
    if rule == award.Rule.PERSON_CHOICE and chosen_offer is None:
        rule = award.Rule.FIRST_TO_ACCEPT  # shown in response order until the person chooses
    return award.rank(
        candidates,
        rule,
        quality_weight=framework.quality_weight,
        price_weight=framework.price_weight,
        chosen_key=chosen_offer,
    )


def ready_to_award(referral: Referral, now: datetime) -> tuple[bool, str]:
    """Whether the broker may award now, and if not why (``rules.award_readiness``)."""
    framework = referral.framework
    answers = referral.offers.filter(kind=Offer.Kind.FRAMEWORK)
    live = list(answers.filter(Offer.live_q(now)).values_list("deadline", flat=True))
    return rules.award_readiness(
        state=referral.state,
        has_framework=framework is not None,
        any_accepted=answers.filter(status=Offer.Status.ACCEPTED).exists(),
        open_until=clock.local(max(live)) if live else None,
        award_before_window_closes=bool(framework and framework.award_before_window_closes),
    )
