"""A band review: a practitioner moves a person to another band from a date."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage.views.actions import run
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.pricing import selectors
from caremarket.pricing.forms import BandReviewForm
from caremarket.pricing.services import bands

HISTORY_COLUMNS = [
    Column("band", "Band"),
    Column("weekly_rate", "Weekly rate", numeric=True, format="money"),
    Column("since", "From", format="date"),
    Column("until", "Until", format="date"),
    Column("reason", "Why", sortable=False),
]


@permission_required("review_band")
def band_review(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.band_agreement_for(request.user, pk)
    history = Table.fixed(
        HISTORY_COLUMNS,
        selectors.band_history(agreement),
        caption="Bands held",
        empty_message="No band recorded for this agreement.",
    )
    if wants_csv(request):
        return history.csv_response(f"bands held {agreement.reference}")
    form = BandReviewForm(request.POST or None)

    def act(data: dict[str, Any]) -> str:
        review = bands.review_band(agreement, by=request.user, **data)
        band, day = review.to_band.get_level_display(), review.effective_from
        return f"Moved to the {band} band from {day:%d %B %Y}."

    if request.method == "POST":
        done = run(request, form, act, then=reverse("pricing:band-review", args=[agreement.pk]))
        if done is not None:
            return done
    return render(
        request,
        "pricing/band_review.html",
        {"agreement": agreement, "history": history, "form": form},
    )
