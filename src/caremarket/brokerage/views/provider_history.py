"""A provider's history page: every offer put to it, what it answered and when, and what came
of it (won, lost, withdrawn, declined, expired) with the reason it may read; sortable,
filterable by outcome, paginated, and as CSV."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import provider_history, selectors
from caremarket.brokerage.presenters import viewer_of
from caremarket.core import clock
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv


def _when(moment: datetime | None) -> str:
    """Sortable and readable: 2026-12-02 14:05, in the council's time."""
    return f"{clock.local(moment):%Y-%m-%d %H:%M}" if moment else ""


COLUMNS = [
    Column(
        "reference",
        "Referral",
        link=lambda r: reverse("brokerage:offer", args=[r.offer.pk]),
    ),
    Column("council", "Council"),
    Column("what", "What", sortable=False),
    Column("kind", "Kind"),
    Column("sent_at", "Sent", get=lambda r: _when(r.sent_at)),
    Column("answered_at", "Answered", get=lambda r: _when(r.answered_at)),
    Column("answer", "Answer"),
    Column("outcome", "Outcome"),
    Column("reason", "Reason", sortable=False),
]


@permission_required("provider")
def history(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    offers = list(
        selectors.offers_for_provider(request.user)
        .select_related("referral__award", "referral__award__provider", "responded_by")
        .order_by("-sent_at", "-pk")
    )
    rows = provider_history.rows(offers, now, viewer_of(request.user))
    outcome = request.GET.get("outcome", "")
    if outcome in provider_history.OUTCOMES:
        rows = [r for r in rows if r.outcome == outcome]
    table = Table.from_request(
        request,
        COLUMNS,
        rows,
        default_sort="sent_at",
        default_descending=True,
        caption="Offers put to you",
        empty_message="No offers match." if outcome else "No offers have been put to you yet.",
    )
    if wants_csv(request):
        return table.csv_response("offer-history")
    table.paginate(request, per_page=50)
    counts = {o: sum(1 for r in rows if r.outcome == o) for o in provider_history.OUTCOMES}
    return render(
        request,
        "brokerage/provider_history.html",
        {
            "table": table,
            "outcome": outcome,
            "outcomes": provider_history.OUTCOMES,
            "counts": counts,
        },
    )
