"""Reads of an agreement's variations beyond the terms in force: those a broker may still
withdraw, and every correction and withdrawal its history keeps. The agreement is one the
caller has already read through ``selectors.agreement_for``, so these need no more scoping."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from caremarket.brokerage.models import AgreementVariation, ServiceAgreement


def to_withdraw(agreement: ServiceAgreement, today: date) -> QuerySet[AgreementVariation]:
    """A broker's variations not yet in effect: not the award's terms, nor a fee review's or
    a band review's (``services.agreements.withdraw_variation`` refuses those too)."""
    first = agreement.variations.order_by("effective_from", "pk").values_list("pk", flat=True)
    return (
        AgreementVariation.objects.filter(agreement=agreement, effective_from__gt=today)
        .exclude(pk__in=list(first[:1]))
        .filter(repricing__isnull=True, band_review__isnull=True)
        .order_by("effective_from")
    )


def changes(agreement: ServiceAgreement) -> list[Any]:
    """Each correction (the terms before it) and withdrawal, newest first."""
    return list(
        AgreementVariation.history.filter(agreement_id=agreement.pk, history_type__in=["~", "-"])
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
