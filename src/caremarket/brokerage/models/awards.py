from __future__ import annotations

from django.db import models
from django.db.models import Q

from caremarket.brokerage import rules
from caremarket.brokerage.models.competitions import Bid, Competition
from caremarket.brokerage.models.fields import who_acted
from caremarket.brokerage.models.offers import Offer
from caremarket.brokerage.models.referrals import Referral
from caremarket.frameworks.models import Framework
from caremarket.market.models import Commissioner
from caremarket.providers.models import Provider


class Award(models.Model):
    """A referral (or a competition) placed with a provider, and why.

    One award per referral and per competition, held by the database itself (one-to-one
    fields), behind the row lock the award services take: two providers can never both win.
    """

    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="awards")
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="award"
    )
    competition = models.OneToOneField(
        Competition, on_delete=models.PROTECT, null=True, blank=True, related_name="award"
    )
    offer = models.OneToOneField(
        Offer, on_delete=models.PROTECT, null=True, blank=True, related_name="award"
    )
    bid = models.OneToOneField(
        Bid, on_delete=models.PROTECT, null=True, blank=True, related_name="award"
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="awards",
        help_text="The provider the work is placed with.",
    )
    delivering_provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="awards_delivered",
        help_text="Who delivers the care: the same, or a subcontractor on the lead's panel.",
    )
    route = models.CharField(max_length=24, choices=Framework.Route.choices)
    rule = models.CharField(max_length=24, blank=True)
    scores = models.JSONField(
        default=list, blank=True, help_text="Every candidate's scores and rank, as ranked."
    )
    reason = models.TextField(help_text="Why, with every score: the council's record.")
    public_reason = models.TextField(
        blank=True,
        help_text="Why, without scores or prices: what providers are told (a price score "
        "would reveal the lowest rival price).",
    )
    unit = models.CharField(max_length=10)
    unit_price = models.DecimalField(max_digits=9, decimal_places=2)
    decided_by = who_acted(related_name="awards_decided")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(referral__isnull=False) | Q(competition__isnull=False),
                name="award_is_for_something",
            ),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="award_price_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="award_records_why"),
        ]

    def __str__(self) -> str:
        return f"{self.referral or self.competition} to {self.provider}"

    def seen_by(self, viewer: int | None) -> rules.AwardSeen:
        """What a viewer (a provider's id; None for council staff) may see of this award:
        ``rules.award_seen``. Read it through ``presenters.award_seen_by``."""
        framework = self.referral.framework if self.referral else None
        return rules.award_seen(
            viewer=viewer,
            placed_with=self.provider_id,
            placed_with_name=str(self.provider),
            pricing_model=framework.pricing_model if framework else None,
            unit_price=self.unit_price,
            reason=self.reason,
            public_reason=self.public_reason,
            rule=self.rule,
        )
