"""A band review: a practitioner moves a person to another band from a date, with the
reason and the evidence; the agreement is varied at the new band's weekly rate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models import AgreementVariation, ServiceAgreement
from caremarket.core import clock
from caremarket.frameworks.models import Band


class BandReview(models.Model):
    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="band_reviews"
    )
    from_band = models.ForeignKey(
        Band, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_band = models.ForeignKey(Band, on_delete=models.PROTECT, related_name="band_reviews")
    effective_from = models.DateField()
    reason = models.TextField()
    evidence = models.TextField(help_text="What the review found: assessments, visits, logs.")
    variation = models.OneToOneField(
        AgreementVariation, on_delete=models.PROTECT, related_name="band_review"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "effective_from"]

    def __str__(self) -> str:
        return f"{self.agreement} to {self.to_band} from {self.effective_from}"
