from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.engine import postcodes
from caremarket.engine.postcodes import InvalidPostcode
from caremarket.market import selectors
from caremarket.market.forms import PostcodeForm

ZONE_COLUMNS = [
    Column("label", "Zone", get=lambda z: z.label),
    Column("commissioner", "Commissioner", get=lambda z: z.commissioner.name),
    Column(
        "towns", "Towns", get=lambda z: ", ".join(t.name for t in z.towns.all()), sortable=False
    ),
    Column(
        "districts",
        "Postcode districts and sectors",
        get=lambda z: ", ".join(
            sorted((a.code for a in z.postcode_areas.all()), key=postcodes.area_sort_key)
        ),
        sortable=False,
    ),
]


@permission_required("council_pages")
def zones(request: HttpRequest) -> HttpResponse:
    zone_list = list(selectors.zones_for(request.user))
    table = Table.from_request(
        request,
        ZONE_COLUMNS,
        zone_list,
        caption="Zones",
        empty_message="No zones have been set up yet. Add them in the back office.",
    )
    if wants_csv(request):
        return table.csv_response("zones")
    form = PostcodeForm(request.GET or None)
    found = None
    if request.GET and form.is_valid():
        try:
            found = selectors.zone_for_postcode_seen_by(request.user, form.cleaned_data["postcode"])
        except InvalidPostcode as exc:
            form.add_error("postcode", str(exc))
    return render(request, "market/zones.html", {"table": table, "form": form, "found": found})
