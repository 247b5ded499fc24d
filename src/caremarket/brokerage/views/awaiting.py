"""The awaiting-care list: who is waiting for care, zone by zone, as the council counts it."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import selectors
from caremarket.core import clock
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv

TOTAL_COLUMNS = [
    Column("zone", "Zone"),
    Column("hours", "Hours a week", numeric=True, format="hours"),
    Column("people", "People", numeric=True),
]


def _columns(today: date) -> list[Column]:
    return [
        Column("reference", "Referral", link=lambda r: reverse("brokerage:referral", args=[r.pk])),
        Column("person", "Person", get=lambda r: r.person.reference),
        Column("zone", "Zone", get=lambda r: r.zone.number, numeric=True),
        Column(
            "hours", "Hours a week", get=lambda r: r.hours_per_week, numeric=True, format="hours"
        ),
        Column(
            "days", "Days waiting", get=lambda r: selectors.days_waiting(r, today), numeric=True
        ),
        Column("urgency", "Urgency", get=lambda r: r.get_urgency_display()),
        Column(
            "interim",
            "Meanwhile",
            get=lambda r: (
                r.get_interim_arrangement_display() if r.interim_arrangement else "Not recorded"
            ),
        ),
        Column("next_action", "Next action", sortable=False),
    ]


@permission_required("view_awaiting_care")
def awaiting_care(request: HttpRequest) -> HttpResponse:
    zone, q = request.GET.get("zone", ""), request.GET.get("q", "")
    rows, totals = selectors.awaiting_care(
        request.user,
        clock.now(),
        zone=int(zone) if zone.isdigit() and len(zone) < 6 else None,
        search=q,
    )
    table = Table.from_request(
        request,
        _columns(clock.today()),
        rows,
        default_sort="days",
        caption="Waiting",
        empty_message="Nobody is waiting for care.",
        default_descending=True,
    )
    total_table = Table.fixed(
        TOTAL_COLUMNS, totals, caption="Totals by zone", empty_message="Nobody is waiting."
    )
    if wants_csv(request):
        if request.GET.get("table") == "totals":
            return total_table.csv_response("awaiting care by zone")
        return table.csv_response("awaiting care")
    table.paginate(request, per_page=50)
    context = {"table": table, "totals": total_table, "zone": zone, "q": q}
    context.update(hours=sum((t.hours for t in totals), 0), people=sum(t.people for t in totals))
    return render(request, "brokerage/awaiting.html", context)
